"""Modal dialogs: values for placeholders, editing a step, a broken settings file, a confirmation."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Static, TextArea

from tutorial.engine.variables import MissingValue
from tutorial.manuscript.model import Step

_DIALOG_CSS = """
{name} {{ align: center middle; }}
{name} > Vertical {{ width: 90%; max-width: 100; height: auto; max-height: 90%; border: thick $accent;
    background: $surface; padding: 1 2; }}
{name} .title {{ text-style: bold; margin-bottom: 1; }}
{name} .buttons {{ height: auto; margin-top: 1; align-horizontal: right; }}
{name} .buttons Button {{ margin-left: 1; }}
{name} VerticalScroll {{ height: auto; width: 100%; }}
{name} Input {{ width: 100%; }}
"""


class PlaceholderDialog(ModalScreen[dict[str, str] | None]):
    """One form for every value a step needs: the manuscript's question, secrets masked."""

    DEFAULT_CSS = (
        _DIALOG_CSS.format(name="PlaceholderDialog")
        + """
    PlaceholderDialog VerticalScroll { height: auto; max-height: 20; }
    PlaceholderDialog .question { color: $text-muted; width: 100%; height: auto; }
    PlaceholderDialog .name { width: 100%; height: auto; margin-top: 1; }
    PlaceholderDialog Input { margin: 0; }
    """
    )
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, step: Step, missing: list[MissingValue], defaults: dict[str, str] | None = None) -> None:
        super().__init__()
        self.step = step
        self.missing = missing
        self.defaults = defaults or {}

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(
                f"Step {self.step.index + 1} needs {len(self.missing)} value{'s' if len(self.missing) != 1 else ''}",
                classes="title",
            )
            with VerticalScroll():
                for item in self.missing:
                    question = item.prompt or "No hint in the manuscript: what should go in its place?"
                    label = Text.assemble(
                        (item.name, "bold"), ("  (secret: never saved, never shown)", "dim") if item.secret else ""
                    )
                    yield Static(label, classes="name")
                    yield Static(Text(question), classes="question")
                    yield Input(
                        value=self.defaults.get(item.name, ""),
                        password=item.secret,
                        id=f"value-{item.name}",
                        placeholder=item.name,
                    )
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Run with these values", id="ok", variant="primary")

    def on_mount(self) -> None:
        self.query(Input).first().focus()

    @on(Input.Submitted)
    def _next(self, event: Input.Submitted) -> None:
        inputs = list(self.query(Input))
        position = inputs.index(event.input)
        if position + 1 < len(inputs):
            inputs[position + 1].focus()
        else:
            self._submit()

    @on(Button.Pressed, "#ok")
    def _submit(self) -> None:
        values = {item.name: self.query_one(f"#value-{item.name}", Input).value for item in self.missing}
        empty = [name for name, value in values.items() if not value]
        if empty:
            self.notify(f"Still empty: {', '.join(empty)}", severity="warning")
            self.query_one(f"#value-{empty[0]}", Input).focus()
            return
        self.dismiss(values)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class EditStepScreen(ModalScreen[str | None]):
    """Change a step before running it; the edit is kept for that step and shown as edited."""

    DEFAULT_CSS = (
        _DIALOG_CSS.format(name="EditStepScreen")
        + """
    EditStepScreen TextArea { height: 16; }
    EditStepScreen .hint { color: $text-muted; }
    """
    )
    #: Esc cancels at once, even from inside the editor (whose own Esc would only move the focus)
    BINDINGS = [Binding("escape", "cancel", "Cancel", priority=True), Binding("ctrl+s", "save", "Save")]

    def __init__(self, step: Step, code: str) -> None:
        super().__init__()
        self.step = step
        self.code = code

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(f"Edit step {self.step.index + 1} (line {self.step.line} of {self.step.page})", classes="title")
            yield TextArea.code_editor(self.code, language="bash", id="editor", tab_behavior="focus")
            yield Static("ctrl+s saves · Esc cancels · Tab goes to the buttons", classes="hint")
            with Horizontal(classes="buttons"):
                yield Button("Back to the original", id="original")
                yield Button("Cancel", id="cancel")
                yield Button("Save (ctrl+s)", id="save", variant="primary")

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        self.dismiss(self.query_one(TextArea).text)

    @on(Button.Pressed, "#original")
    def _original(self) -> None:
        self.dismiss(self.step.code)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class SettingsProblemDialog(ModalScreen[bool]):
    """settings.yaml cannot be read: explain, and offer to set it aside. Never overwrite it silently."""

    DEFAULT_CSS = (
        _DIALOG_CSS.format(name="SettingsProblemDialog")
        + """
    SettingsProblemDialog .problem { color: $error; margin-bottom: 1; }
    """
    )

    def __init__(self, problem: str, backup_name: str) -> None:
        super().__init__()
        self.problem = problem
        self.backup_name = backup_name

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label("Your settings.yaml cannot be read", classes="title")
            yield Static(self.problem, classes="problem")
            yield Static(
                "It holds your progress and the values the chapters recorded. Fix it in an editor and start "
                f"again, or set it aside as {self.backup_name} and start fresh: nothing is deleted."
            )
            with Horizontal(classes="buttons"):
                yield Button("Quit and fix it", id="quit")
                yield Button("Set it aside and start fresh", id="fresh", variant="warning")

    @on(Button.Pressed, "#fresh")
    def _fresh(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#quit")
    def _quit(self) -> None:
        self.dismiss(False)


class ConfirmDialog(ModalScreen[bool]):
    DEFAULT_CSS = _DIALOG_CSS.format(name="ConfirmDialog")
    BINDINGS = [Binding("escape", "no", "No"), Binding("y", "yes", "Yes")]

    def __init__(self, title: str, text: str, yes: str = "Yes") -> None:
        super().__init__()
        self._title = title
        self._text = text
        self._yes = yes

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self._title, classes="title")
            yield Static(Text(self._text), classes="text")  # commands are shown as they are, never as markup
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="no")
                yield Button(self._yes, id="yes", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#yes", Button).focus()

    @on(Button.Pressed, "#yes")
    def action_yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#no")
    def action_no(self) -> None:
        self.dismiss(False)
