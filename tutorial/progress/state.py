"""The reader's progress: where they are, what ran, which way they went, what they typed.

Kept under ``adventure:`` in the workspace's settings.yaml (see :mod:`.settings`)::

    adventure:
      schema: 1
      manuscript: bundled                # or the manuscript folder
      entry: setup.md
      page: registry/local.md            # where to resume
      path:                              # pages in the order they were read, and the choice made on each
        - {page: setup.md}
        - {page: build-container-image/README.md, choice: Docker}
      steps:
        "setup.md#1": {status: passed, at: "2026-11-28T16:02:11", seconds: 0.4, exit: 0, code: 1f3a9c2e}
      variables: {TAG: 20261128-160211}  # never a secret
      secrets: [DOCKERHUB_TOKEN]         # only the names of secrets
      origins:                           # where each value came from (see .origins)
        TAG: {from: step, page: setup.md, step: 2}
      assume: {EKS: true, nip.io: false} # what the reader said holds for them (conditions' subjects)
      journal: {id: "5f0c2a9d13e4b7a8", seq: 12}  # the journal's records this file holds (see .journal)

Secrets are kept out twice: by name (declared secret, or named like one) and by value (any
saved value that contains a secret, or a form of it such as its base64, is dropped).
"""

from __future__ import annotations

import hashlib
import json
import operator
import queue
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import field
from functools import cached_property, lru_cache, partial
from pathlib import Path
from typing import Any, Generic, TypeVar

from tutorial.manuscript.model import Manuscript, Step, StepStatus
from tutorial.manuscript.placeholders import looks_secret
from tutorial.oserrors import reason
from tutorial.progress import delta, journal
from tutorial.progress.identity import new_objects
from tutorial.progress.journal import Journal, JournalFull
from tutorial.progress.origins import Origin, origins_from
from tutorial.progress.rewriter import Rewriter
from tutorial.progress.settings import Entries, Rendered, SettingsError, SettingsFile, SettingsWriteError, Stored
from tutorial.records import record
from tutorial.shell.secret_forms import forms

# every save judges every kept variable's name again: the same few hundred names, step after step
_named_like_secret = lru_cache(maxsize=4096)(looks_secret)

SCHEMA = 1


def code_hash(step: Step) -> str:
    """Identifies a step's text, so an edited manuscript does not count old runs as done."""
    return hashlib.sha1(step.code.encode(), usedforsecurity=False).hexdigest()[:8]


def manuscript_id(manuscript: Manuscript) -> str:
    return "bundled" if manuscript.bundled else str(manuscript.root)


@record(frozen=True, slots=False)
class StepRecord:
    """What the progress keeps of one step: its status, when, how long, its exit and its code's hash."""

    status: StepStatus
    at: str = ""
    seconds: float = 0.0
    exit: int | None = None
    code: str = ""

    @cached_property
    def data(self) -> dict[str, Any]:
        """As stored (built once: a journey saves after every step, and most records never change)."""
        pairs = (
            ("status", self.status.value),
            ("at", self.at),
            ("seconds", round(self.seconds, 3)),
            ("exit", self.exit),
            ("code", self.code),
        )
        return Stored({k: v for k, v in pairs if v not in (None, "")})


