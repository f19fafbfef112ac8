"""Where the step worker thread leaves output for the screen to pick up, a few times a second.

The worker never touches widgets: it appends to this buffer (thread-safe, cheap), and a timer
on the screen drains it. A step printing 30 MB becomes a handful of redraws, not a million
messages, so the interface stays responsive.
"""

from __future__ import annotations

import threading


class OutputBuffer:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._chunks: list[str] = []
        self._size = 0
        self.limit = 2_000_000  # characters kept between two drains; older text is in the transcript
        self.dropped = 0

    def write(self, text: str) -> None:
        with self._lock:
            self._chunks.append(text)
            self._size += len(text)
            while self._size > self.limit and len(self._chunks) > 1:
                self._size -= len(self._chunks[0])
                self.dropped += self._chunks[0].count("\n")
                del self._chunks[0]

    def drain(self) -> tuple[str, int]:
        """The text written since the last drain, and how many lines were dropped meanwhile."""
        with self._lock:
            text = "".join(self._chunks)
            dropped, self.dropped = self.dropped, 0
            self._chunks.clear()
            self._size = 0
        return text, dropped
