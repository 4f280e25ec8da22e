"""Configuration: the profile (level and stage), rules switched off, on or re-levelled, deadlines,
a unit's own rule and term files, and waivers — in layers: built-in → unit (fzcheck.toml or
[tool.fzcheck] in pyproject.toml, found by searching upward) → user (--config) → command line.
A later layer wins. Every error names the file and the field."""
from __future__ import annotations

import hashlib
import json
import re
import tomllib
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from .analyse import structure
from .checks.base import Rule
from .checks.load import builtin_rules, load_file, params_of
from .errors import ConfigError, describe, file_to_read, os_reason
from .examples import verify_examples
from .models import Level, Severity
from .resources import rule_pack
from .settings import Settings, profiles
from .waivers import Waiver, load_waivers

CONFIG_FILE = "fzcheck.toml"


class _RulesSection(BaseModel):
    model_config = ConfigDict(extra="forbid")
    disable: list[str] = []
    enable: list[str] = []
    severity: dict[str, Severity] = {}
    files: list[str] = []               # a unit's own rule files (YAML, as rules/checks/)
    params: dict[str, dict[str, Any]] = {}  # rule id → params merged over the rule's own

    @field_validator("disable", "enable")
    @classmethod
    def _upper(cls, v):
        return [x.strip().upper() for x in v]

    @field_validator("severity", "params")
    @classmethod
    def _upper_keys(cls, v):
        return {k.strip().upper(): s for k, s in v.items()}


class _OutlineSection(BaseModel):
    model_config = ConfigDict(extra="forbid")
    grammar: str | None = None          # the parts' order grammar: grammar/outline-<NAME>.lark


class ConfigFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    profile: str | None = None          # draft | final | level/stage
    level: Level | None = None
    stage: Literal["draft", "final"] | None = None
    rules: _RulesSection = _RulesSection()
    outline: _OutlineSection = _OutlineSection()
    deadlines: dict[Literal["report", "publish"], dict[str, str]] = {}
    terms: list[str] = []               # a unit's own term files (as rules/terms/)
    waivers: list[str] = []

    @field_validator("profile")
    @classmethod
    def _profile(cls, v):
        if v is None:
            return v
        level, _, stage = v.rpartition("/")
        if stage not in profiles()["stages"]:
            raise ValueError(f"阶段应为 {' 或 '.join(profiles()['stages'])}（可写作 township/draft 这样的 层级/阶段）")
        if level and level not in Level.__args__:
            raise ValueError(f"层级 {level!r} 无效，应为 {'、'.join(Level.__args__)} 之一")
        return v


@dataclass
class Layer:
    name: str                   # built-in | unit | user | command line
    path: Path | None
    config: ConfigFile


@dataclass
class Resolved:
    settings: Settings
    rules: list[Rule]
    waivers: list[Waiver] = field(default_factory=list)
    known: list[Rule] = field(default_factory=list)     # every rule, enabled or not
    # a layer (a configuration, the command line) chose the stage: `check` then never takes a
    # report for a draft by its name or title (checker/draft.py)
    stage_chosen: bool = False

    @cached_property
    def rules_digest(self) -> str:
        """The rules and waivers in force, as run: a unit's severity or [rules.params] change
        makes another digest, so an audit does not reuse results checked under the old ones."""
        h = hashlib.sha256()
        for r in self.rules:
            h.update(json.dumps([r.id, r.kind, r.severity, r.params.model_dump(mode="json")],
                                ensure_ascii=False, sort_keys=True).encode())
        for w in self.waivers:
            h.update(w.model_dump_json().encode())
        return h.hexdigest()[:12]

    def record(self) -> dict:
        """What the JSON of every result says about how it was produced."""
        out = {"layers": self.settings.layers, "stage": self.settings.stage, "level": self.settings.level,
               "rule_pack": rule_pack(), "rules": len(self.rules), "waivers": len(self.waivers),
               "rules_digest": self.rules_digest}
        if self.settings.grammar:
            out["outline_grammar"] = self.settings.grammar      # stored results depend on it
        return out


