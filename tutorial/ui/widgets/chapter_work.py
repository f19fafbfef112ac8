"""The chapter's background work: running its steps, checking its prerequisites, and reporting failures.

An invisible widget, so that the workers, the cancel event and the one handler that reports a
worker that failed live in one place; the screen asks it to start or stop and renders the
messages it posts (:class:`StepFinished`, :class:`ValuesNeeded`, :class:`StepsEnded`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from functools import partial

from textual import work
from textual.widget import Widget
from textual.worker import Worker, WorkerState

from tutorial.checks.requirements import Finding, evaluate, requirements
from tutorial.engine.chapter import Chapter
from tutorial.engine.journey import MissingValues
from tutorial.manuscript.model import Step, StepStatus
from tutorial.ui.failures import log_failure
from tutorial.ui.messages import RunHow, StepFinished, StepsEnded, ValuesNeeded
from tutorial.ui.output_buffer import OutputBuffer


class ChapterWork(Widget):
    DEFAULT_CSS = """
    ChapterWork { display: none; }
    """

    def __init__(
        self,
        chapter: Chapter,
        buffer: OutputBuffer,
        *,
        began: Callable[[Step], None],
        checked: Callable[[list[Finding]], None],
    ) -> None:
        super().__init__()
        self.chapter = chapter
        self.buffer = buffer
        self.cancel = threading.Event()
        self._began = began  # called in the app's thread before a step's first output
        self._checked = checked  # the prerequisites' findings, in the app's thread
        self._steps: Worker[None] | None = None

    @property
    def busy(self) -> bool:
        worker = self._steps
        return self.chapter.running is not None or (worker is not None and not worker.is_finished)

    def start(self, steps: list[Step], how: RunHow) -> None:
        self.cancel = threading.Event()
        self._steps = self._run_steps(steps, how)

    def interrupt(self) -> None:
        self.cancel.set()

    async def stop(self) -> None:
        """Stop the running step and wait for it: its processes are interrupted, then terminated, then killed."""
        self.cancel.set()
        if self._steps is not None:
            await self._steps.wait()

    @work(thread=True, exclusive=True, group="steps", exit_on_error=False)
    def _run_steps(self, steps: list[Step], how: RunHow) -> None:
        try:
            for position, step in enumerate(steps):
                try:
                    outcome = self.chapter.run(
                        step,
                        on_started=partial(self.app.call_from_thread, self._began, step),
                        on_output=self.buffer.write,
                        cancel=self.cancel,
                        force=how.force,
                        here_anyway=how.here_anyway,
                    )
                except MissingValues as error:
                    self.post_message(ValuesNeeded(step, error.missing, steps[position:], how))
                    return
                self.post_message(StepFinished(outcome))
                if outcome.status is StepStatus.FAILED or self.cancel.is_set():
                    return
        finally:
            self.post_message(StepsEnded())

    @work(thread=True, group="prerequisites", exit_on_error=False)
    def check_prerequisites(self) -> None:
        chapter = self.chapter
        findings = evaluate(requirements(chapter.journey.manuscript, [chapter.page]))
        self.app.call_from_thread(self._checked, findings)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Every worker of the chapter that fails is reported here: a notification, its traceback in a log."""
        worker = event.worker
        if event.state is not WorkerState.ERROR or worker.error is None:
            return
        error = worker.error
        where = log_failure(self.chapter.journey.workdir, worker.name or worker.group, error)
        self.notify(
            f"{type(error).__name__}: {error}\nThe details are in {where}.",
            title="Something went wrong",
            severity="error",
            timeout=20,
        )
