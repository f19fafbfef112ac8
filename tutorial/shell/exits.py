"""A bare ``exit`` at the top level of a block: the line that would end the shell every step shares.

A manuscript writes ``exit`` for the reader's terminal: "leave the ``devbox shell`` you opened
in the first block", "close the container's shell". The engine runs every step of a journey in
one bash session, so the same ``exit`` run there would end that session, silently, and the
steps after it would start in a fresh shell without the variables the earlier ones set.

Only an ``exit`` standing alone on its line at the top level is meant that way: one inside an
``if``, a function, a subshell, a pipeline or after ``||`` is the block's own logic and runs.
"""

from __future__ import annotations

from tutorial.manuscript.shellscan import scan
from tutorial.shell.commands import Command, analyse
from tutorial.shell.interactive import Need, TerminalUse, nested_lines, terminal_uses

#: the statements that leave an interactive shell, as the reader types them
_LEAVING = frozenset({("exit",), ("exit", "0"), ("logout",)})


def _alone(command: Command, lines: list[str], code_end: list[int]) -> bool:
    """Whether ``command`` is the whole statement of its line (not ``cd x || exit``, not ``a; exit``)."""
    if command.line != command.end_line or not 0 < command.line <= len(lines):
        return False
    if tuple(_code(lines, code_end, command.line - 1).split()) != command.words:
        return False
    for index in range(command.line - 2, -1, -1):  # `cd x ||` above it: the list goes on on this line
        before = _code(lines, code_end, index).rstrip().removesuffix("\\").rstrip()
        if before:
            return not before.endswith(_GOING_ON)
    return True


#: what ends a line that a command on a later one completes (bash reads on past blank lines)
_GOING_ON = ("&&", "||", "|", "|&")


def _code(lines: list[str], code_end: list[int], index: int) -> str:
    """Line ``index`` (0-based) without its comment ("" for a comment or a blank line)."""
    return lines[index][: code_end[index]] if code_end[index] >= 0 else ""


def session_exits(code: str) -> list[int]:
    """The 1-based lines of ``code`` whose bare top-level ``exit`` would end the session's shell.

    An ``exit`` that closes a nested shell opened earlier in the same block (``devbox shell``,
    ``kubectl exec -it … -- sh``) is that shell's, not the session's: it is not listed.
    """
    if "exit" not in code and "logout" not in code:
        return []
    commands = [
        c
        for c in analyse(code).commands
        if c.words in _LEAVING and not (c.function or c.branch or c.condition or c.background or c.stdin or c.subshell)
    ]
    if not commands:
        return []
    lines = code.splitlines()
    code_end = scan(lines).code_end
    closing = {item.closing for item in nested_lines(code, terminal_uses(code))}
    return [c.line for c in commands if c.line not in closing and _alone(c, lines, code_end)]


def shells_left_open(code: str) -> list[TerminalUse]:
    """The nested shells ``code`` opens and does not close itself: the reader is inside them after it.

    ``devbox shell`` alone in a block (or followed by lines but no ``exit``) leaves the reader
    in devbox; a later block's bare ``exit`` is meant to leave it.
    """
    uses = [u for u in terminal_uses(code) if u.need is Need.SHELL and not u.via]
    if not uses:
        return []
    closed = {item.shell.line for item in nested_lines(code, uses) if item.closing}
    return [u for u in uses if u.line not in closed]
