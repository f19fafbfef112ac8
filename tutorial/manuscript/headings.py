"""Classify headings by what they mean in the adventure's conventions, whatever their case."""

from __future__ import annotations

import re
from functools import lru_cache

from tutorial.manuscript.model import SectionKind

_RULES: tuple[tuple[re.Pattern[str], SectionKind], ...] = (
    (
        re.compile(r"^(?:the\s+)?(?:setup|set up|prerequisites?|requirements|before you (?:start|begin))\b"),
        SectionKind.SETUP,
    ),
    (re.compile(r"^do(?:\s+it)?$"), SectionKind.DO),
    (
        re.compile(r"^(?:continue|start|begin|resume)\s+(?:the|your)\s+(?:adventure|chapter|story|journey)$"),
        SectionKind.CONTINUE,
    ),
    (re.compile(r"^(?:next|next steps?|next chapter|what'?s next|where to next)$"), SectionKind.CONTINUE),
    (re.compile(r"^(?:what\s+is|what's|make)\s+your\s+(?:choice|pick|decision)$"), SectionKind.CHOICE),
    (re.compile(r"^(?:choose|pick)\s+(?:your|the)\s+(?:path|way|next (?:step|chapter))$"), SectionKind.CHOICE),
    (re.compile(r"^(?:which|what)\b.*\bdid you\s+(?:choose|pick|use|select|go with)$"), SectionKind.ROUTE),
    (re.compile(r"^how\s+did\s+you\b.*$"), SectionKind.ROUTE),
    (re.compile(r"^choice\s+\d+\b\s*.+$"), SectionKind.OPTION),
    (re.compile(r"^(?:undo|revert|roll\s*back|clean\s*up|destroy|tear\s*down)\b.*$"), SectionKind.UNDO),
)
_QUESTION = re.compile(r"^(?:which|what)\b")
_TEARDOWN = re.compile(r"\b(?:destroy|destruction|tear\s*down|clean\s*up|cleanup|uninstall)\b")
_OPTION_NAME = re.compile(r"^\s*choice\s+\d+\s*[:.)\-–—]?\s*(?P<name>.+?)\s*$", re.I)
_PUNCTUATION = re.compile(r"[^\w\s'&+-]+")


def normalise(title: str) -> str:
    """Lower-case, without punctuation, emoji or doubled spaces: ``What Is Your Choice?`` → ``what is your choice``."""
    return " ".join(_PUNCTUATION.sub(" ", title).lower().split())


@lru_cache(maxsize=4096)
def classify(title: str) -> SectionKind:
    """The kind of section a heading opens."""
    text = normalise(title)
    for pattern, kind in _RULES:
        if pattern.match(text):
            return kind
    return SectionKind.OTHER


def option_name(title: str) -> str:
    """``Choice 2: Harbor`` → ``Harbor``."""
    match = _OPTION_NAME.match(title)
    return match.group("name") if match else title


@lru_cache(maxsize=4096)
def is_setup_heading(title: str) -> bool:
    """Headings that introduce prerequisites at any level ("### The Rest Of The Setup")."""
    return bool(re.search(r"\b(?:setup|set up|prerequisites?)\b", title, re.I))


def is_question(title: str) -> bool:
    """``Which cloud provider do you use?``: a question a list of ways on may answer.

    Only a question placed last on a page, followed by a list of page links, is a way on;
    the parser decides that, because ``### What is HTTPS?`` in the middle of a page is not one.
    """
    return title.rstrip().endswith("?") and bool(_QUESTION.match(normalise(title)))


def is_teardown(title: str) -> bool:
    """A page titled ``Destroy`` (or "... Destruction", "Teardown"): the end of the road on purpose."""
    return bool(_TEARDOWN.search(normalise(title)))
