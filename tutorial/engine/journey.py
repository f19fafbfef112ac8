"""What happens when a step runs: decide, fill in, check prerequisites, run, validate, record.

Used the same way by ``cncf-adventure run`` and by the app. Calls block; the app calls them
from a worker thread and passes ``on_output`` and a ``cancel`` event.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tutorial.engine import variables as values_
from tutorial.engine.conditions import (
    Decision,
    PageVerdict,
    decide,
    page_verdict,
    split_assumptions,
    truth,
    words,
)
from tutorial.engine.left_out import LeftOut, left_out
from tutorial.engine.results import CheckOutcome, StepOutcome, StepStatus
from tutorial.engine.resume import Resumed
from tutorial.manuscript.expect import PatternError, matches
from tutorial.manuscript.model import Condition, ConditionKind, Manuscript, Option, Page, Placeholder, Step
from tutorial.manuscript.placeholders import is_inline, looks_secret
from tutorial.manuscript.terminals import helper_scripts, other_terminal_lines, terminal_need
from tutorial.progress import atomic
from tutorial.progress.origins import Origin
from tutorial.progress.settings import SettingsError, SettingsFile, SettingsWriteError
from tutorial.progress.state import Progress
from tutorial.progress.worklock import WorkdirLock
from tutorial.records import record
from tutorial.shell.commands import Missing, assigned_names, calls, missing_programs
from tutorial.shell.expansions import expanded_names
from tutorial.shell.interactive import given_as_input, guide, nested_lines, terminal_uses, typed_inside, typed_lines
from tutorial.shell.output import Masker
from tutorial.shell.secret_managers import SecretUse, secret_use
from tutorial.shell.session import Ending, Session, SessionError, StepNotSent

if TYPE_CHECKING:
    from tutorial.engine.chapter import Chapter

OutputCallback = Callable[[str], None]
READ_ONLY = "not run: this work directory is in use by another cncf-adventure (read-only view)"
NOT_SAVED = "not run: progress cannot be saved"


class JourneyBusy(Exception):
    """A step is running: what was asked must wait until it has finished."""


@record(frozen=True)
class KnownValue:
    """One value as the Values screen shows it."""

    name: str
    value: str | None  # None for a secret: never shown
    secret: bool
    origin: str  # where it came from, in words
    prompt: str = ""  # the question it answered


class MissingValues(Exception):
    """A step needs values nobody gave yet (the app asks for them; ``run`` stops before starting)."""

    def __init__(self, missing: list[values_.MissingValue]) -> None:
        super().__init__(", ".join(m.name for m in missing))
        self.missing = missing


@record
class JourneyOptions:
    """How a journey runs: the values given, what is secret or taken as it is, and how `run` differs from the app."""

    variables: dict[str, str] = field(default_factory=dict)  # --var, or what the reader typed in the app
    secrets: set[str] = field(default_factory=set)  # variables given as secrets (--secret-stdin), whatever their names
    literal: set[str] = field(default_factory=set)  # variables whose value is taken as it is ($ is not a reference)
    assume: set[str] = field(default_factory=set)  # subjects of conditions the reader says hold
    unattended: bool = False  # `run`: no prompts, standard input at end-of-file
    timeout: float | None = None  # seconds per step
    save_progress: bool = True
    env: dict[str, str] | None = None  # the reader's environment (default: this process's)
    #: run steps that need a real terminal in the captured session anyway (`run --allow-terminal-steps`)
    allow_terminal_steps: bool = False
    read_only: bool = False  # look, never run or save (no lock on the work directory is taken)
    #: `run`: a step's save goes on while the next step is made ready, and is on the disk before
    #: that step is sent (otherwise each change is saved before the call that made it returns)
    overlap_saves: bool = False


class Journey:
    """One reader's walk through one manuscript, in one workspace."""

    def __init__(self, manuscript: Manuscript, workdir: Path, options: JourneyOptions | None = None) -> None:
        self.manuscript = manuscript
        self.workdir = workdir.resolve()
        self.options = options or JourneyOptions()
        self.settings = SettingsFile(self.workdir)
        self._workdir_lock = WorkdirLock(self.workdir)
        self._save_error: SettingsError | None = None
        self._saved_for: StepOutcome | None = None  # the outcome whose save may still be on its way
        if not self.options.read_only:
            try:
                self._workdir_lock.acquire()  # raises WorkdirBusy: one journey per work directory
            except OSError as error:
                raise SettingsWriteError(
                    f"{self._workdir_lock.path}: cannot create: {error.strerror or error}"
                ) from error
            self.settings.remove_stale_temporaries()  # left by a save that was killed
        try:
            # raises SettingsError for a broken file; a writer writes the journal's records into it at once
            self.progress = Progress(self.settings, manuscript, consolidate=self._saving)
        except BaseException:
            self._workdir_lock.release()
            raise
        self.masker = Masker()
        self._secret_values: set[str] = set()
        self._session: Session | None = None
        self._engine: Any = None  # checks.prerequisites.EngineCache, made when a step first calls docker
        self._env_cache: dict[str, str] | None = None
        self._lock = threading.Lock()  # one step runs at a time
        #: every change to the progress, and its save, happens under this lock: a step finishing
        #: in the worker thread and the reader marking another one done never save at once
        self.state_lock = threading.RLock()
        self._chapters: dict[str, Any] = {}
        self._in_terminal = False
        self._here_anyway = False
        #: variables the manuscript asks for with different questions, and the question each
        #: was last asked with (an answer given since is the answer to that question only)
        self._several_ways: dict[str, set[str]] | None = None
        self._asked_with: dict[str, str] = {}
        self._given_for_the_run = set(self.options.variables)  # --var: the reader's answer everywhere
        #: where the values given in this run came from (--var, typed in the app, changed)
        self._origins: dict[str, Origin] = dict.fromkeys(self.options.variables, Origin("var"))
        self._used: set[str] = set()  # names steps of this run used or set (not only restored)
        for name, value in self.options.variables.items():
            if looks_secret(name) or name in self.options.secrets:
                self._remember_secret(name, value)
        # the reader's environment is a source of secrets too (DOCKER_PASSWORD=... cncf-adventure):
        # masked and never saved, but their names stay out of settings.yaml as well
        env = os.environ if self.options.env is None else self.options.env
        for name, value in env.items():
            if looks_secret(name) and value:
                self._remember_secret_value(value)

    # -- the session ---------------------------------------------------------------------------

    @property
    def session(self) -> Session:
        if self._session is None:
            env = dict(os.environ if self.options.env is None else self.options.env)
            env["ADVENTURE_DIR"] = str(self.manuscript.root)
            env["ADVENTURE_WORKDIR"] = str(self.workdir)
            env["ADVENTURE_PYTHON"] = sys.executable
            self._session = Session(self.workdir, env=env, masker=self.masker)
            self._session.start()
            self._env_cache = env
        return self._session

    def give_way(self, seconds: float) -> None:
        """The reader pressed a key: the running step's output waits ``seconds`` (see ``Session.give_way``).

        From any thread; starts no shell.
        """
        session = self._session
        if session is not None:
            session.give_way(seconds)

    def restore_variables(self) -> list[str]:
        """Export the saved (non-secret) variables in the session: what resuming needs."""
        saved = self.progress.state.variables
        if not saved:
            return []
        script = "\n".join(
            f"export {name}={values_.quote_for(value, '')}"
            for name, value in saved.items()
            if re.fullmatch(r"[A-Za-z_]\w*", name)
        )
        self.session.query(script)
        return sorted(saved)

    def resume(self) -> Resumed:
        """Come back to this workspace: the last shell's state, then the saved answers (see ``resume``)."""
        shell = self.session.restore_previous()
        names = self.restore_variables()
        return Resumed(shell, names, sorted(self.progress.secret_names))

    def finish(self) -> None:
        """settings.yaml holds all the progress now (see ``Progress.flush``); a failure is kept in ``save_error``."""
        if not self._settle():
            return
        with self.state_lock:
            try:
                self.progress.flush()
            except SettingsError as error:
                self._save_error = error

    def close(self) -> None:
        with contextlib.suppress(SettingsError):
            self.progress.close()  # a save still on its way is on the disk, and in settings.yaml, before anything goes
        if self._session is not None:
            self._session.close()
            self._session = None
        self.settings.close()
        atomic.settle()  # the files our saves displaced are gone before the work directory is let go
        self._workdir_lock.release()

    @property
    def save_error(self) -> SettingsError | None:
        """Why the last save failed (None when it worked): the run stops, the app says so.

        A step's save may still be on its way (see :meth:`_record`): this waits for it.
        """
        self._settle()
        return self._save_error

    @save_error.setter
    def save_error(self, error: SettingsError | None) -> None:
        self._save_error = error

    def _durable(self) -> None:
        """The last step's progress is on the disk before the next one starts (raises StepNotSent if not)."""
        if not self._settle():
            raise StepNotSent("progress cannot be saved")

    @property
    def known_save_error(self) -> SettingsError | None:
        """What :attr:`save_error` is known to be now, without waiting for a save on its way."""
        return self._save_error

    def _settle(self) -> bool:
        """Wait for a step's save still on its way; False (and ``save_error`` set) when it failed."""
        with self.state_lock:
            outcome, self._saved_for = self._saved_for, None
            try:
                self.progress.settle()
            except SettingsError as error:
                self._save_error = error
                if outcome is not None:
                    outcome.notes.append(f"progress not saved: {error}")
                return False
            if outcome is not None:
                self._save_error = None
                self._tell(outcome)
            return True

    def _tell(self, outcome: StepOutcome) -> None:
        """What the reader should know about how the progress is saved (a journal that cannot be written)."""
        notices = self.progress.notices
        if notices:
            outcome.notes.extend(notices)
            notices.clear()

    @property
    def read_only(self) -> bool:
        return self.options.read_only

    @property
    def _saving(self) -> bool:
        return self.options.save_progress and not self.options.read_only

    # -- what to run ---------------------------------------------------------------------------

    def facts(self) -> list[str]:
        """What holds for the reader: what they assumed or ticked, the choices they made, the pages they read."""
        return [*self._said_or_chosen(), *self._titles_read()]

    def _said(self) -> tuple[list[str], list[str]]:
        """What the reader said holds and does not (``--assume``, the dialog), nothing inferred."""
        state = self.progress.state
        holding, lacking = split_assumptions(self.options.assume)
        yes = [name for name, value in state.assume.items() if value]
        no = [name for name, value in state.assume.items() if not value]
        return [*holding, *yes], [*lacking, *no]

    def _said_or_chosen(self) -> list[str]:
        return [*self._said()[0], *self.progress.state.choices()]

    def _titles_read(self, but: str = "") -> list[str]:
        """The titles of the pages read (but one): hints only, as a page both roads lead to may name one road.

        A page's own title is no evidence for the conditions on it ("Observability With Istio"
        is where Istio gets installed, not a sign that it already is).
        """
        state = self.progress.state
        return [self.manuscript.pages[p].title for p in state.visited() if p in self.manuscript.pages and p != but]

    def denied(self) -> list[str]:
        """What does not hold: ``--assume 'not X'``, boxes left unticked, options passed over at a choice."""
        return [*self._said()[1], *self.progress.state.passed_over(self.manuscript)]

    def caveat_holds(self, option: Option) -> bool | None:
        """Whether the caveat that rules ``option`` out ("If you chose `nip.io`, you cannot choose
        Harbor") is the reader's: True when they said or chose what it names, False when they said
        or chose otherwise, None when nobody said (the caveat is shown, nothing more).

        Page titles are no evidence here: reading about nip.io is not choosing it.
        """
        if not option.caveat_if:
            return None
        condition = Condition(ConditionKind.ONLY_IF, option.note, option.caveat_if)
        return truth(condition, self._said_or_chosen(), self.denied())

    def page_verdict(self, path: str) -> PageVerdict:
        """Whether the page at ``path`` is for this reader by its own rules ("If you chose Foo, this
        chapter is not supported yet; go back"), from what they said or chose; titles are no evidence.
        """
        page = self.manuscript.pages.get(path)
        if page is None or not page.rules:
            return PageVerdict()
        return page_verdict(page.rules, self._said_or_chosen(), self.denied())

    def option_verdict(self, option: Option) -> PageVerdict:
        """The verdict of the rules of the page ``option`` leads to: what the choice screen marks."""
        if not option.page_rules:
            return PageVerdict()
        return page_verdict(option.page_rules, self._said_or_chosen(), self.denied())

    def answers(self) -> dict[str, bool]:
        """What the reader said holds for them (saved with the progress), by subject."""
        return dict(self.progress.state.assume)

    def answer(self, answers: Mapping[str, bool]) -> None:
        """Record the reader's answers and save them, so they survive a relaunch."""
        with self.state_lock:
            self.progress.answer(answers)
            self._save()

    def decide(self, step: Step, also_read: Iterable[str] = ()) -> Decision:
        """Whether ``step`` applies for this reader (``also_read``: pages to count as read too)."""
        hints = self._titles_read(but=step.page)
        hints += [self.manuscript.pages[p].title for p in also_read if p in self.manuscript.pages and p != step.page]
        verdict = self.page_verdict(step.page)
        if verdict.not_for_you:  # the page itself says it is not for this reader: none of it runs
            return Decision(False, verdict.reason, verdict.rule)
        return decide(step, self._said_or_chosen(), self.denied(), hints, self._said())

    def foresee(self, steps: Iterable[Step]) -> dict[str, Decision]:
        """The decisions a run of ``steps`` will make, each page counted as read once its turn comes.

        A run opens each page as it reaches it, and a page read is a hint for the conditions
        after it ("GitOps With Argo CD" before "# If Argo CD"); a dry run and the checks before a
        run must see the same, without recording anything.
        """
        opened: list[str] = []
        found: dict[str, Decision] = {}
        for step in steps:
            if step.page not in opened:
                opened.append(step.page)
            found[step.ref] = self.decide(step, opened)
        return found

    def answer_sources(self) -> list[Mapping[str, str]]:
        """The reader's answers: ``--var`` or the app's dialog, then those saved with the progress."""
        return [self.options.variables, self.progress.state.variables]

    def environment(self) -> Mapping[str, str]:
        return self.options.env if self.options.env is not None else os.environ

    def value_sources(self) -> list[Mapping[str, str]]:
        return [*self.answer_sources(), self.environment()]

    def missing_values(self, steps: Iterable[Step]) -> list[values_.MissingValue]:
        """Placeholders no source fills (checked before a headless run starts)."""
        several = self._asked_in_several_ways()
        if not several:
            return values_.missing(steps, self.answer_sources(), self.environment())
        saved = {n: v for n, v in self.progress.state.variables.items() if n not in several}
        env = {n: v for n, v in self.environment().items() if n not in several}
        given = {n: v for n, v in self.options.variables.items() if n not in several or n in self._given_for_the_run}
        return values_.missing(steps, [given, saved], env)

    def _asked_in_several_ways(self) -> dict[str, set[str]]:
        if self._several_ways is None:
            every = (step for page in self.manuscript.pages.values() for step in page.steps)
            self._several_ways = values_.asked_in_several_ways(every)
        return self._several_ways

    def _answers_this_question(self, placeholder: Placeholder) -> bool:
        """Whether the reader's answer for ``placeholder``'s name was given for its question.

        Only for a variable the manuscript asks for in several ways: a value from ``--var``
        answers all of them; one given in the app answers the question it was asked with; a
        saved value, the environment or the session cannot tell, so it answers none.
        """
        name = placeholder.name
        if name in self._given_for_the_run:
            return True
        return self._asked_with.get(name) == values_.question(placeholder)

    # -- the values the reader gave ------------------------------------------------------------

    def origin(self, name: str) -> Origin | None:
        """Where the value of ``name`` came from (this run first, then as saved)."""
        return self._origins.get(name) or self.progress.state.origins.get(name)

    def supply(self, values: Mapping[str, str], questions: Iterable[values_.MissingValue] = ()) -> None:
        """Values the reader typed in answer to ``questions``: used from now on, saved once a step uses them."""
        asked = {q.name: q for q in questions}
        with self.state_lock:
            self._supply(values, asked)

    def _supply(self, values: Mapping[str, str], asked: Mapping[str, values_.MissingValue]) -> None:
        for name, value in values.items():
            question = asked.get(name)
            self.options.variables[name] = value
            self._origins[name] = Origin("typed", prompt=question.prompt if question else "")
            if (question is not None and question.secret) or name in self.progress.secret_names or looks_secret(name):
                self._remember_secret(name, value)

    def known_values(self) -> list[KnownValue]:
        """Every value the journey knows, by name: secrets without their value."""
        state = self.progress.state
        names = dict.fromkeys([*state.variables, *self.options.variables, *sorted(self.progress.secret_names)])
        found = []
        for name in names:
            secret = name in self.progress.secret_names or looks_secret(name)
            value = self.options.variables.get(name, state.variables.get(name))
            given_now = name in self._origins or name in self._used
            if secret and not given_now:
                where = "a secret: never saved, asked again when a step needs it"
            else:
                origin = self.origin(name)
                where = origin.describe() if origin is not None else "saved earlier"
                if not given_now:
                    where += ", restored from settings.yaml"
            origin = self.origin(name)
            found.append(KnownValue(name, None if secret else value, secret, where, origin.prompt if origin else ""))
        return found

    def change_value(self, name: str, value: str) -> None:
        """The reader's new value for ``name``: used by the next steps, saved (unless secret)."""
        with self._values_lock():
            previous = self.origin(name)
            origin = Origin("typed", prompt=previous.prompt if previous else "")
            self.options.variables[name] = value
            self._origins[name] = origin
            if name in self.progress.secret_names or looks_secret(name):
                self._remember_secret(name, value)
            else:
                self.progress.remember({name: value}, {name: origin})
                if self._session is not None and re.fullmatch(r"[A-Za-z_]\w*", name):
                    self._session.query(f"export {name}={values_.quote_for(value, '')}")
            if self.options.save_progress:
                self.progress.save()

    def forget_value(self, name: str) -> None:
        """Forget ``name``: asked again (or set again by its step) the next time one needs it."""
        with self._values_lock():
            self.options.variables.pop(name, None)
            self._origins.pop(name, None)
            self._used.discard(name)
            self.progress.forget(name)
            if self._session is not None and re.fullmatch(r"[A-Za-z_]\w*", name):
                self._session.query(f"unset {name} __adv_secret_{name}")
            if self.options.save_progress:
                self.progress.save()

    @contextlib.contextmanager
    def _values_lock(self) -> Iterator[None]:
        """Values change between steps, never under a running one (the caller is told, not blocked)."""
        if not self._lock.acquire(blocking=False):
            raise JourneyBusy("a step is running: change values once it has finished")
        try:
            yield
        finally:
            self._lock.release()

    # -- running -------------------------------------------------------------------------------

    def run_step(
        self,
        step: Step,
        *,
        code: str | None = None,
        on_output: OutputCallback | None = None,
        cancel: threading.Event | None = None,
        force: bool = False,
        in_terminal: bool = False,
        here_anyway: bool = False,
    ) -> StepOutcome:
        """Run one step (its edited ``code`` when given) and record the outcome.

        ``in_terminal`` runs it attached to the reader's real terminal (the caller must have
        handed the terminal over first, as the app does when it suspends itself). A step that
        needs a real terminal fails without running in the captured session, unless
        ``here_anyway`` (or the ``allow_terminal_steps`` option) says to run it there.
        """
        with self._lock:
            self._in_terminal = in_terminal
            self._here_anyway = here_anyway or self.options.allow_terminal_steps
            outcome = self._run(step, code, on_output, cancel, force)
            if outcome.status is not StepStatus.PENDING and outcome.message != NOT_SAVED:
                self._record(step, outcome, soon=self.options.overlap_saves)
            return outcome

    def _run(
        self,
        step: Step,
        code: str | None,
        on_output: OutputCallback | None,
        cancel: threading.Event | None,
        force: bool,
    ) -> StepOutcome:
        if not step.runnable:
            return StepOutcome(step, StepStatus.SKIPPED, message=f"not run: {step.not_runnable_reason}")
        if self.options.read_only:
            return StepOutcome(step, StepStatus.PENDING, message=READ_ONLY, blocked=True)
        if not force:
            decision = self.decide(step)
            if not decision.applies:
                return StepOutcome(step, StepStatus.SKIPPED, message=f"skipped: {decision.reason}")
        values, as_is = self._values(step)
        try:
            holders = self._hand_over_secrets(step, values)
            filled = values_.fill(step, values, code, holders, as_is)
        except values_.UnfilledPlaceholder as error:
            return StepOutcome(step, StepStatus.FAILED, message=f"not run: {error}")
        except (values_.UnusableValue, SessionError) as error:
            return StepOutcome(step, StepStatus.FAILED, message=f"cannot use the value given: {error}")
        unset = self._unset_references(values, set(holders) | as_is, set(assigned_names(filled)))
        if unset:
            return StepOutcome(step, StepStatus.FAILED, message=f"not run: {unset}")
        lost = self._lost_secret(filled, set(values) | set(assigned_names(filled)))
        if lost:
            return StepOutcome(step, StepStatus.FAILED, message=f"not run: {lost}", blocked=True)
        unsure = self._set_only_if(step, filled, set(values) | set(assigned_names(filled)))
        if unsure:
            return StepOutcome(step, StepStatus.FAILED, message=f"not run: {unsure}", blocked=True)
        need = self.needs_terminal(step, code)
        if need and not self._in_terminal and not self._here_anyway:
            return StepOutcome(step, StepStatus.FAILED, message=f"needs a terminal: {need}", blocked=True)
        typing = self.needs_someone_to_type(step, filled)
        if typing and not self._in_terminal and not self._here_anyway:
            return StepOutcome(step, StepStatus.FAILED, message=f"needs someone to type: {typing}", blocked=True)
        filled, notes = self._nested_shells(step, filled)
        assigned = assigned_names(filled)  # what the shell reports with the step's end
        blocked = self._gate(step, filled)
        if blocked is not None:
            return blocked
        title = f"{step.page} step {step.index + 1} (line {step.line})"
        manager = secret_use(filled)  # (a substring test for a step that names no secret manager)
        if self._in_terminal:
            if not self._settle():  # the last step's progress is on the disk before this one starts
                return StepOutcome(step, StepStatus.SKIPPED, message=NOT_SAVED, blocked=True)
            result = self.session.run_in_terminal(
                filled,
                title=title,
                on_output=on_output,
                loads_secrets=manager.loads_reason,
                output_unkept=manager.prints_reason,
            )
        else:
            try:
                result = self.session.run(
                    filled,
                    title=title,
                    timeout=self.options.timeout,
                    on_output=on_output,
                    stdin_eof=self.options.unattended,
                    cancel=cancel,
                    report=assigned,
                    before_send=self._durable,  # (the step's file is written while the save syncs)
                    # secrets it makes (`export GITHUB_TOKEN=$(gh auth token)`): known only at its end
                    secrets_made=[n for n in assigned if n not in holders and self._is_secret(n, step)],
                    # `eval $(teller env)`: secrets under names nothing in the text tells
                    loads_secrets=manager.loads_reason,
                    output_unkept=manager.prints_reason,
                )
            except StepNotSent:
                return StepOutcome(step, StepStatus.SKIPPED, message=NOT_SAVED, blocked=True)
            except SessionError as error:  # its file cannot be written, the shell cannot start: not run
                return StepOutcome(step, StepStatus.FAILED, message=f"not run: {error}", blocked=True)
        outcome = StepOutcome(
            step,
            StepStatus.PASSED,
            exit_code=result.exit_code,
            duration=result.duration,
            output_tail=result.output_tail,
            failed_line=step.line + result.failed_line - 1 if result.failed_line else 0,
            notes=[*notes, *result.notes],
            code=filled,
        )
        if result.ending is Ending.TIMED_OUT:
            outcome.status = StepStatus.FAILED
            outcome.message = f"timed out after {self.options.timeout:g} s and was stopped"
            outcome.timed_out = True
        elif result.ending is Ending.INTERRUPTED:
            outcome.status = StepStatus.FAILED
            outcome.message = "interrupted"
        elif result.exit_code != 0:
            outcome.status = StepStatus.FAILED
            where = f" at line {outcome.failed_line}" if outcome.failed_line else ""
            outcome.message = f"exit status {result.exit_code}{where}"
            if result.problem:
                outcome.message += f": {result.problem}"
        else:
            outcome.checks = self._validate(step, result.output_tail)
            failed = [c for c in outcome.checks if not c.passed]
            if failed:
                outcome.status = StepStatus.FAILED
                outcome.message = "; ".join(c.message for c in failed)
        self._learn_loaded(step, result.loaded, result.loaded_items)
        self._remember(step, values, [n for n in assigned if n not in result.loaded], result.values)
        if manager.prints:  # nothing that outlives the screen keeps what nobody can mask
            outcome.output_tail = f"(output not kept: {manager.prints_reason})"
            outcome.checks = [CheckOutcome(c.check, c.passed, "", c.message) for c in outcome.checks]
        return outcome

    def secret_use(self, step: Step, code: str | None = None) -> SecretUse:
        """Whether ``step`` (or the reader's ``code`` for it) loads or prints a secret manager's secrets.

        Judged, as a run judges it, on the code the session gets: without the lines left to the
        reader (a load sent to another terminal leaves a print that nothing loads, nor masks).
        """
        written = step.code if code is None else code
        use = secret_use(written)  # (a substring test for a step that names no secret manager)
        return use if not use else secret_use(self._nested_shells(step, written)[0])

    def _learn_loaded(self, step: Step, loaded: Mapping[str, str], items: Iterable[str] = ()) -> None:
        """Variables a step loaded from a secret manager: secrets from now on, never saved, always masked.

        Where they came from is kept (a name, a page and a step: no value), so that a step
        reading one after a resume can say which step to run again. ``items``: every element of
        the arrays among them.
        """
        if not loaded:
            return
        self.progress.mark_secret(loaded)
        by_step = Origin("step", page=step.page, step=step.index + 1)
        with self.state_lock:
            self.progress.remember({}, dict.fromkeys(loaded, by_step))
        for name, value in loaded.items():
            if len(value) >= 3:  # (a shorter one would mask, and keep from the disk, every "1" and "on")
                self._remember_secret_value(value)
            self.session.hold_secret(name, value)
        for item in items:
            if len(item) >= 3:
                self._remember_secret_value(item)

    def needs_terminal(self, step: Step, code: str | None = None) -> str:
        """Why ``step`` (or the reader's ``code`` for it) needs a real terminal ("" when it does not)."""
        if code is None or code == step.code:
            return step.needs_terminal
        return terminal_need(code, step.intro, self.manuscript.root)[0]

    def needs_someone_to_type(self, step: Step, code: str | None = None) -> str:
        """Why ``step`` cannot run unattended: it waits at ``read`` for a line ("" when it does not).

        In the app the reader answers in the output panel; ``run`` has no one to answer, and
        its end-of-input would be taken as an empty answer.
        """
        if not self.options.unattended:
            return ""
        uses = typed_lines(step.code if code is None else code, helper_scripts(self.manuscript.root))
        if not uses:
            return ""
        return f"{uses[0].reason}; run it in the app or your terminal (or with --allow-terminal-steps)"

    def terminal_guide(self, step: Step, code: str | None = None) -> list[str]:
        """What the reader types in the nested shells of a step run in their terminal."""
        text = code if code is not None else step.code
        elsewhere = [
            f"Line {first} is for another terminal ({comment}): type it there:\n"
            + "\n".join(f"    {line}" for line in text.splitlines()[first - 1 : last] if line.strip())
            for first, last, comment in other_terminal_lines(text)
        ]
        return guide(text, nested_lines(text, terminal_uses(text))) + elsewhere

    def left_out(self, step: Step, code: str | None = None) -> tuple[str, list[LeftOut]]:
        """``step``'s code (or the reader's ``code`` for it) as the session gets it, and the lines it never runs.

        Lines sent to another terminal and a bare ``exit`` (which would end the shell every step
        shares) are the reader's: runs, dry runs and the step card say so in the same words.
        """
        return left_out(self.manuscript.pages.get(step.page), step, step.code if code is None else code)

    def _nested_shells(self, step: Step, code: str) -> tuple[str, list[str]]:
        """Lines meant for a nested shell never run in the outer one.

        In the reader's terminal they are left for the reader to type; in a captured session
        (when told to run the step there anyway) the nested shell reads them as its input.
        Lines left to the reader (another terminal, a bare ``exit``) run in neither.
        """
        code, left = self.left_out(step, code)
        notes = [item.describe() for item in left]
        nested = nested_lines(code, terminal_uses(code))
        if not nested:
            return code, notes
        if self._in_terminal:
            return typed_inside(code, nested), notes
        for item in nested:
            first, last = step.line + item.first - 1, step.line + item.last - 1
            lines = f"line {first}" if first == last else f"lines {first}-{last}"
            notes.append(f"{lines} went to `{item.shell.reason.split('`')[1]}` as its input, not to this shell")
        return given_as_input(code, nested), notes

    def answered_values(self, step: Step) -> tuple[dict[str, str], set[str]]:
        """The values ``step`` would get from answers and the environment (not the session), asking nothing.

        What a view shows and what a run uses are the same: a variable asked here with a question
        other than the one its answer was given for has no value yet, whatever is saved.
        """
        wanted = {p.name: p.assigned for p in step.placeholders}
        if not wanted:
            return {}, set()
        env = self.environment()
        answers = self.answer_sources()
        several = self._asked_in_several_ways()
        # asked here with a question other than the one its current answer was given for
        ask_again = {p.name for p in step.placeholders if p.name in several and not self._answers_this_question(p)}
        found: dict[str, str] = {}
        as_is: set[str] = set()
        for name, assigned in wanted.items():
            if name in ask_again:
                continue
            # asked in several ways: only the reader's answer to this question, never a saved one
            value = self.options.variables.get(name) if name in several else values_.lookup(name, answers)
            if name in self.options.literal and name in self.options.variables:
                as_is.add(name)  # from the environment or standard input: a `$` in a password is the password's
            if value is None and assigned and name in env and name not in several:
                value = env[name]
                as_is.add(name)
            if value is not None:
                found[name] = value
        return found, as_is

    def _values(self, step: Step) -> tuple[dict[str, str], set[str]]:
        """The step's values, and the names of those taken as they are (environment, session).

        Only a variable the block assigns (``export NAME=[...]``) may come from the reader's
        environment or from the session; a page's own question (``@NAME``) only from an answer.
        """
        wanted = {p.name: p.assigned for p in step.placeholders}
        if not wanted:
            return {}, set()
        several = self._asked_in_several_ways()
        found, as_is = self.answered_values(step)
        unknown = [n for n, assigned in wanted.items() if assigned and n not in found and n not in several]
        if unknown:
            known = self.session.variables(unknown)  # set by an earlier step
            found.update(known)
            as_is.update(known)
        missing = values_.missing([step], [found])
        if missing:
            for placeholder in step.placeholders:  # the answer the reader gives next is for this question
                if placeholder.name in several and any(m.name == placeholder.name for m in missing):
                    self._asked_with[placeholder.name] = values_.question(placeholder)
            raise MissingValues(missing)
        for placeholder in step.placeholders:
            if placeholder.secret or placeholder.name in step.secrets:
                self._remember_secret(placeholder.name, found[placeholder.name])
        return found, as_is

    def _unset_references(self, values: Mapping[str, str], as_is: set[str], set_by_step: set[str]) -> str:
        """Why a value cannot be used: it refers to a variable the session does not have (or "").

        Checked before the step runs: an empty ``$INGRESS_HOST`` would quietly make the domain
        ``.nip.io``. A variable the step itself sets is left to the step.
        """
        wanted = {name: values_.references(value) for name, value in values.items() if name not in as_is}
        names = sorted({ref for refs in wanted.values() for ref in refs} - set_by_step)
        if not names:
            return ""
        known = self.session.variables(names)
        for name, refs in wanted.items():
            for ref in refs:
                if ref in names and not known.get(ref):
                    return f"the value of {name} refers to ${ref}, which is empty or not set in the session"
        return ""

    def _lost_secret(self, code: str, given: set[str]) -> str:
        """Why ``code`` must not run: it reads a secret this shell no longer has ("" when none does).

        Secrets are never saved. A journey resumed in a new shell knows their names
        (settings.yaml lists them) but not their values, and the step that made one
        (`export GITHUB_TOKEN=$(gh auth token)`, `eval $(teller env)`) or took it from the reader
        is behind. A step reading it would run with it empty, and might well pass. The names
        this step is given (its placeholders) or sets itself are its own business. Costs a
        substring test per secret for most steps; the session is asked only about a name the
        step really reads.
        """
        names = _read_by(code, [n for n in sorted(self.progress.secret_names) if n not in given])
        if not names:
            return ""
        have = self.session.variables(names)
        lost = [n for n in names if not have.get(n) and not self._give_again(n)]
        if not lost:
            return ""
        name = lost[0]
        origin = self.origin(name)
        if origin is not None and origin.source == "step" and origin.page:
            where = f"{origin.page} step {origin.step}" if origin.step else origin.page
            again = (
                f"run {where} again first, which makes it (or give its value: the Values screen in the app, "
                "--secret-stdin for run)"
            )
        else:
            again = "give its value again first (the Values screen in the app, --secret-stdin for run)"
        return (
            f"it reads ${name}, a secret this shell no longer has (secrets are never saved, so a journey "
            f"resumed here does not get them back): {again}"
        )

    def _give_again(self, name: str) -> bool:
        """Give the session the secret ``name`` when the reader gave its value in this run.

        ``--secret-stdin``, ``--var`` or the Values screen: what the step held back asks for.
        The value goes through the shell's input, as every secret does (see ``set_secret``).
        """
        value = self.options.variables.get(name)
        if not value:
            return False
        try:
            holder = self.session.set_secret(name, value, also=(name,))
            self.session.query(f'export {name}="${holder}"')
        except SessionError:  # (a value spanning lines cannot go through the shell's input)
            return False
        return True

    def _set_only_if(self, step: Step, code: str, given: set[str]) -> str:
        """Why ``code`` must not run: it reads a variable only conditional steps before it set ("" if none).

        "# Execute only if using Argo CD" / "# Execute only if using Flux" each set `VALUES_PATH`;
        when neither was known to hold, both were skipped, and the `yq` after them would write
        to `.ingress.host` at the top of the file. The session decides: a variable it has (from
        one of those steps, an earlier page or the reader's environment) is used as it is.
        """
        page = self.manuscript.pages.get(step.page)
        if page is None or "$" not in code:
            return ""
        earlier = [s for s in page.steps if s.index < step.index and s.runnable]
        governed = [s for s in earlier if any(c.kind is not ConditionKind.PROCEED_IF for c in s.conditions)]
        setters: dict[str, list[Step]] = {}
        for candidate in governed:
            for name in assigned_names(candidate.code):
                if name not in given:
                    setters.setdefault(name, []).append(candidate)
        names = _read_by(code, setters)
        if names:  # a step for everyone that sets it is enough
            plain = {n for s in earlier if s not in governed for n in assigned_names(s.code)}
            names = [n for n in names if n not in plain]
        if not names:
            return ""
        have = self.session.variables(names)
        for name in names:
            if have.get(name):
                continue
            which = setters[name]
            steps = ", ".join(str(s.index + 1) for s in which)
            rules = "; ".join(dict.fromkeys(c.badge for s in which for c in s.conditions))
            plural = "s" if len(which) > 1 else ""
            if name in have:  # set, but to nothing: the step that applies ran and found nothing, or another did
                return (
                    f"it reads ${name}, which only step{plural} {steps} of this page set ({rules}), and it is "
                    "empty in the shell: run the one that applies again (or set it by hand) before this one"
                )
            return (
                f"it reads ${name}, which only step{plural} {steps} of this page "
                f"set ({rules}), and the shell does not have it: say what holds for you "
                "(--assume, the `w` dialog in the app) or run the one that applies first"
            )
        return ""

    def _hand_over_secrets(self, step: Step, values: Mapping[str, str]) -> dict[str, str]:
        """Give the session the step's secret values (through its input, never through a file)."""
        holders = {}
        for placeholder in step.placeholders:
            if placeholder.name in holders or not self._is_secret(placeholder.name, step):
                continue
            also = (placeholder.name,) if placeholder.assigned else ()
            shell_name = placeholder.name if placeholder.assigned else f"answer_{placeholder.name.lstrip('@')}"
            holders[placeholder.name] = self.session.set_secret(shell_name, values[placeholder.name], also=also)
        return holders

    def reply(self, text: str, *, secret: bool = False) -> None:
        """Type a line into the running step; a secret is masked from now on and written nowhere."""
        if secret and text:
            self._remember_secret_value(text)
        self.session.send_line(text, secret=secret)

    def _remember_secret(self, name: str, value: str) -> None:
        self.progress.mark_secret([name])
        self._remember_secret_value(value)

    def _remember_secret_value(self, value: str) -> None:
        """Mask ``value`` (in all its forms) from now on, and never save a value that holds it."""
        self.progress.mark_secret([], [value])
        if value and value not in self._secret_values:
            self._secret_values.add(value)
            self.masker.update(self._secret_values)

    def _gate(self, step: Step, code: str) -> StepOutcome | None:
        """Fail a step without running it when a program it needs is missing."""
        session = self.session
        env = self._env_cache or {}
        cwd = self.workdir
        missing = missing_programs(code, env=env, cwd=cwd, defined=set(), scripts_root=self.manuscript.root)
        if missing:  # ask the session itself: a step may have changed PATH or defined a function
            known = session.variables(["PATH", "PWD"])
            env = {**env, **known}
            self._env_cache = env
            cwd = Path(known.get("PWD", str(self.workdir)))
            missing = missing_programs(
                code, env=env, cwd=cwd, defined=session.defined_names(), scripts_root=self.manuscript.root
            )
        if missing:
            return self._blocked(step, missing)
        programs = {c.name for c in calls(code)[0]}
        if "docker" in programs:
            if self._engine is None:
                from tutorial.checks.prerequisites import EngineCache

                self._engine = EngineCache()
            report = self._engine.docker(env)
            if not report.ok:
                return StepOutcome(step, StepStatus.FAILED, message=f"{report.detail}. {report.fix}", blocked=True)
        return None

    def _blocked(self, step: Step, missing: list[Missing]) -> StepOutcome:
        page = self.manuscript.pages.get(step.page)
        links = {p.name: p.link for p in page.prerequisites if p.link} if page else {}
        lines = []
        for item in missing:
            link = links.get(item.name)
            install = f"; install it: {link}" if link else ""
            lines.append(f"{step.page} step {step.index + 1} needs {item.describe()}{install}")
        return StepOutcome(step, StepStatus.FAILED, message="\n".join(lines), missing=missing, blocked=True)

    def _validate(self, step: Step, output: str) -> list[CheckOutcome]:
        outcomes = []
        for check in step.checks:
            if check.command:
                status, text = self.session.capture(check.command, timeout=60)
            else:
                status, text = 0, output
            try:
                matched = not check.expect or matches(check.expect, text)  # linear time: never hangs
            except PatternError as error:
                status, text, matched = 0, f"{error}", False
            passed = status == 0 and matched
            what = check.description or (f"`{check.command}`" if check.command else "the output")
            if passed:
                message = f"{what}: ok"
            elif status != 0:
                message = f"check failed: {what} (`{check.command}` exited with status {status})"
            else:
                message = f"check failed: {what}: expected output matching /{check.expect}/"
            outcomes.append(CheckOutcome(check, passed, text[-2000:], message))
        return outcomes

    def _remember(
        self, step: Step, values: Mapping[str, str], assigned: list[str], reported: dict[str, str] | None
    ) -> None:
        """Keep the values a step gave or assigned, except secrets; learn the secrets it assigned.

        ``export GITHUB_TOKEN=$(gh auth token)`` makes a secret nobody typed: from now on
        its value is masked, never saved, and given back to a restarted shell from memory.
        A page's own questions (@NAME) are asked again: the same words may mean another
        thing elsewhere. ``reported`` is what the shell told with the step's end; only when
        it could not (the step ended the shell, or ran in the reader's terminal) is the
        session asked.
        """
        keep = {n: v for n, v in values.items() if not self._is_secret(n, step) and not is_inline(n)}
        origins = {n: self._origin_of_value(n) for n in values if not is_inline(n)}
        by_step = Origin("step", page=step.page, step=step.index + 1)
        found = reported if reported is not None else self.session.variables(assigned) if assigned else {}
        made: list[str] = []
        for name in assigned:
            value = found.get(name)
            if value is None:
                continue
            if name not in values:
                origins[name] = by_step
            if not self._is_secret(name, step):
                keep[name] = value
            elif value:
                made.append(name)
                self._remember_secret_value(value)
                self.session.hold_secret(name, value)
        self._used.update(origins)
        with self.state_lock:
            self.progress.mark_secret(made)  # its name is kept, and where it came from (see _lost_secret)
            self.progress.remember(keep, origins)

    def _origin_of_value(self, name: str) -> Origin:
        """Where a value a step used came from: as given, as saved, the environment, an earlier step."""
        found = self.origin(name)
        if found is not None:
            return found
        return Origin("environment") if name in self.environment() else Origin("step")

    def _is_secret(self, name: str, step: Step) -> bool:
        return (
            name in step.secrets
            or name in self.progress.secret_names
            or looks_secret(name)
            or any(p.secret for p in step.placeholders if p.name == name)
        )

    def _record(self, step: Step, outcome: StepOutcome, *, soon: bool = False) -> None:
        """Record ``outcome``; ``soon``: saved on another thread, on the disk before the next step starts.

        A run saves after every step (a record in the progress journal, see ``Progress.save_soon``),
        and most of a save is the disk's time (its sync): it goes on while the outcome is shown
        and the next step is made ready (its values, its checks), and the next step is not sent
        to the shell until it is done (:meth:`_run`). A failure is known then (the record's, or
        that of a rewrite of settings.yaml under way): the next step does not run, and this
        outcome says why.
        """
        with self.state_lock:
            self.progress.step_finished(step, outcome.status, outcome.duration, outcome.exit_code)
            if soon and self._saving and self._settle():
                self._saved_for = outcome
                self.progress.save_soon()
                self._tell(outcome)
                return
            if not self._save() and self._save_error is not None:
                outcome.notes.append(f"progress not saved: {self._save_error}")

    def _save(self) -> bool:
        """Save the progress; a failure is kept in ``save_error`` (the file is left as it was), not raised.

        Callers hold :attr:`state_lock`: two changes never write the file at once.
        """
        if not self._saving:
            return True
        if not self._settle():
            return False
        try:
            self.progress.save()
        except SettingsError as error:
            self._save_error = error
            return False
        self._save_error = None
        return True

    # -- the reader's decisions ----------------------------------------------------------------

    def edited(self, step: Step) -> str | None:
        """The reader's own version of a step, if they edited it (kept with the progress)."""
        return self.progress.state.edits.get(step.ref)

    def edit(self, step: Step, code: str | None) -> None:
        """Keep (or, with None or the original text, drop) the reader's version of a step."""
        with self.state_lock:
            if code is None or code.strip() == step.code.strip():
                self.progress.state.edits.pop(step.ref, None)
            else:
                self.progress.state.edits[step.ref] = code
            self._save()

    def override(self, step: Step) -> StepOutcome:
        """The reader says a failed step is fine: recorded as overridden, never as passed."""
        outcome = StepOutcome(step, StepStatus.OVERRIDDEN, message="marked as done by the reader")
        self._record(step, outcome)
        return outcome

    def skip(self, step: Step, reason: str = "skipped by the reader") -> StepOutcome:
        outcome = StepOutcome(step, StepStatus.SKIPPED, message=reason)
        self._record(step, outcome)
        return outcome

    def start_at(self, page: str) -> None:
        with self.state_lock:
            self.progress.arrive(page, entry=not self.progress.state.path)
            self._save()

    def choose(self, page: Page, option: Option) -> None:
        with self.state_lock:
            self.progress.choose(page.path, option.label, option.target)
            self._save()

    def route_option(self, page: Page) -> Option | None:
        """The option of a route page ("How Did You Define Your App?") that follows from an earlier choice.

        The earlier choice is the one made where the same options were offered (Helm, Kustomize,
        CDK For Kubernetes (cdk8s) for Helm, Kustomize, cdk8s): a later choice that merely shares
        a word ("Helm Chart" for the database) or a page's title says nothing about it. None
        when no such choice was made, or it does not single out one option.
        """
        available = [o for o in page.options if o.available]
        if not available:
            return None
        standing = self.progress.state.latest_choices()  # going back and choosing again replaces a choice
        for path, chosen in reversed(standing.items()):
            earlier = self.manuscript.pages.get(path)
            if earlier is None or earlier.path == page.path:
                continue
            offered = [words(o.label) for o in earlier.options]
            if not all(any(_names(option.label, label) for label in offered) for option in available):
                continue  # not where this question was answered
            matching = [o for o in available if _names(o.label, words(chosen))]
            if len(matching) == 1:
                return matching[0]
        return None

    def open_page(self, page: str) -> None:
        with self.state_lock:
            self.progress.arrive(page)
            self._save()

    def chapter(self, page: Page) -> Chapter:
        """The engine's view of ``page``'s steps (one per page for the whole journey)."""
        from tutorial.engine.chapter import Chapter

        found = self._chapters.get(page.path)
        if found is None:
            found = self._chapters[page.path] = Chapter(self, page)
        return found

    def resume_step(self, page: Page) -> Step | None:
        """The Do step of ``page`` to resume at: the first not done (None when all are)."""
        return self.chapter(page).next_step()


def _names(label: str, offered: frozenset[str]) -> bool:
    """Whether an option's label names an option offered earlier ("cdk8s" in "CDK For Kubernetes (cdk8s)")."""
    mine = words(label)
    return bool(mine) and mine <= offered


def _read_by(code: str, names: Iterable[str]) -> list[str]:
    """Those of ``names`` that ``code`` really reads: a substring test first, then bash's expansions."""
    candidates = [n for n in names if n in code]
    if not candidates:
        return []
    read = expanded_names(code)
    return [n for n in candidates if n in read]
