"""Running a step in the reader's own terminal: the app steps aside, says why, and comes back."""

from __future__ import annotations

from textual.app import App

from tutorial.engine.chapter import Chapter, StepView
from tutorial.engine.journey import Journey
from tutorial.engine.results import StepOutcome
from tutorial.manuscript.model import Step


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


def run_in_terminal(app: App[None], chapter: Chapter, step: Step) -> StepOutcome:
    """Suspend the app, run ``step`` attached to the terminal, and come back.

    Raises ``MissingValues`` (before anything runs) and ``SuspendNotSupported`` (in a browser).
    """
    banner = terminal_banner(chapter.journey, chapter.view(step))
    with app.suspend():
        print(f"\n━━ {chapter.page.title} · step {step.index + 1} (in your terminal)", flush=True)
        for line in banner:
            print(line, flush=True)
        print(flush=True)
        outcome = chapter.run(step, force=True, in_terminal=True)
        print("\n━━ back to cncf-adventure…", flush=True)
    return outcome
