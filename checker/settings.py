"""What a check runs with besides the rules: the profile (level and stage), the deadlines, the
term lists, and the configuration layers that produced them (recorded in every result)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from .errors import ConfigError
from .resources import load_yaml, rules_dir
from .termlists import TermList, term_lists

STAGES_FILE = "profiles.yaml"


@lru_cache(maxsize=1)
def profiles() -> dict:
    d = load_yaml(rules_dir() / STAGES_FILE)
    try:
        d["stages"]["final"], d["deadlines"]["report"]["default"], d["deadlines"]["publish"]["default"]
    except (KeyError, TypeError) as e:
        raise ConfigError(f"{rules_dir() / STAGES_FILE}: 缺少字段 {e}") from None
    return d


def _month_day(value: str, where: str) -> tuple[int, int]:
    try:
        m, d = (int(x) for x in str(value).split("-"))
    except (ValueError, TypeError):
        raise ConfigError(f"{where}: 期限 {value!r} 应写作 月-日，如 \"03-01\"") from None
    try:
        date(2001, m, d)
    except ValueError:
        raise ConfigError(f"{where}: 期限 {value!r} 不是存在的日期（{m}月没有{d}日）") from None
    return m, d


@dataclass
class Settings:
    stage: str = "final"
    level: str | None = None                   # set by configuration; else detected per report
    deadlines: dict[str, dict[str, str]] = field(default_factory=lambda: {
        k: dict(v) for k, v in profiles()["deadlines"].items()})
    term_files: tuple[str, ...] = ()
    layers: list[str] = field(default_factory=lambda: ["built-in"])
    grammar: str | None = None                 # the parts' order grammar a configuration names

    def __post_init__(self):
        if self.stage not in profiles()["stages"]:
            raise ConfigError(f"未知的阶段 {self.stage!r}（可用：{', '.join(profiles()['stages'])}）")

    def terms(self, name: str) -> TermList:
        return term_lists(self.term_files)[name]

    def deadline(self, which: str, level: str | None, report_year: int) -> date:
        table = self.deadlines[which]
        value = table.get(level or "", table["default"])
        m, d = self.deadline_value(value, f"deadlines.{which}")
        return date(report_year + 1, m, d)

    @staticmethod
    def deadline_value(value: str, where: str) -> tuple[int, int]:
        return _month_day(value, where)

    def outline_grammar(self, level: str | None) -> str:
        return outline_grammar(level, self.grammar)

    def profile_name(self, level: str | None) -> str:
        return f"{self.level or level or 'unknown'}/{self.stage}"


def outline_grammar(level: str | None, configured: str | None = None) -> str:
    """The grammar the parts' order is parsed with (grammar/outline.lark is `default`;
    grammar/outline-<NAME>.lark is NAME): the configuration's, else the level's in
    rules/profiles.yaml (grammars:), else the default."""
    table = profiles().get("grammars") or {}
    return configured or table.get(level or "") or table.get("default") or "default"


DEFAULT = None


def default_settings() -> Settings:
    global DEFAULT
    if DEFAULT is None:
        DEFAULT = Settings()
    return DEFAULT