@record
class ProgressState:
    """Progress as plain data, independent of the YAML it is stored in."""

    manuscript: str = ""
    entry: str = ""
    page: str = ""
    path: list[dict[str, str]] = field(default_factory=list)
    steps: dict[str, StepRecord] = field(default_factory=dict)
    variables: dict[str, str] = field(default_factory=dict)
    secrets: list[str] = field(default_factory=list)
    edits: dict[str, str] = field(default_factory=dict)  # step ref -> the reader's version of it
    assume: dict[str, bool] = field(default_factory=dict)  # subject -> whether it holds for the reader
    origins: dict[str, Origin] = field(default_factory=dict)  # value name -> where it came from

    @classmethod
    def from_data(cls, data: Mapping[str, Any], where: str | Callable[..., str]) -> ProgressState:
        """Progress from what settings.yaml holds; SettingsError (with the line) for a value of the wrong type.

        ``where`` names the file, or locates a key in it (``where("steps", ref)`` gives ``file:line``).
        """
        locate: Callable[..., str] = where if callable(where) else (lambda *_keys: str(where))
        schema = data.get("schema", SCHEMA)
        if schema != SCHEMA:
            raise SettingsError(
                f"{locate('schema')}: progress written by another version (schema {schema}); "
                "run `cncf-adventure reset` to start over"
            )

        def wrong(keys: tuple[str, ...], expected: str, value: Any) -> SettingsError:
            name = ".".join(("adventure", *keys))
            return SettingsError(
                f"{locate(*keys)}: {name} must be {expected}, not {value!r:.60}; "
                "fix it, or run `cncf-adventure reset` to start over"
            )

        def mapping(key: str) -> Mapping[Any, Any]:
            value = data.get(key)
            if value is None:
                return {}
            if not isinstance(value, Mapping):
                raise wrong((key,), "a mapping", value)
            return value

        def sequence(key: str) -> list[Any]:
            value = data.get(key)
            if value is None:
                return []
            if not isinstance(value, list):
                raise wrong((key,), "a list", value)
            return value

        steps = {}
        for key, value in mapping("steps").items():
            if not isinstance(value, Mapping):
                raise wrong(("steps", str(key)), "a mapping", value)
            seconds = value.get("seconds", 0) or 0
            if isinstance(seconds, bool) or not isinstance(seconds, int | float):
                raise wrong(("steps", str(key), "seconds"), "a number", seconds)
            exit_code = value.get("exit")
            if exit_code is not None and (isinstance(exit_code, bool) or not isinstance(exit_code, int)):
                raise wrong(("steps", str(key), "exit"), "a whole number", exit_code)
            steps[str(key)] = StepRecord(
                StepStatus.read(str(value.get("status", ""))),
                str(value.get("at", "")),
                float(seconds),
                exit_code,
                str(value.get("code", "")),
            )
        path = []
        for entry in sequence("path"):
            if not isinstance(entry, Mapping):
                raise wrong(("path",), "a list of mappings", entry)
            path.append({str(k): str(v) for k, v in entry.items()})
        return cls(
            manuscript=str(data.get("manuscript", "")),
            entry=str(data.get("entry", "")),
            page=str(data.get("page", "")),
            path=path,
            steps=steps,
            variables={str(k): str(v) for k, v in mapping("variables").items()},
            secrets=[str(s) for s in sequence("secrets")],
            edits={str(k): str(v) for k, v in mapping("edits").items()},
            assume=_answers(data.get("assume")),
            origins=origins_from(data.get("origins")),
        )

    # -- questions the engine and the screens ask ---------------------------------------------

    def record(self, step: Step) -> StepRecord | None:
        found = self.steps.get(step.ref)
        return found if found is not None and found.code == code_hash(step) else None

    def status(self, step: Step) -> StepStatus:
        """The step's saved status (pending when it never ran, or its text changed since)."""
        record = self.record(step)
        return StepStatus.PENDING if record is None else record.status

    def done(self, step: Step) -> bool:
        return self.status(step).done

    def latest_choices(self) -> dict[str, str]:
        """The choice that stands at each page: a reader who went back and chose again changed their mind.

        The path keeps every choice (the map shows the way taken); what holds for the reader
        is the last one made at each page. Ordered by when that last choice was made.
        """
        found: dict[str, str] = {}
        for entry in self.path:
            choice = entry.get("choice")
            if choice:
                page = entry.get("page", "")
                found.pop(page, None)
                found[page] = choice
        return found

    def choices(self) -> list[str]:
        """The choices that stand (the latest at each page), in the order they were made."""
        return list(self.latest_choices().values())

    def visited(self) -> list[str]:
        return [entry["page"] for entry in self.path if entry.get("page")]

    def passed_over(self, manuscript: Manuscript) -> list[str]:
        """The options the reader did not take where they made a choice (they do not hold for them)."""
        found: list[str] = []
        for path, choice in self.latest_choices().items():
            page = manuscript.pages.get(path)
            if page is not None:
                found.extend(o.label for o in page.options if o.label != choice)
        return found


def _same(data: dict[str, Any]) -> dict[str, Any]:
    return data


