"""The end of a page: every way on as a card, unavailable ones dimmed with their reason."""

from __future__ import annotations

from collections.abc import Mapping

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.events import Click
from textual.screen import Screen
from textual.widgets import Header, Label, Markdown, Static

from tutorial.manuscript.model import Condition, Option, Page, PageKind
from tutorial.ui.messages import OptionChosen
from tutorial.ui.widgets.footer import SteadyFooter


class OptionCard(Vertical, can_focus=True):
    DEFAULT_CSS = """
    OptionCard { height: auto; border: round $panel; padding: 0 1; margin-bottom: 1; }
    OptionCard:focus { border: round $accent; background: $boost; }
    OptionCard.-unavailable { opacity: 55%; }
    OptionCard .label { text-style: bold; }
    OptionCard .note { color: $warning; }
    OptionCard Markdown { margin: 0; padding: 0; }
    """
    BINDINGS = [Binding("enter", "choose", "Choose")]

    def __init__(
        self,
        option: Option,
        number: int,
        about: str = "",
        *,
        caveat_yours: bool = False,
        rule_yours: Condition | None = None,
    ) -> None:
        super().__init__(classes="" if option.available else "-unavailable")
        self.option = option
        self.number = number
        self.about = about  # the target page's own summary, when the choice page describes nothing
        self.caveat_yours = caveat_yours  # the reader said what the caveat's "If" names holds for them
        #: the rule of the page it leads to that leaves this reader out (what they said or chose)
        self.rule_yours = rule_yours

    def compose(self) -> ComposeResult:
        option = self.option
        mark = f"{self.number}. " if option.available else "✗ "
        tag = (f"  · {option.tag}", "italic dim") if option.tag else ""  # "go back", "from the text"
        yield Label(Text.assemble(mark, option.label, tag), classes="label")
        if not option.available:
            yield Static(Text(option.reason or "not available", style="italic"))
        if option.note:
            said = f"⚠ This applies to you ({', '.join(option.caveat_if)}): " if self.caveat_yours else ""
            yield Static(Text(said + option.note), classes="note")
        for rule in option.page_rules:
            said = f"⚠ This applies to you ({rule.subject}): " if rule == self.rule_yours else ""
            yield Static(Text(f"{said}the page says “{rule.quoted}”"), classes="note")
        if option.description:
            yield Markdown(_short(option.description), open_links=False)
        elif self.about:
            yield Static(Text(self.about, style="italic"))

    def action_choose(self) -> None:
        self.post_message(OptionChosen(self.option))

    def on_click(self, event: Click) -> None:
        """A click focuses the option; a double click (or Enter) takes it."""
        self.focus()
        if event.chain >= 2:
            self.action_choose()


def _short(markdown: str) -> str:
    """The description's prose, without its link lists (a card is not the place for them)."""
    kept = [line for line in markdown.splitlines() if not line.lstrip().startswith(("* [", "- [", "[!["))]
    text = "\n".join(kept).strip()
    return text if len(text) < 700 else text[:697].rsplit(" ", 1)[0] + "…"


class ChoiceScreen(Screen[None]):
    BINDINGS = [
        Binding("escape", "back", "Back to the chapter"),
        Binding("j,down", "move(1)", "Down", show=False, priority=True),
        Binding("k,up", "move(-1)", "Up", show=False, priority=True),
        *(Binding(str(n), f"number({n})", f"Option {n}", show=False) for n in range(1, 10)),
        Binding("m", "app.map", "Map"),
        Binding("question_mark", "app.help", "Help"),
    ]
    DEFAULT_CSS = """
    ChoiceScreen VerticalScroll { padding: 1 2; }
    ChoiceScreen .question { text-style: bold; margin-bottom: 1; }
    ChoiceScreen .notes { color: $warning; margin-bottom: 1; }
    """

    def __init__(
        self,
        page: Page,
        route: Option | None = None,
        summaries: dict[str, str] | None = None,
        caveats_yours: frozenset[str] = frozenset(),
        rules_yours: Mapping[str, Condition] | None = None,
    ) -> None:
        """``route``: on a route page, the option an earlier choice leads to (the engine's answer);
        ``caveats_yours``: the labels of the options whose caveat holds for the reader;
        ``rules_yours``: by label, the rule of the page an option leads to that leaves the reader out."""
        super().__init__()
        self.page = page
        self.route = route
        self.summaries = summaries or {}
        self.caveats_yours = caveats_yours
        self.rules_yours = dict(rules_yours or {})
        self.title = page.title
        self.sub_title = "Which way did you go?" if page.kind is PageKind.ROUTE else "What is your choice?"

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll():
            yield Label(self.sub_title or "", classes="question")
            loose = [n for n in self.page.notes if not any(n in o.note for o in self.page.options)]
            if loose:
                yield Static("\n".join(loose), classes="notes")
            for number, option in enumerate(self.page.options, 1):
                about = self.summaries.get(option.target or "", "")
                yield OptionCard(
                    option,
                    number,
                    about,
                    caveat_yours=option.label in self.caveats_yours,
                    rule_yours=self.rules_yours.get(option.label),
                )
        yield SteadyFooter()

    def on_mount(self) -> None:
        cards = list(self.query(OptionCard))
        preferred = None
        if self.route is not None:  # the way that follows from an earlier choice
            preferred = next((c for c in cards if c.option == self.route), None)
        preferred = preferred or next((c for c in cards if c.option.available), None)
        if preferred is not None:
            preferred.focus()

    def action_move(self, delta: int) -> None:
        cards = list(self.query(OptionCard))
        if not cards:
            return
        current = self.focused if isinstance(self.focused, OptionCard) else cards[0]
        index = cards.index(current) if current in cards else 0
        target = cards[(index + delta) % len(cards)]
        target.focus()
        target.scroll_visible()

    def action_number(self, number: int) -> None:
        """A number key takes the option with that number (an unavailable one says why not)."""
        cards = list(self.query(OptionCard))
        if 0 < number <= len(cards):
            cards[number - 1].focus()
            cards[number - 1].action_choose()

    def action_back(self) -> None:
        self.app.pop_screen()

    @on(OptionChosen)
    def _chosen(self, message: OptionChosen) -> None:
        option = message.option
        if not option.available or option.target is None:
            self.app.bell()
            self.notify(option.reason or "This option cannot be taken yet.", severity="warning")
            return
        self.app.choose(self.page, option)  # type: ignore[attr-defined]
