"""The record of a journey's output on disk, with secrets masked.

The screen and the memory keep only the last lines of a step; the transcript keeps what a
reader may need to scroll back to, in ``.adventure/transcript.log`` of the workspace. A step
that floods (a binary file, a log followed forever) must not fill the disk: each step keeps
its first and last ``step_limit / 2`` bytes, and the cut between them says how much was left out.
"""

from __future__ import annotations

import io
import time
from collections import deque
from pathlib import Path

from tutorial.shell import statedir
from tutorial.shell.kept import KeptFile, kept
from tutorial.shell.output import Masker, strip_ansi

STEP_LIMIT = 16 << 20  # bytes of one step's output kept in the transcript: the first and last 8 MiB


class Transcript(KeptFile):
    def __init__(self, path: Path, masker: Masker, *, step_limit: int = STEP_LIMIT) -> None:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.path = path
        self._masker = masker
        self._file: io.TextIOWrapper = statedir.append_private(path, buffering=1 << 16)
        self._head_limit = step_limit - step_limit // 2
        self._tail_limit = step_limit // 2
        self._head_left = self._head_limit
        self._tail: deque[tuple[str, int]] = deque()  # the latest output past the head, and its size
        self._tail_size = 0
        self._left_out = 0

    @classmethod
    def in_workdir(cls, workdir: Path, masker: Masker, *, step_limit: int = STEP_LIMIT) -> Transcript:
        return cls(statedir.ensure(workdir) / "transcript.log", masker, step_limit=step_limit)

    @kept
    def begin(self, title: str, code: str) -> None:
        self._end_step()
        stamp = time.strftime("%Y-%m-%d %H:%M:%S")
        command = "\n".join(f"$ {line}" for line in self._masker.mask(code).splitlines())
        self._file.write(f"\n===== {stamp} {title}\n{command}\n")
        self._head_left = self._head_limit

    @kept
    def write(self, text: str) -> None:
        """Already masked output of the running step."""
        text = strip_ansi(text)
        # (the size in bytes: a pure ASCII text, known to be one without looking, is not encoded to count it)
        size = len(text) if text.isascii() else len(text.encode("utf-8", "replace"))
        if size <= self._head_left:
            self._file.write(text)
            self._head_left -= size
            return
        if self._head_left:
            head = text.encode("utf-8", "replace")[: self._head_left].decode("utf-8", "ignore")
            self._file.write(head)
            self._head_left = 0
            text = text[len(head) :]
            size = len(text.encode("utf-8", "replace"))
        self._keep_tail(text, size)

    def _keep_tail(self, text: str, size: int) -> None:
        if size > self._tail_limit:  # one chunk larger than the whole tail: only its end can stay
            self._left_out += self._tail_size + size - self._tail_limit
            self._tail.clear()
            self._tail_size = 0
            text = text.encode("utf-8", "replace")[-self._tail_limit :].decode("utf-8", "ignore")
            size = len(text.encode("utf-8", "replace"))
        self._tail.append((text, size))
        self._tail_size += size
        while self._tail_size > self._tail_limit:
            _, dropped = self._tail.popleft()
            self._tail_size -= dropped
            self._left_out += dropped

    def _end_step(self) -> None:
        """Write the end of a step's output that was held back, after a mark where it was cut."""
        if self._left_out:
            self._file.write(f"\n[... {self._left_out} bytes of output left out here ...]\n")
        for text, _ in self._tail:
            self._file.write(text)
        self._tail.clear()
        self._tail_size = 0
        self._left_out = 0
        self._head_left = 0  # whatever follows in this step (notes aside) is past the limit

    @kept
    def note(self, text: str) -> None:
        self._end_step()
        self._file.write(f"\n----- {time.strftime('%H:%M:%S')} {self._masker.mask(text)}\n")
        self._file.flush()

    @kept
    def close(self) -> None:
        if not self._file.closed:
            self._end_step()
            self._file.close()