def _known_rules(waivers: list[Waiver], rules: dict, path: Path) -> list[Waiver]:
    """A waiver naming no rule there is would silently waive nothing: say so, naming the file."""
    for i, w in enumerate(waivers, 1):
        if w.rule not in rules:
            raise ConfigError(f"{path}: 第 {i} 条豁免的规则编号 {w.rule} 不存在（fzcheck rules 列出全部规则）")
    return waivers


def _with_params(rule: Rule, override: dict, where: str) -> Rule:
    """The rule with `override` merged over its params, checked by its kind's Params model, and
    its own examples run again: a change that breaks one is refused here, not found in a batch."""
    merged = {**rule.params.model_dump(exclude_unset=True), **override}
    changed = rule.model_copy(update={"params": params_of(rule.kind, merged, f"{where} [rules.params]", rule.id)})
    verify_examples(changed, where, changed_by=f"[rules.params] 中对 {rule.id} 参数的改动")
    return changed


def _read_toml(path: Path) -> dict:
    try:
        with open(path, "rb") as fh:
            return tomllib.load(fh)
    except OSError as e:
        raise ConfigError(f"{path}: 无法读取配置文件：{os_reason(e)}") from None
    except tomllib.TOMLDecodeError as e:
        where = re.search(r"at line (\d+), column (\d+)", str(e))
        at = f"第 {where.group(1)} 行第 {where.group(2)} 列" if where else ""
        raise ConfigError(f"{path}: TOML 格式错误{('（' + at + '）') if at else ''}：{e}") from None


def read_config(path: Path) -> ConfigFile:
    data = _read_toml(path)
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("fzcheck", {})
    elif "fzcheck" in data and len(data) == 1:
        data = data["fzcheck"]
    try:
        return ConfigFile.model_validate(data)
    except ValidationError as e:
        raise ConfigError(f"{path}: {describe(e)}") from None


def discover(start: Path) -> Path | None:
    """The nearest fzcheck.toml, or pyproject.toml with [tool.fzcheck], from `start` upward."""
    for d in [start, *start.parents]:
        if (d / CONFIG_FILE).is_file():
            return d / CONFIG_FILE
        pp = d / "pyproject.toml"
        if pp.is_file() and "fzcheck" in _read_toml(pp).get("tool", {}):
            return pp
    return None


