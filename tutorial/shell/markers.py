"""The session's markers, found in what the terminal hands out, wherever its reads cut them.

The session's bash tells where a step begins and ends with private escape sequences
(``ESC ] 777 ; <nonce> ; <kind> [; fields] BEL``) among the step's own output. A terminal
hands out output in pieces of at most a few kilobytes, so a marker may arrive cut in two, or
in many pieces: what could be the start of one is held back until the rest arrives.
"""

from __future__ import annotations

import re

#: a marker never gets this long: an unfinished "marker" longer than this is output after all
_LONGEST = 512


class MarkerScanner:
    """Splits a stream of terminal output into output and the markers among it."""

    def __init__(self, start: bytes, pattern: re.Pattern[bytes]) -> None:
        """``start``: how every marker begins (``ESC ] 777 ; <nonce>``); ``pattern``: a whole marker."""
        self.start = start
        self._pattern = pattern
        self._carry = b""

    def split(self, data: bytes) -> list[bytes | re.Match[bytes]]:
        """``data`` (the next piece of output) as output and markers, in their order.

        What may be the beginning of a marker at the end is kept for the next call (see
        :meth:`rest`). Output without an escape character, a flood's, is passed over at the
        speed of a search for one byte.
        """
        data = self._carry + data
        self._carry = b""
        found: list[bytes | re.Match[bytes]] = []
        while True:
            at = data.find(b"\x1b")
            if at >= 0:
                at = data.find(self.start, at)
            if at < 0:
                break
            end = data.find(b"\x07", at)
            match = self._pattern.match(data, at) if end >= 0 else None
            if match is None:
                if end < 0 and len(data) - at < _LONGEST:
                    self._carry, data = data[at:], data[:at]  # a marker cut in two: wait for its end
                    break
                found.append(data[: at + 1])  # not one of ours after all: it is output
                data = data[at + 1 :]
                continue
            if at:
                found.append(data[:at])
            found.append(match)
            data = data[match.end() :]
        if not self._carry:
            keep = _partial_start(data, self.start)
            if keep:
                self._carry, data = data[-keep:], data[:-keep]
        if data:
            found.append(data)
        return found

    def rest(self) -> bytes:
        """What was held back as the possible start of a marker (output, when no more comes)."""
        carry, self._carry = self._carry, b""
        return carry


def _partial_start(data: bytes, start: bytes) -> int:
    """How many bytes at the end of ``data`` could be the beginning of a marker."""
    tail = data[-(len(start) - 1) :] if len(data) >= len(start) else data
    escape = tail.rfind(b"\x1b")
    if escape < 0:
        return 0
    candidate = tail[escape:]
    return len(candidate) if start.startswith(candidate) else 0
