"""The files that keep a journey's output (transcript, recording) stop when they cannot be written.

A full disk or a folder gone read-only must not end the step that is printing, nor the
journey: the step's own work goes on, the record stops where it was, and the reader is told
once, with the file and the reason (see ``Session.run``).
"""

from __future__ import annotations

import contextlib
import functools
import io
from collections.abc import Callable
from pathlib import Path
from typing import Concatenate, ParamSpec, TypeVar

from tutorial.oserrors import reason

_P = ParamSpec("_P")


class KeptFile:
    """A file of output written as the journey goes, that stops at its first failure."""

    path: Path
    _file: io.TextIOWrapper
    #: why it stopped ("" while it is written)
    failure: str = ""

    def stopped(self, error: OSError) -> None:
        self.failure = f"{self.path} stopped being written: {reason(error)}"
        with contextlib.suppress(OSError, ValueError):  # (what it still buffers cannot be written either)
            self._file.close()


_K = TypeVar("_K", bound=KeptFile)


def kept(method: Callable[Concatenate[_K, _P], None]) -> Callable[Concatenate[_K, _P], None]:
    """``method`` does nothing once the file stopped, and stops it when it fails to write."""

    @functools.wraps(method)
    def guarded(self: _K, /, *args: _P.args, **kwargs: _P.kwargs) -> None:
        if self.failure:
            return
        try:
            method(self, *args, **kwargs)
        except OSError as error:
            self.stopped(error)

    return guarded
