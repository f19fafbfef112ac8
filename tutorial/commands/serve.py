"""``cncf-adventure serve``: the app in a web browser, one app and one work directory per browser session.

For workshops: the host runs one server, each attendee opens the address. Bound to
127.0.0.1 by default. Any other address needs an access token (printed at start; ``--token``
or ``ADVENTURE_SERVE_TOKEN`` chooses it), since every session runs shell commands.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from tutorial.commands.common import CommandError, manuscript_from

TOKEN_VARIABLE = "ADVENTURE_SERVE_TOKEN"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1", help="the address to listen on (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="the port to listen on (default: 8000)")
    parser.add_argument(
        "--sessions",
        metavar="DIR",
        type=Path,
        default=Path("adventure-sessions"),
        help="the folder that holds one work directory per browser session (default: ./adventure-sessions)",
    )
    parser.add_argument(
        "--token",
        help=f"the access token (default: ${TOKEN_VARIABLE}, else a new random one when not bound to a loopback"
        " address); prefer the variable: a command line is visible to every user of the machine",
    )
    parser.add_argument(
        "--public-url",
        metavar="URL",
        help="the address browsers use when it is not the one they reach the server by (behind a proxy)",
    )


def execute(args: argparse.Namespace) -> int:
    try:
        from tutorial.ui.web import access
        from tutorial.ui.web.server import AdventureServer, app_command
    except ImportError as error:  # textual-serve is an optional part of some installs
        raise CommandError(f"serve needs textual-serve ({error}); pip install textual-serve") from error

    manuscript = manuscript_from(args)  # read once here: a broken manuscript fails now, not per browser
    token = args.token or os.environ.pop(TOKEN_VARIABLE, None)  # the apps' shells never see it
    loopback = access.is_loopback(args.host)
    if not loopback and token is None:
        token = access.new_token()
    if token is not None and len(token) < 16:
        raise CommandError("the access token must be at least 16 characters long")
    if not 0 < args.port < 65536:
        raise CommandError(f"--port {args.port}: not a port number")
    sessions = args.sessions.expanduser().resolve()
    server = AdventureServer(
        app_command(manuscript.root, list(args.start or [])),
        sessions,
        host=args.host,
        port=args.port,
        token=token,
        title=manuscript.title or "cncf-adventure",
        public_url=args.public_url,
    )
    shown_host = args.host if ":" not in args.host else f"[{args.host}]"
    address = args.public_url or f"http://{shown_host}:{args.port}"
    print(f"serving {manuscript.title or manuscript.root} on {address}/", flush=True)
    if token is not None:
        print(f"access token: {token}\nopen {address}/?token={token}", flush=True)
    if not loopback:
        print("anyone who has the token can run the adventure's commands on this machine", file=sys.stderr)
    print(f"each browser session works in its own folder under {sessions}; Ctrl+C stops the server", flush=True)
    server.serve()
    return 0
