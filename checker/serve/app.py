"""The clerk's desk: a local web page where a draft is checked by dropping it in, and a JSON API
for other systems (`fzcheck serve`). FastAPI on uvicorn; the page is rendered by the Jinja
templates every other output uses (checker/render/), its CSS and JS served from the package.

Safe by construction:
- every report is read and checked in a guarded worker process (checker/serve/pool.py), under
  the command line's time and memory limits; a busy server answers 503 at once;
- the body is read in memory and refused past the command line's size limit
  (checker/serve/upload.py); the name a browser sends is a label, never a path;
- the page's every piece of report text is escaped by the templates, and the
  Content-Security-Policy allows no inline script, no inline style and no other origin: a
  `<script>` in a report is text, and nothing on the page loads from outside the machine;
- on a loopback address only requests naming a loopback host are served (a web page elsewhere
  cannot reach this server by renaming its own host: DNS rebinding);
- a failure is a Chinese message on the page and JSON {"error": …} on the API, never a trace."""
from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import __version__
from .. import baseline as baseline_mod
from ..errors import ConfigError, InputError, TooBig
from ..models import LEVEL_NAMES
from ..resources import load_yaml, rules_dir
from . import sessions as sessions_mod
from . import work
from .pool import Busy, Pool
from .upload import Refused, read_request

STATIC = Path(__file__).parent / "static"
_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8", ".svg": "image/svg+xml"}


def _static_files() -> dict[str, tuple[bytes, str]]:
    """The page's CSS, JS and icon, read once into memory: served with no file opened per
    request (and no thread: the server forks its workers, which a thread would make unsafe)."""
    return {p.name: (p.read_bytes(), _TYPES[p.suffix]) for p in STATIC.iterdir() if p.suffix in _TYPES}
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
HEADERS = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff",
           "Referrer-Policy": "same-origin", "X-Frame-Options": "DENY", "Cache-Control": "no-store"}
# "" lets the report say which it is, as `fzcheck check` does (checker/draft.py): a title or file
# name with 草稿、征求意见稿… is checked as a draft; so the page and the API give the same findings
PROFILES = {"": "自动（标题或文件名写明“草稿”等字样的按草稿查）", "final": "定稿（准备报送：全部规则）", "draft": "草稿（起草中：落款、成文日期、报送期限暂不查）"}
STAGES = {"final": "定稿", "draft": "草稿"}
# a pasted text given back to the form after a refusal, up to this many bytes (a 4 MB paste is not)
REFILL_BYTES = 600_000


def loopback(host: str) -> bool:
    """Whether a host name or address is this machine's own (127.0.0.0/8, ::1, localhost)."""
    import ipaddress
    host = host.strip("[]").lower()
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@dataclass
class ServeOptions:
    host: str = "127.0.0.1"
    port: int = 8765
    config: Path | None = None
    workers: int = 0            # 0: rules/serve.yaml


def serve_settings() -> dict:
    return load_yaml(rules_dir() / "serve.yaml")


