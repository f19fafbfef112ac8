"""How a status looks, the same in the app and in ``run``'s terminal output: one table."""

from __future__ import annotations

from tutorial.manuscript.model import StepStatus
from tutorial.records import record


@record(frozen=True)
class Mark:
    """How a step's status is shown: its icon, in the app's colours and in a terminal's."""

    icon: str
    style: str  # a Rich style (the app)
    ansi: str  # an SGR code (``run`` in a terminal)


MARKS: dict[StepStatus, Mark] = {
    StepStatus.PENDING: Mark("○", "dim", "2"),
    StepStatus.RUNNING: Mark("◐", "yellow", "33"),
    StepStatus.PASSED: Mark("✔", "green", "32"),
    StepStatus.FAILED: Mark("✘", "bold red", "31"),
    StepStatus.SKIPPED: Mark("⤼", "dim", "33"),
    StepStatus.OVERRIDDEN: Mark("✔", "yellow", "33"),
}


def check_mark(passed: bool) -> Mark:
    """A check after a step: marked like a step that passed, or one that failed."""
    return MARKS[StepStatus.PASSED if passed else StepStatus.FAILED]


def requirement_mark(ok: bool, required: bool) -> Mark:
    """A prerequisite: there (like a step that passed), missing (failed), or missing but optional ("!")."""
    if ok or required:
        return check_mark(ok)
    return Mark("!", "yellow", "33")