def _answers(data: object) -> dict[str, bool]:
    """The reader's saved answers; anything but ``name: true/false`` is left out."""
    if not isinstance(data, Mapping):
        return {}
    return {str(k): v for k, v in data.items() if isinstance(v, bool)}


class Progress:
    """Reads and saves progress; each save merges into the file as it is on disk now.

    How a step's progress reaches the disk (``run``, :meth:`save_soon`): one record of what
    changed is written to the journal (see :mod:`.journal`) and synced, and settings.yaml is
    brought up to date from the state later, off the step's path (see :mod:`.rewriter`):
    while a step runs longer than a moment, at every whole save (:meth:`save`: page
    arrivals, choices), when the journal is full, and at :meth:`flush` and :meth:`close`.
    settings.yaml says which records it already holds (``journal: {id, seq}`` under our
    key); loading applies the records after those, and a writer then writes the file whole
    at once. Where the journal cannot be used, every save is a whole save, as before it.
    """

    def __init__(self, settings: SettingsFile, manuscript: Manuscript, *, consolidate: bool = True) -> None:
        """``consolidate``: write settings.yaml whole at once when records were applied (a writer holding the lock)."""
        self.settings = settings
        self.manuscript = manuscript
        self.secret_names: set[str] = set()
        self.secret_values: set[str] = set()  # the secrets' values and their forms
        self._writer = _Writer()
        #: the lines of the step records and origins as last saved (see settings.Entries); used
        #: by one thread at a time, under _write_lock
        self._step_lines = Entries("    ")
        self._origin_lines = Entries("    ")
        #: the secrets' counts and the variables when last judged, and the variables that may be saved
        self._judged: tuple[tuple[int, int], dict[str, str], dict[str, str]] | None = None
        #: each saved variable's value when last judged, and whether it may be written down
        self._verdicts: dict[str, tuple[str, bool]] = {}
        #: the step records and origins as stored, taken again only for entries that are new objects
        self._step_data: _Converted[StepRecord] = _Converted(operator.attrgetter("data"))
        self._origin_data: _Converted[Origin] = _Converted(Origin.as_data)
        #: the journal (None until a step's save first needs it, or when it cannot be used)
        self._journal: Journal | None = None
        self._journal_tried = False
        #: the secrets known when the journal was last searched for them, and whether it must be wiped
        self._secrets_seen: tuple[int, int] | None = None
        self._wipe = False
        #: what the last record or whole save wrote: the next record holds what changed since
        self._base: dict[str, Any] | None = None
        #: the last record of the journal's generation that settings.yaml holds
        self._included = 0
        #: settings.yaml is written by one thread at a time (the caller, the saving thread, the rewriter)
        self._write_lock = threading.RLock()
        self._rewriter: Rewriter[tuple[dict[str, Any], int, int]] = Rewriter(self._rewrite)
        #: what the reader should know about how the progress is saved (a journal that cannot be used)
        self.notices: list[str] = []
        self.replayed = 0  # the journal's records applied when loading
        self._loaded: dict[str, Any] = {}  # our key as loaded, the records applied
        self.state = self.load()
        if consolidate and self.replayed:
            self._consolidate()

    @property
    def journal_path(self) -> Path:
        return self.settings.state_folder / journal.NAME

    def load(self) -> ProgressState:
        data = self.settings.section()
        changes = journal.changes_after(self.journal_path, data.get("journal"))
        for _, change in changes:
            delta.apply(data, change)
        self.replayed = len(changes)
        self._loaded = data
        state = ProgressState.from_data(data, self.settings.where) if data else ProgressState()
        if state.manuscript and state.manuscript != manuscript_id(self.manuscript):
            # progress of another manuscript in this workspace: start this one afresh, keep nothing of it
            return ProgressState(manuscript=manuscript_id(self.manuscript))
        state.manuscript = manuscript_id(self.manuscript)
        self.secret_names.update(state.secrets)
        return state

    def _consolidate(self) -> None:
        """settings.yaml written whole with the records applied, before anything runs.

        Without a ``journal:`` marker: the records are in the file now, and the journal is
        not applied again (the next whole save starts a new generation of it).
        """
        data = {key: value for key, value in self._loaded.items() if key != "journal"}
        with self._write_lock:
            self.settings.update_section(lambda _old: data)

    @property
    def saved(self) -> bool:
        return self.settings.path.exists() and bool(self.state.page or self.state.steps)

    def save(self) -> None:
        """Save now, whole (after a save still on its way, see :meth:`save_soon`).

        When the journal is in use, this starts a new generation of it: settings.yaml holds
        everything, and the next records are written from the journal's start.
        """
        self.settle()
        self._rewriter.cancel()  # what it would write is in this save
        data = self._data()
        generation = journal.new_generation() if self._journal is not None else 0
        with self._write_lock:
            self.settings.update_section(self._whole(data, generation))
            self._started(data, generation)

    def save_soon(self) -> None:
        """Save the progress as it is now; on the disk when :meth:`settle` returns (which raises a failure).

        What is saved is taken now, on the caller's thread, and a record of what changed is
        written to the journal; its sync (the disk's time, most of a save's) goes on while
        the caller does what does not need it done, such as working out the next step. A
        later save, :meth:`reset` and :meth:`settle` wait for it first: two saves never write
        at once. A whole save is made instead (on the saving thread, as the record's sync) for
        the first step, when the journal is full or cannot be used, and when settings.yaml is
        no longer the file our last save put there (another program wrote it: merged at once,
        and a file that can no longer be written stops the run before the next step).
        """
        self.settle()
        data = self._data()
        writing = self._journal_for_steps()
        if writing is not None and self._secrets_seen != self._secrets_now():
            self._secrets_seen = self._secrets_now()
            self._wipe = self._wipe or writing.holds_any(self._secret_texts())
        if (
            writing is None
            or not writing.generation
            or self._base is None
            or self._wipe
            or not self.settings.still_ours()
        ):
            self._save_whole_soon(data)
            return
        try:
            sequence = writing.append(delta.encode(delta.difference(self._base, data)))
        except JournalFull:
            self._save_whole_soon(data)
            return
        except OSError as error:
            self._give_up_journal(error)
            self._save_whole_soon(data)
            return
        self._base = data
        syncing = threading.Event()
        self._writer.submit(partial(self._sync_record, writing, data, sequence, syncing.set), syncing)
        # Wait until its sync begins. The saving thread needs the interpreter's lock between
        # its system calls, and a caller that goes straight on with Python work keeps it: the
        # sync would wait for the caller to block (at the next step) before it even began.
        # Waiting here, the caller gets the lock back only while the disk works (the sync lets
        # it go), and the sync runs alongside what the caller does next.
        syncing.wait()

    def _save_whole_soon(self, data: dict[str, Any]) -> None:
        """A whole save on the saving thread (the caller goes on once its fsync begins, see :meth:`save_soon`)."""
        self._rewriter.cancel()  # what it would write is in this save
        generation = journal.new_generation() if self._journal is not None else 0
        with self._write_lock:
            change = self._whole(data, generation, rendered=True)  # written out here: the other thread only writes
        syncing = threading.Event()

        def save() -> None:
            with self._write_lock:
                self.settings.update_section(change, syncing=syncing.set)
                self._started(data, generation)

        self._writer.submit(save, syncing)
        syncing.wait()

    def _sync_record(self, writing: Journal, data: dict[str, Any], sequence: int, syncing: Callable[[], None]) -> None:
        """On the saving thread: the record on the disk, then settings.yaml's rewrite offered (see :mod:`.rewriter`)."""
        syncing()
        try:
            writing.sync()
        except OSError as error:  # the record may not be on the disk: save whole, as before the journal
            self._give_up_journal(error)
            with self._write_lock:
                self.settings.update_section(self._whole(data, 0))
                self._started(data, 0)
            return
        self._rewriter.offer((data, writing.generation, sequence))

    def _rewrite(self, item: tuple[dict[str, Any], int, int]) -> None:
        """On the rewriter's thread: settings.yaml as of the record ``sequence`` of ``generation``."""
        data, generation, sequence = item
        with self._write_lock:
            current = self._journal
            if current is None or current.generation != generation or sequence <= self._included:
                return  # a whole save wrote it since
            self.settings.update_section(self._whole(data, generation, sequence))
            self._included = sequence

    def flush(self) -> None:
        """settings.yaml holds every record now (at the end of a run, and at :meth:`close`)."""
        self.settle()
        self._rewriter.cancel()
        with self._write_lock:
            current = self._journal
            if current is None or not current.generation or self._base is None or self._included >= current.sequence:
                return
            self.settings.update_section(self._whole(self._base, current.generation, current.sequence))
            self._included = current.sequence

    def settle(self) -> None:
        """Wait until a save begun by :meth:`save_soon` is on the disk, and a rewrite under way is done.

        Raises what either failed with.
        """
        try:
            self._writer.wait()
        finally:
            self._rewriter.settle()

    def close(self) -> None:
        """Settle, bring settings.yaml up to date (:meth:`flush`), and let the threads and the journal go."""
        try:
            self._writer.close()
            self.flush()
        finally:
            self._rewriter.close()
            if self._journal is not None:
                self._journal.close()
                self._journal = None
                self._journal_tried = False

    # -- the journal -------------------------------------------------------------------------

    def _journal_for_steps(self) -> Journal | None:
        """The journal, opened (made once, if need be) at the first step's save; None when it cannot be used."""
        if self._journal is None and not self._journal_tried:
            self._journal_tried = True
            try:
                self._journal = Journal.open(self.journal_path)
            except OSError as error:
                self._give_up_journal(error)
        return self._journal

    def _give_up_journal(self, error: OSError) -> None:
        """Every save whole from now on; the reader is told why, with the file's name."""
        name = error.filename or self.journal_path
        self.notices.append(f"{name}: cannot be written ({reason(error)}): each step's progress is saved whole instead")
        with self._write_lock:
            if self._journal is not None:
                self._journal.close()
            self._journal = None
            self._journal_tried = True

    def _started(self, data: dict[str, Any], generation: int) -> None:
        """A whole save of ``data`` naming ``generation`` is on the disk: the next records are changes from it.

        A journal found to hold a value that turned out to be a secret is wiped first (the
        whole save holds everything, without it).
        """
        self._base = data
        self._included = 0
        if self._journal is not None and self._wipe:
            try:
                self._journal.wipe()
            except OSError as error:
                self._give_up_journal(error)
                raise SettingsWriteError(
                    f"{error.filename}: cannot wipe a value that turned out to be a secret: {error.strerror or error}"
                ) from error
            self._wipe = False
        if self._journal is not None and generation:
            self._journal.start(generation)

    def _secrets_now(self) -> tuple[int, int]:
        return (len(self.secret_names), len(self.secret_values))  # (both only ever grow)

    def _secret_texts(self) -> list[bytes]:
        """The secrets as a record would hold them (JSON strings), their values and the saved values of their names."""
        values = set(self.secret_values)
        values.update(self.state.variables[name] for name in self.secret_names if name in self.state.variables)
        return [json.dumps(value, ensure_ascii=False)[1:-1].encode() for value in values if value]

    # -- what a save writes -------------------------------------------------------------------

    def _data(self) -> dict[str, Any]:
        """What a save writes, as plain data (the journal's marker aside), taken on the caller's thread."""
        state = self.state
        variables = self._safe_saved()
        known = variables.keys() | self.secret_names  # no origin outlives its value
        origins = state.origins
        if not origins.keys() <= known:
            origins = {name: origin for name, origin in origins.items() if name in known}
        return {
            "schema": SCHEMA,
            "manuscript": state.manuscript,
            "entry": state.entry,
            "page": state.page,
            "path": [dict(entry) for entry in state.path],  # (a save may be written on another thread)
            "steps": self._step_data.of(state.steps),
            "variables": variables,
            "secrets": sorted(self.secret_names),
            # a step the reader edited may hold a token pasted into it: it is used, never written down
            "edits": {ref: code for ref, code in state.edits.items() if not self._holds_secret(code)},
            "assume": dict(state.assume),
            "origins": self._origin_data.of(origins),
            "updated": time.strftime("%Y-%m-%dT%H:%M:%S"),
        }

    def _whole(
        self, data: dict[str, Any], generation: int, sequence: int = 0, *, rendered: bool = False
    ) -> Callable[[dict[str, Any]], dict[str, Any]]:
        """``data`` as settings.yaml's key, naming the journal's ``generation`` when there is one.

        Call under ``_write_lock``. Only the records and origins that are new objects since the
        last whole save are written out again (see settings.Entries).
        """
        written = dict(data)
        written["steps"] = self._step_lines.block(data["steps"], _same)
        written["origins"] = self._origin_lines.block(data["origins"], _same)
        if generation:
            written["journal"] = {"id": journal.generation_text(generation), "seq": sequence}
        if rendered:
            written = Rendered.of(written)
        return lambda _old: written

    def _change(self, *, rendered: bool = False) -> Callable[[dict[str, Any]], dict[str, Any]]:
        """What a whole save writes now (without the journal's marker)."""
        with self._write_lock:
            return self._whole(self._data(), 0, rendered=rendered)

    def _safe_saved(self) -> dict[str, str]:
        """:meth:`safe_variables` of the saved variables, judged again only when they or the secrets changed.

        (Every save writes them all; most steps change none, or one.)
        """
        secrets_now = (len(self.secret_names), len(self.secret_values))  # (both only ever grow)
        judged = self._judged
        variables = self.state.variables
        if judged is not None and judged[0] == secrets_now and judged[1] == variables:
            return dict(judged[2])
        if judged is None or judged[0] != secrets_now:
            self._verdicts = {}
        elif (found := self._safe_since(judged[1], judged[2], variables)) is not None:
            self._judged = (secrets_now, dict(variables), found)
            return dict(found)
        # each value judged once: a step that sets one variable does not judge the others again
        verdicts = self._verdicts
        safe: dict[str, str] = {}
        for name, value in variables.items():
            verdict = verdicts.get(name)
            if verdict is None or verdict[0] != value:
                verdict = verdicts[name] = (value, bool(self.safe_variables({name: value})))
            if verdict[1]:
                safe[name] = value
        self._judged = (secrets_now, dict(variables), safe)
        return dict(safe)

    def _safe_since(
        self, before: dict[str, str], safe: dict[str, str], variables: dict[str, str]
    ) -> dict[str, str] | None:
        """The safe variables from those of the last judgement, when only a few were set (None otherwise).

        The variables that changed are found without a walk in Python (see ``delta.entries``),
        and only they are judged. Given up (None) when one was removed, or a value that was
        kept out is now safe, or the order changed (the walk over them all says where they go).
        """
        if list(variables)[: len(before)] != list(before):  # removed or moved: a walk puts them in order
            return None
        changed, _ = delta.entries(before, variables)
        found = dict(safe)
        for name, value in changed.items():
            verdict = self._verdicts.get(name)
            if verdict is None or verdict[0] != value:
                verdict = self._verdicts[name] = (value, bool(self.safe_variables({name: value})))
            if verdict[1]:
                if name in before and name not in safe:
                    return None
                found[name] = value
            else:
                found.pop(name, None)
        return found

    def _holds_secret(self, text: str) -> bool:
        # (asked of every saved value at every save: most journeys have no secret to look for)
        return bool(self.secret_values) and any(secret in text for secret in self.secret_values)

    def safe_variables(self, values: Mapping[str, str]) -> dict[str, str]:
        """Only what may be written down: no secret by name, no secret by value."""
        return {
            name: value
            for name, value in values.items()
            if name not in self.secret_names and not _named_like_secret(name) and not self._holds_secret(value)
        }

    def mark_secret(self, names: Iterable[str], values: Iterable[str] = ()) -> None:
        """Never save ``names``, nor a value holding one of ``values`` in any form (``AUTH=$(... | base64)``)."""
        self.secret_names.update(names)
        for value in values:
            self.secret_values.update(forms(value))

    # -- changes ------------------------------------------------------------------------------

    def step_finished(self, step: Step, status: StepStatus, seconds: float, exit_code: int | None) -> None:
        self.state.steps[step.ref] = StepRecord(
            status, time.strftime("%Y-%m-%dT%H:%M:%S"), seconds, exit_code, code_hash(step)
        )
        self.state.page = step.page

    def remember(self, values: Mapping[str, str], origins: Mapping[str, Origin] | None = None) -> None:
        """Keep ``values`` (those that may be written down) and where each came from."""
        self.state.variables.update(self.safe_variables(values))
        self.state.origins.update(origins or {})

    def forget(self, name: str) -> None:
        """Drop a value and its origin (a secret's name stays known as a secret)."""
        self.state.variables.pop(name, None)
        self.state.origins.pop(name, None)

    def arrive(self, page: str, *, entry: bool = False) -> None:
        if entry or not self.state.entry:
            self.state.entry = page if entry or not self.state.entry else self.state.entry
        if not self.state.path or self.state.path[-1].get("page") != page:
            self.state.path.append({"page": page})
        self.state.page = page

    def choose(self, page: str, label: str, target: str | None) -> None:
        if not self.state.path or self.state.path[-1].get("page") != page:
            self.state.path.append({"page": page})
        self.state.path[-1]["choice"] = label
        if target:
            self.arrive(target)

    def answer(self, answers: Mapping[str, bool]) -> None:
        """Record what the reader says holds (True) or not (False) for them; saved with the progress."""
        self.state.assume = {str(name): bool(value) for name, value in answers.items()}

    def reset(self) -> None:
        """Forget the progress: our key goes, and with its marker the journal's records (never applied again)."""
        self.settle()
        self._rewriter.cancel()
        with self._write_lock:
            self.settings.update_section(lambda _old: None)
            self._base = None
            if self._journal is not None:
                self._journal.start(0)  # no record before the next whole save starts a generation
        self.state = ProgressState(manuscript=manuscript_id(self.manuscript))

    def first_unfinished(self, steps: Iterable[Step]) -> Step | None:
        for step in steps:
            if not self.state.done(step):
                return step
        return None


