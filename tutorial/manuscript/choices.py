"""Options of a choice page: links, options not implemented yet, and their descriptions."""

from __future__ import annotations

import re
from dataclasses import replace

from tutorial.manuscript.model import Option

_NOT_READY = re.compile(
    r"\b(?:(?:has|have|is|are|was)\s+)?not\s+(?:yet\s+)?(?:been\s+)?(?:implemented|available|ready|written)(?:\s+yet)?\b"
    r"|\bcoming\s+soon\b|\b(?:to\s+be|will\s+be)\s+(?:implemented|written|added)\b|\bTODO\b",
    re.I,
)
_LABEL_TAIL = re.compile(r"[\s(\[,;:–—-]*$")
_WORDS = re.compile(r"[a-z0-9]+")


def not_ready_reason(text: str) -> str | None:
    """The sentence saying an option is not implemented yet, or None."""
    return text.strip() if _NOT_READY.search(text) else None


def unavailable_label(text: str) -> str:
    """``Kyverno (has not yet been implemented)`` → ``Kyverno``."""
    match = _NOT_READY.search(text)
    head = text[: match.start()] if match else text
    head = _LABEL_TAIL.sub("", head).strip().strip("*_`")
    return head or text.strip()


def _words(text: str) -> set[str]:
    return set(_WORDS.findall(text.lower()))


def _score(a: set[str], b: set[str]) -> float:
    """How well a "Choice N: name" heading (words ``a``) describes an option (words ``b``), 0..1."""
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    if a <= b or b <= a:
        return 0.5 + 0.5 * len(a & b) / len(a | b)
    return 0.0


def attach_descriptions(options: list[Option], described: list[tuple[str, str]]) -> list[Option]:
    """Give each option the description of the "Choice N: X" section that names it."""
    names = [(_words(name), body) for name, body in described]
    result = []
    for option in options:
        label = _words(option.label)
        best, best_score = "", 0.0
        for words, body in names:
            score = _score(words, label)
            if score > best_score:
                best, best_score = body, score
        result.append(replace(option, description=best) if best else option)
    return result


_EXCLUDES = re.compile(
    r"\b(?:cannot|can't|can not|could not|do not|don't|should not|shouldn't|must not)\s+"
    r"(?:choose|pick|select|use|take)\b(?P<rest>[^.;]*)",
    re.I,
)


def attach_notes(options: list[Option], notes: list[str]) -> list[Option]:
    """Give an option the caveats that rule it out ("... you cannot choose Harbor")."""
    result = []
    for option in options:
        mentions = []
        for note in notes:
            for match in _EXCLUDES.finditer(note):
                if option.label and re.search(rf"(?<!\w){re.escape(option.label)}(?!\w)", match.group("rest"), re.I):
                    mentions.append(note)
                    break
        result.append(replace(option, note=" ".join(mentions)) if mentions else option)
    return result
