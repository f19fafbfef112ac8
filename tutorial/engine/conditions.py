"""Decide whether a step applies, from the choices a reader made and what they told us.

Conditions are written for people ("only if you chose **KubeVela**", "If NOT EKS"). A
condition holds when its subject names an option the reader chose, a page they visited, or
something they said is true (``--assume EKS``, or the TUI's answer). Nothing is guessed: an
``only if`` whose subject is unknown does not hold, so its step is skipped with the reason,
and a reader can always run it anyway.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from tutorial.manuscript.model import Condition, ConditionKind, Step

_WORDS = re.compile(r"[a-z0-9]+(?:\.[a-z0-9]+)*")
_FILLER = frozenset({"the", "a", "an", "to", "use", "using", "you", "chose", "of", "or", "and", "with", "cluster"})


def words(text: str) -> frozenset[str]:
    return frozenset(w for w in _WORDS.findall(text.lower()) if w not in _FILLER)


@dataclass(frozen=True, slots=True)
class Decision:
    applies: bool
    reason: str = ""  # why the step is skipped
    condition: Condition | None = None


def holds(subject: str, facts: Iterable[str]) -> bool:
    """Whether a condition's subject names one of the facts (words of one inside the other)."""
    wanted = words(subject)
    if not wanted:
        return False
    for fact in facts:
        have = words(fact)
        if have and (have <= wanted or wanted <= have):
            return True
    return False


def decide(step: Step, facts: Iterable[str]) -> Decision:
    known = list(facts)
    for condition in step.conditions:
        if condition.kind is ConditionKind.PROCEED_IF:
            continue
        true = holds(condition.subject, known) != condition.negated
        if condition.kind is ConditionKind.ONLY_IF and not true:
            if condition.negated:
                return Decision(False, f"{condition.badge}: you said {condition.subject} applies", condition)
            return Decision(False, f"{condition.badge}: not chosen (assume {condition.subject!r} to run it)", condition)
        if condition.kind is ConditionKind.SKIP_IF and true:
            return Decision(False, f"{condition.badge}: it applies", condition)
    return Decision(True)
