"""A chapter: its prose rendered, each step a card in place, live output, and the way on."""

from __future__ import annotations

import threading

from rich.text import Text
from textual import on, work
from textual.actions import SkipAction
from textual.app import ComposeResult, SuspendNotSupported
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, Footer, Header, Label

from tutorial.checks.requirements import evaluate, requirements
from tutorial.engine.journey import Journey, MissingValues
from tutorial.engine.results import StepOutcome, StepStatus
from tutorial.engine.selection import select_steps
from tutorial.engine.variables import lookup
from tutorial.manuscript.layout import Prose, segments
from tutorial.manuscript.model import Page, PageKind, Step
from tutorial.progress.state import DONE
from tutorial.ui.in_terminal import run_in_my_terminal
from tutorial.ui.messages import AnswerTyped, StepAction, StepFinished, ValuesNeeded
from tutorial.ui.output_buffer import OutputBuffer
from tutorial.ui.widgets.outline import Outline
from tutorial.ui.widgets.output_panel import OutputPanel
from tutorial.ui.widgets.prerequisites import PrerequisitesPanel
from tutorial.ui.widgets.prose import ProseBlock
from tutorial.ui.widgets.step_card import StepCard

_SUMMARY_STYLE = {
    StepStatus.PASSED: "bold green",
    StepStatus.FAILED: "bold red",
    StepStatus.SKIPPED: "dim",
    StepStatus.OVERRIDDEN: "yellow",
}


class NextPanel(Vertical):
    """The end of the page: the way on (continue, choose) or the end of the adventure."""

    DEFAULT_CSS = """
    NextPanel { height: auto; padding: 0 1; margin: 1 0; border: round $accent; }
    NextPanel Label { width: 1fr; }
    NextPanel Button { margin-top: 1; }
    """

    def __init__(self, page: Page) -> None:
        super().__init__(id="next")
        self.page = page

    def compose(self) -> ComposeResult:
        page = self.page
        if page.kind is PageKind.END:
            yield Label(
                Text.assemble(
                    ("The end of this path. ", "bold"), " ".join(page.notes) or "There is no next chapter yet."
                )
            )
            yield Button("Open the map (m)", id="open-map")
        elif page.kind is PageKind.CHAPTER:
            option = next(o for o in page.options if o.target)
            tag = (f"  · {option.tag}", "italic dim") if option.tag else ""  # "go back", "from the text"
            yield Label(Text.assemble(("Continue the adventure: ", "bold"), option.label, tag))
            yield Button(f"▶ {option.label} (n)", id="go-next", variant="success")
        else:
            word = "Which way did you go?" if page.kind is PageKind.ROUTE else "What is your choice?"
            yield Label(Text.assemble((word, "bold"), f"  {len([o for o in page.options if o.available])} options"))
            yield Button("▶ Choose the next chapter (n)", id="go-next", variant="success")


