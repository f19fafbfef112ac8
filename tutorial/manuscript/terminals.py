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

from tutorial.shell.interactive import HelperScripts, Need, terminal_uses

_SENTENCE = re.compile(r"(?<=[.!?])\s+")
_OTHER_TERMINAL = re.compile(
    r"\b(?:second|third|fourth|fifth|\d+(?:nd|rd|th)|another|other|new|separate|different)\s+(?:terminal|shell)\b",
    re.I,
)
_DO = re.compile(r"\b(?:execute|run|type|start|launch|use)\b", re.I)
_NOT_AN_ORDER = re.compile(r"\b(?:stop|press|ctrl|close|exit)\b", re.I)


def prose_reason(intro: str) -> str:
    """Why the prose before a block sends it to another terminal ("" when it does not)."""
    if "terminal" not in intro.lower() and "shell" not in intro.lower():
        return ""
    for sentence in _SENTENCE.split(intro):
        if _OTHER_TERMINAL.search(sentence) and _DO.search(sentence) and not _NOT_AN_ORDER.search(sentence):
            return f'the text before it says to run it in another terminal ("{sentence.strip()[:80]}")'
    return ""


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
    return reason, False
