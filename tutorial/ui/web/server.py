"""``cncf-adventure serve``: one app process per browser session, each in its own work directory.

textual-serve runs a command per websocket and relays the app's screen to xterm.js in the
page. This server adds what a shared workshop machine needs: the access rules of
:mod:`tutorial.ui.web.access`, and a session cookie naming the work directory
``SESSIONS/<id>/`` of the browser, so a reload (or a lost connection) reopens the same journey
with its progress. One browser session runs one app at a time: a new connection stops the
previous app of the same session before starting another (the journey's work directory is
used by one process at a time).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import secrets
import shlex
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp_jinja2
from aiohttp import web
from textual_serve.app_service import AppService
from textual_serve.server import Server

from tutorial.ui.web import access

SESSION_COOKIE = "adventure_session"
_SESSION_ID = re.compile(r"[0-9a-f]{32}")
_STOP_TIMEOUT = 10.0
log = logging.getLogger("cncf-adventure.serve")


class AdventureServer(Server):
    """textual-serve's server, with access control and a work directory per browser session."""

    def __init__(
        self,
        app_arguments: list[str],
        sessions: Path,
        *,
        host: str,
        port: int,
        token: str | None,
        title: str,
        public_url: str | None = None,
    ) -> None:
        super().__init__(shlex.join(app_arguments), host=host, port=port, title=title, public_url=public_url)
        self.app_arguments = app_arguments
        self.sessions = sessions
        self.token = token
        self._given_public_url = public_url
        self._running: dict[str, AppService] = {}

    async def _make_app(self) -> web.Application:
        app = await super()._make_app()
        secure = bool(self._given_public_url and self._given_public_url.startswith("https:"))
        app.middlewares.append(access.middleware(self.token, secure_cookie=secure))
        return app

    async def on_startup(self, app: web.Application) -> None:
        """textual-serve prints a logo here; the command prints the address with its token instead."""

    async def on_shutdown(self, app: web.Application) -> None:
        await asyncio.gather(*(self._stop(service) for service in list(self._running.values())))

    def _base_url(self, request: web.Request) -> str:
        """Where the browser reached us (so a server bound to 0.0.0.0 works from any address)."""
        return self._given_public_url or f"{request.scheme}://{request.host}"

    async def handle_index(self, request: web.Request) -> web.Response:
        base = self._base_url(request)
        static = request.app.router["static"].url_for(filename="/")
        websocket = ("wss:" if base.startswith("https:") else "ws:") + base.split(":", 1)[1] + "/ws"
        font_size = request.query.get("fontsize", "16")
        context: dict[str, Any] = {
            "font_size": int(font_size) if font_size.isdigit() else 16,
            "app_websocket_url": websocket,
            "config": {"static": {"url": f"{base}{static}".rstrip("/") + "/"}},
            "application": {"name": self.title},
        }
        response = aiohttp_jinja2.render_template("app_index.html", request, context)
        response.headers["Cache-Control"] = "no-store"
        if _session_of(request) is None:
            response.set_cookie(
                SESSION_COOKIE,
                secrets.token_hex(16),
                httponly=True,
                samesite="Strict",
                path="/",
                max_age=30 * 86400,
                secure=base.startswith("https:"),
            )
        return response

    def workdir(self, session: str) -> Path:
        """The work directory of one browser session, made (private to the user) when first needed."""
        self.sessions.mkdir(parents=True, exist_ok=True, mode=0o700)
        folder = self.sessions / session
        folder.mkdir(exist_ok=True, mode=0o700)
        return folder

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        session = _session_of(request)
        if session is None:
            raise web.HTTPBadRequest(text="open the page first: it gives the browser its session\n")
        previous = self._running.pop(session, None)
        if previous is not None:  # a reload: the old app leaves the work directory first
            await self._stop(previous)
        websocket = web.WebSocketResponse(heartbeat=15)
        width = _number(request.query.get("width"), 80)
        height = _number(request.query.get("height"), 24)
        command = shlex.join([*self.app_arguments, "--workdir", str(self.workdir(session))])
        service: AppService | None = None
        try:
            await websocket.prepare(request)
            service = AppService(
                command,
                write_bytes=websocket.send_bytes,
                write_str=websocket.send_str,
                close=_closer(websocket),
                download_manager=self.download_manager,
                debug=self.debug,
            )
            self._running[session] = service
            await service.start(width, height)
            await self._process_messages(websocket, service)
        except asyncio.CancelledError:
            await websocket.close()
        except Exception:  # textual-serve's own handler logs and carries on, as here
            log.exception("session %s", session)
        finally:
            if service is not None:
                if self._running.get(session) is service:
                    del self._running[session]
                await self._stop(service)
        return websocket

    async def _stop(self, service: AppService) -> None:
        """Ask the app to quit; kill it if it does not within a few seconds."""
        try:
            await asyncio.wait_for(service.stop(), _STOP_TIMEOUT)
        except TimeoutError:
            process = service._process
            if process is not None and process.returncode is None:
                with contextlib.suppress(ProcessLookupError):
                    process.kill()
                await process.wait()


def _closer(websocket: web.WebSocketResponse) -> Callable[[], Awaitable[None]]:
    async def close() -> None:
        await websocket.close()

    return close


def _session_of(request: web.Request) -> str | None:
    value = request.cookies.get(SESSION_COOKIE, "")
    return value if _SESSION_ID.fullmatch(value) else None


def _number(text: str | None, default: int) -> int:
    return int(text) if text is not None and text.isdigit() and 0 < int(text) < 1000 else default


def app_command(manuscript: Path, start: list[str]) -> list[str]:
    """The command that opens the app on ``manuscript`` (its ``--workdir`` is added per session)."""
    command = [sys.executable, "-m", "tutorial", "--manuscript", str(manuscript)]
    for page in start:
        command += ["--start", page]
    return command
