"""One step of a chapter, in its place in the prose: code, badges, status, checks, actions."""

from __future__ import annotations

from collections.abc import Mapping

from rich.style import Style
from rich.syntax import Syntax
from rich.text import Span, Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.reactive import reactive
from textual.widgets import Static

from tutorial.engine.chapter import StepView
from tutorial.engine.marks import MARKS, check_mark
from tutorial.engine.results import StepOutcome
from tutorial.manuscript.model import ConditionKind, Step, StepStatus
from tutorial.manuscript.placeholders import Located, locate
from tutorial.ui.messages import StepAction


def highlighted(code: str, step: Step, values: Mapping[str, str], theme: str) -> Text:
    """The code with syntax colours, each ``[...]`` shown as its variable and current value."""
    lines = code.splitlines() or [""]
    spans: list[tuple[int, int, bool]] = []  # (start, end, known) in the display text
    by_line: dict[int, list[Located]] = {}
    for spot in locate(code, step.placeholders):  # where they are in this code, even after an edit
        by_line.setdefault(spot.line, []).append(spot)
    offset = 0
    shown_lines = []
    for index, line in enumerate(lines):
        for spot in sorted(by_line.get(index, []), key=lambda s: s.column, reverse=True):
            column, placeholder = spot.column, spot.placeholder
            value = None if placeholder is None else values.get(placeholder.name)
            if placeholder is None:  # an edit added it: it will not run
                token = "<write a value here>"
            elif value is None:
                token = f"<{placeholder.name}>"
            else:
                token = f"<{placeholder.name}={'••••••' if placeholder.secret else value}>"
            line = line[:column] + token + line[column + 5 :]
            spans.append((offset + column, offset + column + len(token), value is not None))
        shown_lines.append(line)
        offset += len(line) + 1
    display = "\n".join(shown_lines)
    text = Syntax(display, "bash", theme=theme, background_color="default", word_wrap=True).highlight(display)
    text.rstrip()
    text.style = ""
    text.spans = [Span(span.start, span.end, _without_background(span.style)) for span in text.spans]
    for start, end, known in spans:
        text.stylize("bold black on green" if known else "bold black on yellow", start, end)
    return text


def _without_background(style: str | Style) -> Style:
    """Token colours only: the card's own background shows through the code."""
    parsed = style if isinstance(style, Style) else Style.parse(style)
    return Style(color=parsed.color, bold=parsed.bold, italic=parsed.italic, underline=parsed.underline)


class StepCard(Vertical, can_focus=True):
    """A focusable card that renders the engine's :class:`StepView` of its step; its links post :class:`StepAction`.

    The card keeps no state of its own: the screen sets :attr:`view` from the engine whenever
    the step's status, code, values or outcome change.
    """

    DEFAULT_CSS = """
    StepCard { height: auto; margin: 0 0 1 0; padding: 0 1; border: round $panel; background: $surface; }
    StepCard.-passed { border: round $success 60%; }
    StepCard.-failed { border: round $error; }
    StepCard.-running { border: round $warning; }
    StepCard.-skipped, StepCard.-inactive { opacity: 80%; }
    StepCard:focus { border: thick $accent; background: $boost; opacity: 100%; }
    StepCard:focus .step-head { text-style: bold; }
    StepCard .step-head { height: auto; }
    StepCard .code { height: auto; margin: 0 0 0 1; }
    StepCard .result { height: auto; }
    """

    view: reactive[StepView | None] = reactive(None, layout=True)

    def __init__(self, view: StepView) -> None:
        super().__init__(id=f"step-{view.step.index}")
        self.step = view.step
        self.set_reactive(StepCard.view, view)

    # what the card shows, read from the engine's view
    @property
    def shown(self) -> StepView:
        assert self.view is not None
        return self.view

    @property
    def status(self) -> StepStatus:
        return self.shown.status

    @property
    def outcome(self) -> StepOutcome | None:
        return self.shown.outcome

    @property
    def edited(self) -> str | None:
        return self.shown.code if self.shown.edited else None

    @property
    def code(self) -> str:
        return self.shown.code

    @property
    def inactive_reason(self) -> str:
        return self.shown.not_applying

    @property
    def assumable(self) -> tuple[str, ...]:
        return self.shown.assumable

    @property
    def needs_terminal(self) -> str:
        return self.shown.needs_terminal

    @property
    def default_action(self) -> str:
        """What ``r`` does: "terminal" for a step that needs a real terminal, else "run"."""
        return self.shown.default_action

    def compose(self) -> ComposeResult:
        yield Static(self._head(), classes="step-head")
        yield Static(self._code_text(), classes="code")
        yield Static(self._result_text(), classes="result")
        yield ActionBar(self)

    def _head(self) -> Text:
        step = self.step
        title = f"Step {step.index + 1}"
        if step.parts > 1:
            title += f" (part {step.part + 1} of {step.parts})"
        text = Text(f"{title} · line {step.line}   ", style="dim")
        text.append_text(self._badges())
        return text

    def _badges(self) -> Text:
        text = Text()
        mark = MARKS[self.status]
        if self.step.optional:
            text.append(f" {self.step.section} ", style="black on red")
            text.append(" ")
        for condition in self.step.conditions:
            if condition.kind is ConditionKind.PROCEED_IF:
                continue
            text.append(f" {condition.badge} ", style="black on magenta")
            text.append(" ")
        if self.shown.edited:
            text.append(" edited ", style="black on cyan")
            text.append(" ")
        if not self.step.runnable:
            text.append(" not runnable ", style="black on grey50")
            text.append(" ")
        elif self.needs_terminal:
            text.append(" needs a terminal ", style="black on dark_orange")
            text.append(" ")
        text.append(f"{mark.icon} {self.status.value}", style=mark.style)
        return text

    def _code_text(self) -> Text:
        theme = "ansi_dark" if self.app.current_theme.dark else "ansi_light"
        return highlighted(self.code, self.step, self.shown.values, theme)

    def _result_text(self) -> Text:
        text = Text()
        if not self.step.runnable:
            text.append(f"Not run: {self.step.not_runnable_reason}", style="dim")
            return text
        if self.inactive_reason and self.outcome is None:
            text.append(f"Does not apply to your path ({self.inactive_reason}); you can still run it.", style="dim")
        if self.needs_terminal and self.outcome is None:
            text.append("\n" if text else "")
            text.append(f"Runs in your terminal: {self.needs_terminal}.", style="dark_orange")
            if self.step.runs_until_stopped:
                text.append(" It runs until you stop it (Ctrl+C there, or x here).", style="dark_orange")
        outcome = self.outcome
        if outcome is None:
            for left in self.shown.left_out:  # after a run, the outcome's notes say the same
                text.append("\n" if text else "")
                text.append(f"! {left}", style="yellow")
            return text
        if outcome.message:
            style = "red" if outcome.status is StepStatus.FAILED else "dim"
            text.append(outcome.message, style=style)
        for check in outcome.checks:
            text.append("\n" if text else "")
            look = check_mark(check.passed)
            text.append(f"{look.icon} {check.message}", style=look.style)
        for note in outcome.notes:
            text.append("\n" if text else "")
            text.append(f"! {note}", style="yellow")
        return text

    def watch_view(self, old: StepView | None, view: StepView | None) -> None:
        if view is None:
            return
        self._classes_for(view)
        if not self.is_mounted:
            return
        self.query_one(".step-head", Static).update(self._head())
        if old is None or (old.code, old.values) != (view.code, view.values):
            self.query_one(".code", Static).update(self._code_text())  # highlighting is the costly part
        self.query_one(".result", Static).update(self._result_text())
        self.query_one(ActionBar).refresh_actions()

    def _classes_for(self, view: StepView) -> None:
        for status in StepStatus:
            self.set_class(status is view.status, f"-{status.value}")
        self.set_class(bool(view.not_applying), "-inactive")

    def on_mount(self) -> None:
        self._classes_for(self.shown)  # the parts themselves were composed from the same view

    def act(self, action: str) -> None:
        self.focus()
        self.post_message(StepAction(self.step, action))


