"""The lines of a step the engine never runs in the session, and why: what every view tells the reader.

Two kinds of lines are the reader's, never the shared shell's:

- lines a comment sends to another terminal ("# In the second terminal"), which the reader
  types there;
- a bare top-level ``exit``, which in the reader's terminal leaves a shell (often one an
  earlier block of the page opened: ``devbox shell``) and in the session would end the shell
  every step runs in.

A run blanks them (line numbers still match the page) and notes each; a dry run and the step
card list them before anything runs, in the same words.
"""

from __future__ import annotations

from tutorial.manuscript.model import Page, Step
from tutorial.manuscript.terminals import other_terminal_lines
from tutorial.records import record
from tutorial.shell.exits import session_exits, shells_left_open
from tutorial.shell.interactive import TerminalUse


@record(frozen=True)
class LeftOut:
    """Lines of a step that are not run in the session."""

    first: int  # line on the page, inclusive
    last: int
    code: str  # the lines as written
    reason: str  # why they are not run, and what they are for

    def describe(self) -> str:
        """One line for a note, the dry run and the step card."""
        if self.first == self.last:
            return f"line {self.first} (`{self.code.strip()}`) not run: {self.reason}"
        return f"lines {self.first}-{self.last} not run: {self.reason}"


def _opened_before(page: Page | None, step: Step) -> list[tuple[Step, TerminalUse]]:
    """The nested shells earlier blocks of the page leave the reader in, innermost last.

    A bare ``exit`` of an earlier block leaves the innermost one, as it would in the reader's terminal.
    """
    if page is None:
        return []
    open_shells: list[tuple[Step, TerminalUse]] = []
    for earlier in page.steps:
        if earlier.line >= step.line:
            break
        if not earlier.runnable:
            continue
        open_shells.extend((earlier, use) for use in shells_left_open(earlier.code))
        for _line in session_exits(earlier.code):
            if open_shells:
                open_shells.pop()
    return open_shells


def _exit_reason(opened: tuple[Step, TerminalUse] | None) -> str:
    ending = "here it would end the shell every step runs in"
    if opened is None:
        return f"it is for your terminal; {ending} (the steps after it would lose what earlier steps set)"
    step, use = opened
    shell = f"`{use.reason.split('`')[1]}`" if "`" in use.reason else "the nested shell"
    line = step.line + use.line - 1
    return (
        f"it leaves {shell} (opened at line {line}, step {step.index + 1}), which the steps' shell"
        f" never entered; {ending}"
    )


def left_out(page: Page | None, step: Step, code: str) -> tuple[str, list[LeftOut]]:
    """``code`` with the lines the session must not run blanked, and those lines (page line numbers)."""
    lines = code.splitlines()
    found: list[LeftOut] = []
    for first, last, comment in other_terminal_lines(code):
        text = "\n".join(lines[first - 1 : last])
        reason = f"the text sends it to another terminal ({comment})"
        found.append(LeftOut(step.line + first - 1, step.line + last - 1, text, reason))
        for number in range(first, last + 1):
            lines[number - 1] = ""
    remaining = "\n".join(lines)
    exits = session_exits(remaining)
    if exits:
        opened = _opened_before(page, step)
        for number in exits:
            reason = _exit_reason(opened.pop() if opened else None)
            found.append(LeftOut(step.line + number - 1, step.line + number - 1, lines[number - 1].strip(), reason))
            lines[number - 1] = ""
        remaining = "\n".join(lines)
    found.sort(key=lambda item: item.first)
    return (remaining if found else code), found
