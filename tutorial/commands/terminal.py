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

# CSI sequences are kept; C0 controls other than \t \n \r \b and ESC, and every other escape
# sequence (OSC, DCS, charset designations...) are dropped.
_UNSAFE = re.compile(
    r"\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"  # DCS, SOS, PM, APC
    r"|\x1b[()*+\-./][0-9A-Za-z]?"  # character set designation
    r"|\x1b(?!\[)[@-Z\\-_]?"  # any other escape
    r"|[\x00-\x07\x0b\x0c\x0e-\x1a\x1c-\x1f\x7f]"
)
_ANY_ESCAPE = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]")


def colours(stream: TextIO) -> bool:
    return stream.isatty() and "NO_COLOR" not in os.environ and os.environ.get("TERM") != "dumb"


def style(text: str, code: str, enabled: bool) -> str:
    return f"\x1b[{code}m{text}\x1b[0m" if enabled else text


class LiveOutput:
    """A sink for a step's text that writes it to ``stream`` as it arrives."""

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stdout
        self.tty = self.stream.isatty()
        self._line = ""  # log mode: the line being built
        self._wrote_newline = True

    def __call__(self, text: str) -> None:
        # (control characters were already dropped by the output stream)
        if self.tty:
            if "\x1b" in text:
                text = _UNSAFE.sub("", text)
            self.stream.write(text)
            self.stream.flush()
            if text:
                self._wrote_newline = text.endswith("\n")
            return
        if "\x1b" in text:
            text = _ANY_ESCAPE.sub("", _UNSAFE.sub("", text))
        head, newline, tail = text.rpartition("\n")
        if not newline:
            self._line += tail
            return
        block = self._line + head
        if "\r" in block:  # progress redrawn in place: write each line as it ended up
            block = "\n".join(collapse(line) for line in block.split("\n"))
        self.stream.write(block + "\n")
        self.stream.flush()
        self._line = tail
        self._wrote_newline = True

    def finish(self) -> None:
        """End the step's output on a line of its own."""
        if self._line:
            self.stream.write(collapse(self._line) + "\n")
            self._line = ""
        elif not self._wrote_newline:
            self.stream.write("\n")
        self._wrote_newline = True
        self.stream.flush()
