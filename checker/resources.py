"""Where the data lives: rules/ and grammar/ at the repository root during development, or
checker/_data/ inside an installed wheel (pyproject force-includes them there)."""
from __future__ import annotations

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