def resolve(config: Path | None = None, cwd: Path | None = None, *, discover_unit: bool = True,
            command_line: ConfigFile | None = None, waiver_files: tuple[Path, ...] = ()) -> Resolved:
    layers: list[Layer] = []
    unit = discover(cwd or Path.cwd()) if discover_unit else None
    if unit is not None:
        layers.append(Layer("unit", unit, read_config(unit)))
    if config is not None:
        file_to_read(config, "配置文件")
        layers.append(Layer("user", Path(config), read_config(Path(config))))
    if command_line is not None:
        layers.append(Layer("command line", None, command_line))

    stage, level, deadlines = "final", None, {k: dict(v) for k, v in profiles()["deadlines"].items()}
    term_files: list[str] = []
    grammar: str | None = None
    rules: dict[str, Rule] = {r.id: r for r in builtin_rules()}
    waivers: list[Waiver] = []
    for layer in layers:
        c, base = layer.config, (layer.path.parent if layer.path else Path.cwd())
        if c.profile:
            lv, _, st = c.profile.rpartition("/")
            stage, level = st, (lv or level)
        stage, level = c.stage or stage, c.level or level
        for which, table in c.deadlines.items():
            for lv, value in table.items():         # checked here, where the file is known
                try:
                    Settings.deadline_value(value, f"deadlines.{which}.{lv}")
                except ConfigError as e:
                    raise ConfigError(f"{layer.path or layer.name}: {e}") from None
            deadlines[which].update(table)
        term_files += [str(base / t) for t in c.terms]
        if c.outline.grammar:
            try:
                structure.parser(c.outline.grammar)      # fail now, naming the file
            except ConfigError as e:
                raise ConfigError(f"{layer.path or layer.name}: outline.grammar: {e}") from None
            grammar = c.outline.grammar
        for f in c.rules.files:
            for r in load_file(base / f):
                if r.id in rules:
                    raise ConfigError(f"{base / f}: 规则编号 {r.id} 与已有规则重复")
                verify_examples(r, base / f)
                rules[r.id] = r
        for w in c.waivers:
            waivers += _known_rules(load_waivers(base / w), rules, base / w)
    for w in waiver_files:
        waivers += _known_rules(load_waivers(Path(w)), rules, Path(w))

    settings = Settings(stage=stage, level=level, deadlines=deadlines, term_files=tuple(term_files), grammar=grammar,
                        layers=["built-in", *[f"{l.name}: {l.path}" if l.path else l.name for l in layers]])
    for table in deadlines.values():                 # fail now, not in the middle of a batch
        for lv, value in table.items():
            settings.deadline_value(value, f"deadlines.{lv}")
    for lv, name in (profiles().get("grammars") or {}).items():
        # a level's grammar that is not there or does not build fails now, naming the file,
        # not as a crash of OUT-ORDER on every report; the workers fork after this and inherit it
        try:
            structure.parser(name)
        except ConfigError as e:
            raise ConfigError(f"rules/profiles.yaml: grammars.{lv}: {e}") from None
    if term_files:
        settings.terms("events")                     # load (and validate) the unit's term files now

    enabled = {rid: r.enabled for rid, r in rules.items()}
    severity: dict[str, str] = {}
    for rid in profiles()["stages"][stage].get("disable") or []:
        enabled[rid] = False
    for layer in layers:
        where = f"{layer.path}" if layer.path else "命令行"
        c = layer.config.rules
        for field_name, ids in (("rules.disable", c.disable), ("rules.enable", c.enable),
                                ("rules.severity", list(c.severity)), ("rules.params", list(c.params))):
            for rid in ids:
                if rid not in rules:
                    raise ConfigError(f"{where}: {field_name} 中的规则编号 {rid} 不存在（fzcheck rules 列出全部规则）")
        for rid, override in c.params.items():
            rules[rid] = _with_params(rules[rid], override, where)
        for rid in c.disable:
            enabled[rid] = False
        for rid in c.enable:
            enabled[rid] = True
        severity.update(c.severity)
    selected = [r.model_copy(update={"severity": severity.get(r.id, r.severity), "enabled": True})
                for r in rules.values() if enabled[r.id]]
    return Resolved(settings=settings, rules=selected, waivers=waivers, known=list(rules.values()),
                    stage_chosen=any(l.config.profile or l.config.stage for l in layers))


# levels as people say them: 「乡镇」「街道」「县」…
LEVEL_WORDS = {"省": "province", "省级": "province", "市": "city", "市级": "city", "县": "county", "县级": "county",
               "区": "district", "区级": "district", "乡": "township", "镇": "township", "乡镇": "township",
               "街道": "street", "部门": "department"}


def resolve_options(config: Path | None = None, profile: str | None = None, level: str | None = None,
                    disable: list[str] = (), severity: dict[str, str] | None = None,
                    waivers: tuple[Path, ...] = ()) -> Resolved:
    """The configuration with the options a person chose on top (the command line's, the page's
    of `fzcheck serve`): a profile, a level (a code or a word as people say it), rules off or
    re-levelled, waiver files."""
    cli = None
    level = LEVEL_WORDS.get(level.strip(), level.strip()) if level else level
    if profile or level or disable or severity:
        try:
            cli = ConfigFile.model_validate({"profile": profile, "level": level,
                                             "rules": {"disable": list(disable), "severity": severity or {}}})
        except ValidationError as e:
            raise ConfigError(f"命令行选项 {describe(e)}") from None
    return resolve(config, command_line=cli, waiver_files=tuple(waivers))


@lru_cache(maxsize=1)
def default_rules() -> list[Rule]:
    """The built-in rules as the built-in profile runs them (no unit configuration)."""
    return resolve(discover_unit=False).rules
