"""What a step prints: decoded, masked, shown live, kept as a bounded tail.

A step may print 30 MB or a binary file. Bytes are decoded incrementally (invalid UTF-8 is
replaced, never raised), secrets are masked before anyone sees the text, and only the last
lines are kept in memory; the transcript on disk has the rest.
"""

from __future__ import annotations

import codecs
import re
from collections import deque
from collections.abc import Callable, Iterable

from tutorial.shell.secret_forms import forms as secret_forms

MASK = "••••••"
_ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")


_CONTROL_BYTES = bytes([c for c in range(32) if c not in (8, 9, 10, 13, 27)] + [127])
# C1 controls (U+0080-U+009F): a terminal may read U+009B as CSI and U+009D as OSC, the
# 8-bit forms of escape sequences; no text needs them
_C1 = re.compile("[\x80-\x9f]")
# a carriage return that does not end a line (a progress bar redrawn, or the first half of a
# \r\n cut between two reads): found in one pass, at the speed of a search for one byte
_LONE_CR = re.compile(rb"\r(?!\n)")
#: characters of output gathered before the tail splits them into lines: the lines of a flood
#: are split once per quarter megabyte, not once per read (only the last ones are kept anyway)
_SETTLE_AT = 1 << 18
_SETTLE_PIECES = 1024  # ... or once this many pieces wait (a spinner printing a character at a time)


def strip_ansi(text: str) -> str:
    """Text without colours and other terminal escape sequences (for JSON and logs)."""
    return _ANSI.sub("", text) if "\x1b" in text else text


class Masker:
    """Replaces secret values in a stream of text, even when a value is split across chunks.

    What it replaces are the secrets' forms (see :mod:`.secret_forms`): a token shown in
    base64 or upper case is as much a leak as the token itself.
    """

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self._pattern: re.Pattern[str] | None = None
        self._keep = 0
        self._carry = ""
        self.forms: frozenset[str] = frozenset()
        self._secrets: frozenset[str] = frozenset()
        self.update(secrets)

    def update(self, secrets: Iterable[str]) -> None:
        """Mask ``secrets`` (and only them) from now on."""
        self._secrets = frozenset(secrets)
        self.forms = frozenset(f for s in self._secrets if len(s) >= 3 for f in secret_forms(s))
        values = sorted(self.forms, key=len, reverse=True)
        self._pattern = re.compile("|".join(map(re.escape, values))) if values else None
        self._keep = max((len(v) for v in values), default=1) - 1

    def add(self, secrets: Iterable[str]) -> None:
        """Mask ``secrets`` too, from now on."""
        more = frozenset(secrets) - self._secrets
        if more:
            self.update(self._secrets | more)

    def mask(self, text: str) -> str:
        """Mask a whole text at once."""
        return self._pattern.sub(MASK, text) if self._pattern else text

    def feed(self, text: str) -> str:
        """Mask a chunk of a stream; the last few characters wait for the next chunk."""
        if self._pattern is None:
            return text
        text = self._carry + text
        masked_until = 0
        parts = []
        for match in self._pattern.finditer(text):
            parts.append(text[masked_until : match.start()])
            parts.append(MASK)
            masked_until = match.end()
        rest = text[masked_until:]
        # a secret may start in the last characters: hold them back
        hold = min(self._keep, len(rest))
        self._carry = rest[len(rest) - hold :] if hold else ""
        parts.append(rest[: len(rest) - hold])
        return "".join(parts)

    def flush(self) -> str:
        text, self._carry = self._carry, ""
        return self.mask(text)


