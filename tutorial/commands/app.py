"""``cncf-adventure`` with no subcommand: the app. Textual is imported only here."""

from __future__ import annotations

import argparse
import os
import sys

from tutorial.commands.common import fail, manuscript_from
from tutorial.commands.workspace import workdir_from


def execute(args: argparse.Namespace) -> int:
    manuscript = manuscript_from(args)  # a CommandError ends the command with status 2
    served = os.environ.get("TEXTUAL_DRIVER", "").startswith("textual.drivers.web_driver")  # `serve`
    if not served and (not sys.stdin.isatty() or not sys.stdout.isatty()):
        return fail("the app needs a terminal; for scripts and CI, use `cncf-adventure run PAGE...`")
    workdir = workdir_from(args.workdir)  # created only once the app will really start
    from tutorial.ui.app import AdventureApp

    app = AdventureApp(manuscript, workdir, start=args.start)
    try:
        app.run()
    finally:  # however the app ended, the shell and what it started end with it
        if app.journey is not None:
            app.journey.close()
    if app.return_code:
        return app.return_code
    return 0
