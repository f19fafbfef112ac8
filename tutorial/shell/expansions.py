"""Which variables a step's code reads: the names of its parameter expansions, as bash sees them.

Asked only about a few names (secrets the session may have lost, see the journey), so what
matters is that a real read is never missed: ``'$NAME'`` in single quotes is not a read, a
here-document's body is read unless bashlex says otherwise, and code bashlex cannot read is
looked at with a plain pattern, which may see a read where there is none (the safe side: the
step is held back and the reader told why, never run with an empty secret).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from tutorial.shell.bashlex_tables import load as load_bashlex

_NAME = re.compile(r"[A-Za-z_]\w*", re.ASCII)
#: ``$NAME``, ``${NAME}``, ``${NAME:-x}``, ``${#NAME}``, ``${!NAME}``, ``${NAME[1]}``
_READ = re.compile(r"\$(?:\{[#!]?(?P<braced>[A-Za-z_]\w*)|(?P<bare>[A-Za-z_]\w*))", re.ASCII)


@lru_cache(maxsize=256)
def expanded_names(code: str) -> frozenset[str]:
    """The variables ``code`` expands anywhere (words, substitutions, here-documents)."""
    if "$" not in code:
        return frozenset()
    bashlex = load_bashlex()
    try:
        trees = bashlex.parse(code)
    except (bashlex.errors.ParsingError, NotImplementedError, AttributeError, IndexError, TypeError, ValueError):
        return _by_pattern(code)
    found: set[str] = set()

    class Visitor(bashlex.ast.nodevisitor):  # type: ignore[misc,name-defined]
        def visitparameter(self, node: Any, value: str) -> None:
            match = _NAME.match(value.lstrip("#!"))
            if match is not None:
                found.add(match.group())

        def visitheredoc(self, node: Any, value: str) -> None:
            found.update(_by_pattern(value))  # (a quoted delimiter keeps it literal: read all the same)

        def visitcommand(self, node: Any, parts: list[Any]) -> None:
            found.update(_given_to_a_shell([p.word for p in parts if p.kind == "word"]))

    for tree in trees:
        Visitor().visit(tree)
    return frozenset(found)


#: programs that run their argument as shell code (``bash -c 'echo $TOKEN'``)
_SHELLS = frozenset({"bash", "sh", "dash", "zsh", "ksh"})


def _given_to_a_shell(words: list[str]) -> frozenset[str]:
    """What the code a command hands to a shell reads: ``eval 'echo $X'``, ``bash -c '... $X'``.

    Single quotes keep ``$X`` from this shell, not from the one that runs the code: an
    exported secret is read all the same.
    """
    if not words:
        return frozenset()
    program = words[0].rsplit("/", 1)[-1]
    if program == "eval":
        return _by_pattern(" ".join(words[1:]))
    if program in _SHELLS:
        for at, word in enumerate(words[1:-1], start=1):
            if re.fullmatch(r"-[a-z]*c[a-z]*", word):
                return _by_pattern(words[at + 1])
    return frozenset()


def _by_pattern(text: str) -> frozenset[str]:
    return frozenset(m.group("braced") or m.group("bare") for m in _READ.finditer(text))
