"""``cncf-adventure record PAGE...``: ``run``, keeping the run's recording where you say.

Every journey records itself in ``.adventure/journey.cast``; ``record`` takes the part this
run added and writes it, times starting at zero, to ``--output`` (an asciicast v2 file for
``asciinema play FILE``, ``asciinema upload FILE`` or the asciinema web player).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tutorial.commands import run
from tutorial.commands.common import CommandError
from tutorial.commands.workspace import choose
from tutorial.shell.recording import FILE_NAME, excerpt
from tutorial.shell.statedir import STATE_DIR


def add_arguments(parser: argparse.ArgumentParser) -> None:
    run.add_arguments(parser)
    parser.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        type=Path,
        default=Path("adventure.cast"),
        help="where to keep the recording (default: adventure.cast in the current directory)",
    )


def execute(args: argparse.Namespace) -> int:
    if args.dry_run:
        raise CommandError("record runs the steps; --dry-run records nothing")
    output: Path = args.output.expanduser().resolve()
    journal = choose(args.workdir, Path.cwd(), Path.home()) / STATE_DIR / FILE_NAME  # where `run` works
    start = journal.stat().st_size if journal.is_file() else 0
    status = run.execute(args)
    if status == 2 or not journal.is_file():  # nothing ran
        return status
    try:
        count = excerpt(journal, start, output)
    except (OSError, ValueError) as error:
        raise CommandError(f"{output}: cannot keep the recording: {error}") from error
    where = sys.stdout if args.format == "text" else sys.stderr
    print(f"recording: {output} ({count} events; play it with `asciinema play {output}`)", file=where)
    return status
