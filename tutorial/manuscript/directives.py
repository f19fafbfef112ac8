"""Read what a manuscript declares for the runner without changing how GitHub renders it.

Two forms, both invisible or harmless on GitHub:

* an HTML comment right after a code block::

      <!-- check: docker image inspect cncf-demo:$TAG
           expect: cncf-demo -->

* attributes after the language in the fence's info string::

      ```bash check="docker image inspect cncf-demo:$TAG" expect="cncf-demo"

Keys: ``check`` (a command that must exit 0 after the step), ``expect`` (a regular
expression its output must match), ``description`` (what the check proves), and
``secret`` (variable names that must never be written to disk, comma separated).
A comment whose first key is not one of these is an ordinary comment and is ignored.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import field

from tutorial.manuscript.expect import PatternError, compile_expect
from tutorial.manuscript.model import Check
from tutorial.records import record

KEYS = frozenset({"check", "expect", "description", "secret"})
_KEY_LINE = re.compile(r"^\s*(?P<key>[a-z]+)\s*:\s?(?P<value>.*)$")


@record
class Directives:
    checks: list[Check] = field(default_factory=list)
    secrets: list[str] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line, message)

    def add(self, key: str, value: str, line: int) -> None:
        value = value.strip()
        if key == "check":
            self.checks.append(Check(value, line=line))
        elif key == "secret":
            self.secrets.extend(name.strip() for name in re.split(r"[,\s]+", value) if name.strip())
        elif not self.checks:
            self.errors.append((line, f"'{key}:' must follow a 'check:'"))
        else:
            last = self.checks[-1]
            if key == "expect":
                try:
                    compile_expect(value)
                except PatternError as error:
                    self.errors.append((line, f"'expect: {value}' is not a valid regular expression: {error}"))
                    return
                self.checks[-1] = Check(last.command, value, last.line, last.description)
            elif key == "description":
                self.checks[-1] = Check(last.command, last.expect, last.line, value)


def from_comment(html: str, line: int) -> Directives | None:
    """Directives in an HTML comment block, or None when it is an ordinary comment."""
    text = html.strip()
    if not (text.startswith("<!--") and text.endswith("-->")):
        return None
    body = text[4:-3].strip("\n")
    lines = body.splitlines()
    first = _KEY_LINE.match(lines[0]) if lines else None
    if first is None or first.group("key") not in KEYS:
        return None
    found = Directives()
    key, value, start = "", "", line
    for offset, raw in enumerate(lines):
        match = _KEY_LINE.match(raw)
        if match and match.group("key") in KEYS:
            if key:
                found.add(key, value, start)
            key, value, start = match.group("key"), match.group("value"), line + offset
        else:  # a continuation of the previous value (a multi-line command)
            value = f"{value}\n{raw.strip()}" if value else raw.strip()
    if key:
        found.add(key, value, start)
    return found


def from_info(info: str, line: int) -> Directives:
    """Directives in a fence's info string after the language: ``bash check="..." expect="..."``."""
    found = Directives()
    rest = info.split(None, 1)[1] if len(info.split(None, 1)) > 1 else ""
    rest = rest.strip().removeprefix("{").removesuffix("}")
    if "=" not in rest:
        return found
    try:
        words = shlex.split(rest)
    except ValueError as error:
        found.errors.append((line, f"cannot read the fence's attributes: {error}"))
        return found
    for word in words:
        key, sep, value = word.partition("=")
        if sep and key in KEYS:
            found.add(key, value, line)
    return found
