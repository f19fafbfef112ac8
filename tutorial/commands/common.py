"""What the subcommands share: opening the manuscript and reporting fatal errors."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from tutorial.manuscript.locate import ManuscriptError

if TYPE_CHECKING:
    from tutorial.manuscript.model import Manuscript


class CommandError(Exception):
    """A usage, manuscript or settings error: printed on stderr, exit status 2, nothing run.

    Raised anywhere in a command; ``cli.main`` reports it.
    """


def fail(message: str) -> int:
    print(f"cncf-adventure: error: {message}", file=sys.stderr)
    return 2


def manuscript_from(args: argparse.Namespace) -> Manuscript:
    """Open the manuscript the options point at; raise CommandError if it cannot be read."""
    from tutorial.manuscript.loader import open_manuscript  # the parser: only once a command reads pages

    start = getattr(args, "start", None) or ()
    try:
        manuscript = open_manuscript(getattr(args, "manuscript", None), start=start)
    except ManuscriptError as error:
        raise CommandError(str(error)) from error
    missing = [p for p in start if p not in manuscript.pages]
    if missing:
        raise CommandError(f"{manuscript.root}: --start names no page of the manuscript: {', '.join(missing)}")
    return manuscript
