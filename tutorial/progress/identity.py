"""Which entries of a mapping are new objects since the last look: the saves' way of finding what changed.

A journey saves after every step, and most of what it saves (two hundred step records,
values and origins) is the same objects as at the last save: records and origins are never
changed in place, only replaced. So what changed is found by identity, with the
interpreter's own loops (``operator.is_not`` over the two lists of values), and only those
entries are looked at again: written, converted or compared.
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Sequence


def new_objects(
    keys: Sequence[str], values: Sequence[object], old_keys: Sequence[str], old_values: Sequence[object]
) -> list[int] | None:
    """The indexes of ``values`` that are other objects than ``old_values`` (added ones at the end too).

    None when the entries are not the old ones followed by new ones (one was removed or moved):
    then every entry is to be looked at again.
    """
    known = len(old_keys)
    if len(keys) < known or list(keys[:known]) != list(old_keys):
        return None
    changed = list(itertools.compress(range(known), map(operator.is_not, values, old_values)))
    changed.extend(range(known, len(keys)))
    return changed
