"""`fzcheck serve`: the clerk's page and the JSON API on this machine (checker/serve/app.py)."""
from __future__ import annotations

import socket
import sys
import threading

from ..errors import ConfigError, os_reason
from .app import PROFILES, ServeOptions, loopback


def resolve_choices(options: ServeOptions) -> None:
    """Every choice the page offers, resolved now (a unit's configuration that cannot be used
    fails here, exit 2): in the server (the rule list, the compared rules) and in the zygote, so
    the workers never read the unit's fzcheck.toml again and an edit while the server runs
    cannot make them disagree."""
    from ..models import LEVEL_NAMES
    from . import work
    work.CONFIG = options.config
    for stage in (None, *filter(None, PROFILES)):
        for level in (None, *LEVEL_NAMES):
            work.resolved(stage, level)


def warm(options: ServeOptions) -> None:
    """Everything a check needs, loaded in the zygote before it forks the workers: the readers,
    the rule pack, the grammars and term lists (by checking a short text), the checklist writer."""
    from ..models import Source
    from ..read import docx, html, pdf  # noqa: F401 — imported for the workers to inherit
    from ..read.txt import split_lines
    from ..render import checklist_docx, env  # noqa: F401
    from ..report import check_report
    from . import work
    from .app import serve_settings
    resolve_choices(options)
    check_report(Source(path="warmup.txt", lines=split_lines(serve_settings()["warmup"])), work.resolved(None, None))
    env("html").get_template("_text.html.j2")


def listening(host: str, port: int) -> socket.socket:
    """The server's socket, bound here so a port in use is said in Chinese (exit 2)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as e:
        sock.close()
        hint = "；请换一个端口，如 --port 8766" if e.errno == 98 else ""
        raise ConfigError(f"无法在 {host}:{port} 启动网页服务：{os_reason(e)}{hint}") from None
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def run(options: ServeOptions, open_browser: bool) -> None:
    import uvicorn

    from .app import create_app
    sock = listening(options.host, options.port)
    port = sock.getsockname()[1]
    resolve_choices(options)
    from ..render import env
    env("html").get_template("desk.html.j2")      # compiled now, not on the first clerk's request
    import os
    if options.config is not None:
        os.environ["FZCHECK_SERVE_CONFIG"] = str(options.config.resolve())   # for the zygote's warm()
    app = create_app(options)
    shown = f"[{options.host}]" if ":" in options.host else options.host
    url = f"http://{'127.0.0.1' if options.host in ('0.0.0.0', '::') else shown}:{port}/"
    print(f"fzcheck 网页已启动：{url}（按 Ctrl+C 停止）", flush=True)
    print(f"  JSON 接口说明：{url}api", flush=True)
    if not loopback(options.host):
        sys.stderr.write(f"fzcheck: 注意：网页在 {options.host}:{port} 上对本机以外开放，同一网络中的任何人都能访问并上传报告；"
                         f"只在单位内网中这样使用\n")
    if open_browser:
        import webbrowser
        threading.Timer(0.5, webbrowser.open, args=(url,)).start()
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on")
    uvicorn.Server(config).run(sockets=[sock])
