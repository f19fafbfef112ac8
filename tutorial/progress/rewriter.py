"""Bringing settings.yaml up to date with the journal, on a thread of its own, once a step takes a moment.

With the journal (see :mod:`.journal`), settings.yaml no longer has to be rewritten for a
step's progress to be safe; it is still where the progress lives, and what other programs
read. Rewriting it after every step in the background was measured (``bench/steps.py``,
``bench/README.md``): on two cores shared with bash and the runner, the rewrite's Python (the
text of 200 values and origins) and its two commits of the file system's journal slow the
next steps down, and a rewrite that fails would be known only some steps later. So the
rewrite waits until no record has come for :data:`QUIET` seconds, which is to say while a
step runs longer than a moment; several records that came meanwhile are written once, as
the latest state. A run of quick steps is written whole at its end (and when the journal is
full, and at every whole save: page arrivals, choices). Before the next step is sent, a
rewrite under way is waited for (it had the step's time to finish), and one that failed
stops the run as a failed save always did.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Generic, TypeVar

#: how long no record must come before settings.yaml is rewritten (seconds)
QUIET = 0.05

Item = TypeVar("Item")


class Rewriter(Generic[Item]):
    """Calls ``write`` with the latest item offered, once none came for ``quiet`` seconds, on its own thread."""

    def __init__(self, write: Callable[[Item], None], quiet: float | None = None) -> None:
        self._write = write
        self._quiet = QUIET if quiet is None else quiet
        self._changed = threading.Condition()
        self._latest: Item | None = None
        self._offered = 0.0
        self._busy = False
        self._closing = False
        self._failure: BaseException | None = None
        self._thread: threading.Thread | None = None

    def offer(self, item: Item) -> None:
        """``item`` is the state to write next (replacing one not yet written)."""
        with self._changed:
            self._latest = item
            self._offered = time.monotonic()
            if self._thread is None or not self._thread.is_alive():
                self._closing = False
                self._thread = threading.Thread(target=self._run, name="settings-rewrite", daemon=True)
                self._thread.start()
            self._changed.notify_all()

    def settle(self) -> None:
        """Wait for a rewrite under way (not one still waiting for quiet); raise what a rewrite failed with."""
        with self._changed:
            self._changed.wait_for(lambda: not self._busy)
            failure, self._failure = self._failure, None
        if failure is not None:
            raise failure

    def cancel(self) -> None:
        """Forget what waits to be written (a whole save writes it), and wait for a rewrite under way."""
        with self._changed:
            self._latest = None
            self._changed.wait_for(lambda: not self._busy)

    def close(self) -> None:
        with self._changed:
            self._latest = None
            self._closing = True
            self._changed.notify_all()
            thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join()
        self._thread = None

    def _run(self) -> None:
        while True:
            with self._changed:
                while True:
                    if self._closing:
                        return
                    if self._latest is None:
                        self._changed.wait()
                        continue
                    left = self._offered + self._quiet - time.monotonic()
                    if left > 0:
                        self._changed.wait(left)
                        continue
                    break
                item, self._latest = self._latest, None
                self._busy = True
            failure: BaseException | None = None
            try:
                self._write(item)
            except BaseException as error:  # noqa: BLE001 (raised to the caller at settle)
                failure = error
            with self._changed:
                self._busy = False
                if failure is not None:
                    self._failure = failure
                self._changed.notify_all()
