"""A journey as an asciinema recording: ``.adventure/journey.cast`` in asciicast v2.

asciicast v2 is what ``asciinema play``, ``asciinema upload`` and the asciinema web player
read: a JSON header line, then one ``[seconds, "o", text]`` line per chunk of output. Each
step shows up as a prompt with its command, then its output as it arrived, colours and all,
so a workshop can be replayed or embedded in a page exactly as it ran.

What goes in is what the transcript gets: output already masked by the session's
:class:`~tutorial.shell.output.Masker`, commands masked here, typed secrets never written.
A later launch appends to the same recording, its clock continuing where the last one
stopped; pauses longer than :data:`IDLE_LIMIT` (a reader thinking, a coffee) are shortened
so the recording plays at the pace of the commands.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import time
from collections.abc import Iterator
from pathlib import Path

from tutorial.records import record
from tutorial.shell import statedir
from tutorial.shell.kept import KeptFile, kept
from tutorial.shell.output import Masker

FILE_NAME = "journey.cast"
#: the longest pause kept between two chunks of output, in seconds
IDLE_LIMIT = 2.0
#: characters of one step's output a recording keeps: a replay of a flood shows nobody anything
STEP_LIMIT = 2_000_000
_PROMPT = "\x1b[1;32m$\x1b[0m "
_DIM, _RESET = "\x1b[2m", "\x1b[0m"


def _terminal(text: str) -> str:
    """Lines as a terminal needs them: the session turned ``\\r\\n`` into ``\\n``; turn it back."""
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


@record(frozen=True)
class Header:
    """The first line of an asciicast v2 recording: the terminal's size, when, and a title."""

    width: int
    height: int
    timestamp: int
    title: str = ""

    def as_json(self) -> str:
        header = {
            "version": 2,
            "width": self.width,
            "height": self.height,
            "timestamp": self.timestamp,
            "idle_time_limit": IDLE_LIMIT,
            "env": {"SHELL": "/bin/bash", "TERM": "xterm-256color"},
        }
        if self.title:
            header["title"] = self.title
        return json.dumps(header, ensure_ascii=False)


#: one encoder for every event (``json.dumps`` with options makes a new one at each call)
_EVENT = json.JSONEncoder(ensure_ascii=False)


class Recording(KeptFile):
    """Appends the output of a session's steps to an asciicast v2 file."""

    def __init__(self, path: Path, masker: Masker, *, size: tuple[int, int] = (40, 120), title: str = "") -> None:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.path = path
        self._masker = masker
        self._clock = _continue_from(path)
        if self._clock is None:  # no recording yet, or not one we can add to
            if path.exists():
                with contextlib.suppress(OSError):
                    os.replace(path, path.with_name(path.name + ".unreadable"))
            self._clock = 0.0
            rows, columns = size
            fresh = Header(columns, rows, int(time.time()), title).as_json() + "\n"
        else:
            self._clock += IDLE_LIMIT / 4  # a short pause between two launches
            fresh = "" if _ends_a_line(path) else "\n"  # a line cut short by a crash stays alone
        self._last = time.monotonic()
        self._step_chars = 0
        self._dropped = 0
        self._file: io.TextIOWrapper = statedir.append_private(path, buffering=1 << 16)
        if fresh:
            self._file.write(fresh)

    @classmethod
    def in_workdir(cls, workdir: Path, masker: Masker, *, size: tuple[int, int] = (40, 120)) -> Recording:
        return cls(statedir.ensure(workdir) / FILE_NAME, masker, size=size, title=workdir.name)

    def _event(self, text: str) -> None:
        if not text or self._file.closed:
            return
        now = time.monotonic()
        self._clock = (self._clock or 0.0) + min(max(now - self._last, 0.0), IDLE_LIMIT)
        self._last = now
        self._file.write(_EVENT.encode([round(self._clock, 6), "o", text]))
        self._file.write("\n")

    @kept
    def begin(self, title: str, code: str) -> None:
        """A step starts: its title, dimmed, then its command after a prompt."""
        self._step_chars = self._dropped = 0
        lines = self._masker.mask(code).rstrip("\n").split("\n")
        command = "\r\n".join(f"{'  ' if i else _PROMPT}{line}" for i, line in enumerate(lines))
        self._event(f"\r\n{_DIM}# {self._masker.mask(title)}{_RESET}\r\n{command}\r\n")

    @kept
    def write(self, text: str) -> None:
        """Output of the running step, already masked (past :data:`STEP_LIMIT`, only counted)."""
        room = STEP_LIMIT - self._step_chars
        if len(text) > room:
            self._dropped += len(text) - max(room, 0)
            text = text[: max(room, 0)]
        self._step_chars += len(text)
        self._event(_terminal(text))

    @kept
    def note(self, text: str) -> None:
        if self._dropped:
            dropped, self._dropped = self._dropped, 0
            self._event(f"\r\n{_DIM}# … {dropped:,} more characters of output, not recorded{_RESET}\r\n")
        self._event(f"\r\n{_DIM}# {_terminal(self._masker.mask(text))}{_RESET}\r\n")
        self._file.flush()

    @kept
    def close(self) -> None:
        if not self._file.closed:
            self._file.close()


def _ends_a_line(path: Path) -> bool:
    with path.open("rb") as stream:
        stream.seek(-1, os.SEEK_END)
        return stream.read(1) == b"\n"


def _continue_from(path: Path) -> float | None:
    """The time of the last event of an asciicast v2 file, or None when it is not one."""
    try:
        with path.open("rb") as stream:
            first = stream.readline(64 * 1024)
            header = json.loads(first)
            if not isinstance(header, dict) or header.get("version") != 2:
                return None
            size = stream.seek(0, os.SEEK_END)
            stream.seek(max(len(first), size - 256 * 1024))
            last = 0.0
            for line in stream.read().splitlines():
                with contextlib.suppress(ValueError, TypeError, IndexError, KeyError):
                    last = max(last, float(json.loads(line)[0]))
            return last
    except (OSError, ValueError):
        return None


def events(path: Path) -> Iterator[tuple[float, str, str]]:
    """The events of an asciicast v2 file (its header skipped, a line cut by a crash passed over)."""
    with path.open(encoding="utf-8") as stream:
        next(stream, None)
        for line in stream:
            try:
                seconds, kind, data = json.loads(line)
            except (ValueError, TypeError):
                continue
            yield float(seconds), str(kind), str(data)


def excerpt(source: Path, start: int, target: Path) -> int:
    """Copy the events ``source`` gained after byte ``start`` into a recording of their own.

    Times start again at zero. Returns the number of events copied. ``cncf-adventure record``
    keeps the part of the journey's recording that its run made.
    """
    with source.open("rb") as stream:
        header = json.loads(stream.readline())
        size = source.stat().st_size
        stream.seek(max(start, stream.tell()) if start <= size else stream.tell())  # replaced meanwhile: all
        tail = stream.read()
    header["timestamp"] = int(time.time())
    lines = []
    origin: float | None = None
    for raw in tail.splitlines():
        try:
            seconds, kind, data = json.loads(raw)
        except (ValueError, TypeError):
            continue  # a line cut by a crash
        origin = float(seconds) if origin is None else origin
        lines.append(json.dumps([round(float(seconds) - origin, 6), kind, data], ensure_ascii=False))
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.tmp")
    temporary.write_text("\n".join([json.dumps(header, ensure_ascii=False), *lines]) + "\n", encoding="utf-8")
    os.replace(temporary, target)
    return len(lines)
