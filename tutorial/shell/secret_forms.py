"""The forms a secret takes once a step has worked on it.

A step rarely prints a token as it was given: it builds ``AUTH=$(printf %s "$USER:$TOKEN" |
base64)`` for a Docker config, shouts ``${TOKEN^^}``, or hex-dumps it. Each of those still
gives the secret away, so whatever hides a secret (the masked output, the transcript, the
values saved in settings.yaml, the session's snapshot) hides these forms as well.

Base64 turns three bytes into four characters, so the secret's encoding inside a longer
string depends on where it starts: for each of the three alignments, the characters that
only the secret's own bytes decide are a form of it. The ``base64`` command wraps its output
at 76 columns, so the lines of a long secret's encoding are forms of it too.
"""

from __future__ import annotations

import base64

#: shorter derived forms (a short secret's base64 at an awkward alignment) would match at random
_SHORTEST_DERIVED = 4
#: the ``base64`` command wraps its output at 76 columns (as does Python's ``encodebytes``)
_WRAP = 76
#: the shortest last line of a wrapped encoding still specific enough to be masked on its own
_SHORTEST_WRAPPED_LINE = 8


def forms(value: str) -> set[str]:
    """``value`` itself, upper- and lower-cased, in hex, and in base64 (standard and URL-safe)."""
    if not value:
        return set()
    raw = value.encode("utf-8", errors="surrogateescape")
    derived = {value.upper(), value.lower(), raw.hex(), raw.hex().upper()}
    for offset in range(3):
        encoded = base64.b64encode(bytes(offset) + raw).decode("ascii")
        first = -(-8 * offset // 6)  # the first character made of the secret's bits only
        end = 8 * (offset + len(raw)) // 6  # ... and the character after the last one
        inner = encoded[first:end]
        derived.add(inner)
        derived.add(inner.replace("+", "-").replace("/", "_"))
    derived.update(_wrapped_lines(raw))
    return {value} | {form for form in derived if len(form) >= _SHORTEST_DERIVED}


def _wrapped_lines(raw: bytes) -> list[str]:
    """The lines of ``printf %s "$SECRET" | base64``: the command wraps at 76 columns, and the
    whole encoding then matches on no line; each line is a form of its own.

    Only the encoding of the secret alone (at the start of the output) is known line by line:
    behind a prefix ("user:$TOKEN") the wraps fall elsewhere. A last line is kept when it has
    8 or more of the secret's own characters (the padding's and a trailing newline's are not).
    """
    own = base64.b64encode(raw).decode("ascii")[: 8 * len(raw) // 6]
    if len(own) <= _WRAP:
        return []  # on one line: the unwrapped form matches it
    lines = [own[start : start + _WRAP] for start in range(0, len(own), _WRAP)]
    kept = [line for line in lines if len(line) >= _SHORTEST_WRAPPED_LINE]
    return kept + [line.replace("+", "-").replace("/", "_") for line in kept]  # `basenc --base64url` wraps too
