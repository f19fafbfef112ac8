"""Every value the journey knows: what it is, where it came from; change or forget one.

Secrets are listed by name only. A change is used by the next steps (and exported in the
shell at once) and saved to settings.yaml through the engine; forgetting a value means it is
asked for again, or set again by its step, the next time one needs it.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, DataTable, Header, Input, Label

from tutorial.engine.journey import Journey, JourneyBusy, KnownValue
from tutorial.ui.widgets.footer import SteadyFooter

_SECRET = "•••••• (secret: name only)"


class ValuesScreen(Screen[None]):
    BINDINGS = [
        Binding("escape,v", "close", "Close"),
        Binding("c", "change", "Change"),
        Binding("f,delete", "forget", "Forget"),
    ]
    DEFAULT_CSS = """
    ValuesScreen #about { color: $text-muted; padding: 0 1; height: auto; }
    ValuesScreen DataTable { height: 1fr; margin: 0 1; }
    ValuesScreen #empty { padding: 1 2; }
    """

    def __init__(self, journey: Journey) -> None:
        super().__init__()
        self.journey = journey
        self.title = "Values"
        self.sub_title = journey.manuscript.title
        self.known: list[KnownValue] = []

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label(
            "What the steps use for their placeholders and variables. Enter changes the value, f forgets it "
            "(it is asked again when a step needs it). Secrets are never shown nor saved.",
            id="about",
        )
        table: DataTable[Text | str] = DataTable(cursor_type="row", zebra_stripes=True)
        table.add_columns("name", "value", "where it came from")
        yield table
        yield Label("No values yet: the steps have not asked for any.", id="empty")
        yield SteadyFooter()

    def on_mount(self) -> None:
        self.refresh_values()
        self.query_one(DataTable).focus()

    def refresh_values(self) -> None:
        """Read the values from the engine again and show them, keeping the cursor's row."""
        table: DataTable[Text | str] = self.query_one(DataTable)
        row = table.cursor_row
        self.known = self.journey.known_values()
        table.clear()
        for item in self.known:
            value = Text(_SECRET, style="dim") if item.secret else Text(item.value or "")
            table.add_row(Text(item.name, style="bold"), value, item.origin, key=item.name)
        self.query_one("#empty").display = not self.known
        table.display = bool(self.known)
        if self.known:
            table.move_cursor(row=min(row, len(self.known) - 1))

    def _chosen(self) -> KnownValue | None:
        table: DataTable[Text | str] = self.query_one(DataTable)
        if not self.known:
            return None
        return self.known[min(table.cursor_row, len(self.known) - 1)]

    def action_change(self) -> None:
        item = self._chosen()
        if item is None:
            return

        def changed(value: str | None) -> None:
            if value is None:
                return
            try:
                self.journey.change_value(item.name, value)
            except JourneyBusy as busy:
                self.notify(str(busy), severity="warning")
                return
            self.refresh_values()
            self.notify(f"{item.name} changed", title="Values")

        self.app.push_screen(ChangeValueDialog(item), changed)

    def action_forget(self) -> None:
        item = self._chosen()
        if item is None:
            return
        try:
            self.journey.forget_value(item.name)
        except JourneyBusy as busy:
            self.notify(str(busy), severity="warning")
            return
        self.refresh_values()
        self.notify(f"{item.name} forgotten: asked again when a step needs it", title="Values")

    def action_close(self) -> None:
        self.app.pop_screen()

    @on(DataTable.RowSelected)
    def _selected(self) -> None:
        self.action_change()


class ChangeValueDialog(ModalScreen[str | None]):
    """A new value for one name; a secret's old value is never shown."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]
    DEFAULT_CSS = """
    ChangeValueDialog { align: center middle; }
    ChangeValueDialog > Vertical { width: 90%; max-width: 90; height: auto; border: thick $accent;
        background: $surface; padding: 1 2; }
    ChangeValueDialog .title { text-style: bold; margin-bottom: 1; }
    ChangeValueDialog .question { color: $text-muted; }
    ChangeValueDialog .buttons { height: auto; margin-top: 1; align-horizontal: right; }
    ChangeValueDialog .buttons Button { margin-left: 1; }
    """

    def __init__(self, item: KnownValue) -> None:
        super().__init__()
        self.item = item

    def compose(self) -> ComposeResult:
        item = self.item
        with Vertical():
            yield Label(f"Change {item.name}", classes="title")
            if item.prompt:
                yield Label(item.prompt, classes="question")
            yield Input(value="" if item.secret else item.value or "", password=item.secret, id="new-value")
            with Horizontal(classes="buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Save", id="save", variant="primary")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    @on(Button.Pressed, "#save")
    def _save(self) -> None:
        value = self.query_one(Input).value
        if not value:
            self.notify("Empty: to drop the value, forget it (f) instead.", severity="warning")
            return
        self.dismiss(value)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
