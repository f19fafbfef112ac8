"""What a step came to, in terms both views (the app and ``run``) show."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from tutorial.manuscript.model import Check, Step
from tutorial.shell.commands import Missing


class StepStatus(enum.StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    PASSED = "passed"
    FAILED = "failed"
    SKIPPED = "skipped"
    OVERRIDDEN = "overridden"  # failed, and the reader chose to go on anyway


@dataclass(slots=True)
class CheckOutcome:
    check: Check
    passed: bool
    output: str
    message: str


@dataclass(slots=True)
class StepOutcome:
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
