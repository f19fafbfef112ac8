"""The full record of a journey's output on disk, with secrets masked.

The screen and the memory keep only the last lines of a step; the transcript keeps every
byte a reader may need to scroll back to, in ``.adventure/transcript.log`` of the workspace.
"""

from __future__ import annotations

import io
import time
from pathlib import Path

from tutorial.shell import statedir
from tutorial.shell.output import Masker, strip_ansi


class Transcript:
    def __init__(self, path: Path, masker: Masker) -> None:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.path = path
        self._masker = masker
        self._file: io.TextIOWrapper = statedir.append_private(path, buffering=1 << 16)

    @classmethod
    def in_workdir(cls, workdir: Path, masker: Masker) -> Transcript:
        return cls(statedir.ensure(workdir) / "transcript.log", masker)

    def begin(self, title: str, code: str) -> None:
        stamp = time.strftime("%Y-%m-%d %H:%M:%S")
        command = "\n".join(f"$ {line}" for line in self._masker.mask(code).splitlines())
        self._file.write(f"\n===== {stamp} {title}\n{command}\n")

    def write(self, text: str) -> None:
        """Already masked output of the running step."""
        self._file.write(strip_ansi(text))

    def note(self, text: str) -> None:
        self._file.write(f"\n----- {time.strftime('%H:%M:%S')} {self._masker.mask(text)}\n")
        self._file.flush()

    def close(self) -> None:
        if not self._file.closed:
            self._file.close()
