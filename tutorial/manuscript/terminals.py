"""Which steps need the reader's real terminal: from their commands, and from the prose before them.

The commands are read by the shell analyser (helper scripts of the manuscript included: a
script that asks with ``gum confirm`` needs a terminal as much as the step that calls it).
The prose says what the commands cannot: "Execute the command that follows in a second
terminal session" means the step is not meant for the session the other steps share.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from tutorial.manuscript.conditions import sentences
from tutorial.manuscript.shellscan import comment_items, scan
from tutorial.shell.interactive import HelperScripts, Need, terminal_uses

_OTHER_TERMINAL = re.compile(
    r"\b(?:second|third|fourth|fifth|\d+(?:nd|rd|th)|another|other|new|separate|different)\s+(?:terminal|shell)\b",
    re.I,
)
_DO = re.compile(r"\b(?:execute|run|type|start|launch|use)\b", re.I)
_NOT_AN_ORDER = re.compile(r"\b(?:stop|press|ctrl|close|exit)\b", re.I)
#: "# In the second terminal", "# From a separate shell": a comment that opens by saying where its lines go
_WHERE = re.compile(r"^\W*(?:(?:then|now|and|back)\s+)?(?:in|from|inside|within|on)\s+(?:(?:a|an|the|your)\s+)?", re.I)


def prose_reason(intro: str) -> str:
    """Why the prose before a block sends it to another terminal ("" when it does not).

    "Open another terminal. Run the load generator there." sends the block away as surely as
    one sentence saying both: an order after a sentence naming another terminal counts too.
    """
    if "terminal" not in intro.lower() and "shell" not in intro.lower():
        return ""
    elsewhere = ""  # the sentence that sent the reader to another terminal, waiting for its order
    for sentence in sentences(intro):
        if _NOT_AN_ORDER.search(sentence):
            elsewhere = ""
            continue
        if _OTHER_TERMINAL.search(sentence):
            elsewhere = sentence.strip()
        if elsewhere and _DO.search(sentence):
            return f'the text before it says to run it in another terminal ("{elsewhere[:80]}")'
    return ""


#: "# Press `Ctrl+c` to stop it", "# Stop `curl` ... by pressing `ctrl+c`", a bare "# `ctrl+c`"
_CTRL_C = re.compile(r"\b(?:ctrl|control)\s*[+-]\s*c\b", re.I)


def comment_reason(code: str) -> tuple[str, bool]:
    """Why the block's own comments say it needs the reader's terminal, and whether a command runs until stopped.

    "# Press `Ctrl+c` to stop it" after ``px live`` (or ``go run .``) says the command before it
    runs until the reader stops it; "# In a separate terminal" says the command after it is not
    for this session. Comments only: the same words in a string or a heredoc are not read.
    """
    if "ctrl" not in code.lower() and "control" not in code.lower() and "terminal" not in code.lower():
        return "", False
    lines = code.splitlines()
    indexes = [i for group in scan(lines).groups for i in group.comment_lines]
    elsewhere = ""
    for index, text in comment_items(lines, indexes):
        if _CTRL_C.search(text):  # the stronger reason: something in the step never ends by itself
            return f"a comment says to stop a command with ctrl+c (line {index + 1} of the step)", True
        if not elsewhere and _OTHER_TERMINAL.search(text) and not _NOT_AN_ORDER.search(text):
            elsewhere = _sent_elsewhere(text, index + 1)
    return elsewhere, False


def _sent_elsewhere(comment: str, line: int) -> str:
    return f'a comment sends a command to another terminal ("{comment.strip()[:60]}", line {line} of the step)'


@lru_cache(maxsize=256)
def other_terminal_lines(code: str) -> tuple[tuple[int, int, str], ...]:
    """Commands a comment right above them sends to another terminal: (first, last line, 1-based; the comment).

    "# In the second terminal" above ``exit`` closes the reader's second terminal: run in this
    shell it would end the session (or the script the reader's terminal runs) and the commands
    after it would never run. Such lines are the reader's to type there, never this shell's.
    """
    lowered = code.lower()
    if "terminal" not in lowered and "shell" not in lowered:
        return ()
    lines = code.splitlines()
    found: list[tuple[int, int, str]] = []
    for group in scan(lines).groups:
        if not group.code_lines or not group.comment_lines or group.blank_between:
            continue
        for _index, text in comment_items(lines, group.comment_lines):
            named = _OTHER_TERMINAL.search(text)
            if not named or _NOT_AN_ORDER.search(text):
                continue
            # an order about where to type them, not a mention ("# Works in another shell too")
            where = _WHERE.match(text)
            if (where and where.end() == named.start()) or _DO.search(text):
                found.append((group.code_lines[0] + 1, group.code_lines[-1] + 1, text.strip()))
                break
    return tuple(found)


def leave_to_other_terminals(code: str) -> tuple[str, list[tuple[int, int, str]]]:
    """``code`` with the lines meant for another terminal blanked (line numbers still match), and those lines."""
    found = list(other_terminal_lines(code))
    if not found:
        return code, []
    lines = code.splitlines()
    for first, last, _comment in found:
        for number in range(first, last + 1):
            lines[number - 1] = ""
    return "\n".join(lines), found


@lru_cache(maxsize=8)
def helper_scripts(root: Path) -> HelperScripts:
    """One reader of helper scripts per manuscript (scripts are read once, whatever the pages)."""
    return HelperScripts(root)


@lru_cache(maxsize=2048)
def terminal_need(code: str, intro: str, root: Path | None) -> tuple[str, bool]:
    """(why the step needs a real terminal or "", whether it runs until someone stops it).

    Manuscripts repeat blocks from page to page (``devbox shell``, the same watcher): each
    distinct block is judged once.
    """
    uses = terminal_uses(code, helper_scripts(root) if root is not None else None)
    if uses:
        first = next((u for u in uses if u.need is Need.SHELL), uses[0])
        return first.reason, all(u.need is Need.RUNS_UNTIL_STOPPED for u in uses)
    reason = prose_reason(intro)
    if reason:
        return reason, False
    reason, stops = comment_reason(code)
    if not reason:  # "# In another shell" above a command: the step is the reader's, as with "terminal"
        for line, _last, comment in other_terminal_lines(code):
            return _sent_elsewhere(comment, line), False
    return reason, stops
