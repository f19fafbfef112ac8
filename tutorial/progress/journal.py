"""The progress journal: a step's progress on the disk with one small write, not a whole file swapped.

``run`` promises that a step's progress is on the disk before the next step starts. Saving
it by rewriting settings.yaml (a new file, its fsync, an atomic swap, the folder's fsync)
costs two commits of the file system's own journal at every step: 0.3 to 0.4 ms on an
ext4 virtual disk, the largest part of what a one-line step costs. Writing a few hundred
bytes inside a file whose blocks already exist, and ``fdatasync``, changes no metadata:
one data write, about 0.1 ms. So each step's change is written here, and settings.yaml is
brought up to date off the step's path (see ``Progress``).

The file, ``.adventure/progress.journal`` (private, ``0600``), is made once with real zero
bytes (:data:`SIZE`), synced with its folder, and written over by every later run: a
record never grows it. Each record is framed::

    magic "ADVJ" | length (u32) | crc32 (u32) | generation (u64) | sequence (u64) | payload

The checksum covers the length, the generation, the sequence and the payload. A
*generation* is the stretch of records written after one whole save of settings.yaml,
which names it (``adventure: journal: {id: ..., seq: N}``, N the last record it already
holds); its records start at the file's beginning with sequence 1. A reader applies the
records of that generation in order and stops at the first that is zero (never written),
torn (a crash in the middle of a write: the checksum or the length is wrong), of another
generation (what an older, longer generation left after a newer, shorter one), or out of
sequence. So a torn or stale record is never applied, and nothing has to be erased.

One journey writes it (it holds the work directory's lock, see :mod:`.worklock`); read-only
readers may read it while it is written: a record being written is torn to them, and is
just where they stop.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import struct
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from tutorial.progress import atomic

NAME = "progress.journal"
#: the file's size: about a thousand one-line steps' records; when full, a whole save starts a new generation
SIZE = 256 * 1024
#: never read more than this of a file found in its place (bounded input: it could be anything)
_READ_LIMIT = 16 * 1024 * 1024
_MAGIC = b"ADVJ"
_HEADER = struct.Struct("<4sIIQQ")  # magic, length, crc32, generation, sequence
_CHECKED = struct.Struct("<IQQ")  # what the checksum covers besides the payload: length, generation, sequence
_CHUNK = 64 * 1024


class JournalFull(Exception):
    """The record does not fit in what is left of the file: a whole save starts a new generation."""


def new_generation() -> int:
    """A generation id: random, never 0 (a zeroed header must never match one)."""
    while True:
        value = int.from_bytes(os.urandom(8), "little")
        if value:
            return value


def generation_text(generation: int) -> str:
    """As written in settings.yaml (a string: sixteen hexadecimal digits could read as a number)."""
    return f"{generation:016x}"


def generation_of(text: object) -> int | None:
    """The generation a settings.yaml marker names; None for anything that is not one."""
    if not isinstance(text, str) or len(text) != 16:
        return None
    try:
        value = int(text, 16)
    except ValueError:
        return None
    return value or None


def frame(payload: bytes, generation: int, sequence: int) -> bytes:
    """One record as written: header, then payload."""
    checksum = zlib.crc32(_CHECKED.pack(len(payload), generation, sequence) + payload)
    return _HEADER.pack(_MAGIC, len(payload), checksum, generation, sequence) + payload


def records(content: bytes, generation: int) -> Iterator[tuple[int, bytes]]:
    """The records of ``generation`` in ``content``, in order: (sequence, payload).

    Stops at the first record that is zero, torn, of another generation or out of sequence.
    """
    offset, expected = 0, 1
    while offset + _HEADER.size <= len(content):
        magic, length, checksum, found, sequence = _HEADER.unpack_from(content, offset)
        if magic != _MAGIC or found != generation or sequence != expected:
            return
        start = offset + _HEADER.size
        payload = content[start : start + length]
        if len(payload) != length or zlib.crc32(_CHECKED.pack(length, found, sequence) + payload) != checksum:
            return
        yield sequence, payload
        offset, expected = start + length, expected + 1


def read(path: Path) -> bytes:
    """The journal's bytes; empty when there is none, or when it is not a regular file of ours to read."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return b""
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return b""
        chunks = []
        left = _READ_LIMIT
        while left > 0 and (chunk := os.read(fd, min(_CHUNK * 4, left))):
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)
    except OSError:
        return b""
    finally:
        os.close(fd)


def changes_after(path: Path, marker: object) -> list[tuple[int, dict[str, Any]]]:
    """The changes the journal holds after what settings.yaml's marker says it includes.

    ``marker`` is the ``journal:`` value of our settings.yaml key: ``{id: ..., seq: N}``.
    Without one (progress saved whole, or forgotten by ``reset``) the journal is not ours
    to apply, whatever it holds.
    """
    if not isinstance(marker, dict):
        return []
    generation = generation_of(marker.get("id"))
    included = marker.get("seq")
    if generation is None or isinstance(included, bool) or not isinstance(included, int):
        return []
    found = []
    for sequence, payload in records(read(path), generation):
        if sequence <= included:
            continue
        try:
            change = json.loads(payload)
        except ValueError:  # (checked: only a bug of ours could get here)
            break
        if not isinstance(change, dict):
            break
        found.append((sequence, change))
    return found


