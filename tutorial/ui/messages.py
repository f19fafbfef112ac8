"""Messages between the app's widgets, and from the step worker thread to the screen."""

from __future__ import annotations

from textual.message import Message

from tutorial.engine.results import StepOutcome
from tutorial.engine.variables import MissingValue
from tutorial.manuscript.model import Option, Step
from tutorial.records import record


@record(frozen=True)
class RunHow:
    """How steps are run: even when their conditions do not hold (``force``), where, and how."""

    force: bool = True
    in_terminal: bool = False  # attached to the reader's real terminal
    here_anyway: bool = False  # a step that needs a terminal, run in the app all the same


class StepFinished(Message):
    """A step ran (or was skipped, or blocked); posted from the worker thread."""

    def __init__(self, outcome: StepOutcome) -> None:
        super().__init__()
        self.outcome = outcome


class StepsEnded(Message):
    """The worker that ran steps is done, however it ended: nothing runs any more."""


class ValuesNeeded(Message):
    """A step has placeholders nobody has given values for: the screen asks the reader.

    It carries what to do once they are given: the steps still to run, and how to run them.
    """

    def __init__(self, step: Step, missing: list[MissingValue], remaining: list[Step], how: RunHow) -> None:
        super().__init__()
        self.step = step
        self.missing = missing
        self.remaining = remaining
        self.how = how


class StepAction(Message):
    """A button of a step card was pressed (run, skip, edit, terminal, override)."""

    def __init__(self, step: Step, action: str) -> None:
        super().__init__()
        self.step = step
        self.action = action


class OptionChosen(Message):
    def __init__(self, option: Option) -> None:
        super().__init__()
        self.option = option


class AnswerLeft(Message):
    """The reader left the answer line with Escape: the keys go back to the page."""


class AnswerTyped(Message):
    """The reader answered a prompt of the running step."""

    def __init__(self, text: str, secret: bool, *, end_of_input: bool = False) -> None:
        super().__init__()
        self.text = text
        self.secret = secret
        self.end_of_input = end_of_input  # Ctrl+D rather than a line
