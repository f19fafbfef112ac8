"""A step's output held in memory until the secrets it makes are known, then written masked.

``export GITHUB_TOKEN=$(gh auth token); echo "token: $GITHUB_TOKEN"`` prints a secret that
nobody typed: its value is known only when the step ends (the shell reports what it
assigned), after the step printed it. The screen shows what the step printed, as a terminal
would; the files that keep a step's output (the transcript, the recording) must not. So for
such a step their share of the output waits here, and is written once the step's secrets
are masked in it. What waits is bounded: past ``limit`` characters, only the first and the
last ``limit / 2`` are kept, and the cut between them says how much was left out (the
transcript keeps no more of a step than that anyway).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable

HELD_LIMIT = 16 << 20  # characters of one step's output held: the first and last 8 Mi


class Held:
    """Output kept back from the files until :meth:`release` says how to mask it."""

    def __init__(self, *, limit: int = HELD_LIMIT) -> None:
        self._head: list[str] = []
        self._head_left = limit - limit // 2
        self._tail: deque[str] = deque()
        self._tail_size = 0
        self._tail_limit = limit // 2
        self._left_out = 0

    def write(self, text: str) -> None:
        """Output of the running step (already masked of the secrets known when it came)."""
        if self._head_left:
            head = text[: self._head_left]
            self._head.append(head)
            self._head_left -= len(head)
            text = text[len(head) :]
            if not text:
                return
        self._tail.append(text)
        self._tail_size += len(text)
        while self._tail_size > self._tail_limit:  # (the oldest pieces go; a piece too long is cut)
            first = self._tail[0]
            extra = self._tail_size - self._tail_limit
            if len(first) <= extra:
                self._tail.popleft()
                self._tail_size -= len(first)
                self._left_out += len(first)
            else:
                self._tail[0] = first[extra:]
                self._tail_size -= extra
                self._left_out += extra

    def text(self, reach: int = 0) -> str:
        """All that was held, with a mark where the middle of a long output was left out.

        ``reach`` characters more are left out either side of that mark: a secret the cut went
        through (that long, and one character more) is then left out whole, not half shown.
        """
        head, tail, left_out = "".join(self._head), "".join(self._tail), self._left_out
        if left_out and reach:
            kept = max(0, len(head) - reach)
            left_out += len(head) - kept + min(reach, len(tail))
            head, tail = head[:kept], tail[reach:]
        cut = f"\n[... {left_out} characters of output left out here ...]\n" if left_out else ""
        return head + cut + tail

    def release(self, mask: Callable[[str], str], sinks: Iterable[Callable[[str], None]], *, reach: int = 0) -> None:
        """Write what was held, masked as a whole (a secret split between two pieces is found too).

        ``reach``: the length of the longest secret, less one (see :meth:`text`).
        """
        text = self.text(reach)
        self._head.clear()
        self._tail.clear()
        self._tail_size = self._left_out = 0
        if not text:
            return
        masked = mask(text)
        for sink in sinks:
            sink(masked)
