"""Recognise the sentences with which a manuscript says when a step applies.

Authors write these freely, in comments ("# If NOT EKS", "# Skip this step if you chose to
use `nip.io`") and in prose ("> Execute the command that follows only if you chose
**KubeVela**."). The parser hands us the text of one comment item or one paragraph as a
reader sees it (:class:`Marked`: the words, and where markdown-it found emphasis and code
spans), and we read it sentence by sentence.

A sentence is *condition-like* when it tells the reader to execute, follow or skip something
"only if" / "if" something holds. Each one becomes a :class:`Condition`: readable when its
subjects can be named (an emphasised or code span, or a short name such as "Argo CD" or
"Google Cloud GKE"), unreadable otherwise, so lint reports it and the engine never guesses.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from functools import cache
from typing import TYPE_CHECKING

from tutorial.manuscript.model import Condition, ConditionKind, Manuscript
from tutorial.records import record

if TYPE_CHECKING:  # the parser is loaded when a sentence is read: the engine's users need not load it
    from markdown_it import MarkdownIt
    from markdown_it.token import Token


@record(frozen=True)
class Marked:
    """Text as a reader sees it, and where its emphasised and code spans are (offsets)."""

    text: str
    spans: tuple[tuple[int, int], ...] = ()
    #: the code spans (start, end, their delimiter as written: "`" or "``"), to quote the text as written
    code: tuple[tuple[int, int, str], ...] = ()

    def written(self, start: int, end: int) -> str:
        """``text[start:end]`` with its code spans in their delimiters: "replace `https` with `http`"."""
        parts: list[str] = []
        at = start
        for first, last, markup in self.code:
            if first < start or last > end:
                continue  # (a span the slice cuts is quoted as it reads)
            parts += [self.text[at:first], markup, self.text[first:last], markup]
            at = last
        parts.append(self.text[at:end])
        return "".join(parts)


_SPAN_OPEN = frozenset({"strong_open", "em_open"})
_SPAN_CLOSE = frozenset({"strong_close", "em_close"})


def marked(children: Sequence[Token]) -> Marked:
    """The text of markdown-it inline children, with its ``strong``/``em``/``code_inline`` spans."""
    parts: list[str] = []
    spans: list[tuple[int, int]] = []
    code: list[tuple[int, int, str]] = []
    opened: list[int] = []
    size = 0
    for child in children:
        kind = child.type
        piece = ""
        if kind == "text" or kind == "image":
            piece = child.content
        elif kind == "code_inline":
            spans.append((size, size + len(child.content)))
            code.append((size, size + len(child.content), child.markup or "`"))
            piece = child.content
        elif kind == "softbreak" or kind == "hardbreak":
            piece = " "
        elif kind in _SPAN_OPEN:
            opened.append(size)
        elif kind in _SPAN_CLOSE and opened:
            start = opened.pop()
            if not opened:  # the outermost span: **`nip.io`** is one subject
                spans[:] = [s for s in spans if s[0] < start]
                spans.append((start, size))
        parts.append(piece)
        size += len(piece)
    return Marked("".join(parts), tuple(spans), tuple(code))


@cache
def _inline_parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark")


def marked_comment(text: str) -> Marked:
    """A shell comment's text read as inline Markdown (authors write `code` and **names** there too)."""
    if "`" not in text and "*" not in text and "_" not in text:
        return Marked(text)
    tokens = _inline_parser().parseInline(text)
    return marked(tokens[0].children or ()) if tokens else Marked(text)


