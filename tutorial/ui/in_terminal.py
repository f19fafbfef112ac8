"""Handing the reader's terminal to a step, and taking it back once they have read its output.

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

from tutorial.engine.journey import Journey
from tutorial.engine.results import StepOutcome
from tutorial.manuscript.model import Step

RETURN_PROMPT = "Press Enter to return to cncf-adventure"


def run_in_my_terminal(
    app: App[None],
    journey: Journey,
    step: Step,
    *,
    code: str | None,
    heading: str,
    banner: list[str],
    output: Callable[[str], None],
) -> StepOutcome:
    """Run ``step`` in the reader's terminal; raises ``MissingValues`` before anything runs."""
    with app.suspend():  # raises SuspendNotSupported in a browser: nothing written, nothing run
        output(f"━━ {heading} (ran in your terminal)\n")
        print(f"\n━━ {heading} (in your terminal)", flush=True)
        for line in banner:
            print(line, flush=True)
        print(flush=True)
        outcome = journey.run_step(step, code=code, force=True, in_terminal=True, on_output=output)
        print(f"\n━━ {outcome.status.value}" + (f": {outcome.message}" if outcome.message else ""), flush=True)
        _wait_for_enter()
    return outcome


def _wait_for_enter() -> None:
    """Keep the step's output on screen until the reader says they are done with it."""
    if not sys.stdin.isatty():
        return
    with contextlib.suppress(EOFError):
        input(f"{RETURN_PROMPT}… ")
