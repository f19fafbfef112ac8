"""One journey per work directory: an exclusive lock held for the life of a journey.

Two journeys in one work directory would run their steps in one folder, record them in one
``adventure:`` key and read each other's results. So a journey takes an exclusive
``flock`` on ``.adventure/journey.lock`` before it reads the progress, and keeps it until
it closes. The holder writes its pid and command line into the file, so whoever comes
second can say who is in the way. The lock is the kernel's: it goes away with the process
that held it, however that process ended (a kill leaves no stale lock behind).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shlex
import sys
from pathlib import Path

from tutorial.records import record
from tutorial.shell import statedir

STATE_DIR = ".adventure"
LOCK_NAME = "journey.lock"


@record(frozen=True)
class Holder:
    """The process that holds a work directory (as it wrote itself into the lock file)."""

    pid: int | None
    command: str

    def describe(self) -> str:
        pid = f"pid {self.pid}" if self.pid is not None else "another process"
        return f"{pid} ({self.command})" if self.command else pid


class WorkdirBusy(Exception):
    """Another process is walking a journey in this work directory."""

    def __init__(self, workdir: Path, holder: Holder) -> None:
        super().__init__(
            f"{workdir}: another cncf-adventure is using this work directory: {holder.describe()}; "
            "wait for it to finish, or use another --workdir"
        )
        self.workdir = workdir
        self.holder = holder


class WorkdirLock:
    """The exclusive lock of one work directory; ``acquire`` raises WorkdirBusy when taken."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.path = workdir / STATE_DIR / LOCK_NAME
        self._fd: int | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def acquire(self) -> None:
        if self._fd is not None:
            return
        statedir.ensure(self.workdir)  # private, and ignored by git, from its first moment
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = _holder(fd)
            os.close(fd)
            raise WorkdirBusy(self.workdir, holder) from None
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd
        with contextlib.suppress(OSError):  # who we are is a courtesy to the next process, not a must
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n{_command()}\n".encode(errors="replace"), 0)

    def release(self) -> None:
        fd, self._fd = self._fd, None
        if fd is None:
            return
        with contextlib.suppress(OSError):
            os.ftruncate(fd, 0)  # the file stays: removing it would race with the next process opening it
        os.close(fd)  # closing the last descriptor releases the lock

    def __del__(self) -> None:  # a journey dropped without close() must not keep the directory
        with contextlib.suppress(Exception):  # (at interpreter exit, os may already be gone)
            self.release()

    def __enter__(self) -> WorkdirLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()


def _command() -> str:
    try:
        raw = Path(f"/proc/{os.getpid()}/cmdline").read_bytes()
        words = [w.decode(errors="replace") for w in raw.split(b"\0") if w]
    except OSError:
        words = [sys.executable, *sys.argv]
    return shlex.join(words)[:300]


def _holder(fd: int) -> Holder:
    try:
        text = os.pread(fd, 4096, 0).decode(errors="replace")
    except OSError:
        return Holder(None, "")
    first, _, rest = text.partition("\n")
    pid = int(first) if first.strip().isdigit() else None
    return Holder(pid, rest.strip())
