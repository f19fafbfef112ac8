"""The forms a secret takes once a step has worked on it.

A step rarely prints a token as it was given: it builds ``AUTH=$(printf %s "$USER:$TOKEN" |
base64)`` for a Docker config, shouts ``${TOKEN^^}``, or hex-dumps it. Each of those still
gives the secret away, so whatever hides a secret (the masked output, the transcript, the
values saved in settings.yaml, the session's snapshot) hides these forms as well.

Base64 turns three bytes into four characters, so the secret's encoding inside a longer
string depends on where it starts: for each of the three alignments, the characters that
only the secret's own bytes decide are a form of it.
"""

from __future__ import annotations

import base64

#: shorter derived forms (a short secret's base64 at an awkward alignment) would match at random
_SHORTEST_DERIVED = 4


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
    return {value} | {form for form in derived if len(form) >= _SHORTEST_DERIVED}
