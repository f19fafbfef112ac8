"""Values for placeholders: where they come from, and how they enter a command safely.

A value replaces ``[...]`` written for the place it sits in. ``$NAME`` and ``${NAME}`` in a
value refer to the session's variables (``$INGRESS_HOST.nip.io``) and expand when the line
runs; nothing else in a value does: ``x; touch pwned``, ``$(touch pwned)``, backticks and
globs are literal text. Literal parts are shell-quoted in a bare word, escaped inside double
quotes, spliced out of single quotes, escaped in a heredoc that expands.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterable, Mapping

from tutorial.manuscript.model import Placeholder, Step
from tutorial.manuscript.placeholders import locate
from tutorial.records import record

#: ``$NAME`` or ``${NAME}`` in a value; ``\$`` is a literal dollar sign.
_REFERENCE = re.compile(r"\\\$|\$(?:\{(?P<braced>[A-Za-z_]\w*)\}|(?P<bare>[A-Za-z_]\w*))")


class UnusableValue(ValueError):
    """A value cannot be used where the placeholder sits (a newline inside a heredoc)."""


class UnfilledPlaceholder(UnusableValue):
    """A ``[...]`` in the code to run has no value: the step must not run with it."""


@record(frozen=True)
class MissingValue:
    """A placeholder no source answers: what a headless run must be given (``--var``) before it starts."""

    name: str
    prompt: str
    secret: bool
    page: str
    line: int

    def describe(self) -> str:
        hint = f": {self.prompt}" if self.prompt else ""
        return f"{self.name} ({self.page}:{self.line}){hint}\n    pass --var {self.name}=VALUE"


def questions(steps: Iterable[Step]) -> list[Placeholder]:
    """Each variable asked for once, in the order the steps ask for them."""
    seen: dict[str, Placeholder] = {}
    for step in steps:
        for placeholder in step.placeholders:
            if placeholder.name not in seen or (not seen[placeholder.name].prompt and placeholder.prompt):
                seen[placeholder.name] = placeholder
    return list(seen.values())


def missing(
    steps: Iterable[Step], sources: Iterable[Mapping[str, str]], environment: Mapping[str, str] | None = None
) -> list[MissingValue]:
    """Placeholders of ``steps`` that no source gives a value for.

    ``environment`` counts only for a variable the block assigns (``export NAME=[...]``): a
    page's own question (``cat [...]``) is never answered by an environment variable.
    """
    stores = list(sources)
    result = []
    seen: set[str] = set()
    for step in steps:
        for placeholder in step.placeholders:
            if placeholder.name in seen or any(placeholder.name in store for store in stores):
                continue
            if environment is not None and placeholder.assigned and placeholder.name in environment:
                continue
            seen.add(placeholder.name)
            result.append(
                MissingValue(placeholder.name, placeholder.prompt, placeholder.secret, step.page, placeholder.line)
            )
    return result


_QUESTION_WORD = re.compile(r"[\w$]+(?:[.@/-][\w$]+)*")


def question(placeholder: Placeholder) -> str:
    """What a placeholder asks, in a form two askings can be compared by ("Your email" = "your email.")."""
    return " ".join(_QUESTION_WORD.findall(placeholder.prompt.lower()))


def asked_in_several_ways(steps: Iterable[Step]) -> dict[str, set[str]]:
    """The variables the manuscript asks for (``export NAME=[...]``) with different questions.

    ``DOMAIN`` asked in the development chapter ("... or `$INGRESS_HOST.nip.io`") and again in
    the production one ("... or `$INGRESS_IP.nip.io`") is not the same value: an answer to one
    is no answer to the other.
    """
    asked: dict[str, set[str]] = {}
    for step in steps:
        for placeholder in step.placeholders:
            if placeholder.assigned:
                asked.setdefault(placeholder.name, set()).add(question(placeholder))
    return {name: questions for name, questions in asked.items() if len(questions) > 1}


def lookup(name: str, sources: Iterable[Mapping[str, str]]) -> str | None:
    for store in sources:
        if name in store:
            return store[name]
    return None


def references(value: str) -> list[str]:
    """The variables ``value`` refers to (``$NAME``, ``${NAME}``), in order, each once."""
    names = [m.group("braced") or m.group("bare") for m in _REFERENCE.finditer(value)]
    return list(dict.fromkeys(n for n in names if n))


def quote_for(value: str, context: str) -> str:
    """``value`` written so the shell reads it back literally where the placeholder is."""
    if "\0" in value:
        raise UnusableValue("a value cannot contain a NUL byte")
    if context == '"':
        return "".join("\\" + ch if ch in '\\"$`' else ch for ch in value)
    if context == "'":
        return value.replace("'", "'\\''")
    if context in ("heredoc", "heredoc-literal"):
        if "\n" in value:
            raise UnusableValue("a value inside a heredoc cannot span lines")
        if context == "heredoc":
            return "".join("\\" + ch if ch in "\\$`" else ch for ch in value)
        return value
    return shlex.quote(value)


def written(value: str, context: str) -> str:
    """``value`` for where the placeholder is: ``$NAME``/``${NAME}`` expand there, the rest is literal.

    A reference becomes ``"${NAME}"`` (quoted, so the variable's value is not split or globbed);
    the text around it goes through ``quote_for``. ``\\$`` stands for a literal dollar sign.
    """
    pieces: list[str] = []
    literal: list[str] = []

    def flush() -> None:
        text = "".join(literal)
        literal.clear()
        if text:
            pieces.append(quote_for(text, context))

    at = 0
    for match in _REFERENCE.finditer(value):
        literal.append(value[at : match.start()])
        at = match.end()
        name = match.group("braced") or match.group("bare")
        if not name:  # \$
            literal.append("$")
            continue
        if context == "heredoc-literal":
            raise UnusableValue(f"${name} cannot expand inside a quoted heredoc (<<'EOF'): write its value instead")
        flush()
        pieces.append(reference(name, context))
    literal.append(value[at:])
    flush()
    return "".join(pieces) or quote_for("", context)


def reference(holder: str, context: str) -> str:
    """A reference to the variable ``holder``, written for where the placeholder sits."""
    if context == "'":
        return f"'\"${{{holder}}}\"'"  # leave the single quotes, expand, go back in
    if context == "heredoc-literal":
        raise UnusableValue("a secret cannot go inside a quoted heredoc (<<'EOF'): nothing expands there")
    if context in ('"', "heredoc"):
        return f"${{{holder}}}"
    return f'"${{{holder}}}"'


def fill(
    step: Step,
    values: Mapping[str, str],
    code: str | None = None,
    secrets: Mapping[str, str] | None = None,
    literal: Iterable[str] = (),
) -> str:
    """The step's code (or the reader's edited ``code``) with every placeholder replaced by its value.

    The code is read again to find its placeholders (see ``locate``): after an edit the value
    still goes where its ``[...]`` is, never into a comment. A ``[...]`` left without a value
    raises ``UnfilledPlaceholder``: it must never run.

    ``secrets`` maps the names of secret placeholders to the shell variables that hold their
    values: those placeholders become references, so a secret is never in the code (which is
    written to disk to run it). Values of the names in ``literal`` (from the environment or the
    session) are used as they are; other values may refer to variables (see ``written``).
    """
    secrets = secrets or {}
    as_is = set(literal)
    text = step.code if code is None else code
    if "[...]" not in text:  # most steps: nothing to find
        return text
    lines = text.splitlines()
    spots = locate(text, step.placeholders)
    for spot in sorted(spots, key=lambda s: (s.line, s.column), reverse=True):
        placeholder = spot.placeholder
        if placeholder is None:
            raise UnfilledPlaceholder(
                f"line {spot.line + 1} of the step has a `[...]` that is none of the step's placeholders: "
                "write the value in its place"
            )
        holder = secrets.get(placeholder.name)
        if holder is not None:
            value = reference(holder, spot.context)
        elif placeholder.name not in values:
            raise UnfilledPlaceholder(f"line {spot.line + 1} of the step: no value for {placeholder.name}")
        elif placeholder.name in as_is:
            value = quote_for(values[placeholder.name], spot.context)
        else:
            value = written(values[placeholder.name], spot.context)
        line = lines[spot.line]
        lines[spot.line] = line[: spot.column] + value + line[spot.column + len("[...]") :]
    return "\n".join(lines)
