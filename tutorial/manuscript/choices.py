"""Options of a choice page: links, options not implemented yet, and their descriptions."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import replace

from tutorial.manuscript.model import Option, OptionKind

_NOT_READY = re.compile(
    r"\b(?:(?:has|have|is|are|was)\s+)?not\s+(?:yet\s+)?(?:been\s+)?(?:implemented|available|ready|written)(?:\s+yet)?\b"
    r"|\bcoming\s+soon\b|\b(?:to\s+be|will\s+be)\s+(?:implemented|written|added)\b|\bTODO\b",
    re.I,
)
# The words right before a link that make it a way back: "Go back to [X]", "Please return to the [X] page".
_GO_BACK_BEFORE = re.compile(r"\b(?:(?:go|going|come|head|get)\s+back|return(?:ing)?)\s+to(?:\s+the)?\s*$")
_GO_BACK_LABEL = re.compile(r"^(?:go(?:ing)?\s+back|back\s+to|return(?:ing)?\s+to)\b")
# ... and a way on written in a sentence: "skip this chapter by jumping directly to [X]", "continue to [X]".
_ONWARD_BEFORE = re.compile(
    r"\b(?:jump(?:ing)?|skip(?:ping)?|continu(?:e|ing)|proceed(?:ing)?|mov(?:e|ing)\s+on|head(?:ing)?(?:\s+over)?"
    r"|go(?:ing)?\s+(?:straight|directly|on))\s+(?:(?:directly|straight|right)\s+)?(?:on\s+)?(?:to|into|with)"
    r"(?:\s+the)?\s*$"
)
# "Follow the [X] instructions": the link is the whole object of "follow".
_FOLLOW_BEFORE = re.compile(r"\bfollow(?:ing)?(?:\s+the)?\s*$")
_FOLLOW_AFTER = re.compile(r"^\s*(?:instructions|guide|chapter|steps|page)\b")
_SENTENCE_END = re.compile(r"[.!?;:]\s")
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


def attach_notes(
    options: list[Option], notes: list[str], codes: Mapping[str, Sequence[str]] | None = None
) -> list[Option]:
    """Give an option the caveats that rule it out ("... you cannot choose Harbor").

    ``codes``: each note's code spans. When a caveat opens with "If" and names its condition
    in code ("If you chose to use `nip.io` ..., you cannot choose Harbor"), the option keeps
    those names as ``caveat_if``, so the engine can tell the reader who said nip.io holds
    that the caveat is theirs. The option stays available: the author says what it takes.
    """
    result = []
    for option in options:
        mentions = []
        conditions: list[str] = []
        for note in notes:
            for match in _EXCLUDES.finditer(note):
                if option.label and re.search(rf"(?<!\w){re.escape(option.label)}(?!\w)", match.group("rest"), re.I):
                    mentions.append(note)
                    conditions.extend(_caveat_condition(note[: match.start()], (codes or {}).get(note, ())))
                    break
        if mentions:
            option = replace(option, note=" ".join(mentions), caveat_if=tuple(dict.fromkeys(conditions)))
        result.append(option)
    return result


_CAVEAT_IF = re.compile(r"^\W*if\b", re.I)
_CAVEAT_NEGATED = re.compile(r"\b(?:not|never|no)\b|n't\b", re.I)


def _caveat_condition(lead: str, codes: Sequence[str]) -> list[str]:
    """The names in code in a caveat's "If ..." clause; none when the clause is negated or not an "If"."""
    if not _CAVEAT_IF.match(lead) or _CAVEAT_NEGATED.search(lead):
        return []
    return [code for code in codes if code.strip() and code in lead]


def _clause(before: str) -> str:
    """The part of ``before`` in the same sentence as the link that follows it, lower-cased."""
    return _SENTENCE_END.split(before)[-1].lower()


def go_back(before: str, label: str) -> bool:
    """The link leads back to an earlier page: "Go back to [X]", "[Go back and choose again](X)"."""
    return bool(_GO_BACK_BEFORE.search(_clause(before)) or _GO_BACK_LABEL.match(label.strip().lower()))


def sentence_way_on(before: str, label: str, after: str) -> OptionKind | None:
    """What a link to a page in a sentence outside the ways-on sections is: a go-back, a way on, or neither.

    ``before`` and ``after`` are the paragraph's text on either side of the link.
    """
    clause = _clause(before)
    if go_back(before, label):
        return OptionKind.GO_BACK
    if _ONWARD_BEFORE.search(clause):
        return OptionKind.PROSE
    if _FOLLOW_BEFORE.search(clause) and _FOLLOW_AFTER.match(after.lower()):
        return OptionKind.PROSE
    return None
