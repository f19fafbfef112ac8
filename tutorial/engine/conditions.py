"""Decide whether a step applies, from the choices a reader made and what they told us.

Conditions are written for people ("only if you chose **KubeVela**", "If NOT EKS"). Each
subject is *known to hold* when it names an option the reader chose, a page they visited, or
something they said is true (``--assume EKS``, the app's "what holds for you" dialog); *known
not to hold* when they said so (``--assume 'not EKS'``, an unticked box) or chose another
option where it was offered; unknown otherwise.

Nothing is guessed toward running: an ``only if`` holds only when it is known to hold (every
subject for "X and Y", one for "X or Y", the opposite for "NOT X"), so a step whose condition
is unknown is skipped with the reason and how to run it; a reader can always run it anyway.
A ``skip if`` skips when it is known to hold, and when the engine cannot read it (the reason says
so, and the reader decides).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from tutorial.manuscript.model import Condition, ConditionKind, Step
from tutorial.records import record

_WORDS = re.compile(r"[a-z0-9]+(?:\.[a-z0-9]+)*")
_FILLER = frozenset({"the", "a", "an", "to", "use", "using", "you", "chose", "of", "or", "and", "with", "cluster"})
#: how the manuscript reader names a wish subject ("want to create a new key pair")
_WISH_PREFIX = "want to "
_NOT = re.compile(r"^\s*(?:not|no)\s+|^\s*!\s*", re.I)


def words(text: str) -> frozenset[str]:
    return frozenset(w for w in _WORDS.findall(text.lower()) if w not in _FILLER)


def split_assumptions(assumed: Iterable[str]) -> tuple[list[str], list[str]]:
    """``--assume`` values as (what holds, what does not): ``not EKS`` / ``!EKS`` say EKS does not."""
    holding: list[str] = []
    denied: list[str] = []
    for value in assumed:
        negation = _NOT.match(value)
        (denied if negation else holding).append(value[negation.end() :] if negation else value)
    return holding, denied


@record(frozen=True)
class Decision:
    """Whether a step applies to this reader, and if not why, with the subjects they could say hold."""

    applies: bool
    reason: str = ""  # why the step is skipped
    condition: Condition | None = None
    #: subjects the reader could say hold (or not) to change the decision, as they would type them
    assumable: tuple[str, ...] = ()


def holds(subject: str, facts: Iterable[str]) -> bool:
    """Whether a condition's subject names one of the facts (words of one inside the other).

    A wish ("want to use an existing public key and import to AWS") is the reader's to say:
    it holds only for a fact that says all of it, never for a word of it such as a chosen
    "AWS", while a name holds for a longer name that contains it ("EKS" for "AWS EKS").
    """
    wanted = words(subject)
    if not wanted:
        return False
    wish = subject.lower().startswith(_WISH_PREFIX)
    for fact in facts:
        have = words(fact)
        if have and (wanted <= have or (have <= wanted and not wish)):
            return True
    return False


def _covered(subject: str, facts: Iterable[str]) -> bool:
    """Whether one of the facts says all of ``subject`` (not only a shorter name inside it)."""
    wanted = words(subject)
    return bool(wanted) and any(wanted <= words(fact) for fact in facts)


def _known(subject: str, facts: list[str], denied: list[str], hints: list[str]) -> bool | None:
    if holds(subject, facts):
        # "GitOps with Carvel kapp-controller" for a reader who chose GitOps and passed Carvel
        # kapp-controller over: what they chose says part of it, what they passed over another part
        if not _covered(subject, facts) and holds(subject, denied):
            return None
        return True
    if holds(subject, denied):
        return False
    if holds(subject, hints):
        return True
    return None


def truth(
    condition: Condition, facts: Iterable[str], denied: Iterable[str] = (), hints: Iterable[str] = ()
) -> bool | None:
    """Whether a condition holds for this reader: True, False, or None when nobody said.

    ``hints`` (the titles of the pages read) hold only for what nothing denies: a page both
    roads lead to, titled "... With Argo Rollouts And Istio", says nothing against the
    reader who passed Argo Rollouts over.
    """
    if not condition.readable or not condition.subjects:
        return None
    have, lack, hinted = list(facts), list(denied), list(hints)
    values = [_known(s, have, lack, hinted) for s in condition.subjects]
    if condition.any_of:
        value = True if True in values else (False if all(v is False for v in values) else None)
    else:
        value = False if False in values else (True if all(v is True for v in values) else None)
    if value is None:
        return None
    return value != condition.negated


def _to_run(condition: Condition, facts: list[str], denied: list[str], hints: list[str]) -> tuple[str, ...]:
    """What a reader would say to make an ``only if`` hold: each subject not yet as it needs to be."""
    known = {subject: _known(subject, facts, denied, hints) for subject in condition.subjects}
    if condition.negated:
        return tuple(f"not {s}" for s, value in known.items() if value is not False)
    missing = [s for s, value in known.items() if value is not True]
    return tuple(missing[:1]) if condition.any_of else tuple(missing)


def decide(
    step: Step,
    facts: Iterable[str],
    denied: Iterable[str] = (),
    hints: Iterable[str] = (),
    said: tuple[Iterable[str], Iterable[str]] | None = None,
) -> Decision:
    """Whether ``step`` applies: ``facts`` and ``denied`` are what the reader said or chose,
    ``hints`` what the pages they read suggest (weaker: a denial outweighs them).

    ``said`` (what the reader said holds, and does not) alone decides a condition about what
    they did *already*: choosing Istio to install it now says nothing about an earlier install.
    """
    past = (list(said[0]), list(said[1])) if said is not None else None
    for condition in step.conditions:
        if condition.kind is ConditionKind.PROCEED_IF:
            continue
        if past is not None and condition.about_the_past:
            have, lack, hinted = past[0], past[1], []
        else:
            have, lack, hinted = list(facts), list(denied), list(hints)
        value = truth(condition, have, lack, hinted)
        if condition.kind is ConditionKind.SKIP_IF:
            if value is True and condition.edit:  # the text says how to change it: the reader does, then runs it
                reason = f"the manuscript says “{condition.quoted}”: edit the step that way, then run it"
                return Decision(False, reason, condition)
            if value is True:
                return Decision(False, f"{condition.badge}: it applies", condition)
            if not condition.readable:  # nobody knows whether to skip it: the reader decides, not a guess
                reason = (
                    f"the manuscript says “{condition.quoted}”, which the engine cannot read; "
                    "run it if that does not apply to you"
                )
                return Decision(False, reason, condition)
            continue
        if value is True:
            continue
        if not condition.readable:
            reason = f"the manuscript says “{condition.quoted}”, which the engine cannot read; run it if it applies"
            return Decision(False, reason, condition)
        if value is False:
            reason = f"{condition.badge}: it does not apply to you"
            return Decision(False, reason, condition, _to_run(condition, have, lack, hinted))
        wanted = _to_run(condition, have, lack, hinted)
        spelled = " and ".join(repr(s) for s in wanted)
        return Decision(False, f"{condition.badge}: not known (assume {spelled} to run it)", condition, wanted)
    return Decision(True)


@record(frozen=True)
class PageVerdict:
    """Whether a page's own rules ("If you chose Foo, this chapter is not supported") leave this reader out."""

    #: True: a rule says the page is not for them; None: a rule nobody can decide yet; False: none does
    not_for_you: bool | None = False
    rule: Condition | None = None  # the rule that decided it (the first unknown one when None)

    @property
    def reason(self) -> str:
        """Why the page's steps are left out, or what nobody said yet ("" when the page is for the reader)."""
        if self.rule is None:
            return ""
        if self.not_for_you:
            return f"the page says “{self.rule.quoted}” ({self.rule.badge}: it applies to you)"
        if not self.rule.readable:
            return f"the page says “{self.rule.quoted}”, which the engine cannot read: see whether it applies to you"
        joiner = " or " if self.rule.any_of else " and "
        spelled = joiner.join(repr(s) for s in self.rule.subjects)
        return f"the page says “{self.rule.quoted}”; nobody said whether {spelled} holds for you (--assume says it)"


def page_verdict(rules: Iterable[Condition], facts: Iterable[str], denied: Iterable[str] = ()) -> PageVerdict:
    """Whether a page is for this reader, by its page-level rules and what they said or chose.

    A "skip if" that holds, or an "only if" known not to, leaves the reader out; a rule nobody
    can decide is reported, never guessed either way.
    """
    have, lack = list(facts), list(denied)
    unknown: Condition | None = None
    for rule in rules:
        if rule.kind is ConditionKind.PROCEED_IF:
            continue
        value = truth(rule, have, lack)
        if value is None:
            unknown = unknown or rule
        elif value is (rule.kind is ConditionKind.SKIP_IF):
            return PageVerdict(True, rule)
    return PageVerdict(None, unknown) if unknown is not None else PageVerdict()
