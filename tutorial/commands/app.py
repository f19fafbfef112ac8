"""``cncf-adventure`` with no subcommand: the app. Textual is imported only here."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from tutorial.commands.common import CommandError, fail, manuscript_from
from tutorial.commands.workspace import workdir_from
from tutorial.manuscript.background import BackgroundRead, spare_core
from tutorial.manuscript.locate import ManuscriptError, discover

if TYPE_CHECKING:
    from tutorial.manuscript.first_look import FirstLook
    from tutorial.manuscript.model import Manuscript


def execute(args: argparse.Namespace) -> int:
    look = _first_look(args)
    manuscript: Manuscript | Callable[[], Manuscript]
    if look is None:
        manuscript = manuscript_from(args)  # a CommandError ends the command with status 2
    else:  # the start page is painted first; the rest is read while the reader reads it

        def manuscript() -> Manuscript:
            try:
                return manuscript_from(args)
            except CommandError as error:
                raise ManuscriptError(str(error)) from error

    served = os.environ.get("TEXTUAL_DRIVER", "").startswith("textual.drivers.web_driver")  # `serve`
    if not served and (not sys.stdin.isatty() or not sys.stdout.isatty()):
        return fail("the app needs a terminal; for scripts and CI, use `cncf-adventure run PAGE...`")
    workdir = workdir_from(args.workdir)  # created only once the app will really start
    if callable(manuscript) and spare_core():  # read on the other core, from now on (before any thread)
        manuscript = BackgroundRead(manuscript).result
    from tutorial.ui.app import AdventureApp

    app = AdventureApp(manuscript, workdir, start=args.start, first_look=look)
    try:
        app.run()
    finally:  # however the app ended, the shell and what it started end with it
        if app.journey is not None:
            app.journey.close()
    if app.return_code:
        return app.return_code
    return 0


def _first_look(args: argparse.Namespace) -> FirstLook | None:
    """The top of the page named by ``--start``, or None (no --start, or a problem the full reading reports)."""
    start = getattr(args, "start", None)
    if not start:
        return None
    try:
        root, _bundled = discover(getattr(args, "manuscript", None))
    except ManuscriptError:
        return None
    from tutorial.manuscript.first_look import first_look

    return first_look(root, start[0])
