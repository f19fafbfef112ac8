"""What the reader reads in their own terminal before a step runs there."""

from __future__ import annotations

from tutorial.engine.chapter import StepView
from tutorial.engine.journey import Journey


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
