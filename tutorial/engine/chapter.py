"""One chapter as the engine sees it: each step's state, what runs next, and when it is complete.

The app renders this state and ``run`` walks it; neither keeps a copy. The rules live here once:

- a chapter's *Do steps* are its runnable steps outside Undo/Destroy/Teardown sections
  (:attr:`Step.optional`); only they are ever the default next step, and the chapter is
  complete when every one of them is done (passed, skipped, or marked done by the reader);
- "the rest of the section" is the steps from the given one to the end of its heading that are
  not done yet, Undo steps only when the reader starts from one;
- changes (a run, a skip, an override, an edit, values supplied) go through the journey,
  one at a time under its state lock, and each is saved before the call returns (``run``
  lets a step's save finish while it makes the next step ready: see ``overlap_saves``).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import field

from tutorial.engine.journey import Journey, OutputCallback
from tutorial.engine.results import StepOutcome
from tutorial.engine.variables import MissingValue
from tutorial.manuscript.model import Page, Step, StepStatus
from tutorial.records import record


class StepBusy(Exception):
    """The step is running: it cannot be skipped, edited or marked done until it ends."""


class NotFailed(Exception):
    """Only a failed step can be marked as done."""


@record(frozen=True)
class StepView:
    """Everything a view shows about one step, as the engine has it now."""

    step: Step
    status: StepStatus
    code: str  # what runs: the reader's version when they edited it, else the manuscript's
    edited: bool
    values: Mapping[str, str] = field(default_factory=dict)  # placeholder values known so far
    not_applying: str = ""  # why the step does not apply to this reader's path ("" = it does)
    assumable: tuple[str, ...] = ()  # what the reader could say holds to make it apply
    needs_terminal: str = ""  # why it must run in the reader's terminal ("" = it need not)
    left_out: tuple[str, ...] = ()  # the lines a run leaves to the reader, each with why
    outcome: StepOutcome | None = None  # the last run, skip or override in this journey

    @property
    def default_action(self) -> str:
        """What "run" means for the step: "terminal" when it needs a real terminal, else "run"."""
        return "terminal" if self.needs_terminal else "run"


def is_do_step(step: Step) -> bool:
    """A step the chapter is made of: runnable, and not in an Undo/Destroy/Teardown section."""
    return step.runnable and not step.optional


class Chapter:
    """The state and rules of one page's steps, over the journey that runs and records them."""

    def __init__(self, journey: Journey, page: Page) -> None:
        self.journey = journey
        self.page = page
        self._running: Step | None = None
        self._outcomes: dict[int, StepOutcome] = {}
        self._guard = threading.Lock()

    # -- state --------------------------------------------------------------------------------

    @property
    def running(self) -> Step | None:
        return self._running

    def status(self, step: Step) -> StepStatus:
        if self._running is not None and self._running.index == step.index:
            return StepStatus.RUNNING
        return self.journey.progress.state.status(step)

    def done(self, step: Step) -> bool:
        return self.status(step).done

    def outcome(self, step: Step) -> StepOutcome | None:
        return self._outcomes.get(step.index)

    def view(self, step: Step) -> StepView:
        journey = self.journey
        edited = journey.edited(step)
        values, _ = journey.answered_values(step)  # what a run would use, never a value it would ask again
        decision = journey.decide(step)
        return StepView(
            step=step,
            status=self.status(step),
            code=edited if edited is not None else step.code,
            edited=edited is not None,
            values=values,
            not_applying="" if decision.applies else decision.reason,
            assumable=decision.assumable,
            needs_terminal=journey.needs_terminal(step, edited) if step.runnable else "",
            left_out=tuple(item.describe() for item in journey.left_out(step, edited)[1]) if step.runnable else (),
            outcome=self.outcome(step),
        )

    # -- the rules ----------------------------------------------------------------------------

    def do_steps(self) -> list[Step]:
        return [step for step in self.page.steps if is_do_step(step)]

    def next_step(self, after: Step | None = None) -> Step | None:
        """The Do step that runs next: the first not done (after ``after``, when given)."""
        start = -1 if after is None else after.index
        return next((s for s in self.do_steps() if s.index > start and not self.done(s)), None)

    def unfinished(self) -> list[Step]:
        """The Do steps not done yet, failed ones first (what leaving the chapter would leave behind)."""
        left = [s for s in self.do_steps() if not self.done(s)]
        return sorted(left, key=lambda s: (self.status(s) is not StepStatus.FAILED, s.index))

    @property
    def complete(self) -> bool:
        """Every Do step is done; Undo steps never count, for or against."""
        return not self.unfinished()

    def section_rest(self, step: Step) -> list[Step]:
        """``step`` and the steps after it under the same heading, those not done yet.

        Undo steps are included only when ``step`` is one: running "the rest of the section"
        from a Do step never runs a teardown.
        """
        return [
            s
            for s in self.page.steps
            if s.index >= step.index
            and s.section == step.section
            and s.runnable
            and (step.optional or not s.optional)
            and not self.done(s)
        ]

    @staticmethod
    def removes(steps: list[Step]) -> str:
        """What running these Undo steps removes, in their own words: the heading and each command."""
        undo = [s for s in steps if s.optional]
        if not undo:
            return ""
        lines = [f"“{undo[0].section}” undoes what the chapter made. It runs:"]
        lines += [f"  {s.first_line}" for s in undo]
        return "\n".join(lines)

    # -- changes ------------------------------------------------------------------------------

    def run(
        self,
        step: Step,
        *,
        on_started: Callable[[], None] | None = None,
        on_output: OutputCallback | None = None,
        cancel: threading.Event | None = None,
        force: bool = False,
        in_terminal: bool = False,
        here_anyway: bool = False,
        as_written: bool = False,
    ) -> StepOutcome:
        """Run ``step`` (the reader's version when they edited it) and keep its outcome.

        ``on_started`` is called once the step counts as running, so a view that asks
        :meth:`status` from then on sees it running. ``as_written`` runs the manuscript's text
        even when the reader edited it (``run`` never runs an edit it was not shown).
        """
        with self._guard:
            if self._running is not None:
                raise StepBusy(f"step {self._running.index + 1} is running")
            self._running = step
        try:
            if on_started is not None:
                on_started()
            outcome = self.journey.run_step(
                step,
                code=None if as_written else self.journey.edited(step),
                on_output=on_output,
                cancel=cancel,
                force=force,
                in_terminal=in_terminal,
                here_anyway=here_anyway,
            )
        finally:
            with self._guard:
                self._running = None
        self._outcomes[step.index] = outcome
        return outcome

    def skip(self, step: Step) -> StepOutcome:
        self._idle(step)
        outcome = self.journey.skip(step)
        self._outcomes[step.index] = outcome
        return outcome

    def override(self, step: Step) -> StepOutcome:
        """Mark a failed step as done (recorded as overridden); refused while it runs or unless it failed."""
        self._idle(step)
        if self.status(step) is not StepStatus.FAILED:
            raise NotFailed("Only a failed step can be marked as done.")
        outcome = self.journey.override(step)
        self._outcomes[step.index] = outcome
        return outcome

    def edit(self, step: Step, code: str | None) -> None:
        self._idle(step)
        self.journey.edit(step, code)

    def supply(self, values: Mapping[str, str], questions: Iterable[MissingValue] = ()) -> None:
        """Values the reader typed for placeholders: used by every step that asks for them."""
        self.journey.supply(values, questions)

    def _idle(self, step: Step) -> None:
        if self._running is not None and self._running.index == step.index:
            raise StepBusy(f"step {step.index + 1} is running")