class OutputStream:
    """Turns the bytes of one step into text for the screen, a bounded tail, and the transcript."""

    def __init__(
        self,
        masker: Masker,
        sinks: Iterable[Callable[[str], None]] = (),
        *,
        max_lines: int = 400,
        max_line_chars: int = 4000,
        keep_controls: bool = False,
        as_written: bool = False,
    ) -> None:
        """``as_written``: the terminal hands line ends over as programs wrote them (no ``\\r``
        added before each ``\\n``), so a ``\\r\\n`` is the program's own; with ``keep_controls``,
        it is kept (a value read back from the shell is the value it holds).
        """
        self._as_written = as_written and keep_controls
        self._controls = b"" if keep_controls else _CONTROL_BYTES
        self._c1 = None if keep_controls else _C1
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="replace")
        self._masker = masker
        self._sinks = list(sinks)
        self._lines: deque[str] = deque(maxlen=max_lines)
        self._partial = ""  # the current, unfinished line
        self._recent: list[str] = []  # text not yet split into the tail's lines (see _settle)
        self._recent_chars = 0
        self._max_line_chars = max_line_chars
        self._pending_cr = False
        self.bytes = 0

    def feed(self, data: bytes) -> None:
        self.bytes += len(data)
        # control bytes a terminal would act on (bell, shift-out, ...) are not output anyone
        # wants to see; they are dropped here, at C speed, before anything looks at the text
        controls = self._controls
        if not controls:
            self._emit(self._decoder.decode(data), lines_only=self._as_written)
        elif self._pending_cr or (b"\r" in data and _LONE_CR.search(data)):
            self._emit(self._decoder.decode(data.translate(None, controls)))
        else:  # every carriage return ends a line (the terminal's \r\n): gone in the same pass
            self._emit(self._decoder.decode(data.translate(None, controls + b"\r")), lines_only=True)

    def close(self) -> None:
        self._emit(self._decoder.decode(b"", final=True), final=True)

    def _emit(self, text: str, *, final: bool = False, lines_only: bool = False) -> None:
        """``lines_only``: no carriage return in ``text`` is the terminal's (what a line's \r\n left is its \n)."""
        if not lines_only:
            if self._pending_cr:
                text = "\r" + text
                self._pending_cr = False
            if text.endswith("\r") and not final:  # maybe the first half of a \r\n
                text, self._pending_cr = text[:-1], True
            text = text.replace("\r\n", "\n")
        if self._c1 is not None and not text.isascii() and self._c1.search(text):  # (isascii: no look at all)
            text = self._c1.sub("", text)
        masked = self._masker.feed(text) + (self._masker.flush() if final else "")
        if not masked:
            return
        for sink in self._sinks:
            sink(masked)
        self._keep(masked)

    def _keep(self, text: str) -> None:
        self._recent.append(text)
        self._recent_chars += len(text)
        if self._recent_chars >= _SETTLE_AT or len(self._recent) >= _SETTLE_PIECES:
            self._settle()

    def _settle(self) -> None:
        """Split the text gathered since the last time into the tail's lines, in one go.

        Only the last ``max_lines`` lines of it can stay: a quarter megabyte of a flood is
        looked at once from its end, instead of every line of every read being kept and
        pushed out again. The text waiting is bounded by ``_SETTLE_AT`` and ``_SETTLE_PIECES``.
        """
        recent = self._recent
        if not recent:
            return
        limit = self._lines.maxlen or 1
        # the pieces that end with the last lines: what comes before them would be pushed out
        first, ends = len(recent), 0
        while first and ends <= limit:
            first -= 1
            ends += recent[first].count("\n")
        text = recent[first] if first == len(recent) - 1 else "".join(recent[first:])
        recent.clear()
        self._recent_chars = 0
        pieces = text.rsplit("\n", limit + 1)  # only the last lines can survive in the tail
        if len(pieces) <= limit + 1:
            pieces[0] = self._partial + pieces[0]
        else:
            pieces = pieces[1:]
        complete = pieces[:-1]
        if "\r" not in text and "\r" not in pieces[0] and max(map(len, complete), default=0) <= self._max_line_chars:
            self._lines.extend(complete)  # (the common case, at C speed: nothing to collapse or cut)
        else:
            for piece in complete:
                self._lines.append(
                    collapse(piece)[: self._max_line_chars] if "\r" in piece else piece[: self._max_line_chars]
                )
        partial = pieces[-1]
        if len(partial) > 8 * self._max_line_chars:  # a huge line with no newline (binary): keep its end
            partial = collapse(partial)[-self._max_line_chars :]
        self._partial = partial

    def tail(self, lines: int | None = None) -> str:
        """The last lines printed, progress bars collapsed to their final state."""
        self._settle()
        kept = list(self._lines)
        if self._partial:
            kept.append(collapse(self._partial)[: self._max_line_chars])
        while kept and not kept[-1].strip():
            kept.pop()
        if lines is not None:
            kept = kept[-lines:]
        return "\n".join(kept)


def collapse(line: str) -> str:
    """``"10%\\r50%\\r100%"`` → ``"100%"``: what a terminal shows after carriage returns."""
    if "\r" not in line:
        return line
    shown = ""
    for segment in line.split("\r"):
        shown = segment + shown[len(segment) :]
    return shown
