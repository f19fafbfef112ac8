"""What changed in the saved progress since the last save, as one journal record, and applied back.

A save writes a mapping of a dozen keys (see ``Progress``); from one step to the next, one
step record changes, perhaps a value and its origin, the page and the time. A journal
record holds only that: the top-level keys whose value changed (``set``), and inside the
mappings of many entries (step records, values, edits, answers, origins) the entries
added or changed (``put``) and removed (``drop``); a key gone altogether is in ``unset``.
Applied in order to what settings.yaml held, the records give what the last save would
have written whole.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from tutorial.progress.identity import new_objects

#: the keys whose values are mappings of many entries: compared, and recorded, entry by entry
MAPPINGS = frozenset({"steps", "variables", "edits", "assume", "origins"})
_ABSENT = object()


def difference(before: Mapping[str, Any], after: Mapping[str, Any]) -> dict[str, Any]:
    """The change from ``before`` to ``after`` (both as a save writes them); empty when none.

    Entries are compared by identity first: step records and origins are made once and
    kept (see ``settings.Stored``), so the comparison of two hundred unchanged ones costs
    one pointer test each.
    """
    put: dict[str, dict[str, Any]] = {}
    drop: dict[str, list[str]] = {}
    replaced: dict[str, Any] = {}
    for key, value in after.items():
        old = before.get(key, _ABSENT)
        if old is value:
            continue
        if key in MAPPINGS and isinstance(value, dict) and isinstance(old, dict):
            changed, gone = entries(old, value)
            if changed:
                put[key] = changed
            if gone:
                drop[key] = gone
        elif old is _ABSENT or old != value:
            replaced[key] = value
    record: dict[str, Any] = {}
    if replaced:
        record["set"] = replaced
    if put:
        record["put"] = put
    if drop:
        record["drop"] = drop
    removed = before.keys() - after.keys()
    if removed:
        record["unset"] = sorted(removed)
    return record


def entries(old: dict[str, Any], new: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The entries of ``new`` added or changed since ``old``, and the names of those removed.

    Most saves find the same entries in the same order, a few new ones at the end: the
    entries that are other objects than before are found by the interpreter's own loops
    (``operator.is_not`` over the two lists), and only they are compared.
    """
    names, values = list(new), list(new.values())
    known = len(old)
    indexes = new_objects(names, values, list(old), list(old.values()))
    if indexes is not None:
        # (an entry in its old place that is another object may still hold the same: compared)
        changed = {names[i]: values[i] for i in indexes if i >= known or values[i] != old[names[i]]}
        return changed, []
    changed = {name: entry for name, entry in new.items() if old.get(name, _ABSENT) is not entry}
    changed = {name: entry for name, entry in changed.items() if old.get(name, _ABSENT) != entry}
    return changed, sorted(old.keys() - new.keys())


def encode(record: Mapping[str, Any]) -> bytes:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def apply(section: dict[str, Any], record: Mapping[str, Any]) -> None:
    """Apply one record (see :func:`difference`) to ``section``, in place.

    What is not shaped as a record is left out (only our own writing gets here: checked by
    the journal's checksum).
    """
    replaced = record.get("set")
    if isinstance(replaced, dict):
        section.update(replaced)
    put = record.get("put")
    if isinstance(put, dict):
        for key, entries in put.items():
            if not isinstance(entries, dict):
                continue
            target = section.get(key)
            if not isinstance(target, dict):
                target = section[key] = {}
            target.update(entries)
    drop = record.get("drop")
    if isinstance(drop, dict):
        for key, names in drop.items():
            target = section.get(key)
            if isinstance(target, dict) and isinstance(names, list):
                for name in names:
                    target.pop(name, None)
    removed = record.get("unset")
    if isinstance(removed, list):
        for key in removed:
            section.pop(key, None)
