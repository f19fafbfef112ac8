"""Running a step in the reader's own terminal: the app steps aside, says why, and comes back.

The app suspends itself, the step runs attached to the real terminal (recorded, see
``Session.run_in_terminal``), and the terminal waits for Enter before the app comes back, so
what the step printed can be read where it was printed. The recording goes to the output
panel's buffer, so it is in the app too, and to the transcript.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable

from textual.app import App

from tutorial.engine.chapter import Chapter, StepView
from tutorial.engine.journey import Journey
from tutorial.engine.results import StepOutcome
from tutorial.manuscript.model import Step

RETURN_PROMPT = "Press Enter to return to cncf-adventure"


def terminal_banner(journey: Journey, view: StepView) -> list[str]:
    """Why the step runs there, what to type in its nested shells, how to stop it."""
    lines = []
    if view.needs_terminal:
        lines.append(f"   It needs a terminal: {view.needs_terminal}.")
    edited = view.code if view.edited else None
    lines.extend(f"   {note}" for note in journey.terminal_guide(view.step, edited))
    if view.step.runs_until_stopped:
        lines.append("   It runs until you stop it: press Ctrl+C to stop it and come back.")
    return lines


def run_in_terminal(
    app: App[None], chapter: Chapter, step: Step, output: Callable[[str], None] | None = None
) -> StepOutcome:
    """Suspend the app, run ``step`` attached to the terminal, and come back once the reader is done.

    ``output`` receives what the step printed (recorded from the terminal), for the output panel.
    Raises ``MissingValues`` (before anything runs) and ``SuspendNotSupported`` (in a browser).
    """
    banner = terminal_banner(chapter.journey, chapter.view(step))
    heading = f"{chapter.page.title} · step {step.index + 1}"
    with app.suspend():  # raises SuspendNotSupported in a browser: nothing written, nothing run
        if output is not None:
            output(f"━━ {heading} (ran in your terminal)\n")
        print(f"\n━━ {heading} (in your terminal)", flush=True)
        for line in banner:
            print(line, flush=True)
        print(flush=True)
        outcome = chapter.run(step, force=True, in_terminal=True, on_output=output)
        print(f"\n━━ {outcome.status.value}" + (f": {outcome.message}" if outcome.message else ""), flush=True)
        _wait_for_enter()
    return outcome


def _wait_for_enter() -> None:
    """Keep the step's output on screen until the reader says they are done with it."""
    if not sys.stdin.isatty():
        return
    with contextlib.suppress(EOFError):
        input(f"{RETURN_PROMPT}… ")
