"""``cncf-adventure`` with no subcommand: the app. Textual is imported only here."""

from __future__ import annotations

import argparse
import functools
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from tutorial import collector
from tutorial.commands.common import CommandError, fail, manuscript_from
from tutorial.commands.workspace import workdir_from
from tutorial.manuscript.background import BackgroundRead, spare_core
from tutorial.manuscript.locate import ManuscriptError, discover

if TYPE_CHECKING:
    from rich.segment import Segment

    from tutorial.manuscript.first_look import FirstLook
    from tutorial.manuscript.model import Manuscript
    from tutorial.ui.rendered_markdown import Shape

    Ahead = tuple[str, Shape, list[Segment]]  # prose, the shape it was rendered at, its segments


def execute(args: argparse.Namespace) -> int:
    collector.pause()  # the app resumes it once its first chapter is shown
    try:
        return _launch(args)
    finally:
        collector.resume()


def _launch(args: argparse.Namespace) -> int:
    child = _child_reading(args)
    if child is not None:
        import tutorial.ui.app  # noqa: F401 - Textual, while the child reads the start page or the manuscript

        look = _looked_ahead(child, args) if getattr(args, "start", None) else None
    else:
        look = _first_look(args)
    manuscript: Manuscript | Callable[[], Manuscript]
    if look is None:  # a CommandError ends the command with status 2
        manuscript = _manuscript_now(child) if child is not None else manuscript_from(args)
    elif child is not None:
        manuscript = child.result
    else:  # the start page is painted first; the rest is read while the reader reads it
        manuscript = _reader(args)
    if not _has_terminal():
        return fail("the app needs a terminal; for scripts and CI, use `cncf-adventure run PAGE...`")
    workdir = workdir_from(args.workdir)  # created only once the app will really start
    from tutorial.ui.app import AdventureApp

    app = AdventureApp(manuscript, workdir, start=args.start, first_look=look)
    collector.freeze()  # what the program is made of (modules, classes) is never walked again
    try:
        app.run()
    finally:  # however the app ended, the shell and what it started end with it
        if app.journey is not None:
            app.journey.close()
    if app.return_code:
        return app.return_code
    return 0


def _has_terminal() -> bool:
    served = os.environ.get("TEXTUAL_DRIVER", "").startswith("textual.drivers.web_driver")  # `serve`
    return served or (sys.stdin.isatty() and sys.stdout.isatty())


def _reader(args: argparse.Namespace) -> Callable[[], Manuscript]:
    """A function that reads the manuscript, raising ManuscriptError (what the app reports) for any problem."""

    def manuscript() -> Manuscript:
        try:
            return manuscript_from(args)
        except CommandError as error:
            raise ManuscriptError(str(error)) from error

    return manuscript


def _child_reading(args: argparse.Namespace) -> BackgroundRead | None:
    """With a terminal and a second core: a child that reads the manuscript while this process imports Textual.

    With ``--start``, the child first reads the start page and renders its prose for this
    terminal: the first frame needs neither the Markdown parser nor the YAML reader here.
    Without it, the start screen needs the manuscript: it is read meanwhile, not after.
    """
    if not _has_terminal() or not spare_core():
        return None
    if not getattr(args, "start", None):
        return BackgroundRead(_reader(args))
    try:
        size: os.terminal_size | None = os.get_terminal_size(sys.stdout.fileno())
    except OSError:  # served in a browser: its size is not known yet
        size = None
    return BackgroundRead(_reader(args), ahead=functools.partial(_look_ahead, args, size))


def _look_ahead(args: argparse.Namespace, size: os.terminal_size | None) -> tuple[FirstLook | None, list[Ahead]]:
    """The start page's first look, and its prose rendered as the app will render it on a terminal of ``size``."""
    look = _first_look(args)
    if look is None or size is None:
        return look, []
    from tutorial.ui.geometry import prose_width
    from tutorial.ui.rendered_markdown import app_console, render_ahead

    shape, segments = render_ahead(look.prose, app_console(size.columns, size.lines), prose_width(size.columns))
    return look, [(look.prose, shape, segments)]


def _looked_ahead(child: BackgroundRead, args: argparse.Namespace) -> FirstLook | None:
    """The first look the child sent, its renderings handed to the prose they render; or worked out here."""
    answer = child.ahead()
    if not (isinstance(answer, tuple) and len(answer) == 2):
        return _first_look(args)
    look, renderings = cast("tuple[FirstLook | None, list[Ahead]]", answer)
    from tutorial.ui.rendered_markdown import keep_ahead

    for markdown, shape, segments in renderings:
        keep_ahead(markdown, shape, segments)
    return look


def _manuscript_now(child: BackgroundRead) -> Manuscript:
    try:
        return child.result()
    except ManuscriptError as error:
        raise CommandError(str(error)) from error


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