class ChapterScreen(Screen[None]):
    AUTO_FOCUS = None  # the step to resume is focused once, on mount: each focus change redraws the footer
    BINDINGS = [
        Binding("r", "run", "Run"),
        Binding("a", "run_all", "Run section"),
        Binding("s", "skip", "Skip"),
        Binding("e", "edit", "Edit", show=False),
        Binding("t", "terminal", "In terminal", show=False),
        Binding("h", "run_here", "Run here anyway", show=False),
        Binding("o", "override", "Mark done", show=False),
        Binding("w", "assume", "What holds", show=False),
        Binding("x", "interrupt", "Interrupt"),
        # ctrl+c interrupts even while the answer line has the focus (where x is just a letter)
        Binding("ctrl+c", "interrupt_running", "Interrupt", show=False, priority=True),
        Binding("n", "next", "Next"),
        Binding("j", "step(1)", "Next step", show=False),
        Binding("k", "step(-1)", "Previous step", show=False),
        Binding("m", "app.map", "Map"),
        Binding("b", "toggle_outline", "Outline", show=False),
        Binding("question_mark", "app.help", "Help"),
    ]

    DEFAULT_CSS = """
    ChapterScreen #body { height: 1fr; }
    ChapterScreen #content { width: 1fr; padding: 0 1; }
    ChapterScreen ProseBlock { margin: 0 0 1 0; }
    ChapterScreen.-narrow Outline { display: none; }
    ChapterScreen.-short OutputPanel { height: 7; }
    ChapterScreen.-narrow.-outline Outline { display: block; }
    """

    def __init__(self, journey: Journey, page: Page) -> None:
        super().__init__()
        self.journey = journey
        self.page = page
        self.buffer = OutputBuffer()
        self.cancel = threading.Event()
        self.cards: dict[int, StepCard] = {}
        self._widgets: list[Widget] | None = None
        self.title = page.title
        self.sub_title = journey.manuscript.title

    # -- building -------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        self._narrow(self.app.size.width)  # before the children exist: a class change restyles them all
        yield Header()
        with Horizontal(id="body"):
            yield Outline(self.page)
            with VerticalScroll(id="content"):
                yield PrerequisitesPanel()
                widgets = self._content()
                yield from widgets[: self._first_screenful(widgets)]
        yield OutputPanel(self.buffer, id="output")
        yield Footer()

    def _content(self) -> list[Widget]:
        if self._widgets is None:
            self._widgets = []
            for segment in segments(self.page):
                if isinstance(segment, Prose):
                    self._widgets.append(ProseBlock(segment.markdown))
                else:
                    card = self._card(segment.step)
                    self.cards[segment.step.index] = card
                    self._widgets.append(card)
            self._widgets.append(NextPanel(self.page))
        return self._widgets

    @staticmethod
    def _first_screenful(widgets: list[Widget]) -> int:
        """How many widgets fill the first screen: those are mounted before the first paint."""
        cards = 0
        for count, widget in enumerate(widgets, 1):
            cards += isinstance(widget, StepCard)
            if cards >= 2 or count >= 6:
                return count
        return len(widgets)

    @property
    def settled(self) -> bool:
        """Every part of the page is mounted and its prerequisites were checked."""
        content = self._widgets or []
        return all(w.is_mounted for w in content) and self.query_one(PrerequisitesPanel).checked

    def _card(self, step: Step) -> StepCard:
        sources = self.journey.value_sources()
        values = {p.name: v for p in step.placeholders if (v := lookup(p.name, sources)) is not None}
        decision = self.journey.decide(step)
        edited = self.journey.edited(step)
        return StepCard(
            step,
            values=values,
            edited=edited,
            applies="" if decision.applies else decision.reason,
            assumable=decision.assumable,
            needs_terminal=self.journey.needs_terminal(step, edited) if step.runnable else "",
        )

    def redecide(self) -> None:
        """Decide every step again: what holds for the reader changed."""
        for card in self.cards.values():
            decision = self.journey.decide(card.step)
            card.decided("" if decision.applies else decision.reason, decision.assumable)

    def on_mount(self) -> None:
        state = self.journey.progress.state
        for step in self.page.steps:
            record = state.record(step)
            if record is not None and record.status in {s.value for s in StepStatus}:
                self.cards[step.index].status = StepStatus(record.status)
                self.query_one(Outline).mark(step, StepStatus(record.status))
        resume = self.journey.resume_step(self.page)
        target = self.cards.get(resume.index) if resume is not None else None
        if target is not None and target.is_mounted:
            target.focus()
        self.set_timer(0.05, self._after_first_paint)  # after the first frame has gone to the terminal

    async def _after_first_paint(self) -> None:
        """The rest of the page, the resume position and the prerequisites, once the top is on screen."""
        widgets = self._content()
        later = [w for w in widgets if not w.is_mounted and w.parent is None]
        if later:
            await self.query_one("#content", VerticalScroll).mount_all(later)
        resume = self.journey.resume_step(self.page)
        target = self.cards.get(resume.index) if resume is not None else None
        if target is not None:
            if not target.has_focus:
                target.focus()
            if target.step.index:
                target.scroll_visible(top=True, animate=False)
        else:
            self.query_one(NextPanel).query_one(Button).focus()
        self.set_timer(0.5, self._check_prerequisites)

    def on_resize(self) -> None:
        self._narrow(self.app.size.width)

    def _narrow(self, width: int) -> None:
        narrow, short = width < 100, self.app.size.height < 30
        if self.has_class("-narrow") != narrow or self.has_class("-short") != short:
            self.set_class(narrow, "-narrow")
            self.set_class(short, "-short")

    @work(thread=True, group="prerequisites", exit_on_error=False)
    def _check_prerequisites(self) -> None:
        manuscript = self.journey.manuscript
        findings = evaluate(requirements(manuscript, [self.page]))
        self.app.call_from_thread(self.query_one(PrerequisitesPanel).show, findings)

    # -- which step ----------------------------------------------------------------------------

    def current(self) -> StepCard | None:
        """The focused step (or the card a focused button belongs to), else the first one left to do."""
        node = self.focused
        while node is not None and not isinstance(node, StepCard):
            node = node.parent if isinstance(node.parent, Widget) else None
        if isinstance(node, StepCard):
            return node
        pending = [c for c in self.cards.values() if c.status.value not in DONE]
        return pending[0] if pending else None

    def action_step(self, delta: int) -> None:
        cards = list(self.cards.values())
        if not cards:
            return
        current = self.current()
        index = cards.index(current) if current in cards else -1
        target = cards[max(0, min(len(cards) - 1, index + delta))]
        target.focus()
        target.scroll_visible()

    def action_toggle_outline(self) -> None:
        self.toggle_class("-outline")

    # -- running -------------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return self.query_one(OutputPanel).running

    def action_run(self, force: bool = True) -> None:
        """Run the current step: in the reader's terminal when it needs one, else here."""
        card = self.current()
        if card is None:
            self.notify("Every step of this page is done. Press n for the next chapter.")
            return
        if card.default_action == "terminal":
            self.action_terminal()
            return
        self._start([card.step], force=force)

    def action_run_here(self) -> None:
        """Run a step that needs a real terminal in the app anyway (a watcher shown here, x stops it)."""
        card = self.current()
        if card is None:
            return
        self._start([card.step], force=True, here_anyway=True)

    def action_run_all(self) -> None:
        card = self.current()
        if card is None:
            return
        section = [
            step
            for step in select_steps(self.page, [card.step.section])
            if step.index >= card.step.index and self.cards[step.index].status.value not in DONE
        ]
        self._start(section, force=False)

    def _start(self, steps: list[Step], *, force: bool, here_anyway: bool = False) -> None:
        if self.journey.read_only:
            self.app.bell()
            self.notify(
                "Read-only: another cncf-adventure is using this work directory, so nothing runs here.",
                severity="warning",
            )
            return
        if self.busy:
            self.app.bell()
            self.notify("A step is running: wait for it, or press x or ctrl+c to interrupt it.", severity="warning")
            return
        self.cancel = threading.Event()
        self._run_steps(steps, force, here_anyway)

    @work(thread=True, exclusive=True, group="steps", exit_on_error=False)
    def _run_steps(self, steps: list[Step], force: bool, here_anyway: bool = False) -> None:
        for position, step in enumerate(steps):
            card = self.cards[step.index]
            self.app.call_from_thread(self._began, step)
            try:
                outcome = self.journey.run_step(
                    step,
                    code=card.edited,
                    on_output=self.buffer.write,
                    cancel=self.cancel,
                    force=force,
                    here_anyway=here_anyway,
                )
            except MissingValues as error:
                self.post_message(ValuesNeeded(step, error.missing))
                self.app.call_from_thread(self._aborted, step, steps[position:], force)
                return
            except Exception as error:  # noqa: BLE001 - shown on the card, never swallowed
                outcome = StepOutcome(step, StepStatus.FAILED, message=f"could not run the step: {error}")
            self.post_message(StepFinished(outcome))
            if outcome.status is StepStatus.FAILED or self.cancel.is_set():
                return

    def _began(self, step: Step) -> None:
        card = self.cards[step.index]
        card.status = StepStatus.RUNNING
        self.query_one(Outline).mark(step, StepStatus.RUNNING)
        title = f"step {step.index + 1} · {step.first_line[:50]}"
        if step.runs_until_stopped:
            title += " · runs until you stop it: press x to stop"
        self.query_one(OutputPanel).begin(title, self.journey.options.timeout)

    def _aborted(self, step: Step, remaining: list[Step], force: bool) -> None:
        self._pending = (remaining, force)
        card = self.cards[step.index]
        card.status = StepStatus.PENDING
        self.query_one(Outline).mark(step, StepStatus.PENDING)
        self.query_one(OutputPanel).end(Text("waiting for values…", style="dim"))

    @on(StepFinished)
    def _finished(self, message: StepFinished) -> None:
        outcome = message.outcome
        card = self.cards[outcome.step.index]
        card.show(outcome)
        self.query_one(Outline).mark(outcome.step, outcome.status)
        summary = f"{outcome.status.value}" + (f": {outcome.message.splitlines()[0]}" if outcome.message else "")
        self.query_one(OutputPanel).end(Text(summary, style=_SUMMARY_STYLE.get(outcome.status, "")))
        if outcome.status in (StepStatus.PASSED, StepStatus.SKIPPED):
            following = [
                c for c in self.cards.values() if c.step.index > outcome.step.index and c.status.value not in DONE
            ]
            if following:
                following[0].focus()
                following[0].scroll_visible()
            elif all(c.status.value in DONE for c in self.cards.values()):
                self.query_one(NextPanel).scroll_visible()
                self.query_one(NextPanel).query_one(Button).focus()
                self.notify("Every step of this page is done. Press n to go on.", title="Chapter complete")
        elif outcome.status is StepStatus.FAILED:
            card.focus()

    @on(ValuesNeeded)
    def _values_needed(self, message: ValuesNeeded) -> None:
        from tutorial.ui.screens.dialogs import PlaceholderDialog

        def given(values: dict[str, str] | None) -> None:
            if not values:
                self.notify("Not run: the step needs those values.", severity="warning")
                return
            self.journey.supply(values, message.missing)
            for card in self.cards.values():
                card.values.update(
                    {k: v for k, v in values.items() if any(p.name == k for p in card.step.placeholders)}
                )
                card.refresh_code()
            remaining, force = getattr(self, "_pending", ([message.step], True))
            self._start(remaining, force=force)

        self.app.push_screen(PlaceholderDialog(message.step, message.missing), given)

    @on(AnswerTyped)
    def _answer(self, message: AnswerTyped) -> None:
        session = self.journey.session
        if not session.running:
            return
        if message.end_of_input:
            session.send_eof()
        else:
            self.journey.reply(message.text, secret=message.secret)

    def action_interrupt_running(self) -> None:
        """ctrl+c: interrupt the running step; otherwise the key does what it does elsewhere (copy)."""
        if not self.busy:
            raise SkipAction()
        self.action_interrupt()

    def action_interrupt(self) -> None:
        if not self.busy:
            self.notify("Nothing is running.")
            return
        self.cancel.set()
        self.notify("Interrupting the step…")

    def action_skip(self) -> None:
        card = self.current()
        if card is None or self.busy:
            return
        self.post_message(StepFinished(self.journey.skip(card.step)))

    def action_override(self) -> None:
        card = self.current()
        if card is None or card.status is not StepStatus.FAILED:
            self.notify("Only a failed step can be marked as done.", severity="warning")
            return
        self.post_message(StepFinished(self.journey.override(card.step)))

    def action_edit(self) -> None:
        from tutorial.ui.screens.dialogs import EditStepScreen

        card = self.current()
        if card is None or self.busy:
            return

        def saved(code: str | None) -> None:
            if code is None:
                return
            self.journey.edit(card.step, code)
            card.edited = self.journey.edited(card.step)
            card.needs_terminal = self.journey.needs_terminal(card.step, card.edited)
            card.refresh_code()

        self.app.push_screen(EditStepScreen(card.step, card.code), saved)

    def action_terminal(self) -> None:
        card = self.current()
        if card is None or self.busy:
            return
        try:
            outcome = run_in_my_terminal(
                self.app,
                self.journey,
                card.step,
                code=card.edited,
                heading=f"{self.page.title} · step {card.step.index + 1}",
                banner=self._terminal_banner(card),
                output=self.buffer.write,
            )
        except MissingValues as error:
            self._pending = ([card.step], True)
            self.post_message(ValuesNeeded(card.step, error.missing))
            return
        except SuspendNotSupported:  # in a browser (`serve`): no terminal of the reader's to hand over
            self.notify(
                "There is no terminal to hand this step to here (the app runs in a browser). "
                "Press h to run it in the app anyway, or run it in a terminal of your own.",
                title="Not run",
                severity="warning",
            )
            return
        self.post_message(StepFinished(outcome))

    def _terminal_banner(self, card: StepCard) -> list[str]:
        """Why the step runs here, what to type in its nested shells, how to stop it."""
        lines = []
        if card.needs_terminal:
            lines.append(f"   It needs a terminal: {card.needs_terminal}.")
        lines.extend(f"   {note}" for note in self.journey.terminal_guide(card.step, card.edited))
        if card.step.runs_until_stopped:
            lines.append("   It runs until you stop it: press Ctrl+C to stop it and come back.")
        return lines

    @on(StepAction)
    def _card_action(self, message: StepAction) -> None:
        card = self.cards[message.step.index]
        card.focus()
        {
            "run": self.action_run,
            "skip": self.action_skip,
            "edit": self.action_edit,
            "terminal": self.action_terminal,
            "run_here": self.action_run_here,
            "override": self.action_override,
            "interrupt": self.action_interrupt,
            "assume": self.action_assume,
        }[message.action]()

    def action_assume(self) -> None:
        """Say what holds for you, starting at what the focused step waits for."""
        card = self.current()
        wanted = card.assumable[0] if card is not None and card.assumable else ""
        self.app.action_assumptions(wanted.removeprefix("not "))  # type: ignore[attr-defined]

    # -- the way on ----------------------------------------------------------------------------

    def action_next(self) -> None:
        self.app.go_on(self.page)  # type: ignore[attr-defined]

    @on(Button.Pressed, "#go-next")
    def _next_pressed(self) -> None:
        self.action_next()

    @on(Button.Pressed, "#open-map")
    def _map_pressed(self) -> None:
        self.app.action_map()  # type: ignore[attr-defined]
