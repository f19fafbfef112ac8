"""``settings.yaml``: shared with the manuscript's own scripts, never damaged by us.

The chapters' scripts write their keys here with ``yq`` (``image``, ``tag``...). We keep the
reader's progress next to them under one key, ``adventure:``. Every write re-reads the file
and changes only that key, so whatever anyone else wrote, even a second ago, stays as it
was, comments and order included. Writes are atomic (temporary file, fsync, an atomic
exchange that hands back what it replaced, see :mod:`.atomic`, then a sync of the folder that
holds the name), the previous version is
kept as ``settings.yaml.bak``, and a file we cannot read is never
overwritten: it is reported with its line and left byte for byte as it was.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import io
import itertools
import json
import os
import re
import stat
import time
from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tutorial.oserrors import reason
from tutorial.progress import atomic
from tutorial.progress.identity import new_objects
from tutorial.shell import statedir

if TYPE_CHECKING:
    import yaml

FILE_NAME = "settings.yaml"
KEY = "adventure"


class SettingsError(Exception):
    """settings.yaml cannot be read or written; the message names the file (and line)."""


class SettingsWriteError(SettingsError):
    """A save failed on the way to the disk (read-only, full, not a file): the file was left as it was."""


#: the rights of a settings.yaml we make: readable as settings are (one that exists keeps its own)
_NEW_FILE_MODE = 0o644
_TEMPORARY = re.compile(r"^\.settings\.yaml(?:\.bak)?\..+\.tmp$")
#: how long a save keeps merging while a script keeps rewriting the file (a burst of `yq -i` lines ends)
_PATIENCE = 10.0


def _ruamel() -> Any:
    """Round-trip YAML for the rare file our fast splice cannot edit safely (flow style, anchors)."""
    from ruamel.yaml import YAML

    handler = YAML(typ="rt")
    handler.preserve_quotes = True
    handler.width = 4096
    handler.indent(mapping=2, sequence=4, offset=2)
    return handler


_PLAIN_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


def dump_section(value: dict[str, Any]) -> str:
    """Our key as YAML, written directly: blocks for structure, one JSON-style line per leaf.

    A step record is one line (``"setup.md#1": {"status": "passed", ...}``). JSON scalars
    and flow collections are valid YAML, and ``json.dumps`` is fast: a save costs the same
    with 5 or 500 steps recorded.
    """
    lines = [f"{KEY}:"]
    _emit(value, "  ", lines)
    return "\n".join(lines) + "\n"


def _literal(value: Any) -> bool:
    """A multi-line string a human will want to read as a block (``|-``) rather than on one line."""
    return (
        isinstance(value, str)
        and "\n" in value
        and value.isprintable() is False  # newlines are not printable: check the rest by hand
        and all(ch == "\n" or ch == "\t" or ch.isprintable() for ch in value)
        and not value.startswith((" ", "\n"))
        and not value.endswith((" ", "\n"))
    )


def _flat(value: Any) -> bool:
    if isinstance(value, dict):
        values = value.values()
        if set(map(type, values)) <= {str} and "\n" not in "".join(values):  # (the saved variables, at once)
            return True
        return all(not isinstance(v, dict | list) and not _literal(v) for v in value.values())
    if isinstance(value, list):
        return all(not isinstance(v, dict | list) for v in value)
    return True


_JSON = json.JSONEncoder(ensure_ascii=False)


@lru_cache(maxsize=8192)
def _key(key: str) -> str:
    return key if _PLAIN_KEY.match(key) else _JSON.encode(key)


@lru_cache(maxsize=8192)
def _flow(items: tuple[tuple[str, Any], ...]) -> str:
    """A flat mapping as one flow line; cached, since most records do not change between saves."""
    return _JSON.encode(dict(items))


def _leaf(value: Any) -> str:
    if isinstance(value, dict) and len(value) <= 16:  # (a record; a large mapping is seldom the same twice)
        try:
            return _flow(tuple(value.items()))
        except TypeError:  # an unhashable value: encode without the cache
            return _JSON.encode(value)
    return _JSON.encode(value)


class Stored(dict[str, Any]):
    """A mapping made once and never changed afterwards (a step's record, a value's origin).

    A save writes every one of them at every step: the line written for one is reused as long
    as it is the same object, without comparing it with a copy (see :func:`_emit`).
    """


class Rendered(dict[str, Any]):
    """Our key's value with its text already written (:func:`dump_section`), so a save on another thread does no more.

    The text is of the value as it was when rendered: it must not change afterwards.
    """

    text: str

    @classmethod
    def of(cls, value: dict[str, Any]) -> Rendered:
        rendered = cls(value)
        rendered.text = dump_section(value)
        return rendered


class Block(dict[str, Any]):
    """A mapping with the lines it is written as (under its key) already made: see :class:`Entries`."""

    lines: list[str]


class Entries:
    """The lines each entry of one mapping was last written as, reused while the entry is the same object.

    A journey saves after every step, and the step records and the values' origins are most
    of the file: written again one by one, every save cost a walk over all of them. Here only
    an entry whose value is another object than at the last save is written again (records
    and origins are never changed in place, see :class:`Stored`); finding them, and joining
    the lines, is left to the interpreter's own loops.
    """

    __slots__ = ("_data", "_indent", "_keys", "_lines", "_values")

    def __init__(self, indent: str) -> None:
        self._indent = indent
        self._keys: list[str] = []
        self._values: list[object] = []
        self._data: list[dict[str, Any]] = []
        self._lines: list[list[str]] = []

    def block(self, entries: dict[str, Any], stored: Callable[[Any], dict[str, Any]]) -> dict[str, Any]:
        """``entries`` as written (each value turned into what is stored by ``stored``), as a :class:`Block`.

        An empty mapping is given back as a plain one (it is written ``{}``, on its key's line).
        """
        if not entries:
            return {}
        keys, values = list(entries), list(entries.values())
        changed = new_objects(keys, values, self._keys, self._values)
        if changed is not None:  # the same entries first: only new objects are written again
            self._data.extend([{}] * (len(keys) - len(self._keys)))
            self._lines.extend([[]] * (len(keys) - len(self._keys)))
        else:  # entries gone or moved: all written again
            changed = list(range(len(keys)))
            self._data, self._lines = [{}] * len(keys), [[]] * len(keys)
        for index in changed:
            data = stored(values[index])
            written: list[str] = []
            _emit({keys[index]: data}, self._indent, written, remember=False)
            self._data[index], self._lines[index] = data, written
        self._keys, self._values = keys, values
        found = Block(zip(keys, self._data, strict=True))
        found.lines = list(itertools.chain.from_iterable(self._lines))
        return found


def _dumped(value: dict[str, Any]) -> str:
    return value.text if isinstance(value, Rendered) else dump_section(value)


#: the line each flat mapping was last written as, by where it sits (its indent and key), with
#: a copy of the mapping: a save rewrites every step's record, and most are as they were
_LINES: dict[tuple[str, Any], tuple[dict[str, Any], str]] = {}
_LINES_KEPT = 16384


def _emit(value: dict[str, Any], indent: str, lines: list[str], *, remember: bool = True) -> None:
    """``value``'s lines at ``indent``; ``remember``: keep each flat mapping's line for the next save (``_LINES``)."""
    for key, item in value.items():
        if type(item) is Block:  # written already, entry by entry (see Entries)
            lines.append(f"{indent}{_key(str(key))}:")
            lines.extend(item.lines)
            continue
        if isinstance(item, dict) and item:
            seen = _LINES.get((indent, key)) if remember else None
            if seen is not None and (seen[0] is item if type(item) is Stored else seen[0] == item):
                lines.append(seen[1])
                continue
            if _flat(item):  # one line (a multi-line string in it is not flat: a block, below)
                line = f"{indent}{_key(str(key))}: {_leaf(item)}"
                if remember:
                    if len(_LINES) >= _LINES_KEPT:
                        _LINES.clear()
                    _LINES[indent, key] = (item if type(item) is Stored else dict(item), line)
                lines.append(line)
                continue
            lines.append(f"{indent}{_key(str(key))}:")
            _emit(item, indent + "  ", lines, remember=remember)
        elif isinstance(item, list) and item and not _flat(item):
            lines.append(f"{indent}{_key(str(key))}:")
            lines.extend(f"{indent}  - {_leaf(element)}" for element in item)
        elif _literal(item):
            lines.append(f"{indent}{_key(str(key))}: |-")
            lines.extend(f"{indent}  {line}" if line else "" for line in item.split("\n"))
        else:
            lines.append(f"{indent}{_key(str(key))}: {_leaf(item)}")


class SettingsFile:
    """The settings file of one workspace."""

    def __init__(self, workdir: Path) -> None:
        self.path = workdir / FILE_NAME
        self.backup = workdir / (FILE_NAME + ".bak")
        self._lock_path = workdir / ".adventure" / "settings.lock"
        #: the file the last save displaced, kept out of sight to be written over by the next one
        self._spare = workdir / ".adventure" / f".{FILE_NAME}.spare.tmp"
        self._spare_usable = True  # False once the state folder turned out to be on another file system
        #: the rights the file has (a new one is readable as settings are); a save keeps them
        self._mode = _NEW_FILE_MODE
        #: what we last wrote: (bytes, text before our key, text after it, our key's value)
        self._known: tuple[bytes, str, str, dict[str, Any]] | None = None
        #: the identity of the file our last save put in place (None when not known from our own writing)
        self._mine: atomic.Identity | None = None
        self._written: atomic.Identity | None = None  # that of the spare, as last written and synced
        self._lock: io.TextIOWrapper | None = None
        self._root: yaml.Node | None = None  # the last document read, for line numbers

    # -- reading ------------------------------------------------------------------------------

    def read(self) -> dict[str, Any]:
        """The whole document (an empty mapping when the file does not exist)."""
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return {}
        except OSError as error:
            raise SettingsError(f"{self.path}: cannot read: {error.strerror or error}") from error
        return self._parse(self._decode(raw))

    def _decode(self, raw: bytes) -> str:
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError as error:
            line = raw[: error.start].count(b"\n") + 1
            raise SettingsError(f"{self.path}:{line}: not UTF-8 text ({error.reason})") from error

    def _parse(self, text: str) -> dict[str, Any]:
        self._root = None
        if not text.strip():
            return {}
        import yaml  # here: a run in a new work directory has no file to read, and needs no YAML reader

        from tutorial import safeyaml

        try:
            data, root = safeyaml.load_with_node(text)
        except yaml.YAMLError as error:
            line = safeyaml.problem_line(error)
            where = f":{line}" if line is not None else ""
            if isinstance(error, safeyaml.TooManyAliases):
                raise SettingsError(f"{self.path}{where}: {error}") from error
            problem = getattr(error, "problem", None) or getattr(error, "context", None) or str(error)
            raise SettingsError(f"{self.path}{where}: not valid YAML: {problem}") from error
        if data is None:
            return {}
        if not isinstance(data, dict):
            raise SettingsError(f"{self.path}:1: must hold keys and values (a mapping), not a {type(data).__name__}")
        self._root = root
        _refuse_duplicate(self.path, root)
        return data

    @property
    def state_folder(self) -> Path:
        """The work directory's own folder (``.adventure``), where the lock, the spare and the journal are."""
        return self._lock_path.parent

    def still_ours(self) -> bool:
        """Whether settings.yaml is still the very file our last save put there (one ``lstat``).

        False when another program wrote it since (``yq -i``, ``>>``), removed it, or put
        something else in its place, and when no save of ours is known yet.
        """
        mine = self._mine
        if mine is None:
            return False
        try:
            return atomic.identity(os.lstat(self.path)) == mine
        except OSError:
            return False

    def where(self, *keys: str) -> str:
        """``settings.yaml:LINE`` of the value at ``keys`` under our key, as last read (for messages)."""
        from tutorial import safeyaml

        line = safeyaml.line_of(self._root, (KEY, *keys))
        return f"{self.path}:{line}" if line is not None else str(self.path)

    def section(self) -> dict[str, Any]:
        """Our key, as plain Python data ({} when absent)."""
        data = self.read()
        value = data.get(KEY)
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise SettingsError(f"{self.where()}: the '{KEY}' key must be a mapping")
        return _plain(value)  # type: ignore[no-any-return]

    # -- writing ------------------------------------------------------------------------------

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """Serialise writers among cncf-adventure processes (the app and a `run` in one workspace)."""
        if self._lock is None or self._lock.closed:
            try:
                statedir.ensure(self.path.parent)
                self._lock = statedir.append_private(self._lock_path)  # kept open: a journey saves after every step
            except OSError as error:
                raise SettingsWriteError(f"{self._lock_path}: cannot create: {reason(error)}") from error
        fcntl.flock(self._lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(self._lock, fcntl.LOCK_UN)

    def remove_stale_temporaries(self) -> list[Path]:
        """Temporary files a killed save left next to settings.yaml, or put aside in the state folder.

        Call with the work directory locked.
        """
        removed = []
        for folder in (self.path.parent, self._lock_path.parent):
            with contextlib.suppress(OSError):
                for entry in folder.iterdir():
                    if _TEMPORARY.match(entry.name) and entry.is_file() and not entry.is_symlink():
                        with contextlib.suppress(OSError):
                            entry.unlink()
                            removed.append(entry)
        return removed

    def update_section(
        self, change: Callable[[dict[str, Any]], dict[str, Any] | None], *, syncing: Callable[[], None] | None = None
    ) -> dict[str, Any]:
        """Re-read the file, let ``change`` edit our key, and write it back atomically.

        ``syncing`` is called once the new text is written, just before it is sent to the disk
        (a save on another thread lets the caller go on from there, see ``Progress.save_soon``).

        ``change`` receives our key as plain data and returns the new value (or None to
        remove the key). Only the lines of our key are rewritten: everything else in the
        file stays byte for byte as it was read, comments and order included. When another
        program replaces the file while we write, what it wrote is merged in again (see
        :mod:`.atomic`), so its keys are never lost.
        """
        with self._locked():
            try:
                seen: os.stat_result | None = os.lstat(self.path)
            except OSError:
                seen = None  # (not there, or not readable: _current says which)
            if seen is not None and stat.S_ISREG(seen.st_mode):  # a reader who made it private keeps it private
                self._mode = stat.S_IMODE(seen.st_mode)
            if seen is not None and stat.S_ISLNK(seen.st_mode):  # a swap would put a file in the link's place
                raise SettingsWriteError(
                    f"{self.path}: a symbolic link (to {os.readlink(self.path)}): the progress is saved only in "
                    "a regular file; put the file itself in the work directory (the file was left as it was)"
                )
            original: bytes | None
            expected: atomic.Identity | None
            if seen is not None and self._known is not None and atomic.identity(seen) == self._mine:
                # still the very file our last save put there (same inode, size and time of writing):
                # what it holds is what we wrote, no need to read it again
                original, expected = self._known[0], self._mine
            else:
                original, expected = self._current()
            deadline = time.monotonic() + _PATIENCE
            for attempt in itertools.count():
                if attempt and time.monotonic() > deadline:
                    break
                if attempt:  # let the other writer's burst go by: a fixed rhythm could lose to it forever
                    import random

                    time.sleep(random.uniform(0, min(0.05, 0.001 * 2**attempt)))  # noqa: S311 (timing, not secrecy)
                content, updated, around = self._merge(original, change)
                try:
                    if original is not None and (self._known is None or original != self._known[0]):
                        # keep the version someone else (or an earlier run) left; our own saves replace each other
                        self._write_atomically(self.backup, original)
                    newer = self._install(content, expected, syncing)
                    syncing = None  # (once)
                except OSError as error:
                    name = error.filename
                    if name is None or _TEMPORARY.match(Path(str(name)).name):  # name the file, not our temporary
                        name = self.path
                    raise SettingsWriteError(
                        f"{name}: cannot save the progress: {reason(error)} (the file was left as it was)"
                    ) from error
                if newer is None:
                    self._known = (content, around[0], around[1], updated or {}) if around is not None else None
                    self._sync_folder()
                    return updated or {}
                original, expected = newer  # someone wrote while we did: merge into their version
            raise SettingsWriteError(f"{self.path}: another program kept rewriting it; the progress was not saved")

    def _sync_folder(self) -> None:
        """The swap itself on the disk: until the folder is synced, a crash can bring the previous file back.

        The new file's bytes were synced before the swap; the name pointing at them lives in
        the folder. A file system that cannot sync a folder (EINVAL) has nothing more to do.
        """
        try:
            atomic.sync_folder(self.path.parent)
        except OSError as error:
            raise SettingsWriteError(
                f"{self.path}: the progress was written but may not be on the disk: {reason(error)}"
            ) from error

    def _current(self) -> tuple[bytes | None, atomic.Identity | None]:
        try:
            with self.path.open("rb") as stream:
                return stream.read(), atomic.identity(os.fstat(stream.fileno()))
        except FileNotFoundError:
            return None, None
        except OSError as error:
            raise SettingsError(f"{self.path}: cannot read: {reason(error)}") from error

    def _merge(
        self, original: bytes | None, change: Callable[[dict[str, Any]], dict[str, Any] | None]
    ) -> tuple[bytes, dict[str, Any] | None, tuple[str, str] | None]:
        """The file's new content: ``original`` with our key changed (and where our key sits in it)."""
        text = self._decode(original) if original is not None else ""
        known = self._known
        if known is not None and original == known[0]:
            # nobody touched the file since we wrote it: no need to parse it again
            current: Any = known[3]
            around: tuple[str, str] | None = (known[1], known[2])
        else:
            data = self._parse(text)
            current = data.get(KEY)
            if current is not None and not isinstance(current, dict):
                raise SettingsError(f"{self.where()}: the '{KEY}' key must be a mapping")
            current = _plain(current) if current is not None else {}
            around = _surroundings(text, self.path)
        updated = change(dict(current))
        if around is None:  # a layout we cannot edit line by line: a full round trip keeps it intact
            content = self._round_trip(text, updated)
        else:
            content = around[0] + (_dumped(updated) if updated is not None else "") + around[1]
        return content.encode("utf-8"), updated, around

    def _round_trip(self, text: str, updated: dict[str, Any] | None) -> str:
        handler = _ruamel()
        data = handler.load(text) if text.strip() else None
        if data is None:
            data = {}
        if updated is None:
            data.pop(KEY, None)
        else:
            data[KEY] = _plain(updated)  # (plain mappings: the YAML writer knows no subclass of ours)
        buffer = io.StringIO()
        handler.dump(data, buffer)
        return buffer.getvalue()

    def _install(
        self, content: bytes, expected: atomic.Identity | None, syncing: Callable[[], None] | None = None
    ) -> tuple[bytes | None, atomic.Identity | None] | None:
        """Put ``content`` in place of the file we read (``expected``).

        None when done; else the file someone else put there meanwhile (its content and
        identity), which the caller merges into before trying again.
        """
        self._mine = self._written = None
        temporary = self._written_spare(content, syncing) if expected is not None and self._spare_usable else None
        spare = temporary is not None
        if temporary is None:
            temporary, self._written = self._temporary(self.path, content, syncing, self._mode)
        done = False
        keep = False
        try:
            if expected is None:  # the file did not exist: it must not exist now either
                try:
                    if atomic.rename_new(temporary, self.path):
                        self._mine = self._written
                        return None
                except FileExistsError:
                    return self._current()
                if self.path.exists():
                    return self._current()
                os.replace(temporary, self.path)
                self._mine = self._written
                return None
            if _identity_of(self.path) != expected:  # someone wrote since we read: merge into theirs first
                return self._current()
            try:
                swapped = atomic.exchange(temporary, self.path)
            except FileNotFoundError:  # removed meanwhile: start again from nothing
                return None, None
            except OSError as error:
                if not spare or error.errno != errno.EXDEV:
                    raise
                spare = self._spare_usable = False  # the state folder is on another file system
                os.unlink(temporary)
                temporary, self._written = self._temporary(self.path, content, mode=self._mode)
                swapped = atomic.exchange(temporary, self.path)
            if not swapped:  # no atomic exchange here: an ordinary rename (a small window remains)
                os.replace(temporary, self.path)
                self._mine = self._written
                return None
            done = True  # the temporary name now holds the file we displaced
            displaced = os.lstat(temporary)
            if atomic.identity(displaced) == expected:  # what we displaced is what we read
                keep = stat.S_ISREG(displaced.st_mode) and displaced.st_nlink == 1
                self._mine = self._written
                return None
            # someone wrote in the moment between: put their file straight back, and merge into it
            atomic.exchange(temporary, self.path)
            keep = True  # our own new file again: written over by the next attempt
            return self._current()
        finally:
            if spare and (keep or not done):
                pass  # (still) the spare: the next save writes over it
            elif done and keep and self._spare_usable:  # the next saves write over this one
                self._keep_as_spare(temporary)
            elif done:  # what is left under the temporary name is a file we no longer need
                self._put_aside(temporary)
            else:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(temporary)

    def _written_spare(self, content: bytes, syncing: Callable[[], None] | None = None) -> Path | None:
        """``content`` written over the file the last save displaced, and on the disk (fsync).

        A save swaps a new file in and gets the old one back (:func:`atomic.exchange`).
        Creating a new file, moving the old one out of the work directory and removing it
        cost a directory change each, and on ext4 the removal waits for the journal: a few
        hundred microseconds at every step. So the displaced file is kept in the state folder
        (out of sight of a step's ``git add .``) and the next save writes over it in place.
        It is kept only when it was ours to keep: a plain file with no other name (a hard
        link elsewhere would see our writes). A program that still holds the old version open
        from before the last save (``tail -f``, not ``yq``, which reads and closes) sees it
        change at the next one. None when there is none to write over (the first save, or a
        save that had to give it up): a new temporary is made.
        """
        try:
            fd = os.open(self._spare, os.O_WRONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
        except OSError:
            return None
        try:
            before = os.fstat(fd)
            if not stat.S_ISREG(before.st_mode) or before.st_nlink != 1:
                return None
            view = memoryview(content)
            while view:
                view = view[os.write(fd, view) :]
            if before.st_size > len(content):  # (growing needs no cut: most saves grow the file)
                os.ftruncate(fd, len(content))
            if stat.S_IMODE(before.st_mode) != self._mode:  # the file's rights, whoever wrote the one we displaced
                os.fchmod(fd, self._mode)
            if syncing is not None:
                syncing()
            os.fsync(fd)
            self._written = atomic.identity(os.fstat(fd))
        except OSError:
            os.close(fd)
            with contextlib.suppress(OSError):
                os.unlink(self._spare)
            return None
        os.close(fd)
        return self._spare

    def close(self) -> None:
        """Let go of the spare (see :meth:`_written_spare`): removed on another thread (:func:`atomic.settle`)."""
        with contextlib.suppress(OSError):
            self._put_aside(self._spare)

    def _keep_as_spare(self, displaced: Path) -> None:
        try:
            os.rename(displaced, self._spare)
        except OSError:
            self._put_aside(displaced)

    def _put_aside(self, displaced: Path) -> None:
        """Move the file a save displaced out of the work directory at once, and remove it on another thread.

        Out of sight at once: the next step may well `git add .`. Removed later: on ext4,
        removing a file whose blocks were just synced waits for the journal (milliseconds).
        A leftover of a process that was killed is removed by the next one that starts.
        """
        if not os.path.lexists(displaced):
            return
        aside = self._lock_path.parent / displaced.name
        if aside == self._spare:  # a spare we may not keep: out of the next save's way, under a name of its own
            aside = aside.with_name(f".{FILE_NAME}.{os.urandom(6).hex()}.tmp")
        try:
            os.rename(displaced, aside)
        except OSError:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(displaced)
            return
        atomic.discard(aside)

    def _write_atomically(self, path: Path, content: bytes) -> None:
        temporary, _ = self._temporary(path, content, mode=self._mode)  # (a backup: no more readable than the file)
        try:
            os.replace(temporary, path)
        except OSError as error:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise OSError(error.errno, error.strerror, str(path)) from error

    @staticmethod
    def _temporary(
        path: Path, content: bytes, syncing: Callable[[], None] | None = None, mode: int = _NEW_FILE_MODE
    ) -> tuple[Path, atomic.Identity]:
        """``content`` in a new file next to ``path``, on the disk (fsync), with the rights ``mode``; its identity.

        ``syncing`` is called just before the fsync.
        """
        fd, name = _new_private_file(path)
        try:
            with os.fdopen(fd, "wb") as stream:
                stream.write(content)
                stream.flush()
                if syncing is not None:
                    syncing()
                os.fsync(stream.fileno())
                with contextlib.suppress(OSError):
                    os.fchmod(stream.fileno(), mode)  # made private
                written = atomic.identity(os.fstat(stream.fileno()))
        except BaseException as error:
            with contextlib.suppress(OSError):
                os.unlink(name)
            if isinstance(error, OSError) and error.filename is None:
                error.filename = str(path)
            raise
        return Path(name), written


def _new_private_file(path: Path) -> tuple[int, str]:
    """A new file only we can read, named ``.NAME.<random>.tmp`` next to ``path`` (as ``tempfile.mkstemp``)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC
    for _ in range(100):
        name = str(path.parent / f".{path.name}.{os.urandom(6).hex()}.tmp")
        try:
            return os.open(name, flags, 0o600), name
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no unused temporary name", str(path))


def _identity_of(path: Path) -> atomic.Identity | None:
    try:
        return atomic.identity(os.stat(path))
    except FileNotFoundError:
        return None


def _refuse_duplicate(path: Path, root: yaml.Node | None) -> None:
    """Our key twice: YAML keeps the last one and the other's progress would vanish without a word."""
    import yaml

    if not isinstance(root, yaml.MappingNode):
        return
    lines = [k.start_mark.line + 1 for k, _ in root.value if isinstance(k, yaml.ScalarNode) and k.value == KEY]
    if len(lines) > 1:
        raise SettingsError(
            f"{path}:{lines[1]}: the '{KEY}' key appears {len(lines)} times (lines "
            f"{', '.join(map(str, lines))}); only one would be kept and the others' progress lost: keep one"
        )


def _surroundings(text: str, path: Path) -> tuple[str, str] | None:
    """The text before and after our top-level key (where it would go when absent).

    None when the document is not a plain block mapping we can edit line by line. Raises
    SettingsError for a layout no rewrite of our key can keep valid (see :func:`_shared_anchors`).
    """
    if not text.strip():
        return "", ""
    import yaml

    from tutorial import safeyaml

    try:
        root = safeyaml.compose(text)
    except yaml.YAMLError:
        return None
    if not isinstance(root, yaml.MappingNode) or root.flow_style or "\t" in text:
        return None
    lines = text.splitlines(keepends=True)
    for key, node in root.value:
        if isinstance(key, yaml.ScalarNode) and key.value == KEY:
            _shared_anchors(text, node, path)
            if key.start_mark.column != 0:
                return None
            end = node.end_mark.line if node.end_mark.column == 0 else node.end_mark.line + 1
            end = min(end, len(lines))
            while end > key.start_mark.line + 1 and _trailing(lines[end - 1]):
                end -= 1  # blank lines and comments after our key belong to what follows
            return "".join(lines[: key.start_mark.line]), "".join(lines[end:])
    # absent: ours goes after the last key, before anything that closes the document (`...`)
    end = root.end_mark.line if root.end_mark.column == 0 else root.end_mark.line + 1
    end = min(end, len(lines))
    if all(_trailing(line) for line in lines[end:]):
        return text + ("" if text.endswith("\n") else "\n"), ""
    before = "".join(lines[:end])
    return before + ("" if before.endswith("\n") or not before else "\n"), "".join(lines[end:])


def _shared_anchors(text: str, value: yaml.Node, path: Path) -> None:
    """Refuse when an anchor inside our key is used by an alias outside it.

    Rewriting our key drops its anchors (we write plain values), and the other key's alias
    would then point at nothing: the file would no longer load.
    """
    if "&" not in text:
        return
    import yaml

    from tutorial import safeyaml

    inside: dict[str, int] = {}
    start, end = value.start_mark.index, value.end_mark.index
    for event in yaml.parse(text, Loader=safeyaml.LOADER):
        anchor = getattr(event, "anchor", None)
        mark = event.start_mark
        if anchor is None or mark is None:
            continue
        position = mark.index
        if isinstance(event, yaml.AliasEvent):
            if anchor in inside and not start <= position < end:
                raise SettingsError(
                    f"{path}:{mark.line + 1}: *{anchor} refers to &{anchor} inside '{KEY}:' "
                    f"(line {inside[anchor]}), which saving the progress rewrites; move that anchor out of "
                    f"'{KEY}:' and start again (nothing was written)"
                )
        elif start <= position < end:
            inside[anchor] = mark.line + 1
        else:
            inside.pop(anchor, None)  # redefined outside: later aliases mean the new one


def _trailing(line: str) -> bool:
    stripped = line.strip()
    return not stripped or stripped.startswith("#")


def _plain(value: Any) -> Any:
    """ruamel's commented containers as plain dicts and lists (so callers can compare and copy)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value
