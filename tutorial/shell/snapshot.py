"""Make a snapshot of the session fit for a new shell to read.

The session writes ``declare -p`` as bash prints it (cheap enough to do at every prompt).
Some of what bash prints must not be given back to a new shell: its own variables
(``BASH_SUBSHELL``, ``FUNCNAME``... assigning them breaks the shell) and the session's
internals. This removes those declarations, and nothing else.
"""

from __future__ import annotations

import re

SECTION = "# -- functions, aliases, options, directory --"
_FIRST = re.compile(r"# -- snapshot (\d+-\d+) --\n")  # the shell's process number, then a count
_DECLARE = re.compile(r"declare -[-\w]* ([A-Za-z_]\w*)")
_SPECIAL = re.compile(
    r"^(?:BASH\w*|FUNCNAME|GROUPS|DIRSTACK|EPOCH\w+|EUID|UID|PPID|HISTCMD|LINENO|RANDOM|SRANDOM|SECONDS|"
    r"SHELLOPTS|SHLVL|PIPESTATUS|COMP_\w+|_|PWD|COLUMNS|LINES)$"
)
_KEPT_INTERNALS = frozenset({"__adv_saved_trap", "__adv_traps"})


def statements(text: str) -> list[str]:
    """Split ``declare -p`` output into its statements (values may span lines, in quotes)."""
    found: list[str] = []
    stack: list[str] = []
    start = 0
    index = 0
    length = len(text)
    while index < length:
        char = text[index]
        top = stack[-1] if stack else ""
        if top == "'":
            if char == "'":
                stack.pop()
        elif top in ('"', "$'"):
            if char == "\\":
                index += 1
            elif (char == '"' and top == '"') or (char == "'" and top == "$'"):
                stack.pop()
        elif char == "'":
            stack.append("$'" if index and text[index - 1] == "$" else "'")
        elif char == '"':
            stack.append('"')
        elif char == "(":
            stack.append("(")
        elif char == ")" and top == "(":
            stack.pop()
        elif char == "\n" and not stack:
            found.append(text[start:index])
            start = index + 1
        index += 1
    if start < length:
        found.append(text[start:])
    return found


def keep(statement: str) -> bool:
    match = _DECLARE.match(statement)
    if match is None:
        return True
    name = match.group(1)
    if name.startswith("__adv_"):
        return name in _KEPT_INTERNALS
    return _SPECIAL.match(name) is None


def whole(text: str) -> str:
    """The snapshot the file holds, without what an older, longer one left after it.

    The shell writes its snapshot over the previous one without emptying the file first.
    Its first and last lines carry the same numbers; a file whose last line is missing was
    cut short while being written (the shell was killed then) and holds no usable snapshot.
    """
    first = _FIRST.match(text)
    if first is None:  # not written in place (a copy we made): all of it
        return text
    end = f"\n# -- end of snapshot {first.group(1)} --\n"
    at = text.find(end)
    return text[: at + len(end)] if at >= 0 else ""


_DELTA = re.compile(r"# -- delta (\d+-\d+) (\d+) --\n")


def with_delta(text: str, delta: str) -> str:
    """The snapshot ``text`` with the variables of ``delta`` declared after its own (see ``__adv_write_delta``).

    After each step that could only set variables, the shell appends a block to the delta:
    the declarations of what that step set, numbered from 1 after the last whole snapshot.
    A snapshot's blocks are read in order (a later declaration of a name wins); blocks of
    another snapshot (older ones, or those written before the snapshot now on the disk) add
    nothing, and reading stops at a block cut short or out of order (the shell was killed
    while writing it: nothing of that snapshot can follow).
    """
    text = whole(text)
    first = _FIRST.match(text)
    if first is None or SECTION + "\n" not in text:
        return text
    ours = first.group(1)
    kept: list[str] = []
    position = 0
    while (head := _DELTA.match(delta, position)) is not None:
        end = f"\n# -- end of delta {head.group(1)} {head.group(2)} --\n"
        at = delta.find(end, head.end() - 1)
        if at < 0:
            break
        position = at + len(end)
        if head.group(1) != ours:
            continue
        if int(head.group(2)) != len(kept) + 1:
            break
        kept.append(delta[head.end() : at + 1])
    if not kept:
        return text
    return text.replace(SECTION + "\n", "".join(kept) + SECTION + "\n", 1)


def clean(text: str) -> str:
    """The snapshot without bash's own variables and the session's internals."""
    text = whole(text)
    variables, separator, rest = text.partition(SECTION + "\n")
    if not separator:  # not a snapshot we wrote: leave it alone
        return text
    kept = [statement for statement in statements(variables) if keep(statement)]
    return "\n".join(kept) + "\n" + rest


def declared(text: str) -> set[str]:
    """The names of the variables a snapshot declares."""
    variables = text.partition(SECTION + "\n")[0]
    return {m.group(1) for m in map(_DECLARE.match, statements(variables)) if m is not None}
