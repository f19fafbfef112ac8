"""Writing a step's live output to the reader's terminal, or to a CI log, safely.

On a terminal, colours and cursor movements pass through (progress bars look as they
should) but control sequences that can damage the terminal (character set switches, OSC
titles, device queries) are dropped, so a step that prints a binary file leaves the terminal
usable. In a log (not a terminal), escape sequences are removed and progress lines redrawn
with carriage returns are written once, in their final state.
"""

from __future__ import annotations

import os
import re
import sys
from typing import TextIO

from tutorial.shell.output import collapse

# Kept: colours (SGR) and the cursor movements and line erasing progress bars redraw with.
# Dropped: every other CSI sequence (device and window queries whose answers would be typed
# into the reader's shell, mode switches such as the alternate screen or mouse reporting,
# window resizing), OSC, DCS and the other strings, character set switches, lone escapes,
# and C0 controls other than \t \n \r \b.
_UNSAFE = re.compile(
    r"\x1b\[(?![0-9;:]*[mABCDEFGK])[0-?]*[ -/]*[@-~]"  # CSI other than SGR, cursor moves, erase in line
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"  # DCS, SOS, PM, APC
    r"|\x1b[()*+\-./][0-9A-Za-z]?"  # character set designation
    r"|\x1b(?!\[)[@-Z\\-_]?"  # any other escape
    r"|[\x00-\x07\x0b\x0c\x0e-\x1a\x1c-\x1f\x7f]"
)
_ANY_ESCAPE = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]")
# an escape sequence cut off at the end of a chunk: held back until its end arrives
_UNFINISHED = re.compile(r"\x1b(?:\[[0-?]*[ -/]*|\][^\x07\x1b]*)?$")
_PENDING_LIMIT = 1 << 16  # characters of an unfinished line kept before it is written as it is


def colours(stream: TextIO) -> bool:
    return stream.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


def style(text: str, code: str, enabled: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if enabled else text


class LiveOutput:
    """A sink for a step's text that writes it to ``stream`` as it arrives.

    Memory stays bounded whatever the step prints: a line without an end (a binary file, a
    200 MB JSON document) is written out in pieces rather than kept until its newline.
    """

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stdout
        self.tty = self.stream.isatty()
        self._line = ""  # log mode: the line being built; terminal mode: a cut escape sequence
        self._wrote_newline = True

    def __call__(self, text: str) -> None:
        # (control characters and C1 controls were already dropped by the output stream)
        if self.tty:
            self._to_terminal(text)
            return
        if "\x1b" in text:
            text = _ANY_ESCAPE.sub("", _UNSAFE.sub("", text))
        end = text.rfind("\n") + 1
        if not end:
            self._line += text
            if len(self._line) > _PENDING_LIMIT:
                self._spill()
            return
        # (the lines written as one piece, copied once: a flood passes here at every read)
        block = self._line + text[:end] if self._line else text[:end] if end < len(text) else text
        if "\r" in block:  # progress redrawn in place: write each line as it ended up
            block = "\n".join(collapse(line) for line in block.split("\n"))
        self.stream.write(block)
        self.stream.flush()
        self._line = text[end:]
        self._wrote_newline = True

    def _to_terminal(self, text: str) -> None:
        if self._line:
            text, self._line = self._line + text, ""
        if "\x1b" in text:
            cut = _UNFINISHED.search(text, max(0, len(text) - 256))
            if cut is not None:
                text, self._line = text[: cut.start()], text[cut.start() :]
            text = _UNSAFE.sub("", text)
        if text:
            self.stream.write(text)
            self.stream.flush()
            self._wrote_newline = text.endswith("\n")

    def _spill(self) -> None:
        """A very long unfinished line: keep what a terminal would show of it so far, write the rest."""
        line = collapse(self._line) if "\r" in self._line else self._line
        if len(line) <= _PENDING_LIMIT // 2:
            self._line = line
            return
        self.stream.write(line)
        self.stream.flush()
        self._line = ""
        self._wrote_newline = False

    def finish(self) -> None:
        """End the step's output on a line of its own."""
        if self._line and self.tty:
            self._line = ""  # only an unfinished escape sequence: nothing to show
        if self._line:
            self.stream.write(collapse(self._line) + "\n")
            self._line = ""
        elif not self._wrote_newline:
            self.stream.write("\n")
        self._wrote_newline = True
        self.stream.flush()