# -- the grammar ---------------------------------------------------------------------------------

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z(*`>\"'])")
_PROCEED = re.compile(r"\bproceed\b.*?\bonly if\b.*?\b(?:output|result|it)\b.*?\bcontains?\b\s*", re.I)
#: "Repeat the `export` commands if the output is empty": what ran before must print something
_REPEAT_IF_EMPTY = re.compile(r"^repeat\b.*?\bif\s+(?:the\s+)?(?:output|result)\s+is\s+empty\b", re.I)
_ONLY = re.compile(r"\bonly\s+if\s+", re.I)
#: the imperative that makes "only if" a rule for the reader, not a description of a tool
_ORDER = re.compile(
    r"^(?:please\s+)?(?:execute|run|follow|go\s+through|apply|perform|use|continue|do\s+this|only\s+if)\b", re.I
)
_OBJECT = re.compile(r"\b(?:command|commands|step|steps|section|block|script|document|chapter)\b", re.I)
_SKIP = re.compile(r"^(?:please\s+|you\s+(?:can|may|should|could)\s+)?skip\b(?P<what>.*?)\bif\s+", re.I)
_SKIP_ASIDE = re.compile(r"\(\s*skip\b(?P<what>[^()]*?)\bif\s+(?P<rest>[^()]*)\)", re.I)
_IF_THEN = re.compile(
    r"^if\s+(?P<rest>[^,]+),\s*(?:then\s+)?(?:you\s+(?:can|may|should|could)\s+|please\s+)?"
    r"(?P<verb>skip|run|execute|follow|replace|change|modify|edit)\b(?P<what>.*)$",
    re.I,
)
#: "If you chose `nip.io`, replace `https` with `http`": the command as written is not for that reader
_EDIT_VERBS = frozenset({"replace", "change", "modify", "edit"})
#: "# Change `https` to `http` if you chose to use `nip.io`": the same, the order first
_EDIT_IF = re.compile(r"^(?:replace|change|modify|edit)\b(?P<what>.*?)\bif\s+", re.I)
#: "If you chose Foo, this chapter is not supported yet; go back and choose another": the page is not
#: for that reader (its main clause sends them away: back, or to another choice)
_IF_NOT_FOR_YOU = re.compile(r"^if\s+(?P<rest>[^,]+),\s*(?P<what>.+)$", re.I)
_NOT_SUPPORTED = re.compile(r"\bnot\s+(?:yet\s+)?supported\b", re.I)
_SENT_AWAY = re.compile(
    r"\b(?:go\s+back|return\s+to|(?:choose|pick|select)\s+(?:a\s+different|another|something\s+else))\b", re.I
)
#: what a page holds, less than the page: "If you chose Foo, this command is not supported; go back ..."
_PART_OF_PAGE = re.compile(r"\b(?:commands?|steps?|blocks?|snippets?|code|lines?|sections?|scripts?)\b", re.I)
#: "If you want, change the name", "Replace the value with yours if you like": an edit left to taste,
#: the command as written is as good as any
_TASTE = re.compile(r"^you(?:\s+(?:want|wish|like|prefer|would\s+like)|'d\s+like)(?:\s+to)?\W*$", re.I)
#: "If you want a new key pair run:" (a comment introducing the command below it)
_IF_RUN = re.compile(r"^if\s+(?P<rest>.+?)\s+(?:run|execute)(?P<what>\s+(?:this|the\s+\w+))?\s*:$", re.I)
#: "To use an existing public key and import to AWS run" (a comment offering an alternative: the
#: command below it is for the reader who wants that, not for everyone)
_TO_RUN = re.compile(r"^to\s+(?P<rest>\w+\s.+?),?\s+(?:run|execute)\s*:?$", re.I)
_OFFER_WORDS = 10
#: the words that make an order conditional when no stricter form matched ("Run this if ...")
_CONDITIONAL = re.compile(r"\b(?:(?P<only>if|only\s+when|in\s+case)|unless)\b\s*", re.I)
_SHORT_IF = re.compile(r"^if\s+(?P<rest>[^,;:?!]+?)\.?$", re.I)
_SHORT_WORDS = 4

_NEGATION = r"(?P<neg>(?:not|never)\s+|n't\s+)?"
_LEAD = re.compile(
    r"^(?:that\s+)?(?:(?:you|we)(?:'re|'ve|\s+are|\s+have|\s+did|\s+do|\s+were|\s+will)?\s*)?"
    + _NEGATION
    + r"(?:already\s+)?"
    r"(?:(?:chose|chosen|picked|selected|decided|planning|planned|plan|going|want(?:ed)?|used|using|"
    r"install(?:ed)?|creat(?:ed)?|deploy(?:ed)?|run(?:ning)?|work(?:ing)?)\s+)?"
    r"(?:(?:to\s+)?(?:use|go\s+with|choose|pick|install|run|create|deploy)\s+|to\s+do\s+)?",
    re.I,
)
_PASSIVE = re.compile(
    r"^(?:the\s+)?[\w-]+\s+(?:was|were|is|are|has\s+been|have\s+been)\s+" + _NEGATION + r"(?:already\s+)?"
    r"(?:created|made|installed|deployed|set\s+up|provisioned)\s+(?:with|using|by|on|in)\s+",
    re.I,
)
#: "if you want to remove what this chapter created": the reader's wish is the subject
_WISH = re.compile(
    r"^(?:you\s+)?(?P<neg>do\s+not\s+|don't\s+)?(?:want|wish|need|would\s+like|prefer)\s+to\s+(?P<what>.+)$", re.I
)
_WISH_WORDS = 8
_ARTICLE = re.compile(r"^(?:the|an?)\s+", re.I)
_TAIL = re.compile(
    r"\s*(?:\(|;|:|\s(?:instead\s+of|rather\s+than|as\s+your|as\s+the|in\s+one\s+of|from\s+one\s+of|"
    r"from\s+the\s+previous|in\s+the\s+previous|during|earlier|before|previously)\b).*$",
    re.I,
)
_JOINERS = re.compile(r"\s*,\s*(?:and\s+|or\s+)?|\s+and\s+|\s+or\s+", re.I)
#: lowercase words a name may hold ("Crossplane with Google", "inside the Shell")
_NAME_GLUE = frozenset({"the", "with", "and", "or", "on", "in", "inside", "a", "an", "of"})
_NAME_WORDS = 4


@record(frozen=True)
class _Clause:
    """The "if ..." part of a sentence, as an offset range into the marked text."""

    start: int
    end: int


def _sentences(text: str) -> list[tuple[int, int]]:
    bounds: list[tuple[int, int]] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        bounds.append((start, match.start()))
        start = match.end()
    bounds.append((start, len(text)))
    return bounds


def sentences(text: str) -> list[str]:
    """The sentences of a paragraph, split where a reader would ("e.g. this" stays whole).

    The one rule for every reader of prose (conditions, "run it in another terminal").
    """
    return [text[start:end] for start, end in _sentences(text)]


def _is_name(phrase: str) -> bool:
    """Whether a phrase names a thing ("Argo CD", "AWS EKS", "nip.io"), not an action or a state."""
    words = phrase.split()
    if not 0 < len(words) <= _NAME_WORDS:
        return False
    named = False
    for word in words:
        word = word.strip("\"'")
        if not word:
            return False
        if word[0].isupper() or word[0].isdigit() or "." in word.strip(".") or "-" in word.strip("-"):
            named = True
        elif word.lower() not in _NAME_GLUE:
            return False
    return named


@record(frozen=True)
class _Subjects:
    """The subjects a clause of a condition names, and how they combine (negated, any of them)."""

    names: tuple[str, ...]
    negated: bool
    any_of: bool
    readable: bool


def _subjects(marked: Marked, clause: _Clause) -> _Subjects:
    """The names an if-clause depends on, and whether the clause is negated ("you're NOT ...").

    The negation counts only where it governs the clause (before the subject), so "only if you
    created it and did not ..." is not read as a negation of "it".
    """
    text = marked.text[clause.start : clause.end]
    offset = clause.start
    head = _PASSIVE.match(text) or _LEAD.match(text)
    negated = bool(head and head.group("neg"))
    if head:
        text, offset = text[head.end() :], offset + head.end()
    article = _ARTICLE.match(text)
    if article:
        text, offset = text[article.end() :], offset + article.end()
    tail = _TAIL.search(text)
    if tail:
        text = text[: tail.start()]
    text = text.rstrip(" .!?\"'")
    end = offset + len(text)
    spans = [(a, b) for a, b in marked.spans if a >= offset and b <= end]
    if spans:
        rest = text
        for a, b in reversed(spans):
            rest = rest[: a - offset] + " , " + rest[b - offset :]
        leftover = [w for w in _JOINERS.split(rest) if w.strip(" ,.\"'")]
        names = tuple(marked.text[a:b].strip() for a, b in spans)
        return _Subjects(names, negated, bool(re.search(r"\bor\b", rest, re.I)), not leftover and all(names))
    phrases = [p.strip(" .\"'") for p in _JOINERS.split(text)]
    phrases = [_ARTICLE.sub("", p) for p in phrases if p]
    readable = bool(phrases) and all(_is_name(p) for p in phrases)
    if not readable:
        return _wish(marked.text[clause.start : clause.end]) or _Subjects(tuple(phrases), negated, False, False)
    return _Subjects(tuple(phrases), negated, bool(re.search(r"\bor\b", text, re.I)), readable)


def _wish(clause: str) -> _Subjects | None:
    """ "you want to create a new key pair": a subject only the reader can answer, kept whole."""
    wish = _WISH.match(clause.strip())
    if not wish:
        return None
    what = wish.group("what")
    tail = _TAIL.search(what)
    what = (what[: tail.start()] if tail else what).strip(" .!?\"'")
    if not what or len(what.split()) > _WISH_WORDS:
        return None
    return _Subjects((f"want to {what}",), bool(wish.group("neg")), False, True)


def _scope(main: str) -> str:
    """What a rule governs, from the words of its main clause (never from its if-clause)."""
    lowered = main.lower()
    if "chapter" in lowered or "document" in lowered or "page" in lowered:
        return "page"
    if "section" in lowered:
        return "section"
    return "step"


def _condition(
    kind: ConditionKind, marked: Marked, sentence: tuple[int, int], clause: _Clause, main: str, line: int
) -> Condition:
    found = _subjects(marked, clause)
    text = marked.text[sentence[0] : sentence[1]].strip()
    return Condition(
        kind,
        text,
        found.names if found.readable else (),
        found.negated,
        line,
        _scope(main),
        found.any_of,
        found.readable,
        written=marked.written(*sentence).strip(),
    )


def _read_sentence(
    marked: Marked, start: int, end: int, line: int, *, comment: bool, code: str | None
) -> Condition | None:
    sentence = marked.text[start:end]
    lowered = sentence.lower()
    lead = len(sentence) - len(sentence.lstrip("#> *_"))
    body = sentence[lead:]
    opening = body[:3].lower()
    at = start + lead
    if comment and opening == "to ":
        offered = _TO_RUN.match(body.rstrip())
        what = offered.group("rest").strip(" .,") if offered else ""
        if what and len(what.split()) <= _OFFER_WORDS:
            return Condition(ConditionKind.ONLY_IF, body.strip(), (f"want to {what}",), line=line)
    if "if" not in lowered:
        return _conditional_order(marked, body, at, end, line)
    proceed = _PROCEED.search(body) if "proceed" in lowered else None
    if proceed:
        rest_at = at + proceed.end()
        spans = [(a, b) for a, b in marked.spans if a >= rest_at and b <= end]
        expected = marked.text[spans[0][0] : spans[0][1]] if spans else body[proceed.end() :].strip(" .\"'")
        return Condition(ConditionKind.PROCEED_IF, body.strip(), (expected,), line=line)
    if comment and _REPEAT_IF_EMPTY.match(body):
        # an empty output means "go back": the commands after it must not run with nothing
        return Condition(ConditionKind.PROCEED_IF, body.strip(), (), line=line)
    only = _ONLY.search(body) if "only" in lowered else None
    if only and (_ORDER.match(body) or _OBJECT.search(body[: only.start()])):
        main = body[: only.start()]
        return _condition(ConditionKind.ONLY_IF, marked, (at, end), _Clause(at + only.end(), end), main, line)
    if "skip" in lowered:
        skip = _SKIP.match(body)
        if skip:
            return _condition(
                ConditionKind.SKIP_IF, marked, (at, end), _Clause(at + skip.end(), end), skip.group("what"), line
            )
        aside = _SKIP_ASIDE.search(body)
        if aside:
            # "Configure DNS ... (skip this step if ...)": the aside governs the sentence it is in
            clause = _Clause(at + aside.start("rest"), at + aside.end("rest"))
            found = _condition(ConditionKind.SKIP_IF, marked, (at, end), clause, aside.group("what"), line)
            return found if comment else replace(found, scope="text")
    order = _EDIT_IF.match(body) if comment else None
    if order and "[...]" not in order.group("what") and not _TASTE.match(body[order.end() :].strip()):
        clause = _Clause(at + order.end(), end)
        if _names_text(marked, at + order.start("what"), at + order.end("what"), code):
            found = _condition(ConditionKind.SKIP_IF, marked, (at, end), clause, order.group("what"), line)
            return replace(found, edit=True)
        # "# Change the kubectl context if you chose **EKS**": what the command below does, for that reader
        does = _condition(ConditionKind.ONLY_IF, marked, (at, end), clause, order.group("what"), line)
        if does.readable:
            return does
    if opening == "if ":
        then = _IF_THEN.match(body) or _IF_RUN.match(body.rstrip())
        if then:
            verb = (then.groupdict().get("verb") or "run").lower()
            edit = verb in _EDIT_VERBS
            if edit and "[...]" in then.group("what"):
                return None  # "If you have no domain, replace `[...]` with ...": how to answer a placeholder
            if edit and _TASTE.match(then.group("rest").strip()):
                return None
            if edit and not _names_text(marked, at + then.start("what"), at + then.end("what"), code):
                # "If you chose **EKS**, change the kubectl context": the command below does that, for that reader
                clause = _Clause(at + then.start("rest"), at + then.end("rest"))
                does = _condition(ConditionKind.ONLY_IF, marked, (at, end), clause, then.group("what"), line)
                if does.readable:
                    return does
                then = None  # "If you are not there, change to the project directory": nobody can tell
        if then:
            kind = ConditionKind.SKIP_IF if verb == "skip" or edit else ConditionKind.ONLY_IF
            clause = _Clause(at + then.start("rest"), at + then.end("rest"))
            found = _condition(kind, marked, (at, end), clause, then.group("what") or "", line)
            return replace(found, edit=True) if edit else found
    if opening == "if ":
        away = _not_for_you(marked, body, at, end, line)
        if away is not None:
            return away
    if comment and opening == "if ":
        short = _SHORT_IF.match(body)
        if short and len(short.group("rest").split()) <= _SHORT_WORDS:
            clause = _Clause(at + 3, at + short.end("rest"))
            return _condition(ConditionKind.ONLY_IF, marked, (at, end), clause, "", line)
    return _conditional_order(marked, body, at, end, line)


def _not_for_you(marked: Marked, body: str, at: int, end: int, line: int) -> Condition | None:
    """ "If you chose Foo, this chapter is not supported yet; go back and choose another".

    A page-level "skip if": the main clause says the page does not support that choice and
    sends the reader back (or to another choice). It governs none of the page's steps; the
    option that leads here carries it, and a run for that reader leaves the page out.
    """
    found = _IF_NOT_FOR_YOU.match(body)
    if not found:
        return None
    what = found.group("what")
    unsupported = _NOT_SUPPORTED.search(what)
    if not (unsupported and (_SENT_AWAY.search(what) or _scope(what) == "page")):
        return None
    # what is not supported, in its own clause: "this command" is no chapter ("go back to the step" is elsewhere)
    said_of = re.split(r"[;:,(]|\band\b|\bbut\b", what[: unsupported.start()])[-1]
    if _scope(said_of) != "page" and _PART_OF_PAGE.search(said_of):
        return None
    clause = _Clause(at + found.start("rest"), at + found.end("rest"))
    return replace(_condition(ConditionKind.SKIP_IF, marked, (at, end), clause, what, line), scope="page")


def _conditional_order(marked: Marked, body: str, at: int, end: int, line: int) -> Condition | None:
    """ "Execute the command that follows if you chose **Flux**": an order with a condition in a looser form.

    Read like "only if" when the condition is an "if" ("in case", "only when"); an "unless"
    is kept unreadable. Either way the step never runs as if the sentence were not there.
    """
    if not _ORDER.match(body):
        return None
    found = _CONDITIONAL.search(body)
    if not found:
        return None
    main = body[: found.start()]
    if not _OBJECT.search(main) and len(main.split()) > 2:  # "Use `kubectl` if you prefer": advice, not a rule
        return None
    if found.group("only"):
        return _condition(ConditionKind.ONLY_IF, marked, (at, end), _Clause(at + found.end(), end), main, line)
    return Condition(ConditionKind.ONLY_IF, body.strip(), line=line, scope=_scope(main), readable=False)


def _names_text(marked: Marked, start: int, end: int, code: str | None) -> bool:
    """Whether an order to change something names the text to change.

    In a code or emphasised span (`https`), or, unmarked, as "https with http" (what to write
    instead) where that text is in the command the comment is about (``code``), or as "the
    region to us-east-1" where what to write is not in it yet: the command as written is not
    the one to run. "Change the kubectl context to eks if you chose EKS" names no text of
    `kubectl config use-context eks`, which already holds "eks": it says what that command does.
    """
    if any(a >= start and b <= end for a, b in marked.spans):
        return True
    swap = _SWAP.match(marked.text[start:end].strip(" .,;:")) if code else None
    if swap is None or code is None:
        return False
    if swap.group("old") in code:
        return True
    new = swap.group("new")
    return new.lower() not in code.lower() and not _LIKING.match(new)


#: "https with http", "the region to us-east-1": the text to change, then what to write instead
#: (a few words each; "to the project directory" names no text, only where a command goes)
#: "Modify the file to your liking": what the command below lets the reader do (an editor), no text to write
_LIKING = re.compile(r"^your\s+(?:liking|taste|needs)$", re.I)
_SWAP = re.compile(r"^(?!to\s)(?P<old>\S+(?:\s+\S+){0,2})\s+(?:with|to|by)\s+(?P<new>\S+(?:\s+\S+){0,2})$", re.I)


_SKIPPED_COMMAND = re.compile(
    r"^(?:please\s+|you\s+(?:can|may|should|could)\s+)?skip\s+(?:executing|running)\s+(?P<what>.+?)\s+if\s", re.I
)


def skipped_command(condition: Condition) -> str:
    """The command a "skip" names ("Please skip executing `devbox shell` if ...": ``devbox shell``), or "".

    Such a sentence leaves out that command, not the block it opens: the lines after it still run.
    """
    if condition.kind is not ConditionKind.SKIP_IF or condition.scope != "step":
        return ""
    found = _SKIPPED_COMMAND.match(condition.text.lstrip("#> *_"))
    return " ".join(found.group("what").split()) if found else ""


#: "Execute `istio.sh` script only if you did NOT already install Istio": one script of the block
_EXECUTED_SCRIPT = re.compile(
    r"^(?:please\s+)?(?:execute|run)\s+(?:the\s+)?(?P<what>[\w./-]*[./][\w./-]*)\s+(?:script\s+)?only\s+if\s", re.I
)


def executed_script(condition: Condition) -> str:
    """The script an "only if" names ("Execute `istio.sh` script only if ...": ``istio.sh``), or "".

    Such a sentence is about running that script: the block's lines that prepare and run it
    (`chmod +x …/istio.sh`, `./…/istio.sh`) are its, the ones after them are everyone's
    (`source .env`, reading what the script, or an earlier install, wrote).
    """
    if condition.kind is not ConditionKind.ONLY_IF or condition.scope != "step":
        return ""
    found = _EXECUTED_SCRIPT.match(condition.text.lstrip("#> *_"))
    return found.group("what") if found else ""


def may_state(lowered: str, *, comment: bool) -> bool:
    """Whether lower-cased text may state a condition: the one cheap test before reading it.

    Every reader of prose and blocks asks this (and no other) so that a block without "if"
    still has its "# To use an existing key run" read.
    """
    if "if" in lowered or "unless" in lowered or " when" in lowered or "in case" in lowered:
        return True
    return comment and " run" in lowered  # most text says neither


def find_conditions(marked: Marked, line: int, *, comment: bool, code: str | None = None) -> list[Condition]:
    """Every condition stated in one comment item or one paragraph.

    ``comment`` allows the terse form "If EKS" / "If NOT EKS" and the offer "To use an existing
    key run": prose starting with "If" or "To" is usually an explanation, not a rule, so they are
    read that way in shell comments only. ``code``, the command a comment is about, lets an
    order to edit it name the text to change without marking it ("replace https with http").
    """
    if not may_state(marked.text.lower(), comment=comment):
        return []
    found = []
    for start, end in _sentences(marked.text):
        condition = _read_sentence(marked, start, end, line, comment=comment, code=code)
        if condition is not None:
            found.append(condition)
    return found


def subjects(conditions: Iterable[Condition]) -> list[str]:
    """The subjects a reader can say hold or not, sorted, each once whatever its case."""
    chosen: dict[str, str] = {}
    for condition in conditions:
        if condition.kind is ConditionKind.PROCEED_IF or not condition.readable:
            continue
        for name in condition.subjects:
            chosen.setdefault(name.casefold(), name)
    return [chosen[key] for key in sorted(chosen)]


def manuscript_subjects(manuscript: Manuscript) -> list[str]:
    """Every subject the manuscript's conditions mention: what the "what holds for you" dialog lists.

    A page's own rules count ("If you chose Foo, this chapter is not supported"): a reader told
    that nobody said whether Foo holds answers it there.
    """
    pages = manuscript.pages.values()
    return subjects(
        [*(c for page in pages for c in page.rules), *(c for p in pages for s in p.steps for c in s.conditions)]
    )
