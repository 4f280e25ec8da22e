"""rules/cli.yaml: the command line's own words and bounds (the terminal view's caps, the draft
phrases, the Chinese --help), read once."""
from __future__ import annotations

from functools import lru_cache

from .resources import load_yaml, rules_dir


@lru_cache(maxsize=1)
def cli_data() -> dict:
    return load_yaml(rules_dir() / "cli.yaml")
