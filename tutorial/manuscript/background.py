"""Read the manuscript in a child process while this one starts the app.

Reading a manuscript (importing the parser and the shell analyser, parsing every page) takes
0.1 s for the bundled adventure and half a second for cncf-demo's 224 pages, on one core. The
app meanwhile imports Textual and paints the first look at the start page, also on one core.
On a machine with a second core, a forked child reads the manuscript there, at the same time,
and hands it back pickled through a pipe (under 1 MB and 10 ms for cncf-demo): the chapter's
steps are ready about as soon as the first look is painted.

The child never writes on the reader's terminal, and whatever goes wrong in it (it dies, its
answer cannot be read) only means the manuscript is read here instead, as without a child.
A manuscript error found by the child is the same error, raised here.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from tutorial.manuscript.locate import ManuscriptError

if TYPE_CHECKING:
    from tutorial.manuscript.model import Manuscript


def spare_core() -> bool:
    """Whether a second core is ours to use (else a child would only slow the first paint)."""
    try:
        return len(os.sched_getaffinity(0)) > 1
    except (AttributeError, OSError):
        return (os.cpu_count() or 1) > 1


class BackgroundRead:
    """``read()`` run in a forked child from now on; :meth:`result` waits for it and returns what it gave.

    Make it before any thread starts (a fork copies only the thread that calls it).
    """

    def __init__(self, read: Callable[[], Manuscript]) -> None:
        self._read = read
        self._pid = 0
        self._fd = -1  # no child (no pipe or no process to be had): the manuscript is read here
        try:
            readable, writable = os.pipe()
        except OSError:  # out of file descriptors
            return
        try:
            pid = os.fork()
        except OSError:  # out of processes or memory
            os.close(readable)
            os.close(writable)
            return
        if pid == 0:  # the child: read, answer, and leave without running the parent's exit handlers
            status = 1
            try:
                os.close(readable)
                _quiet()
                status = _answer(read, writable)
            finally:
                os._exit(status)
        os.close(writable)
        self._pid, self._fd = pid, readable

    def result(self) -> Manuscript:
        """The manuscript the child read (raising its ManuscriptError), or read here if the child failed."""
        if self._fd < 0:
            return self._read()
        with os.fdopen(self._fd, "rb") as stream:
            data = stream.read()
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self._pid, 0)
        try:
            kind, value = pickle.loads(data)  # noqa: S301 - our own child's answer, through our own pipe
        except Exception:  # noqa: BLE001 - the child died or said nothing readable: read it here
            return self._read()
        if kind == "error":
            raise ManuscriptError(value)
        manuscript: Manuscript = value
        return manuscript


def _quiet() -> None:
    """The child's output goes nowhere, whatever writes it: the app owns the terminal."""
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    os.close(devnull)
    sys.stdout = sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - the child's until it exits


def _answer(read: Callable[[], Manuscript], writable: int) -> int:
    try:
        answer: tuple[str, object] = ("manuscript", read())
    except ManuscriptError as error:
        answer = ("error", str(error))
    data = pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL)
    with os.fdopen(writable, "wb") as stream:
        stream.write(data)  # a parent that quit meanwhile closed its end: EPIPE ends the child
    return 0