class Journal:
    """The journal open for writing, by the one journey that holds the work directory."""

    def __init__(self, path: Path, fd: int, size: int) -> None:
        self.path = path
        self._fd = fd
        self._size = size
        self.generation = 0  # none started yet: a whole save starts one (see start)
        self.sequence = 0
        self._offset = 0
        #: how far the file holds anything but zeros (records of this run, or of earlier ones)
        self._extent = len(self._content(size).rstrip(b"\0"))

    @classmethod
    def open(cls, path: Path, size: int | None = None) -> Journal:
        """The journal at ``path``, made (zeroed and synced, folder included) when it does not exist.

        ``size`` is the part of the file records are written in (:data:`SIZE` unless given).

        Raises OSError naming the file when it cannot be made or written: not a regular
        file, a symbolic link, a read-only folder, a full disk.
        """
        size = size or SIZE
        try:
            seen = os.lstat(path)
        except FileNotFoundError:
            seen = None
        except OSError as error:
            raise _named(error, path) from error
        if seen is not None and not stat.S_ISREG(seen.st_mode):
            kind = "a symbolic link" if stat.S_ISLNK(seen.st_mode) else "not a regular file"
            raise OSError(0, kind, str(path))
        try:
            if seen is None:
                fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
            else:
                fd = os.open(path, os.O_RDWR | os.O_NOFOLLOW | os.O_CLOEXEC)
        except OSError as error:
            raise _named(error, path) from error
        try:
            found = os.fstat(fd)
            if not stat.S_ISREG(found.st_mode):
                raise OSError(0, "not a regular file", str(path))
            if found.st_nlink != 1:  # another name for it elsewhere would see what we write
                raise OSError(0, "a file with another name (a hard link)", str(path))
            if stat.S_IMODE(found.st_mode) != 0o600:
                os.fchmod(fd, 0o600)
            if found.st_size < size:
                _zero(fd, found.st_size, size)
                os.fsync(fd)
                atomic.sync_folder(path.parent)
        except OSError as error:
            os.close(fd)
            raise _named(error, path) from error
        return cls(path, fd, size)

    def start(self, generation: int) -> None:
        """Begin ``generation`` at the file's start: call once a whole save naming it is on the disk."""
        self.generation, self.sequence, self._offset = generation, 0, 0

    def append(self, payload: bytes) -> int:
        """Write the next record (not yet synced, see :meth:`sync`); its sequence number.

        JournalFull when it does not fit; OSError (naming the file) when it cannot be written.
        """
        if not self.generation:
            raise JournalFull("no generation started")
        record = frame(payload, self.generation, self.sequence + 1)
        if self._offset + len(record) > self._size:
            raise JournalFull(f"{self.path}: full")
        view = memoryview(record)
        offset = self._offset
        try:
            while view:
                written = os.pwrite(self._fd, view, offset)
                view, offset = view[written:], offset + written
        except OSError as error:
            raise _named(error, self.path) from error
        self._offset = offset
        self._extent = max(self._extent, offset)
        self.sequence += 1
        return self.sequence

    def holds_any(self, texts: Iterable[bytes]) -> bool:
        """Whether any of ``texts`` is written anywhere in the file (a record of this generation or an older one)."""
        content = self._content(self._extent)
        return any(text and text in content for text in texts)

    def wipe(self) -> None:
        """Zeros over everything written, on the disk: no record, of any generation, is left.

        For a value found to be a secret after it was recorded: it must not stay on the disk.
        Call once a whole save holds the progress (the records are no longer needed).
        """
        try:
            _zero(self._fd, 0, self._extent)
            os.fdatasync(self._fd)
        except OSError as error:
            raise _named(error, self.path) from error
        self._extent = 0
        self.start(0)

    def _content(self, length: int) -> bytes:
        try:
            return os.pread(self._fd, length, 0)
        except OSError:
            return b""

    def sync(self) -> None:
        """The records written so far on the disk (data only: the file's blocks and size do not change)."""
        try:
            os.fdatasync(self._fd)
        except OSError as error:
            raise _named(error, self.path) from error

    def close(self) -> None:
        with contextlib.suppress(OSError):
            os.close(self._fd)


def _zero(fd: int, start: int, end: int) -> None:
    """Real zero bytes (not a hole): later writes inside them allocate nothing."""
    block = bytes(_CHUNK)
    offset = start
    while offset < end:
        offset += os.pwrite(fd, block[: min(_CHUNK, end - offset)], offset)


def _named(error: OSError, path: Path) -> OSError:
    """``error`` with the journal's name on it (a message must say which file)."""
    if error.filename is None:
        return OSError(error.errno, error.strerror, str(path))
    return error
