"""``cncf-adventure run``: the steps of pages, headlessly, in one shell session.

For CI and for testing tutorials: no prompts, standard input at end-of-file, a failing step
stops the run (``--keep-going`` goes on), a step that needs a real terminal fails with
"needs a terminal" (``--allow-terminal-steps`` runs it anyway), and the last line is always
``N passed, N failed, N skipped`` (or one JSON document with ``--format json``).

Before the first step, every program the selected steps call that is not installed is listed
with where to get it. The run still starts: a step may install what a later one needs, and
the check before each step fails a step whose program is still missing, without running it.
Exit status: 0 when no step failed, 1 when one did, 2 for usage, manuscript or settings
errors (nothing is run then).
"""

from __future__ import annotations

import argparse
import getpass
import json
import math
import os
import re
import signal
import sys
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any, TextIO

from tutorial import collector
from tutorial.cli import add_workdir_option
from tutorial.commands import junit
from tutorial.commands.common import CommandError, fail
from tutorial.commands.terminal import LiveOutput, colours, style
from tutorial.commands.workspace import workdir_from
from tutorial.engine.marks import MARKS, check_mark
from tutorial.engine.results import StepOutcome, StepStatus
from tutorial.engine.selection import select_steps
from tutorial.manuscript.loader import ManuscriptError, discover, load
from tutorial.manuscript.model import Manuscript, Step
from tutorial.manuscript.placeholders import asks_for_output, looks_secret
from tutorial.records import record
from tutorial.shell.held import Held
from tutorial.shell.output import strip_ansi

if TYPE_CHECKING:
    from tutorial.checks.requirements import MissingProgram

_VAR = re.compile(r"^(@?[A-Za-z_]\w*)=(.*)$", re.S)  # @NAME: a page's own question
_NAME = re.compile(r"^@?[A-Za-z_]\w*$")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "pages",
        nargs="+",
        metavar="PAGE",
        help="a page relative to the manuscript (registry/dragonfly.md), or a path to a Markdown file",
    )
    add_workdir_option(parser, suppress=False)
    parser.add_argument(
        "--section", action="append", default=[], metavar="NAME", help="only the steps under this heading (repeatable)"
    )
    parser.add_argument(
        "--var",
        action="append",
        default=[],
        metavar="NAME[=VALUE]",
        help="the value of a placeholder (repeatable): NAME for `export NAME=[...]`, @NAME for any other;"
        " $VAR or ${VAR} in VALUE refers to a variable of the session. NAME (or @NAME) alone takes the value,"
        " as it is, from the environment variable NAME: a secret on the command line is visible to every user",
    )
    parser.add_argument(
        "--secret-stdin",
        action="append",
        default=[],
        metavar="NAME",
        help="read the secret value of NAME (or @NAME), as it is, from a line of standard input (repeatable)",
    )
    parser.add_argument(
        "--assume",
        action="append",
        default=[],
        metavar="SUBJECT",
        help="treat conditions about SUBJECT as true (--assume EKS, --assume nip.io), or as false with "
        "'not SUBJECT' (--assume 'not EKS'); conditions nobody spoke of are never guessed",
    )
    parser.add_argument(
        "--timeout", type=_seconds, metavar="SECONDS", help="stop a step that runs longer than this (more than 0)"
    )
    parser.add_argument("--keep-going", action="store_true", help="run the steps after a failing one")
    parser.add_argument(
        "--allow-terminal-steps",
        action="store_true",
        help="run steps that need a real terminal (nested shells, pickers, watchers, port-forwards) anyway;"
        " without it they fail with 'needs a terminal' (lines meant for a nested shell are given to it as input)",
    )
    parser.add_argument(
        "--resume",
        action="store_true",
        help="skip the steps that finished in an earlier run, with its variables restored",
    )
    parser.add_argument("--dry-run", action="store_true", help="print each step as it would run; run nothing")
    junit.add_argument(parser)
    parser.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="output format (default: text). With --dry-run, json prints one document: "
        '{"steps": [{"page", "index", "line", "code", "runnable", "applies", "reason", "conditions", '
        '"placeholders", "needs_terminal", "needs_terminal_reason", "programs", "checks", "left_out"}], '
        '"missing_programs", "missing_values"}; needs_terminal is a boolean, its reason a string; left_out '
        'lists the lines the run leaves to the reader: [{"first", "last", "code", "reason"}]',
    )


