"""Where the data lives: rules/ and grammar/ at the repository root during development, or
checker/_data/ inside an installed wheel (pyproject force-includes them there)."""
from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

import yaml

# libyaml's loader is ~8x faster than the pure-Python one; it matters at start-up.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

from .errors import ConfigError

_PKG = Path(__file__).resolve().parent


@lru_cache(maxsize=None)
def data_dir(name: str) -> Path:
    for base in (_PKG / "_data", _PKG.parent):
        if (base / name).is_dir():
            return base / name
    raise ConfigError(f"找不到数据目录 {name}/（安装包不完整？）")


def rules_dir() -> Path:
    return data_dir("rules")


def grammar_dir() -> Path:
    return data_dir("grammar")


@lru_cache(maxsize=None)
def load_yaml(path: Path):
    try:
        with open(path, encoding="utf-8") as fh:
            return yaml.load(fh, Loader=_Loader)
    except FileNotFoundError:
        raise ConfigError(f"{path}: 文件不存在") from None
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f"第 {mark.line + 1} 行" if mark else ""
        raise ConfigError(f"{path}: YAML 格式错误 {where}：{getattr(e, 'problem', e)}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: 不是 UTF-8 编码的文本，请另存为 UTF-8") from None
    except ValueError as e:
        # YAML reads 2026-02-30 as a date and the date does not exist
        raise ConfigError(f"{path}: 有不存在的日期或无法识别的值（{_value_error(e)}）；日期写成 2026-12-31 的形式") from None
    except OSError as e:
        from .errors import os_reason
        raise ConfigError(f"{path}: 无法读取：{os_reason(e)}") from None


def load_model(name: str, model):
    """rules/<name> read into a pydantic model, a field wrong or missing said as a ConfigError."""
    path = rules_dir() / name
    try:
        return model.model_validate(load_yaml(path))
    except ValueError as e:      # pydantic's ValidationError is a ValueError
        raise ConfigError(f"{path}: 格式错误：{e}") from None


def _value_error(e: ValueError) -> str:
    text = str(e)
    return {"day is out of range for month": "该月没有这一天", "month must be in 1..12": "月份应为 1–12"}.get(text, text)


@lru_cache(maxsize=1)
def rule_pack() -> dict:
    """Name, version and digest of the rule files in force (rules/ and grammar/)."""
    pack = load_yaml(rules_dir() / "pack.yaml")
    h = hashlib.sha256()
    for base in (rules_dir(), grammar_dir()):
        for p in sorted(base.rglob("*")):
            if p.is_file():
                h.update(p.relative_to(base).as_posix().encode())
                h.update(p.read_bytes())
    return {"name": pack["name"], "version": str(pack["version"]), "digest": h.hexdigest()[:12]}
