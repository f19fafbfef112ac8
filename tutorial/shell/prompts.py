"""Is a running step waiting for the reader? And is it asking for a secret?"""

from __future__ import annotations

import re

_SECRET = re.compile(r"(pass(word|phrase)?|token|secret|pin|api[ _-]?key|credential)s?\b[^\n]*[:?]\s*$", re.I)
_PROMPT = re.compile(r"[:?>\]]\s*$|\(y/n\)\s*$|\[y/N\]\s*$|\[Y/n\]\s*$", re.I)


def last_line(text: str) -> str:
    return text.rstrip("\n").rsplit("\n", 1)[-1] if "\n" in text.rstrip("\n") or text else ""


def looks_like_prompt(partial_line: str) -> bool:
    """An unfinished last line ending like a question: ``Name: ``, ``Continue? (y/n)``."""
    return bool(partial_line.strip()) and bool(_PROMPT.search(partial_line))


def asks_for_secret(partial_line: str) -> bool:
    """``Password:``, ``Enter your token:``: what is typed must not be shown or logged."""
    return bool(_SECRET.search(partial_line))
