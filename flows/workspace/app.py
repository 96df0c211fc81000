"""The workspace web app: the latest report with editing controls beside every theme and quote.

GET / renders the latest run with the edit log replayed (no clustering: an edit shows at once);
POST /api/edits adds one edit. Every write carries the page's CSRF token (a header a page from
another origin cannot set) and is checked like `voc theme ...` (flows.workspace.session); the Host
header must name this server (no DNS rebinding); all text is escaped by the templates' autoescaping
and the page's script only ever sets text. A Content-Security-Policy lets only this page's own
scripts run.
"""

from __future__ import annotations

import hmac
import json
import secrets
from html import escape
from pathlib import Path
from urllib.parse import urlsplit

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response

from flows.workspace.session import NoRun, Session
from nlp.report.writers import asset, report_page
from nlp.settings import Settings
from nlp.workspace.page import workspace_page
from nlp.workspace.validate import EditError

MAX_BODY = 256 * 1024   # an edit is a few ids and a label; a split of many quotes stays far below
MAX_TARGETS = 5000
REPORT_FILES = {"report.md": "text/markdown; charset=utf-8", "themes.json": "application/json",
                "quotes.csv": "text/csv; charset=utf-8"}
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")


def content_policy(nonce: str) -> str:
    return ("default-src 'none'; "
            f"script-src 'nonce-{nonce}'; style-src 'unsafe-inline'; img-src 'self' data:; media-src 'self'; "
            "connect-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'")


class Workspace:
    """The app's state: the session (which memoises the view), the CSRF token and the recordings
    its play buttons may fetch."""

    def __init__(self, settings: Settings, author: str = ""):
        self.session = Session(settings, author)
        self.csrf = secrets.token_urlsafe(32)
        self.recordings: list[str] = []

    def page(self, nonce: str) -> str:
        view = self.session.view()
        recordings = sorted({q.recording for q in view.quotes})
        self.recordings = recordings
        index = {r: n for n, r in enumerate(recordings)}
        page = workspace_page(view, self.csrf, nonce, asset("workspace.css"), asset("workspace.js"))
        return report_page(view.doc, view.quotes, view.people, view.history, lambda r: f"audio/{index[r]}",
                           workspace=page)


def create_app(settings: Settings, author: str = "", host: str = "127.0.0.1", port: int = 0) -> FastAPI:
    state = Workspace(settings, author)
    names = set(LOOPBACK_NAMES) | {host}
    app = FastAPI(title="voc workspace", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.workspace = state

    @app.middleware("http")
    async def guard(request: Request, call_next):
        if urlsplit("//" + request.headers.get("host", "")).hostname not in names:
            return JSONResponse({"error": f"this workspace answers to {', '.join(sorted(names))} only"}, 421)
        response = await call_next(request)
        response.headers.update({"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY",
                                 "Referrer-Policy": "no-referrer", "Cache-Control": "no-store"})
        return response

    @app.get("/", response_class=HTMLResponse)
    def page() -> Response:
        nonce = secrets.token_urlsafe(16)
        try:
            html = state.page(nonce)
        except NoRun as exc:
            html = (f"<!doctype html><meta charset=utf-8><title>voc workspace</title><h1>voc workspace</h1>"
                    f"<p>{escape(str(exc))}</p>")
        return HTMLResponse(html, headers={"Content-Security-Policy": content_policy(nonce)})

    @app.get("/api/edits")
    def list_edits() -> JSONResponse:
        return JSONResponse(state.session.listing())

    @app.post("/api/edits")
    async def add_edit(request: Request) -> JSONResponse:
        if not hmac.compare_digest(request.headers.get("x-csrf-token", ""), state.csrf):
            return JSONResponse({"error": "missing or wrong CSRF token: reload the workspace page"}, 403)
        origin = request.headers.get("origin")
        if origin is not None and origin.split("://", 1)[-1] != request.headers.get("host"):
            return JSONResponse({"error": "edits come from the workspace page itself"}, 403)
        if request.headers.get("content-type", "").split(";")[0].strip() != "application/json":
            return JSONResponse({"error": "send the edit as application/json"}, 415)
        body = await request.body()
        if len(body) > MAX_BODY:
            return JSONResponse({"error": f"an edit is at most {MAX_BODY} bytes"}, 413)
        try:
            action, targets, payload = parse_edit(body)
        except ValueError as exc:
            return JSONResponse({"error": str(exc)}, 400)
        from starlette.concurrency import run_in_threadpool

        try:
            edit = await run_in_threadpool(state.session.edit, action, targets, payload)
        except EditError as exc:
            return JSONResponse({"error": str(exc)}, 409 if isinstance(exc, NoRun) else 400)
        message = f"Edit {edit.id}: {edit.describe()}."
        return JSONResponse({"id": edit.id, "message": message, "new_id": edit.payload.get("new_id")}, 201)

    @app.get("/{name}")
    def report_file(name: str) -> Response:
        """The latest run's files, as the report's footer links them (the run's own, edits since not in them)."""
        if name not in REPORT_FILES or not (state.session.latest / name).is_file():
            return JSONResponse({"error": f"not found; the workspace serves {', '.join(REPORT_FILES)}"}, 404)
        return FileResponse(state.session.latest / name, media_type=REPORT_FILES[name])

    @app.get("/audio/{number}")
    def audio(number: int) -> Response:
        if not state.recordings:
            state.page(secrets.token_urlsafe(8))
        if not 0 <= number < len(state.recordings) or not Path(state.recordings[number]).is_file():
            return JSONResponse({"error": "no such recording"}, 404)
        return FileResponse(state.recordings[number])

    return app


def parse_edit(body: bytes) -> tuple[str, list[str], dict]:
    """{"action": str, "targets": [str], "payload": {str: str}} -> its parts; ValueError otherwise."""
    try:
        data = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        raise ValueError("the edit is not JSON") from None
    if not isinstance(data, dict) or not isinstance(data.get("action"), str):
        raise ValueError('an edit is {"action": ..., "targets": [...], "payload": {...}}')
    targets = data.get("targets", [])
    payload = data.get("payload", {}) or {}
    if not isinstance(targets, list) or len(targets) > MAX_TARGETS or not all(isinstance(t, (str, int)) for t in targets):
        raise ValueError(f"targets must be a list of at most {MAX_TARGETS} ids")
    if not isinstance(payload, dict) or not all(isinstance(v, (str, type(None))) for v in payload.values()):
        raise ValueError("payload must map names to text")
    return data["action"], [str(t) for t in targets], payload
