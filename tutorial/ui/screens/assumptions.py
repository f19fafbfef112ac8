"""The "what holds for you" dialog: the reader says which subjects of the conditions are true.

The manuscript's conditions name things only the reader knows ("only if you ARE using EKS",
"skip this step if you chose `nip.io`"). The engine never guesses them; this dialog lists every
subject the manuscript mentions, ticked when the reader said it holds, and returns the answers
(ticked: holds, unticked: does not) for the journey to save with the progress.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Label

from tutorial.ui.screens.dialogs import _DIALOG_CSS


class AssumptionsDialog(ModalScreen[dict[str, bool] | None]):
    """One checkbox per subject; Save returns every answer, Escape returns None."""

    DEFAULT_CSS = (
        _DIALOG_CSS.format(name="AssumptionsDialog")
        + """
    AssumptionsDialog VerticalScroll { height: auto; max-height: 20; }
    AssumptionsDialog .hint { color: $text-muted; margin-bottom: 1; }
    AssumptionsDialog Checkbox { width: 100%; border: none; padding: 0; }
    """
    )
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, subjects: Sequence[str], answers: Mapping[str, bool], focus: str = "") -> None:
        super().__init__()
        self.subjects = list(subjects)
        folded = {name.casefold(): value for name, value in answers.items()}
        self.ticked = {name: folded.get(name.casefold(), False) for name in self.subjects}
        self.focus_subject = focus.casefold()

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("What holds for you?", classes="title")
            yield Label(
                "Tick what is true for you: steps that run only if it holds will run, and steps "
                "that run only if it does not will be skipped. Nothing here is guessed.",
                classes="hint",
            )
            with VerticalScroll():
                if not self.subjects:
                    yield Label("The manuscript's conditions name nothing to choose.")
                for position, name in enumerate(self.subjects):
                    yield Checkbox(name, self.ticked[name], id=f"subject-{position}")
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Save", id="ok", variant="primary")

    def on_mount(self) -> None:
        boxes = list(self.query(Checkbox))
        chosen = next(
            (b for b, n in zip(boxes, self.subjects, strict=True) if n.casefold() == self.focus_subject), None
        )
        target = chosen or (boxes[0] if boxes else self.query_one("#ok", Button))
        target.focus()
        target.scroll_visible(animate=False)

    def answers(self) -> dict[str, bool]:
        boxes = list(self.query(Checkbox))
        return {name: box.value for name, box in zip(self.subjects, boxes, strict=True)}

    @on(Button.Pressed, "#ok")
    def _save(self) -> None:
        self.dismiss(self.answers())

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)
