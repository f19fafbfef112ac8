"""Who may use a served adventure: an access token, and pages only from the server's own origin.

Every browser session runs shell commands on the host, so a server reachable from other
machines demands a token. It is carried once in the URL (``/?token=...``), then kept in a
cookie (``HttpOnly``, ``SameSite=Strict``), or typed into the page the server answers with.
Without it every request gets 403 and nothing is started. Whatever the address, the
websocket that drives an app only accepts pages of the server itself (its ``Origin``), so a
web site open in another tab cannot type into a reader's session.
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

from aiohttp import web
from aiohttp.typedefs import Middleware

TOKEN_COOKIE = "adventure_token"
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


def is_loopback(host: str) -> bool:
    """Whether only this machine can reach ``host`` (127.0.0.0/8, ::1, localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def new_token() -> str:
    return secrets.token_urlsafe(24)


def _matches(given: str | None, token: str) -> bool:
    return given is not None and hmac.compare_digest(given.encode(), token.encode())


def _ask_for_token(wrong: bool) -> web.Response:
    """403, with a form that asks for the token (the page a reader without the link sees)."""
    note = "<p class=wrong>That is not the token.</p>" if wrong else ""
    page = f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>cncf-adventure: access token needed</title>
<style>body{{font-family:sans-serif;background:#0c181f;color:#eee;display:flex;justify-content:center;
padding-top:20vh}} input{{font-size:1.1em;width:22em}} .wrong{{color:#f77}}</style></head>
<body><form method="get" action="/"><h1>Access token needed</h1>
<p>This adventure runs commands on its host. Enter the token printed when the server started.</p>
{note}<p><input name="token" type="password" autofocus autocomplete="off">
<button type="submit">Open</button></p></form></body></html>"""
    return web.Response(status=403, text=page, content_type="text/html")


def same_origin(request: web.Request) -> bool:
    """A browser's request from a page of this server (or a client that sends no ``Origin``)."""
    origin = request.headers.get("Origin")
    if origin is None:
        return True
    return urlsplit(origin).netloc.lower() == request.host.lower()


def middleware(token: str | None, *, secure_cookie: bool = False) -> Middleware:
    """The aiohttp middleware that enforces the token (``None``: no token) and the websocket's origin."""

    @web.middleware
    async def guard(request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.path == "/ws" and not same_origin(request):
            return web.Response(status=403, text="cross-origin websocket refused\n")
        if token is None:
            return await handler(request)
        given = request.query.get("token")
        if given is not None:
            if not _matches(given, token):
                return _ask_for_token(wrong=True)
            query = {k: v for k, v in request.query.items() if k != "token"}
            response = web.HTTPFound(request.rel_url.with_query(query))  # the token leaves the address bar
            response.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="Strict", secure=secure_cookie, path="/")
            return response
        if _matches(request.cookies.get(TOKEN_COOKIE), token):
            return await handler(request)
        if request.path == "/":
            return _ask_for_token(wrong=False)
        return web.Response(status=403, text="access token needed\n")

    return guard