class ActionBar(Static):
    """The card's actions as clickable words: far lighter than a row of buttons.

    On a narrow card the words collapse to their keys, so the line never runs out of the card.
    """

    DEFAULT_CSS = """
    ActionBar { height: auto; color: $text-muted; }
    """

    #: below this many columns the actions are shown as keys only
    COMPACT_BELOW = 76

    def __init__(self, card: StepCard) -> None:
        super().__init__(classes="actions")
        self.card = card
        self._compact = False

    def on_mount(self) -> None:
        self.refresh_actions()

    def on_resize(self, event: events.Resize) -> None:
        if self._compact != self._narrow():  # only a change of form is worth a new layout
            self.refresh_actions()

    def _narrow(self) -> bool:
        return 0 < self.size.width < self.COMPACT_BELOW

    def refresh_actions(self) -> None:
        self._compact = self._narrow()
        self.update("   ".join(label for label in self._parts(self._compact)))

    def _parts(self, compact: bool) -> list[str]:
        card = self.card
        status = card.status

        def link(action: str, words: str, key: str, short: str) -> str:
            shown = f"{key} {short}" if compact else f"{words} ({key})"
            return f"[@click=act('{action}')]{shown}[/]"

        if status is StepStatus.RUNNING:
            until = " · runs until you stop it: press x to stop" if card.step.runs_until_stopped else ""
            return [f"[b]running…[/b]{until}", link("interrupt", "■ Interrupt", "x", "interrupt")]
        if card.default_action == "terminal":
            first = f"[b reverse] {link('terminal', '▶ Run in my terminal', 'r', 'run in my terminal')} [/]"
            parts = [first, link("skip", "Skip", "s", "skip"), link("edit", "Edit", "e", "edit")]
            parts.append(link("run_here", "Run here anyway", "h", "here"))
        else:
            run = "↻ Retry" if status is StepStatus.FAILED else "▶ Run"
            first = f"[b reverse] {link('run', run, 'r', run.split()[-1].lower())} [/]"
            parts = [first, link("skip", "Skip", "s", "skip"), link("edit", "Edit", "e", "edit")]
            parts.append(link("terminal", "In my terminal", "t", "terminal"))
        if status is StepStatus.FAILED:
            parts.append(f"[$warning]{link('override', 'Mark as done', 'o', 'mark done')}[/]")
        if card.assumable and status is StepStatus.PENDING:
            parts.append(link("assume", "What holds for you…", "w", "what holds"))
        return parts

    def action_act(self, action: str) -> None:
        self.card.act(action)
