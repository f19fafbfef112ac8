"""The ``expect:`` of a check, matched in time linear in the output, whatever the pattern.

Python's ``re`` backtracks: a pattern such as ``(a+)+$`` over a long output runs for hours,
past any step timeout, and nothing can interrupt it. ``expect:`` patterns are therefore
compiled with RE2 (google-re2), which never backtracks. The price is that RE2 does not know
backreferences and lookaround; a pattern that uses them is a lint problem (``bad-directive``)
with its line, and the check is not declared, rather than a check that may hang.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any


class PatternError(ValueError):
    """RE2 cannot compile the pattern (the message says why)."""


def _options() -> Any:
    import re2  # here, not at the top: only manuscripts that declare expect: pay for it

    options = re2.Options()
    options.log_errors = False  # the error is ours to report, not to print on stderr
    return options


@lru_cache(maxsize=256)
def compile_expect(pattern: str) -> Any:
    """The compiled pattern (``^`` and ``$`` match at every line, as with re.MULTILINE)."""
    import re2

    try:
        return re2.compile(f"(?m){pattern}", _options())
    except re2.error as error:
        reason = error.args[0] if error.args else error
        if isinstance(reason, bytes):
            reason = reason.decode(errors="replace")
        raise PatternError(f"{reason} (expect: patterns use RE2 syntax: no backreferences or lookaround)") from None


def matches(pattern: str, text: str) -> bool:
    """Whether ``text`` contains a match of ``pattern`` (PatternError if it cannot be compiled)."""
    return compile_expect(pattern).search(text) is not None
