"""What a step came to, in terms both views (the app and ``run``) show.

``StepStatus`` lives in the model (one vocabulary for the engine, the views and the saved progress);
it is imported here too so that an outcome and its status come from one place.
"""

from __future__ import annotations

from dataclasses import field

from tutorial.manuscript.model import Check, Step, StepStatus
from tutorial.records import record
from tutorial.shell.commands import Missing

__all__ = ["CheckOutcome", "StepOutcome", "StepStatus"]


@record
class CheckOutcome:
    """How one check after a step went: whether it passed, what it saw and what to tell the reader."""

    check: Check
    passed: bool
    output: str
    message: str


@record
class StepOutcome:
    """Everything a run or the app tells of one step: its status, exit, output's end, checks and notes."""

    step: Step
    status: StepStatus
    exit_code: int | None = None
    duration: float = 0.0
    output_tail: str = ""
    message: str = ""  # why it failed or was skipped
    failed_line: int = 0  # page line of the command that failed
    checks: list[CheckOutcome] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # e.g. "the shell was restarted"
    missing: list[Missing] = field(default_factory=list)  # programs that were not found
    blocked: bool = False  # failed before running (a prerequisite is missing)
    timed_out: bool = False
    code: str = ""  # what ran, placeholders filled (secrets included: never write it down unmasked)
