"""Messages between the app's widgets, and from the step worker thread to the screen."""

from __future__ import annotations

from textual.message import Message

from tutorial.engine.results import StepOutcome
from tutorial.engine.variables import MissingValue
from tutorial.manuscript.model import Option, Step


class StepFinished(Message):
    """A step ran (or was skipped, or blocked); posted from the worker thread."""

    def __init__(self, outcome: StepOutcome) -> None:
        super().__init__()
        self.outcome = outcome


class ValuesNeeded(Message):
    """A step has placeholders nobody has given values for: the screen asks the reader."""

    def __init__(self, step: Step, missing: list[MissingValue]) -> None:
        super().__init__()
        self.step = step
        self.missing = missing


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


class AnswerTyped(Message):
    """The reader answered a prompt of the running step."""

    def __init__(self, text: str, secret: bool, *, end_of_input: bool = False) -> None:
        super().__init__()
        self.text = text
        self.secret = secret
        self.end_of_input = end_of_input  # Ctrl+D rather than a line