@record
class _Plan:
    """The manuscript a run reads and the steps it runs, in order."""

    manuscript: Manuscript
    steps: list[Step]


def _seconds(text: str) -> float:
    """A duration that means something: ``nan`` would disable the timeout, ``0`` and ``-1`` stop every step."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value <= 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds greater than 0")
    return value


def _variables(
    pairs: list[str], from_stdin: list[str], env: Mapping[str, str], stdin: TextIO
) -> tuple[dict[str, str], set[str]]:
    """The values given with ``--var`` and ``--secret-stdin``, and the names of those to take as they are.

    A secret written on the command line is visible to every user of the machine (``ps``,
    ``/proc/PID/cmdline``) and lands in the shell's history: it is accepted, with a warning
    that says how to give it safely. A value read from the environment or standard input is
    the value itself: a ``$`` in a password is not a reference to a session variable.
    """
    found: dict[str, str] = {}
    literal: set[str] = set()
    for pair in pairs:
        match = _VAR.match(pair)
        if match:
            name, value = match.group(1), match.group(2)
            if looks_secret(name):
                print(
                    f"cncf-adventure: warning: --var {name}=... puts a secret where every user of this machine "
                    f"can read it (ps); use --var {name} (from the environment) or --secret-stdin {name}",
                    file=sys.stderr,
                )
        elif _NAME.match(pair):
            name, variable = pair, pair.lstrip("@")
            if variable not in env:
                raise CommandError(
                    f"--var {name}: {variable} is not set in the environment; expected NAME=VALUE, "
                    "or NAME for a variable of the environment"
                )
            value = env[variable]
            literal.add(name)
        else:
            raise CommandError(f"--var {pair!r}: expected NAME=VALUE, or NAME to take it from the environment")
        found[name] = value
    for name in from_stdin:
        if not _NAME.match(name):
            raise CommandError(f"--secret-stdin {name!r}: expected a variable name")
        if stdin.isatty():  # typed by hand: not shown on the screen
            try:
                line = getpass.getpass(f"{name} (hidden): ", stream=sys.stderr) + "\n"
            except EOFError:
                line = ""
        else:
            line = stdin.readline()
        if not line:
            raise CommandError(f"--secret-stdin {name}: standard input ended before its line")
        found[name] = line.rstrip("\r\n")
        literal.add(name)
    return found, literal


def _plan(args: argparse.Namespace) -> _Plan:
    explicit = getattr(args, "manuscript", None)
    files = [Path(p) for p in args.pages if Path(p).is_file()]
    try:
        if explicit is None and files and len(files) == len(args.pages):
            discovered, bundled = discover(None)
            if all(_within(f, discovered) for f in files):
                manuscript = load(discovered, bundled=bundled)
            else:  # stray Markdown files: their folder stands in for a manuscript, read no further
                root = files[0].resolve().parent
                outside = [f for f in files if not _within(f, root)]
                if outside:
                    raise CommandError(f"{outside[0]}: pages given as files must share one folder ({root})")
                manuscript = load(root, only=[f.resolve().relative_to(root).as_posix() for f in files])
        else:
            root, bundled = discover(explicit)
            manuscript = load(root, bundled=bundled)
    except ManuscriptError as error:
        raise CommandError(str(error)) from error
    steps: list[Step] = []
    for name in args.pages:
        page = _page_path(name, manuscript)
        chosen = select_steps(manuscript.pages[page], args.section)
        if args.section and not chosen:
            raise CommandError(f"{manuscript.root / page}: no steps under {', '.join(map(repr, args.section))}")
        steps.extend(chosen)
    return _Plan(manuscript, steps)


def _within(file: Path, root: Path) -> bool:
    try:
        file.resolve().relative_to(root)
    except ValueError:
        return False
    return True


def _page_path(name: str, manuscript: Manuscript) -> str:
    candidate = Path(name)
    if candidate.is_file() and _within(candidate, manuscript.root):
        return candidate.resolve().relative_to(manuscript.root).as_posix()
    if name in manuscript.pages:
        return name
    close = [p for p in manuscript.pages if p.endswith(name) or Path(p).stem == Path(name).stem]
    hint = f"; did you mean {', '.join(close[:3])}?" if close else ""
    raise CommandError(f"{manuscript.root}: no page {name!r} ({len(manuscript.pages)} pages){hint}")


class _Interrupts:
    """Ctrl+C stops the running step (and the run); a second Ctrl+C leaves at once.

    SIGTERM and SIGHUP (a closed terminal, a CI runner cancelling the job) leave at once too,
    through the normal way out, so the session's shell and every process it started are
    stopped rather than left running.
    """

    _ENDING = (signal.SIGTERM, signal.SIGHUP)

    def __init__(self) -> None:
        self.cancel = threading.Event()
        self._previous: dict[int, Any] = {}

    def __enter__(self) -> _Interrupts:
        if threading.current_thread() is threading.main_thread():
            self._previous[signal.SIGINT] = signal.signal(signal.SIGINT, self._handle)
            for number in self._ENDING:
                self._previous[number] = signal.signal(number, self._end)
        return self

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        if self.cancel.is_set():
            raise KeyboardInterrupt
        self.cancel.set()

    def _end(self, signum: int, frame: FrameType | None) -> None:
        self.cancel.set()
        raise SystemExit(128 + signum)

    def __exit__(self, *exc: object) -> None:
        for number, previous in self._previous.items():
            signal.signal(number, previous)


def execute(args: argparse.Namespace) -> int:
    from tutorial.engine.journey import Journey, JourneyOptions, MissingValues
    from tutorial.progress.settings import SettingsError, SettingsWriteError
    from tutorial.progress.worklock import WorkdirBusy

    text = args.format == "text"
    try:
        variables, literal = _variables(args.var, args.secret_stdin, os.environ, sys.stdin)
        plan = _plan(args)
        workdir = workdir_from(args.workdir)
        options = JourneyOptions(
            variables=variables,
            secrets=set(args.secret_stdin),
            literal=literal,
            assume=set(args.assume),
            unattended=True,
            timeout=args.timeout,
            save_progress=not args.dry_run,
            allow_terminal_steps=args.allow_terminal_steps,
            read_only=args.dry_run,  # a dry run runs nothing: another journey may hold the directory
            overlap_saves=True,  # each step's progress is on the disk before the next step starts
        )
        journey = Journey(plan.manuscript, workdir, options)
    except SettingsWriteError as error:  # nothing can be recorded: nothing runs, and the summary says so
        fail(str(error))
        _summary(
            [StepOutcome(s, StepStatus.SKIPPED, message="not run: progress cannot be saved") for s in plan.steps], text
        )
        return 2
    except (CommandError, SettingsError, WorkdirBusy) as error:
        return fail(str(error))
    try:
        done_before = {
            s.ref for s in plan.steps if args.resume and journey.chapter(plan.manuscript.pages[s.page]).done(s)
        }
        todo = [s for s in plan.steps if s.ref not in done_before and s.runnable]
        # conditions first: a step that will be skipped (--assume nip.io) needs no values; each
        # page counts as read when the run reaches it, as it will when the steps run
        decisions = journey.foresee(plan.steps)
        missing = journey.missing_values([s for s in todo if decisions[s.ref].applies])
        programs = _missing_programs(journey, [s for s in todo if decisions[s.ref].applies])
        if args.dry_run:
            if not text:
                return _dry_run_document(journey, plan.steps, missing, programs, decisions)
            return _dry_run(journey, plan.steps, missing, programs, decisions)
        # a question about what earlier steps print cannot be answered before they ran: the run
        # stops at its step, and goes on from there with --resume once the reader has the answer
        upfront = [m for m in missing if not asks_for_output(m.prompt)]
        if upfront:
            lines = "\n  ".join(m.describe() for m in upfront)
            return fail(f"values needed before the run can start:\n  {lines}")
        return _run(journey, plan, done_before, text, args.keep_going, args.resume, programs, args.junit)
    except MissingValues as error:
        lines = "\n  ".join(m.describe() for m in error.missing)
        return fail(f"values needed:\n  {lines}")
    except SettingsError as error:
        return fail(str(error))
    finally:
        journey.close()


def _missing_programs(journey: Any, applying: list[Step]) -> list[MissingProgram]:
    """The programs the steps about to run call that are not installed.

    Only the steps whose conditions hold are given: the others will be skipped, so what they
    call is not needed (a step whose conditions come to hold later is still checked at its gate).
    """
    from tutorial.checks.requirements import missing_for_steps

    env = journey.options.env if journey.options.env is not None else os.environ
    env = {**env, "ADVENTURE_WORKDIR": str(journey.workdir)}
    return missing_for_steps(journey.manuscript, applying, env, journey.workdir)


def _print_missing_programs(programs: list[MissingProgram], color: bool) -> None:
    if not programs:
        return
    print(
        style(
            "missing programs (a step that calls one fails before it runs, unless an earlier step installs it):",
            "33",
            color,
        )
    )
    for item in programs:
        print(style(f"  {item.describe()}", "33", color))
    sys.stdout.flush()


def _shown_code(journey: Any, step: Step) -> str:
    """The step's code as it would run: known values filled in, secrets masked, unknown ones named.

    The values are the engine's own answer for this step (:meth:`Journey.answered_values`):
    the one rule a run follows, so a dry run never shows a value the run would not use.
    A value the run would ask for (or take from the shell an earlier step left) is shown as
    ``<NAME?>``. Values given as secrets whatever their names (``--secret-stdin``) are masked.
    """
    from tutorial.engine import variables as values_

    found, as_is = journey.answered_values(step)
    values = {p.name: found.get(p.name, f"<{p.name}?>") for p in step.placeholders}
    secret = {p.name for p in step.placeholders if p.secret} | journey.progress.secret_names
    shown = {n: ("••••••" if n in secret else v) for n, v in values.items()}
    return values_.fill(step, shown, literal=as_is)  # (a value from the environment is used as it is)


def _page_notice(journey: Any, page: str) -> None:
    """Say on stderr what the page's own rules say about this reader ("not for you if Foo").

    Its steps are left out when a rule applies (each says why); when nobody said whether it
    does, they run, and the reader is told what the page says and how to say it applies.
    """
    verdict = journey.page_verdict(page)
    if verdict.rule is not None:
        what = "left out" if verdict.not_for_you else "not known"
        print(style(f"! {page}: {what}: {verdict.reason}", "33", colours(sys.stderr)), file=sys.stderr, flush=True)


def _dry_run(
    journey: Any, steps: list[Step], missing: list[Any], programs: list[MissingProgram], decisions: dict[str, Any]
) -> int:
    from tutorial.engine import variables as values_

    color = colours(sys.stdout)
    _print_missing_programs(programs, color)
    pages_seen: set[str] = set()
    for step in steps:
        if step.page not in pages_seen:
            pages_seen.add(step.page)
            _page_notice(journey, step.page)
        print(style(f"━━ {step.page} · step {step.index + 1} · line {step.line}", "1", color))
        if not step.runnable:
            print(style(f"(not run: {step.not_runnable_reason})", "2", color))
            continue
        decision = decisions[step.ref]
        if not decision.applies:
            print(style(f"(would be skipped: {decision.reason})", "2", color))
        if step.needs_terminal:
            print(style(f"(needs a terminal: {step.needs_terminal})", "33", color))
        elif decision.applies and not journey.options.allow_terminal_steps and journey.needs_someone_to_type(step):
            print(style(f"(would fail: needs someone to type: {journey.needs_someone_to_type(step)})", "33", color))
        try:
            print(_shown_code(journey, step))
        except values_.UnusableValue as error:
            print(step.code)
            print(style(f"(would fail: {error})", "33", color))
        for item in journey.left_out(step)[1]:  # the reader's lines, as the run leaves them
            print(style(f"({item.describe()})", "33", color))
    if missing:
        print(
            style(f"values still needed: {', '.join(m.name for m in missing)} (pass --var NAME=VALUE)", "33", color),
            file=sys.stderr,
        )
    print(f"{len(steps)} steps, nothing run (dry run)")
    return 0


def _dry_run_document(
    journey: Any, steps: list[Step], missing: list[Any], programs: list[MissingProgram], decisions: dict[str, Any]
) -> int:
    """``--dry-run --format json``: one JSON document describing every step, nothing run."""
    from tutorial.checks.requirements import session_code
    from tutorial.engine import variables as values_
    from tutorial.shell.commands import calls

    described = []
    for step in steps:
        decision = decisions[step.ref]
        if not step.runnable:
            reason = f"not run: {step.not_runnable_reason}"
        else:
            reason = "" if decision.applies else f"would be skipped: {decision.reason}"
            typing = "" if reason or journey.options.allow_terminal_steps else journey.needs_someone_to_type(step)
            if typing and not step.needs_terminal:
                reason = f"would fail: needs someone to type: {typing}"
        code = step.code
        if step.runnable:
            try:
                code = _shown_code(journey, step)
            except values_.UnusableValue as error:
                reason = reason or f"would fail: {error}"
        described.append(
            {
                "page": step.page,
                "index": step.index + 1,
                "line": step.line,
                "code": code,
                "runnable": step.runnable,
                "applies": decision.applies,
                "reason": reason,
                "conditions": [condition.badge for condition in step.conditions],
                "placeholders": [
                    {"name": p.name, "prompt": p.prompt, "secret": p.secret or p.name in step.secrets}
                    for p in step.placeholders
                ],
                "needs_terminal": bool(step.needs_terminal),
                "needs_terminal_reason": step.needs_terminal,
                "programs": list(dict.fromkeys(call.name for call in calls(session_code(step))[0]))
                if step.runnable
                else [],
                "checks": [
                    {"command": c.command, "expect": c.expect, "description": c.description} for c in step.checks
                ],
                "left_out": [
                    {"first": item.first, "last": item.last, "code": item.code, "reason": item.reason}
                    for item in (journey.left_out(step)[1] if step.runnable else [])
                ],
            }
        )
    document = {
        "steps": described,
        "missing_programs": [item.as_json() for item in programs],
        "missing_values": [
            {"name": m.name, "prompt": m.prompt, "secret": m.secret, "page": m.page, "line": m.line} for m in missing
        ],
    }
    print(json.dumps(document, indent=2, ensure_ascii=False))
    return 0


def _run(
    journey: Any,
    plan: _Plan,
    done_before: set[str],
    text: bool,
    keep_going: bool,
    resume: bool,
    programs: list[MissingProgram],
    junit_file: Path | None = None,
) -> int:
    from tutorial.engine.journey import MissingValues

    # the start is over: what it built (modules, the manuscript, the session) lasts as long as
    # the run and is never walked again; the steps' garbage is collected as usual
    collector.freeze()
    collector.resume()
    color = colours(sys.stdout)
    outcomes: list[StepOutcome] = []
    pages_seen: set[str] = set()
    stopped = False
    if resume:
        resumed = journey.resume()
        if text:
            print(style(f"resuming: {len(done_before)} steps done earlier. {resumed.summary()}", "2", color))
    for notice in journey.session.notices:
        print(style(f"! {notice}", "33", colours(sys.stderr)), file=sys.stderr, flush=True)
    journey.session.notices.clear()
    if text:
        _print_missing_programs(programs, color)
    with _Interrupts() as interrupts:
        for number, step in enumerate(plan.steps, 1):
            if stopped:
                outcomes.append(StepOutcome(step, StepStatus.SKIPPED, message="not run: an earlier step failed"))
                continue
            if step.ref in done_before:
                outcomes.append(StepOutcome(step, StepStatus.SKIPPED, message="done in an earlier run"))
                if text:
                    _header(step, number, len(plan.steps), color)
                    _result(outcomes[-1], color)
                continue
            if step.page not in pages_seen:
                pages_seen.add(step.page)
                journey.open_page(step.page)
                if journey.save_error is not None:  # nothing runs that could not be recorded
                    outcomes.append(StepOutcome(step, StepStatus.SKIPPED, message="not run: progress cannot be saved"))
                    stopped = True
                    continue
                _page_notice(journey, step.page)
            sink = LiveOutput() if text else None
            if text:
                _header(step, number, len(plan.steps), color)
            held, live = _held_back(journey, step, sink, color) if sink is not None else (None, None)
            chapter = journey.chapter(plan.manuscript.pages[step.page])
            try:
                outcome = chapter.run(step, on_output=live, cancel=interrupts.cancel, as_written=True)
            except MissingValues as error:  # asked about the output of the steps before it
                asked = "; ".join(f"{m.name}: {m.prompt}" if m.prompt else m.name for m in error.missing)
                outcome = StepOutcome(
                    step,
                    StepStatus.FAILED,
                    message=f"values needed: {asked} (give them with --var NAME=VALUE and run again with --resume)",
                    blocked=True,
                )
            if sink is not None:
                if held is not None:  # (masked now: the secrets the step loaded are known)
                    masker = journey.masker
                    held.release(masker.mask, [sink], reach=max(map(len, masker.forms), default=1) - 1)
                sink.finish()
            outcomes.append(outcome)
            if text:
                _result(outcome, color)
            if interrupts.cancel.is_set() or (outcome.status is StepStatus.FAILED and not keep_going):
                stopped = True
            # (not save_error: it would wait for this step's save, which goes on while the next
            # step is made ready; a save that failed stops the run before that step is sent)
            if journey.known_save_error is not None:
                stopped = True
    journey.finish()  # settings.yaml holds every step's progress (the journal held it meanwhile)
    if journey.save_error is not None:
        fail(f"{journey.save_error}; the run stopped")
    counts = _summary(outcomes, text, programs)
    if junit_file is not None:
        junit.write(junit_file, outcomes, plan.manuscript.title or "cncf-adventure")
    if interrupts.cancel.is_set():
        return 130
    if journey.save_error is not None:
        return 2
    return 1 if counts[StepStatus.FAILED] else 0


def _held_back(
    journey: Any, step: Step, sink: LiveOutput, color: bool
) -> tuple[Held | None, Callable[[str], None] | None]:
    """Where a step's live output goes: ``sink``, or for a step that loads or prints secrets, not there.

    A CI job keeps its log: a step that loads secrets (``eval $(teller env)``) shows its output
    at its end, masked of the values it loaded; one that prints secrets nobody can know
    (``teller env`` alone) shows none. One line says so before the step runs.
    """
    use = journey.secret_use(step)
    if use.prints:
        print(style(f"  (output not shown: {use.prints_reason})", "2", color), flush=True)
        return None, None
    if use.loads:
        print(style(f"  (output shown at the step's end, masked: {use.loads_reason})", "2", color), flush=True)
        held = Held()
        return held, held.write
    return None, sink


def _summary(
    outcomes: list[StepOutcome], text: bool, programs: list[MissingProgram] | None = None
) -> dict[StepStatus, int]:
    """Print the last line (``N passed, N failed, N skipped``) or the JSON document; return the counts."""
    counts = {
        status: sum(1 for o in outcomes if o.status is status)
        for status in (StepStatus.PASSED, StepStatus.FAILED, StepStatus.SKIPPED)
    }
    counts[StepStatus.PASSED] += sum(1 for o in outcomes if o.status is StepStatus.OVERRIDDEN)
    summary = (
        f"{counts[StepStatus.PASSED]} passed, {counts[StepStatus.FAILED]} failed, {counts[StepStatus.SKIPPED]} skipped"
    )
    if text:
        print(summary)
    else:
        missing = [p.as_json() for p in programs or []]
        print(json.dumps({**_document(outcomes, counts), "missing_programs": missing}, indent=2))
    return counts


def _header(step: Step, number: int, total: int, color: bool) -> None:
    first = step.first_line
    if len(first) > 72:
        first = first[:71] + "…"
    print(
        style(f"━━ [{number}/{total}] {step.page} · step {step.index + 1} · line {step.line}", "1;36", color)
        + style(f"  {first}", "2", color),
        flush=True,
    )


def _result(outcome: StepOutcome, color: bool) -> None:
    mark, code = MARKS[outcome.status].icon, MARKS[outcome.status].ansi
    timing = f" in {outcome.duration:.2f} s" if outcome.duration else ""
    message = outcome.message
    if message.startswith(f"{outcome.status.value}: "):  # ("skipped: only if EKS": the word is said once)
        message = message[len(outcome.status.value) + 2 :]
    detail = f": {message}" if message else ""
    first, *rest = f"{mark} {outcome.status.value}{timing}{detail}".split("\n")
    print(style(first, code, color))
    for line in rest:
        print(style(f"  {line}", code, color))
    for check in outcome.checks:
        look = check_mark(check.passed)
        print(style(f"  {look.icon} {check.message}", look.ansi, color))
    for note in outcome.notes:
        print(style(f"  ! {note}", "33", color))
    sys.stdout.flush()


def _document(outcomes: list[StepOutcome], counts: dict[StepStatus, int]) -> dict[str, Any]:
    steps = []
    for outcome in outcomes:
        status = StepStatus.PASSED if outcome.status is StepStatus.OVERRIDDEN else outcome.status
        steps.append(
            {
                "page": outcome.step.page,
                "index": outcome.step.index + 1,
                "line": outcome.step.line,
                "status": status.value,
                "exit_code": outcome.exit_code,
                "duration_s": round(outcome.duration, 3),
                "output_tail": strip_ansi(outcome.output_tail)[-4000:],
                "message": outcome.message,
            }
        )
    return {
        "steps": steps,
        "passed": counts[StepStatus.PASSED],
        "failed": counts[StepStatus.FAILED],
        "skipped": counts[StepStatus.SKIPPED],
    }
