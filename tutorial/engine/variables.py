"""Values for placeholders: where they come from, and how they enter a command safely.

A value replaces ``[...]`` quoted for the place it sits in, so ``x; touch pwned`` is the
literal value and never runs: shell-quoted in a bare word, escaped inside double quotes,
spliced out of single quotes, escaped in a heredoc that expands.
"""

from __future__ import annotations

import shlex
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from tutorial.manuscript.model import Placeholder, Step


class UnusableValue(ValueError):
    """A value cannot be used where the placeholder sits (a newline inside a heredoc)."""


@dataclass(frozen=True, slots=True)
class MissingValue:
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


def missing(steps: Iterable[Step], sources: Iterable[Mapping[str, str]]) -> list[MissingValue]:
    """Placeholders of ``steps`` that no source gives a value for."""
    stores = list(sources)
    result = []
    seen: set[str] = set()
    for step in steps:
        for placeholder in step.placeholders:
            if placeholder.name in seen or any(placeholder.name in store for store in stores):
                continue
            seen.add(placeholder.name)
            result.append(
                MissingValue(placeholder.name, placeholder.prompt, placeholder.secret, step.page, placeholder.line)
            )
    return result


def lookup(name: str, sources: Iterable[Mapping[str, str]]) -> str | None:
    for store in sources:
        if name in store:
            return store[name]
    return None


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


def reference(holder: str, context: str) -> str:
    """A reference to the variable holding a secret, written for where the placeholder sits."""
    if context == "'":
        return f"'\"${{{holder}}}\"'"  # leave the single quotes, expand, go back in
    if context == "heredoc-literal":
        raise UnusableValue("a secret cannot go inside a quoted heredoc (<<'EOF'): nothing expands there")
    if context in ('"', "heredoc"):
        return f"${{{holder}}}"
    return f'"${{{holder}}}"'


def fill(
    step: Step, values: Mapping[str, str], code: str | None = None, secrets: Mapping[str, str] | None = None
) -> str:
    """The step's code with every placeholder replaced by its quoted value.

    ``secrets`` maps the names of secret placeholders to the shell variables that hold their
    values: those placeholders become references, so a secret is never in the code (which
    is written to disk to run it). ``code`` is an edited version of the step; edits that moved
    a placeholder make it fall back to the last ``[...]`` on the same line.
    """
    secrets = secrets or {}
    lines = (step.code if code is None else code).splitlines()
    by_line: dict[int, list[Placeholder]] = {}
    for placeholder in step.placeholders:
        by_line.setdefault(placeholder.line - step.line, []).append(placeholder)
    for offset, found in by_line.items():
        if not 0 <= offset < len(lines):
            continue
        text = lines[offset]
        for placeholder in sorted(found, key=lambda p: p.column, reverse=True):
            column = placeholder.column
            if text[column : column + 5] != "[...]":
                column = text.rfind("[...]")
                if column < 0:
                    continue
            holder = secrets.get(placeholder.name)
            if holder is not None:
                value = reference(holder, placeholder.context)
            else:
                value = quote_for(values[placeholder.name], placeholder.context)
            text = text[:column] + value + text[column + 5 :]
        lines[offset] = text
    return "\n".join(lines)
