"""Imported once by the server's forkserver (checker/serve/pool.py `zygote`): everything a check
needs is loaded there, so every worker forked from it starts warm. The configuration file the
server was started with comes through FZCHECK_SERVE_CONFIG (set by checker/serve/__init__.py)."""
from __future__ import annotations

import os
from pathlib import Path

from . import ServeOptions, warm

_config = os.environ.get("FZCHECK_SERVE_CONFIG")
warm(ServeOptions(config=Path(_config) if _config else None))
