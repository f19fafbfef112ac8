"""Recognise the sentences with which a manuscript says when a step applies.

Authors write these freely, in comments ("# If NOT EKS", "# Skip this step if you chose to
use `nip.io`") and in prose ("> Execute the command that follows only if you chose
**KubeVela**."). We read them sentence by sentence; Markdown structure is handled by the
parser, this module only sees the text of one comment item or one paragraph.
"""

from __future__ import annotations

import re

from tutorial.manuscript.model import Condition, ConditionKind

_SENTENCES = re.compile(r"(?<=[.!?])\s+(?=[A-Z(*`>])")
_PROCEED = re.compile(r"\bproceed\b.*?\bonly if\b.*?\b(?:output|result|it)\b.*?\bcontains?\b\s*(?P<rest>.+)", re.I)
_SKIP = re.compile(r"^\(?\s*skip\b.*?\bif\b\s*(?P<rest>.+)", re.I)
_ONLY = re.compile(r"\bonly\s+if\b\s*(?P<rest>.+)", re.I)
_SHORT_IF = re.compile(r"^if\s+(?P<neg>not\s+)?(?P<rest>[^,;:.?!]+?)\.?$", re.I)
_STRONG = re.compile(r"\*\*(.+?)\*\*|__(.+?)__")
_CODE = re.compile(r"`([^`]+)`")
_LEADS = re.compile(
    r"^(?:that\s+)?(?:you(?:'re|\s+are|\s+have)?\s+)?(?:(?:already\s+)?(?:chose|chosen|picked|selected|decided|"
    r"planning|planned|going|want(?:ed)?)\s+)?(?:(?:to\s+)?(?:use|go\s+with|choose|pick)\s+)?(?:the\s+)?",
    re.I,
)
_ACTION = re.compile(r"\b(execute|run|follow|do|use|apply|perform|proceed|step|command)", re.I)
_TAIL = re.compile(r"\s+(?:instead of|rather than|as your|as the|in the|during)\b.*$", re.I)


def _subject(rest: str) -> tuple[str, bool]:
    """The thing a condition depends on, and whether it is negated ("you're NOT ...")."""
    negated = bool(re.search(r"\bNOT\b", rest)) or rest.lower().startswith("not ")
    strong = _STRONG.search(rest)
    if strong:
        return (strong.group(1) or strong.group(2)).strip(), negated
    code = _CODE.search(rest)
    if code:
        return code.group(1).strip(), negated
    text = re.sub(r"\bNOT\b\s*", "", rest) if negated else rest
    if text.lower().startswith("not "):
        text = text[4:]
    text = _TAIL.sub("", _LEADS.sub("", text.strip(" .:;,()\"'")))
    return text.strip(" .:;,()\"'") or rest.strip(" .:;,"), negated


def find_conditions(text: str, line: int, *, short_if: bool) -> list[Condition]:
    """Every condition stated in ``text`` (one comment item or one paragraph).

    ``short_if`` allows the terse comment form "If EKS" / "If NOT EKS"; prose starting with
    "If" is usually an explanation, not a rule, so callers enable it for comments only.
    """
    found: list[Condition] = []
    lowered = text.lower()
    if "if" not in lowered:  # every form below says "if"; most text does not
        return found
    compact = " ".join(text.split())
    for sentence in _SENTENCES.split(compact) if "." in compact or "!" in compact or "?" in compact else [compact]:
        sentence = sentence.lstrip("> ").strip()
        lowered = sentence.lower()
        if "if" not in lowered:
            continue
        match = _PROCEED.search(sentence) if "proceed" in lowered else None
        if match:
            rest = match.group("rest")
            code = _CODE.search(rest)
            expected = code.group(1) if code else rest.strip(" .\"'")
            found.append(Condition(ConditionKind.PROCEED_IF, sentence, expected, line=line))
            continue
        scope = "section" if "section" in lowered else "step"
        match = _SKIP.search(sentence) if "skip" in lowered else None
        if match:
            subject, negated = _subject(match.group("rest"))
            found.append(Condition(ConditionKind.SKIP_IF, sentence, subject, negated, line, scope))
            continue
        match = _ONLY.search(sentence) if "only" in lowered else None
        if match and _ACTION.search(sentence):
            subject, negated = _subject(match.group("rest"))
            found.append(Condition(ConditionKind.ONLY_IF, sentence, subject, negated, line, scope))
            continue
        if short_if and lowered.startswith("if "):
            match = _SHORT_IF.match(sentence)
            if match and len(match.group("rest").split()) <= 4:
                found.append(
                    Condition(
                        ConditionKind.ONLY_IF, sentence, match.group("rest").strip(), bool(match.group("neg")), line
                    )
                )
    return found