def create_app(options: ServeOptions, pool: Pool | None = None) -> FastAPI:
    """The app, with a pool of workers (started here unless given)."""
    conf = serve_settings()
    work.CONFIG = options.config
    own_pool = pool is None
    if pool is None:
        pool = Pool(work.job, options.workers or int(conf["workers"]), int(conf["waiting"]))
        pool.start()
    store = sessions_mod.Sessions(int(conf["sessions"]), float(conf["session_minutes"]),
                                  int(conf["session_mb"]) * 1024 * 1024)
    # python-multipart logs what it refuses; the client is told, the console need not be
    logging.getLogger("python_multipart").setLevel(logging.CRITICAL)

    @contextlib.asynccontextmanager
    async def lifespan(app):
        yield
        if own_pool:
            pool.close()

    app = FastAPI(title="fzcheck", version=__version__, lifespan=lifespan,
                  description="检查法治政府建设年度报告：上传报告，得到与 `fzcheck check --format json` 相同的检查结果。",
                  docs_url=None, redoc_url=None, openapi_url="/api/openapi.json")
    static = _static_files()
    local = loopback(options.host)

    def refusal(request: Request):
        """A response refusing the request before any route sees it, or None."""
        if local and not loopback(request.url.hostname or ""):
            # a page elsewhere that renamed its host to this machine's address (DNS rebinding)
            return _failure(request, 400, "此服务只接受发往本机地址（如 127.0.0.1、localhost）的请求")
        if request.method == "POST" and _cross_site(request):
            # another site's page posting here (a form, a fetch): it would replace the clerk's
            # result and keep the workers busy. Other systems calling the API send no Origin.
            return _failure(request, 403, "不接受来自其他网站页面的提交；请直接在本页上传报告")
        return None

    def crashed(request: Request):
        # the trace goes to the server's console, for whoever runs it; the page gets a sentence
        logging.getLogger("fzcheck.serve").exception("%s %s", request.method, request.url.path)
        return _failure(request, 500, "服务器内部错误，此次检查未完成；请将所用文件报告维护者")

    app.add_middleware(Guard, refusal=refusal, crashed=crashed)

    def page(request: Request, status: int = 200, error: str | None = None, checked=None, form: dict | None = None):
        from ..render import context, env
        last = store.get(request.cookies.get(sessions_mod.COOKIE))
        configured = work.resolved(None, None)
        form = {"profile": configured.settings.stage if configured.stage_chosen else "", **(form or {})}
        # a stage fixed by the configuration is what "" would mean: 自动 is not offered then
        offered = {k: v for k, v in PROFILES.items() if k or not configured.stage_chosen}
        ctx = {"checked": checked, "error": error, "form": form, "profiles": offered, "stages": STAGES,
               "levels": LEVEL_NAMES, "last": last}
        if checked is not None:
            ctx.update(context(checked.result))         # the marked text comes rendered (work.check)
            titles = {f.rule: f.title for f in checked.result.findings}
            ctx["rule_choices"] = sorted(titles.items())
        html = env("html").get_template("desk.html.j2").render(**ctx)
        return HTMLResponse(html, status_code=status)

    def _failure(request: Request, status: int, message: str, name: str | None = None, upload=None):
        if request.url.path.startswith("/api/"):
            body = {"error": message}
            if name:
                body["source"] = name
            return JSONResponse(body, status_code=status)
        form = {}
        if upload is not None:      # the clerk's choices and pasted text, back in the form
            # 自动 ("") is a choice too: kept, not replaced by the configured stage
            form = {k: upload.options[k] for k in ("profile", "level") if k in upload.options}
            if upload.pasted and len(upload.data) <= REFILL_BYTES:
                form.update(text=upload.data.decode("utf-8", "replace"), name=upload.pasted_name)
        return page(request, status, f"{name}：{message}" if name else message, form=form)

    def _cross_site(request: Request) -> bool:
        """A browser's request made by another site's page: told by Sec-Fetch-Site where the
        browser sends it (every current one), else by Origin. A request with neither is a
        program's (curl, another system), not a page's."""
        site = request.headers.get("sec-fetch-site")
        if site is not None:
            return site not in ("same-origin", "none")
        origin = request.headers.get("origin")
        return origin is not None and origin != f"{request.url.scheme}://{request.url.netloc}"

    def _busy(request: Request, e: Busy, upload=None):
        return _failure(request, 503, conf["busy"].format(busy=e.busy, waiting=e.waiting), upload=upload)

    async def _check(request: Request, upload):
        """An upload checked in a worker: (result, source, the page's marked text or "" for the
        API, profile, level)."""
        profile = upload.options.get("profile") or None
        level = upload.options.get("level") or None
        page_too = not request.url.path.startswith("/api/")
        result, source, text_html = await pool.run(upload.name, "check", upload.data, upload.name, profile, level, page_too)
        return result, source, text_html, profile, level

    async def _unless_gone(request: Request, work_coro):
        """The work's value; Gone when the client hung up meanwhile (its worker is then freed,
        not left on a report nobody will read)."""
        task = asyncio.ensure_future(work_coro)
        while True:
            done, _ = await asyncio.wait({task}, timeout=0.5)
            if done:
                try:
                    return task.result()
                finally:
                    del task, done      # the task holds its exception, whose traceback holds this frame
            if await request.is_disconnected():
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
                raise Gone

    async def _checked_or_failure(request: Request):
        # a place is taken before the body is read: a full server reads no more uploads
        try:
            with pool.admit():
                return await _admitted(request)
        except Busy as e:
            return None, _busy(request, e)

    async def _admitted(request: Request):
        try:
            upload = await read_request(request)
        except Refused as e:
            return None, _failure(request, e.status, e.message)
        try:
            return (upload, *await _unless_gone(request, _check(request, upload))), None
        except Gone:
            return None, Response(status_code=499)
        except TooBig as e:
            return None, _failure(request, 413, e.message, upload.name, upload)
        except InputError as e:
            return None, _failure(request, 422, e.message, upload.name, upload)
        except ConfigError as e:        # a profile or level the configuration does not know
            return None, _failure(request, 422, str(e).replace("命令行选项 ", "检查方案或层级："), upload=upload)
        except Exception as e:  # noqa: BLE001 — the checker's bug
            return None, _failure(request, 500, f"内部错误（{type(e).__name__}），此文件未能检查；请将文件报告维护者",
                                  upload.name, upload)

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def desk(request: Request):
        return page(request)

    @app.post("/check", include_in_schema=False)
    async def check_page(request: Request):
        sid = request.cookies.get(sessions_mod.COOKIE)
        done, failure = await _checked_or_failure(request)
        if failure is not None:
            return failure
        upload, result, source, text_html, profile, level = done
        earlier = store.get(sid)
        compared = unrelated = None
        if earlier is not None and upload.options.get("compare") != "off":
            if baseline_mod.same_report(earlier.result, result):
                ran = {r.id for r in work.resolved(work.stage_run(profile, result), level).rules}
                baseline_mod.apply(result, baseline_mod.earlier_of(earlier.result), ran)
                compared = earlier.name
            else:
                unrelated = earlier.name
        if not store.known(sid):
            sid = store.new()
        store.save(sid, sessions_mod.Checked(result, source, upload.name, profile, level, compared, unrelated,
                                             text_html))
        response = RedirectResponse("/result", status_code=303)
        response.set_cookie(sessions_mod.COOKIE, sid, httponly=True, samesite="strict", path="/")
        return response

    @app.get("/result", response_class=HTMLResponse, include_in_schema=False)
    async def result_page(request: Request):
        checked = store.get(request.cookies.get(sessions_mod.COOKIE))
        if checked is None:
            return RedirectResponse("/", status_code=303)
        if checked.page is None:
            form = {"profile": checked.profile or "", "level": checked.level or ""}
            checked.page = page(request, checked=checked, form=form).body.decode("utf-8")
        return HTMLResponse(checked.page)

    @app.get("/static/{name}", include_in_schema=False)
    async def static_file(name: str):
        if name not in static:
            return _failure_plain(404)
        body, ctype = static[name]
        return Response(body, media_type=ctype, headers={"Cache-Control": "max-age=3600"})

    @app.get("/download/{what}", include_in_schema=False)
    async def download(request: Request, what: str):
        checked = store.get(request.cookies.get(sessions_mod.COOKIE))
        if checked is None:
            return page(request, 404, "没有可下载的检查结果：请先检查一份报告（结果只在本浏览器的这次会话中保留）")
        from ..render import render, to_json
        stem = Path(checked.name).stem or "报告"
        if what == "result.json":
            body, ctype, name = to_json([checked.result]), "application/json", f"{stem}-检查结果.json"
        elif what == "result.md":
            body, ctype, name = render(checked.result, "md", checked.source.lines), "text/markdown", f"{stem}-检查结果.md"
        elif what in ("checklist.docx", "checklist.html"):
            fmt = what.rsplit(".", 1)[1]
            try:
                with pool.admit():
                    body = await _unless_gone(request, pool.run(checked.name, "checklist", checked.result, checked.source,
                                                                work.stage_run(checked.profile, checked.result),
                                                                checked.level, fmt))
            except Gone:
                return Response(status_code=499)
            except Busy as e:
                return _busy(request, e)
            except InputError as e:
                return page(request, 422, f"核查清单未能生成：{e.message}", checked=checked)
            ctype = ("application/vnd.openxmlformats-officedocument.wordprocessingml.document" if fmt == "docx"
                     else "text/html")
            name = f"{stem}-核查清单.{fmt}"
        else:
            return page(request, 404, "没有这种下载")
        if isinstance(body, str):
            body, ctype = body.encode("utf-8"), ctype + "; charset=utf-8"
        return Response(body, media_type=ctype, headers={
            "Content-Disposition": f"attachment; filename=\"{quote(name)}\"; filename*=UTF-8''{quote(name)}"})

    @app.post("/api/check", summary="检查一份报告", response_description="与 fzcheck check --format json 相同的检查结果",
              openapi_extra={"requestBody": {"content": {
                  "multipart/form-data": {"schema": {"type": "object", "properties": {
                      "file": {"type": "string", "format": "binary", "description": "报告文件：.docx .doc .wps .pdf .html .txt"},
                      "profile": {"type": "string", "description": "draft（草稿）或 final（定稿），可带层级如 township/draft"},
                      "level": {"type": "string", "enum": list(LEVEL_NAMES), "description": "层级（默认从发文单位识别）"}}}},
                  "application/json": {"schema": {"type": "object", "required": ["text"], "properties": {
                      "text": {"type": "string", "description": "报告正文"},
                      "name": {"type": "string", "description": "结果中的 source（默认 粘贴的文本.txt）"},
                      "profile": {"type": "string"}, "level": {"type": "string"}}}}}}},
              responses={413: {"description": "文件过大"}, 415: {"description": "请求格式不支持"},
                         422: {"description": "文件无法读取（原因同命令行），或检查方案、层级写错"},
                         503: {"description": "服务器正忙，请稍后再试"}})
    async def api_check(request: Request):
        done, failure = await _checked_or_failure(request)
        if failure is not None:
            return failure
        from ..render import to_json
        return Response(to_json([done[1]]), media_type="application/json")

    @app.get("/api/rules", summary="规则列表", response_description="每条规则：编号、级别、标题、依据、示例")
    async def api_rules():
        from ..render.rules import rule_dict
        return JSONResponse([rule_dict(r) for r in work.resolved(None, None).rules])

    @app.get("/api/health", summary="服务状态", response_description="status、版本、工作进程数、正在检查和等待的请求数")
    async def api_health():
        return {"status": "ok", "version": __version__, "workers": pool.size, "busy": pool.working,
                "waiting": pool.waiting, "sessions": len(store)}

    @app.get("/api", response_class=HTMLResponse, include_in_schema=False)
    async def api_page(request: Request):
        from ..render import env
        return HTMLResponse(env("html").get_template("api.html.j2").render(
            spec=app.openapi(), base=str(request.base_url).rstrip("/")))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, e: StarletteHTTPException):
        said = {404: "没有这个地址", 405: "此地址不接受这种请求方法"}.get(e.status_code, f"请求无法处理（HTTP {e.status_code}）")
        return _failure(request, e.status_code, said)

    def _failure_plain(status: int):
        return Response("没有这个文件".encode("utf-8"), status_code=status, media_type="text/plain; charset=utf-8")

    return app


class Guard:
    """The server's door, as plain ASGI (Starlette's BaseHTTPMiddleware would hide a client's
    hanging up from the routes): requests refused before any route (`refusal`), the security
    headers on every response, a route's crash answered by `crashed`, never with a trace."""

    def __init__(self, app, refusal, crashed):
        self.app, self.refusal, self.crashed = app, refusal, crashed

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        from starlette.datastructures import MutableHeaders
        started = False

        async def with_headers(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = MutableHeaders(scope=message)
                for k, v in HEADERS.items():
                    if k not in headers:
                        headers[k] = v
            await send(message)

        request = Request(scope)
        refused = self.refusal(request)
        if refused is not None:
            return await refused(scope, receive, with_headers)
        try:
            await self.app(scope, receive, with_headers)
        except Exception:  # noqa: BLE001 — a bug of the server: said, never shown as a trace
            if not started:
                await self.crashed(request)(scope, receive, with_headers)


class Gone(Exception):
    """The client hung up before its report was checked."""
