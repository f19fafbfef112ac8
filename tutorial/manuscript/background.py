"""Read the manuscript in a child process while this one starts the app.

Reading a manuscript (importing the parser and the shell analyser, parsing every page) takes
0.1 s for the bundled adventure and half a second for cncf-demo's 224 pages, on one core. The
app meanwhile imports Textual and paints the first look at the start page, also on one core.
On a machine with a second core, a forked child reads the manuscript there, at the same time,
and hands it back pickled through a pipe (under 1 MB and 10 ms for cncf-demo): the chapter's
steps are ready about as soon as the first look is painted.

It can first answer a smaller question (``ahead``: the start page's first look, rendered),
which the app needs for its first frame: the parent imports Textual meanwhile, and finds the
answer waiting. Both answers go through the same pipe, one after the other.

The child never writes on the reader's terminal, and whatever goes wrong in it (it dies, its
answer cannot be read) only means the manuscript is read here instead, as without a child.
A manuscript error found by the child is the same error, raised here.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, BinaryIO

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

    With ``ahead``, the child first works out ``ahead()`` and answers it, for :meth:`ahead`.
    Make it before any thread starts (a fork copies only the thread that calls it).
    """

    def __init__(self, read: Callable[[], Manuscript], ahead: Callable[[], object] | None = None) -> None:
        self._read = read
        self._pid = 0
        self._fd = -1  # no child (no pipe or no process to be had): the manuscript is read here
        self._stream: BinaryIO | None = None
        self._ahead_pending = ahead is not None  # the first answer is yet to be read from the pipe
        self._broken = False  # the pipe said something unreadable: what follows is not to be trusted
        self._waited = False
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
                status = _answer(read, ahead, writable)
            finally:
                os._exit(status)
        os.close(writable)
        self._pid, self._fd = pid, readable

    def ahead(self) -> object | None:
        """What ``ahead()`` gave in the child (waiting for it), or None: no child, or no answer from it."""
        if not self._ahead_pending:
            return None
        self._ahead_pending = False
        answer = self._next()
        return answer[1] if answer is not None and answer[0] == "ahead" else None

    def result(self) -> Manuscript:
        """The manuscript the child read (raising its ManuscriptError), or read here if the child failed."""
        if self._ahead_pending:
            self.ahead()  # not asked for: passed over
        answer = self._next()
        if self._stream is not None:
            self._stream.close()
            self._stream = None
        if self._pid and not self._waited:
            self._waited = True
            if answer is None:  # a child that says nothing readable is not waited for
                with contextlib.suppress(OSError):
                    os.kill(self._pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError):
                os.waitpid(self._pid, 0)
        if answer is None or answer[0] not in ("manuscript", "error"):
            return self._read()  # the child died or said nothing readable: read it here
        if answer[0] == "error":
            raise ManuscriptError(str(answer[1]))
        manuscript: Manuscript = answer[1]  # type: ignore[assignment]
        return manuscript

    def _next(self) -> tuple[str, object] | None:
        """The child's next answer through the pipe, or None (no child, it died, or it said something unreadable)."""
        if self._broken:
            return None
        if self._stream is None:
            if self._fd < 0:
                return None
            self._stream = os.fdopen(self._fd, "rb")
        try:
            answer = pickle.load(self._stream)  # noqa: S301 - our own child's answer, through our own pipe
        except Exception:  # noqa: BLE001 - whatever went wrong, the caller works it out itself
            self._broken = True
            return None
        if not (isinstance(answer, tuple) and len(answer) == 2 and isinstance(answer[0], str)):
            self._broken = True
            return None
        return answer


def _quiet() -> None:
    """The child's output goes nowhere, whatever writes it: the app owns the terminal."""
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    os.close(devnull)
    sys.stdout = sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - the child's until it exits


def _answer(read: Callable[[], Manuscript], ahead: Callable[[], object] | None, writable: int) -> int:
    with os.fdopen(writable, "wb") as stream:  # a parent that quit meanwhile closed its end: EPIPE ends the child
        if ahead is not None:
            try:
                first: tuple[str, object] = ("ahead", ahead())
                data = pickle.dumps(first, protocol=pickle.HIGHEST_PROTOCOL)
            except Exception:  # noqa: BLE001 - the parent works it out itself
                data = pickle.dumps(("ahead", None), protocol=pickle.HIGHEST_PROTOCOL)
            stream.write(data)
            stream.flush()
        try:
            answer: tuple[str, object] = ("manuscript", read())
        except ManuscriptError as error:
            answer = ("error", str(error))
        stream.write(pickle.dumps(answer, protocol=pickle.HIGHEST_PROTOCOL))
    return 0
