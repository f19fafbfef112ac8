"""One step of a chapter, in its place in the prose: code, badges, status, checks, actions."""

from __future__ import annotations

from collections.abc import Mapping

from rich.style import Style
from rich.syntax import Syntax
from rich.text import Span, Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.reactive import reactive
from textual.widgets import Static

from tutorial.engine.results import StepOutcome, StepStatus
from tutorial.manuscript.model import ConditionKind, Step
from tutorial.manuscript.placeholders import Located, locate
from tutorial.ui.messages import StepAction

ICONS = {
    StepStatus.PENDING: ("○", "pending"),
    StepStatus.RUNNING: ("◐", "running"),
    StepStatus.PASSED: ("✔", "passed"),
    StepStatus.FAILED: ("✘", "failed"),
    StepStatus.SKIPPED: ("⤼", "skipped"),
    StepStatus.OVERRIDDEN: ("✔", "overridden"),
}


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
    """A focusable card; its buttons post :class:`StepAction`."""

    DEFAULT_CSS = """
    StepCard { height: auto; margin: 0 0 1 0; padding: 0 1; border: round $panel; background: $surface; }
    StepCard:focus { border: round $accent; }
    StepCard.-passed { border: round $success 60%; }
    StepCard.-failed { border: round $error; }
    StepCard.-running { border: round $warning; }
    StepCard.-skipped, StepCard.-inactive { opacity: 80%; }
    StepCard .step-head { height: 1; }
    StepCard .code { height: auto; margin: 0 0 0 1; }
    StepCard .result { height: auto; }
    """

    status: reactive[StepStatus] = reactive(StepStatus.PENDING)

    def __init__(
        self,
        step: Step,
        *,
        values: Mapping[str, str] | None = None,
        edited: str | None = None,
        applies: str = "",
        assumable: tuple[str, ...] = (),
        needs_terminal: str = "",
    ) -> None:
        super().__init__(id=f"step-{step.index}")
        self.step = step
        self.values = dict(values or {})
        self.edited = edited
        self.inactive_reason = applies  # why the step does not apply to this reader's path ("" = it does)
        self.assumable = assumable  # what the reader could say holds to make it apply ("assume X to run it")
        self.needs_terminal = needs_terminal  # why it must run in the reader's terminal ("" = it need not)
        self.outcome: StepOutcome | None = None

    @property
    def code(self) -> str:
        return self.edited if self.edited is not None else self.step.code

    @property
    def default_action(self) -> str:
        """What ``r`` does: "terminal" for a step that needs a real terminal, else "run"."""
        return "terminal" if self.needs_terminal else "run"

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
        icon, word = ICONS[self.status]
        style = {
            "passed": "green",
            "failed": "bold red",
            "running": "yellow",
            "skipped": "dim",
            "overridden": "yellow",
            "pending": "dim",
        }[word]
        for condition in self.step.conditions:
            if condition.kind is ConditionKind.PROCEED_IF:
                continue
            text.append(f" {condition.badge} ", style="black on magenta")
            text.append(" ")
        if self.edited is not None:
            text.append(" edited ", style="black on cyan")
            text.append(" ")
        if not self.step.runnable:
            text.append(" not runnable ", style="black on grey50")
            text.append(" ")
        elif self.needs_terminal:
            text.append(" needs a terminal ", style="black on dark_orange")
            text.append(" ")
        text.append(f"{icon} {word}", style=style)
        return text

    def _code_text(self) -> Text:
        theme = "ansi_dark" if self.app.current_theme.dark else "ansi_light"
        return highlighted(self.code, self.step, self.values, theme)

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
            return text
        if outcome.message:
            style = "red" if outcome.status is StepStatus.FAILED else "dim"
            text.append(outcome.message, style=style)
        for check in outcome.checks:
            text.append("\n" if text else "")
            text.append(("✔ " if check.passed else "✘ ") + check.message, style="green" if check.passed else "red")
        for note in outcome.notes:
            text.append("\n" if text else "")
            text.append(f"! {note}", style="yellow")
        return text

    def watch_status(self, status: StepStatus) -> None:
        for word in ("passed", "failed", "running", "skipped", "overridden", "pending"):
            self.remove_class(f"-{word}")
        self.add_class(f"-{ICONS[status][1]}")
        if not self.is_mounted:
            return
        self.query_one(".step-head", Static).update(self._head())
        self.query_one(ActionBar).refresh_actions()

    def on_mount(self) -> None:
        self.set_class(bool(self.inactive_reason), "-inactive")
        self.add_class(f"-{ICONS[self.status][1]}")

    def show(self, outcome: StepOutcome) -> None:
        self.outcome = outcome
        self.status = outcome.status
        self.query_one(".result", Static).update(self._result_text())

    def decided(self, applies: str, assumable: tuple[str, ...]) -> None:
        """The engine decided again (the reader said what holds for them)."""
        self.inactive_reason, self.assumable = applies, assumable
        self.set_class(bool(applies), "-inactive")
        if self.is_mounted:
            self.query_one(".result", Static).update(self._result_text())
            self.query_one(ActionBar).refresh_actions()

    def refresh_code(self) -> None:
        self.query_one(".code", Static).update(self._code_text())
        self.query_one(".step-head", Static).update(self._head())
        self.query_one(".result", Static).update(self._result_text())
        self.query_one(ActionBar).refresh_actions()

    def act(self, action: str) -> None:
        self.focus()
        self.post_message(StepAction(self.step, action))


class ActionBar(Static):
    """The card's actions as one line of clickable words: far lighter than a row of buttons."""

    DEFAULT_CSS = """
    ActionBar { height: 1; color: $text-muted; }
    """

    def __init__(self, card: StepCard) -> None:
        super().__init__(classes="actions")
        self.card = card

    def on_mount(self) -> None:
        self.refresh_actions()

    def refresh_actions(self) -> None:
        status = self.card.status
        if status is StepStatus.RUNNING:
            until = " · runs until you stop it: press x to stop" if self.card.step.runs_until_stopped else ""
            self.update(f"[b]running…[/b]  [@click=act('interrupt')]■ interrupt (x)[/]{until}")
            return
        if self.card.default_action == "terminal":
            parts = [
                "[b reverse] [@click=act('terminal')]▶ Run in my terminal (r)[/] [/]",
                "[@click=act('skip')]Skip (s)[/]",
                "[@click=act('edit')]Edit (e)[/]",
                "[@click=act('run_here')]Run here anyway (h)[/]",
            ]
        else:
            run = "↻ Retry (r)" if status is StepStatus.FAILED else "▶ Run (r)"
            parts = [
                f"[b reverse] [@click=act('run')]{run}[/] [/]",
                "[@click=act('skip')]Skip (s)[/]",
                "[@click=act('edit')]Edit (e)[/]",
                "[@click=act('terminal')]In my terminal (t)[/]",
            ]
        if status is StepStatus.FAILED:
            parts.append("[$warning][@click=act('override')]Mark as done (o)[/][/]")
        if self.card.assumable and status is StepStatus.PENDING:
            parts.append("[@click=act('assume')]What holds for you… (w)[/]")
        self.update("   ".join(parts))

    def action_act(self, action: str) -> None:
        self.card.act(action)
