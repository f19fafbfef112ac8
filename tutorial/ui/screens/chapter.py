"""A chapter: its prose rendered, each step a card in place, live output, and the way on.

The screen renders the engine's :class:`~tutorial.engine.chapter.Chapter` and asks it to act;
what is done, what runs next and when the chapter is complete are the engine's answers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import events, on
from textual._time import get_time
from textual.actions import SkipAction
from textual.app import ComposeResult, SuspendNotSupported
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, Header

from tutorial.checks.requirements import Finding
from tutorial.engine.chapter import Chapter, NotFailed, StepBusy
from tutorial.engine.journey import Journey, MissingValues
from tutorial.engine.marks import MARKS
from tutorial.manuscript.model import Page, Step
from tutorial.ui.frame import ACTING, CHAPTER_CSS, CHAPTER_KEYS, OUTPUT_BOX_SHORT, chapter_keys, fit
from tutorial.ui.handover import run_in_terminal
from tutorial.ui.messages import (
    AnswerLeft,
    AnswerTyped,
    RunHow,
    StepAction,
    StepFinished,
    StepsEnded,
    ValuesNeeded,
)
from tutorial.ui.output_buffer import OutputBuffer
from tutorial.ui.screens.chapter_content import first_screenful, page_widgets
from tutorial.ui.screens.leaving import leaving_text, undo_text
from tutorial.ui.widgets.chapter_work import ChapterWork
from tutorial.ui.widgets.footer import SteadyFooter
from tutorial.ui.widgets.next_panel import NextPanel
from tutorial.ui.widgets.outline import Outline
from tutorial.ui.widgets.output_panel import OutputPanel
from tutorial.ui.widgets.prerequisites import PrerequisitesPanel
from tutorial.ui.widgets.step_card import StepCard

if TYPE_CHECKING:
    from tutorial.ui.app import AdventureApp


_ACTING_KEYS = chapter_keys(ACTING)  # (see on_key)


class ChapterScreen(Screen[None]):
    AUTO_FOCUS = None  # the step to resume is focused once, on mount: each focus change redraws the footer
    BINDINGS = CHAPTER_KEYS

    DEFAULT_CSS = CHAPTER_CSS + (
        "ChapterScreen.-narrow Outline { display: none; }\n"
        f"ChapterScreen.-short OutputPanel {{ {OUTPUT_BOX_SHORT} }}\n"
        "ChapterScreen.-narrow.-outline Outline { display: block; }\n"
    )

    def __init__(self, journey: Journey, page: Page) -> None:
        super().__init__()
        self.journey = journey
        self.page = page
        self.chapter: Chapter = journey.chapter(page)
        self.buffer = OutputBuffer()
        self.cards: dict[int, StepCard] = {}
        self._widgets: list[Widget] | None = None
        self._made_at = get_time()  # a key pressed before this is for what was shown before (see on_key)
        self._told = False
        self.title = page.title
        self.sub_title = journey.manuscript.title

    # -- building -------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        self._narrow(self.app.size.width)  # before the children exist: a class change restyles them all
        yield Header()
        with Horizontal(id="body"):
            yield Outline(self.page)
            with VerticalScroll(id="content"):
                widgets = self._content()
                yield from widgets[: first_screenful(widgets)]
        yield OutputPanel(self.buffer, id="output")
        yield SteadyFooter(compact=True)
        yield ChapterWork(self.chapter, self.buffer, began=self._began, checked=self._show_prerequisites)

    def _content(self) -> list[Widget]:
        if self._widgets is None:
            self._widgets, self.cards = page_widgets(self.chapter)
        return self._widgets

    @property
    def settled(self) -> bool:
        """Every part of the page is mounted and its prerequisites were checked."""
        content = self._widgets or []
        return all(w.is_mounted for w in content) and self.query_one(PrerequisitesPanel).checked

    def show_step(self, step: Step) -> None:
        """Render the engine's state of one step, in its card and in the outline."""
        view = self.chapter.view(step)
        self.cards[step.index].view = view
        self.query_one(Outline).show(view)

    def show_steps(self) -> None:
        """Render every step again (what holds for the reader changed, values were given)."""
        for step in self.page.steps:
            self.show_step(step)

    def on_mount(self) -> None:
        outline = self.query_one(Outline)
        for card in self.cards.values():  # the cards were made from the engine's views a moment ago
            outline.show(card.shown)
        target = self._resume_card()
        if target is not None and target.is_mounted:
            target.focus(scroll_visible=False)
        self.set_timer(0.05, self._after_first_paint)  # after the first frame has gone to the terminal

    def on_key(self, event: events.Key) -> None:
        """A key pressed before this chapter existed is answered, not acted on.

        The reader may press r while the first look is shown, or twice on the chapter before:
        the key could reach this chapter before its first frame, and run a step nobody saw.
        (Pressed once the chapter is made, a key is kept: its first frame follows within
        milliseconds, and a reader who answers what is shown must not be refused.)
        """
        if event.key not in _ACTING_KEYS or event.time >= self._made_at:
            return
        event.stop()
        event.prevent_default()
        if not self._told:
            self._told = True
            self.notify("A key came before the chapter's steps were shown: press it again to act on them.", timeout=4)

    def _resume_card(self) -> StepCard | None:
        step = self.chapter.next_step()
        return self.cards.get(step.index) if step is not None else None

    async def _after_first_paint(self) -> None:
        """The rest of the page and the prerequisites, once the top is on screen; the view stays at the top."""
        widgets = self._content()
        later = [w for w in widgets if not w.is_mounted and w.parent is None]
        if later:
            await self.query_one("#content", VerticalScroll).mount_all(later)
        target = self._resume_card()
        if target is not None:
            if not target.has_focus:
                target.focus(scroll_visible=False)
            self.query_one(Outline).follow(target.step.index)
        elif self.page.steps:
            self.query_one(NextPanel).query_one(Button).focus(scroll_visible=False)
        self.query_one("#content", VerticalScroll).scroll_home(animate=False)
        self.set_timer(0.5, self.work.check_prerequisites)

    def on_resize(self) -> None:
        self._narrow(self.app.size.width)

    def _narrow(self, width: int) -> None:
        fit(self, width, self.app.size.height)

    def _show_prerequisites(self, findings: list[Finding]) -> None:
        self.query_one(PrerequisitesPanel).show(findings)

    # -- which step ----------------------------------------------------------------------------

    def _focused_card(self) -> StepCard | None:
        node = self.focused
        while node is not None and not isinstance(node, StepCard):
            node = node.parent if isinstance(node.parent, Widget) else None
        return node if isinstance(node, StepCard) else None

    def current(self) -> StepCard | None:
        """The focused step (or the card a focused link belongs to), else the Do step that runs next."""
        return self._focused_card() or self._resume_card()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        card = self._focused_card()
        if card is not None:
            self.query_one(Outline).follow(card.step.index)

    def action_step(self, delta: int) -> None:
        """j/k: the next or previous step; after the last one comes the way on, and k comes back."""
        cards = list(self.cards.values())
        if not cards:
            return
        focused = self._focused_card()
        if focused is not None:
            position = cards.index(focused)
        elif self.focused is not None and self.query_one(NextPanel) in self.focused.ancestors_with_self:
            position = len(cards)
        else:
            resume = self._resume_card()
            position = cards.index(resume) if resume is not None else len(cards)
        target = max(0, min(len(cards), position + delta))
        if target == len(cards):
            button = self.query_one(NextPanel).query_one(Button)
            button.focus()
            self.query_one(NextPanel).scroll_visible()
            return
        cards[target].focus()
        cards[target].scroll_visible()

    @on(AnswerLeft)
    def _answer_left(self) -> None:
        """Esc in the answer line: back to the step (which goes on running; x interrupts it)."""
        card = self.cards.get(self.chapter.running.index) if self.chapter.running is not None else None
        card = card or self.current()
        if card is not None:
            card.focus()

    def action_toggle_outline(self) -> None:
        self.toggle_class("-outline")

    # -- running -------------------------------------------------------------------------------

    @property
    def adventure(self) -> AdventureApp:
        """The app, as the adventure it is (its navigation: the way on, the map, what holds)."""
        from tutorial.ui.app import AdventureApp

        assert isinstance(self.app, AdventureApp)
        return self.app

    @property
    def work(self) -> ChapterWork:
        return self.query_one(ChapterWork)

    @property
    def busy(self) -> bool:
        return self.work.busy

    def action_run(self) -> None:
        """Run the current step: in the reader's terminal when it needs one, else here."""
        card = self.current()
        if card is None:
            self.notify("Every step of this chapter is done. Press n to go on.")
            return
        if card.default_action == "terminal":
            self.action_terminal()
            return
        self._start([card.step], RunHow())

    def action_run_here(self) -> None:
        """Run a step that needs a real terminal in the app anyway (a watcher shown here, x stops it)."""
        card = self.current()
        if card is not None:
            self._start([card.step], RunHow(here_anyway=True))

    def action_run_all(self) -> None:
        """Run the rest of the section: from the current step, what is not done, never an Undo step unasked."""
        card = self.current()
        if card is None:
            return
        steps = self.chapter.section_rest(card.step)
        if not steps:
            self.notify("Nothing is left to run in this section.")
            return
        self._start(steps, RunHow(force=False))

    def _start(self, steps: list[Step], how: RunHow) -> None:
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
        removes = undo_text(steps)
        if not removes:
            self._launch(steps, how)
            return
        from tutorial.ui.screens.dialogs import ConfirmDialog

        def answered(yes: bool | None) -> None:
            if yes:
                self._launch(steps, how)

        self.app.push_screen(ConfirmDialog("Undo what this chapter made?", removes, "Run it"), answered)

    def _launch(self, steps: list[Step], how: RunHow) -> None:
        if how.in_terminal:
            self._in_terminal(steps[0])
            return
        self.work.start(steps, how)

    def _began(self, step: Step) -> None:
        self.show_step(step)
        title = f"step {step.index + 1} · {step.first_line[:50]}"
        if step.runs_until_stopped:
            title += " · runs until you stop it: press x to stop"
        self.query_one(OutputPanel).begin(title, self.journey.options.timeout)

    @on(StepFinished)
    def _finished(self, message: StepFinished) -> None:
        outcome = message.outcome
        step = outcome.step
        self.show_step(step)
        status, text = outcome.status, outcome.message.splitlines()[0] if outcome.message else ""
        summary = text if text.startswith(status.value) else f"{status.value}: {text}" if text else status.value
        self.query_one(OutputPanel).end(Text(summary, style=MARKS[status].style))
        if not status.done:
            self.cards[step.index].focus()  # back from the answer line to the step, whatever happened
            return
        following = self.chapter.next_step(after=step)
        if following is not None:
            self.cards[following.index].focus()
            self.cards[following.index].scroll_visible()
        elif self.chapter.complete and not step.optional:
            self.query_one(NextPanel).scroll_visible()
            self.query_one(NextPanel).query_one(Button).focus()
            self.notify("Every step of this chapter is done. Press n to go on.", title="Chapter complete")
        else:
            self.cards[step.index].focus()

    @on(StepsEnded)
    def _steps_ended(self) -> None:
        """However the worker ended (a step failed, was interrupted, or the worker broke), nothing runs now."""
        panel = self.query_one(OutputPanel)
        if panel.running:
            panel.end(Text("stopped", style="dim"))
        self.show_steps()

    @on(ValuesNeeded)
    def _values_needed(self, message: ValuesNeeded) -> None:
        from tutorial.ui.screens.dialogs import PlaceholderDialog

        self.query_one(OutputPanel).end(Text("waiting for values…", style="dim"))
        self.cards[message.step.index].focus()

        def given(values: dict[str, str] | None) -> None:
            if not values:
                self.notify("Not run: the step needs those values.", severity="warning")
                return
            self.chapter.supply(values, message.missing)
            self.show_steps()
            self._launch(message.remaining, message.how)

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
        self.work.interrupt()
        self.notify("Interrupting the step…")

    async def stop(self) -> None:
        """Stop whatever runs (the app is quitting): the step's processes are ended, not left behind."""
        await self.work.stop()

    # -- the reader's decisions ----------------------------------------------------------------

    def action_skip(self) -> None:
        card = self.current()
        if card is None:
            return
        try:
            outcome = self.chapter.skip(card.step)
        except StepBusy as error:
            self.notify(f"Not now: {error}.", severity="warning")
            return
        self.post_message(StepFinished(outcome))

    def action_override(self) -> None:
        card = self.current()
        if card is None:
            return
        try:
            outcome = self.chapter.override(card.step)
        except (StepBusy, NotFailed) as error:
            self.notify(str(error), severity="warning")
            return
        self.post_message(StepFinished(outcome))

    def action_edit(self) -> None:
        from tutorial.ui.screens.dialogs import EditStepScreen

        card = self.current()
        if card is None:
            return
        if self.chapter.running is not None and self.chapter.running.index == card.step.index:
            self.notify("Not now: the step is running.", severity="warning")
            return
        step = card.step

        def saved(code: str | None) -> None:
            if code is None:
                return
            try:
                self.chapter.edit(step, code)
            except StepBusy as error:
                self.notify(f"Not saved: {error}.", severity="warning")
                return
            self.show_step(step)

        self.app.push_screen(EditStepScreen(step, card.code), saved)

    def action_terminal(self) -> None:
        card = self.current()
        if card is not None:
            self._start([card.step], RunHow(in_terminal=True))

    def _in_terminal(self, step: Step) -> None:
        if self.busy:
            return
        try:
            outcome = run_in_terminal(self.app, self.chapter, step, self.buffer.write)
        except MissingValues as error:
            self.post_message(ValuesNeeded(step, error.missing, [step], RunHow(in_terminal=True)))
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
        self.adventure.action_assumptions(wanted.removeprefix("not "))

    # -- the way on ----------------------------------------------------------------------------

    def action_next(self) -> None:
        """The way on; when Do steps are failed or not done, the reader is asked first."""
        left = self.chapter.unfinished()
        if not left:
            self.adventure.go_on(self.page)
            return
        from tutorial.ui.screens.dialogs import ConfirmDialog

        def answered(yes: bool | None) -> None:
            if yes:
                self.adventure.go_on(self.page)

        title, text = leaving_text(self.chapter, left)
        self.app.push_screen(ConfirmDialog(title, text, "Leave anyway"), answered)

    @on(Button.Pressed, "#go-next")
    def _next_pressed(self) -> None:
        self.action_next()

    @on(Button.Pressed, "#open-map")
    def _map_pressed(self) -> None:
        self.adventure.action_map()
