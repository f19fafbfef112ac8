"""The ``cncf-adventure`` command: the app by default, and headless subcommands for CI.

Each subcommand lives in :mod:`tutorial.commands` and is imported only when used, and
Textual is imported only when the app is launched, so ``lint`` and ``run`` start fast.
"""

from __future__ import annotations

import argparse
import atexit
import importlib
import os
import sys
import threading
from collections.abc import Sequence
from types import ModuleType
from typing import NoReturn

from tutorial import __version__, collector

#: subcommand name -> (module in tutorial.commands, one-line help)
SUBCOMMANDS: dict[str, tuple[str, str]] = {
    "run": ("run", "run the steps of pages headlessly, in one shell session"),
    "record": ("record", "run pages like `run`, and keep an asciinema recording of the run"),
    "serve": ("serve", "serve the app to web browsers: one app and one work directory per browser session"),
    "lint": ("lint", "report broken links, unreachable pages and other problems of a manuscript"),
    "map": ("map", "show the adventure's pages and choices as a tree, Mermaid or JSON"),
    "doctor": ("doctor", "check the prerequisites of pages: tools, the Docker engine, a cluster"),
    "reset": ("reset", "forget the saved progress (keeps the rest of settings.yaml)"),
}

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """Usage errors exit with 2, as the rest of the manuscript and settings errors do."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def add_manuscript_options(parser: argparse.ArgumentParser, *, suppress: bool = True) -> None:
    """``--manuscript`` and ``--start``, shared by the app and the subcommands."""
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument(
        "--manuscript",
        metavar="DIR|URL",
        default=default,
        help="the manuscript folder (default: ./manuscript when present, else the bundled adventure), or the URL"
        " of a git repository whose manuscript/ folder to use (cloned once into a cache folder)",
    )
    parser.add_argument(
        "--ref",
        metavar="BRANCH|TAG",
        default=default,
        help="with --manuscript URL: the branch or tag to use (default: the repository's default branch)",
    )
    parser.add_argument(
        "--refresh",
        action="store_true",
        default=default if suppress else False,
        help="with --manuscript URL: clone the repository again instead of reusing the cached clone",
    )
    parser.add_argument(
        "--start",
        metavar="PAGE",
        action="append",
        default=default,
        help="start at PAGE instead of the manuscript's entry points (repeatable)",
    )


def add_workdir_option(parser: argparse.ArgumentParser, *, suppress: bool = True) -> None:
    parser.add_argument(
        "--workdir",
        metavar="DIR",
        default=argparse.SUPPRESS if suppress else None,
        help="where the steps run and settings.yaml and .adventure/ are kept (default: the current directory "
        "when it holds ./manuscript or .adventure/, else ~/cncf-adventure)",
    )


def build_parser(argv: Sequence[str]) -> argparse.ArgumentParser:
    """The parser for ``argv``: only the subcommands ``argv`` names get their options.

    A subcommand's options come from its module, and a module brings its imports: the app's
    start (no subcommand) and a ``run`` do not pay for loading every other command.
    """
    named = set(argv)
    parser = _Parser(
        prog="cncf-adventure",
        description="Walk a choose-your-own-adventure cloud-native tutorial: run each step, "
        "check that it worked, choose the next chapter, and pick up where you left off.",
        epilog="Run without a subcommand to open the app. 'cncf-adventure COMMAND --help' explains a command.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    add_manuscript_options(parser, suppress=False)
    add_workdir_option(parser, suppress=False)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name, (module, summary) in SUBCOMMANDS.items():
        sub = commands.add_parser(name, help=summary, description=summary[0].upper() + summary[1:] + ".")
        add_manuscript_options(sub)
        if name in named:
            _command(module).add_arguments(sub)
    return parser


def _command(module: str) -> ModuleType:
    return importlib.import_module(f"tutorial.commands.{module}")


def _clone_manuscript(args: argparse.Namespace) -> None:
    """``--manuscript URL``: clone (or reuse) the repository, and point ``--manuscript`` at its folder."""
    from tutorial.commands.common import CommandError
    from tutorial.manuscript.locate import ManuscriptError, is_remote

    spec = args.manuscript
    if spec is None or not is_remote(str(spec)):
        if args.ref or args.refresh:
            raise CommandError("--ref and --refresh go with --manuscript URL (a git repository)")
        return
    from tutorial.manuscript import remote  # (git, the cache: only for a URL)

    try:
        clone = remote.checkout(str(spec), args.ref or "", refresh=args.refresh)
    except ManuscriptError as error:
        raise CommandError(str(error)) from error
    print(f"cncf-adventure: {clone.describe()}", file=sys.stderr)
    args.manuscript = str(clone.manuscript)


#: commands whose start (imports, the manuscript parsed, the shell started) runs without the
#: garbage collector, which they resume when their real work starts (see tutorial.collector)
_COLLECTED_LATER = frozenset({None, "run"})


#: commands that close what they opened (files, the shell and its processes, the work
#: directory's lock) before they return: the program then leaves without tearing itself down
_LEAVE_AT_ONCE = frozenset({"run"})
_returned: str | None = None  # the command that returned (see program)


def program() -> NoReturn:
    """The ``cncf-adventure`` program (the console script, ``python -m tutorial``): :func:`main`, then out."""
    code = main()
    if _returned in _LEAVE_AT_ONCE:
        leave_at_once(code)
    raise SystemExit(code)


def leave_at_once(code: int) -> NoReturn:
    """Exit without freeing the interpreter's objects one by one: 5 ms after a ``run``, for nothing.

    What an ordinary exit does that matters is done first: the standard streams are flushed
    and the exit handlers run. A stream that cannot be flushed (a reader gone, ``| head``) or a
    thread an ordinary exit would wait for make it an ordinary exit, and so does a profiler or
    a debugger (``python -m cProfile -m tutorial run ...`` writes its figures after the program).
    """
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        raise SystemExit(code) from None
    current = threading.current_thread()
    if any(t is not current and t.is_alive() and not t.daemon for t in threading.enumerate()):
        raise SystemExit(code)
    if (
        sys.getprofile() is not None or sys.gettrace() is not None
    ):  # a profiler or a debugger writes its report on the way out
        raise SystemExit(code)
    atexit._run_exitfuncs()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        raise SystemExit(code) from None
    os._exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    collector.pause()
    try:
        return _main(argv)
    except KeyboardInterrupt:  # also while the command loads and reads its arguments
        print("\ninterrupted", file=sys.stderr)
        return 130
    finally:
        collector.resume()


def _main(argv: Sequence[str] | None) -> int:
    from tutorial.commands.common import CommandError, fail

    words = list(sys.argv[1:] if argv is None else argv)
    args = build_parser(words).parse_args(words)
    if args.command not in _COLLECTED_LATER:
        collector.resume()
    try:
        _clone_manuscript(args)
        if args.command is None:
            from tutorial.commands import app

            return int(app.execute(args))
        code = int(_command(SUBCOMMANDS[args.command][0]).execute(args))
    except CommandError as error:  # usage, manuscript or settings problem: said once, here
        return fail(str(error))
    except BrokenPipeError:  # `cncf-adventure map | head`
        sys.stderr.close()
        return EXIT_OK
    except OSError as error:  # a full disk, a folder gone read-only: the file and why, not a traceback
        from tutorial.oserrors import described

        return fail(described(error))
    except Exception as error:
        session = sys.modules.get("tutorial.shell.session")  # (loaded if it could have raised this)
        if session is not None and isinstance(error, session.SessionError):  # the shell cannot start
            return fail(str(error))
        raise
    global _returned  # (what program() needs to know)
    _returned = args.command
    return code