Source = TypeVar("Source")


class _Converted(Generic[Source]):
    """A mapping's entries as stored (a step's record as data), converted again only when they are new objects.

    Every save takes every step record and origin as stored: two hundred of each, where a
    step changes one or two. The entries that are other objects than at the last call are
    found by the interpreter's own loops (``operator.is_not`` over the two lists).
    """

    __slots__ = ("_convert", "_converted", "_keys", "_sources")

    def __init__(self, convert: Callable[[Source], dict[str, Any]]) -> None:
        self._convert = convert
        self._keys: list[str] = []
        self._sources: list[Source] = []
        self._converted: list[dict[str, Any]] = []

    def of(self, entries: Mapping[str, Source]) -> dict[str, dict[str, Any]]:
        keys, sources = list(entries), list(entries.values())
        changed = new_objects(keys, sources, self._keys, self._sources)
        if changed is not None:
            converted = self._converted
            converted.extend([{}] * (len(keys) - len(converted)))
            for index in changed:
                converted[index] = self._convert(sources[index])
        else:
            converted = self._converted = list(map(self._convert, sources))
        self._keys, self._sources = keys, sources
        return dict(zip(keys, converted, strict=True))


class _Writer:
    """One thread that runs one piece of work at a time, and tells when it is done (or how it failed)."""

    def __init__(self) -> None:
        self._work: queue.SimpleQueue[tuple[Callable[[], object], threading.Event | None] | None] = queue.SimpleQueue()
        self._idle = threading.Event()
        self._idle.set()
        self._failure: BaseException | None = None
        self._thread: threading.Thread | None = None

    def submit(self, work: Callable[[], object], started: threading.Event | None = None) -> None:
        """Run ``work`` on the thread; ``started`` (``work`` may set it sooner) is set once it ends at the latest."""
        self.wait()
        self._idle.clear()
        if self._thread is None or not self._thread.is_alive():
            self._thread = threading.Thread(target=self._run, name="progress-save", daemon=True)
            self._thread.start()
        self._work.put((work, started))

    def wait(self) -> None:
        self._idle.wait()
        failure, self._failure = self._failure, None
        if failure is not None:
            raise failure

    def close(self) -> None:
        try:
            self.wait()
        finally:
            if self._thread is not None and self._thread.is_alive():
                self._work.put(None)
                self._thread.join()
            self._thread = None

    def _run(self) -> None:
        while (item := self._work.get()) is not None:
            work, started = item
            try:
                work()
            except BaseException as error:  # noqa: BLE001 (handed to the waiting thread, which raises it)
                self._failure = error
            finally:
                if started is not None:
                    started.set()  # (a save that failed, or never reached its fsync, lets the caller go too)
                self._idle.set()
