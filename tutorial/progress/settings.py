"""``settings.yaml``: shared with the manuscript's own scripts, never damaged by us.

The chapters' scripts write their keys here with ``yq`` (``image``, ``tag``...). We keep the
reader's progress next to them under one key, ``adventure:``. Every write re-reads the file
and changes only that key, so whatever anyone else wrote, even a second ago, stays as it
was, comments and order included. Writes are atomic (temporary file, fsync, rename), the
previous version is kept as ``settings.yaml.bak``, and a file we cannot read is never
overwritten: it is reported with its line and left byte for byte as it was.
"""

from __future__ import annotations

import contextlib
import fcntl
import io
import json
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

FILE_NAME = "settings.yaml"
KEY = "adventure"


class SettingsError(Exception):
    """settings.yaml cannot be read or written; the message names the file (and line)."""


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _ruamel() -> Any:
    """Round-trip YAML for the rare file our fast splice cannot edit safely (flow style, anchors)."""
    from ruamel.yaml import YAML

    handler = YAML(typ="rt")
    handler.preserve_quotes = True
    handler.width = 4096
    handler.indent(mapping=2, sequence=4, offset=2)
    return handler


_PLAIN_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")


def dump_section(value: dict[str, Any]) -> str:
    """Our key as YAML, written directly: blocks for structure, one JSON-style line per leaf.

    A step record is one line (``"setup.md#1": {"status": "passed", ...}``). JSON scalars
    and flow collections are valid YAML, and ``json.dumps`` is fast: a save costs the same
    with 5 or 500 steps recorded.
    """
    lines = [f"{KEY}:"]
    _emit(value, "  ", lines)
    return "\n".join(lines) + "\n"


def _literal(value: Any) -> bool:
    """A multi-line string a human will want to read as a block (``|-``) rather than on one line."""
    return (
        isinstance(value, str)
        and "\n" in value
        and value.isprintable() is False  # newlines are not printable: check the rest by hand
        and all(ch == "\n" or ch == "\t" or ch.isprintable() for ch in value)
        and not value.startswith((" ", "\n"))
        and not value.endswith((" ", "\n"))
    )


def _flat(value: Any) -> bool:
    if isinstance(value, dict):
        return all(not isinstance(v, dict | list) and not _literal(v) for v in value.values())
    if isinstance(value, list):
        return all(not isinstance(v, dict | list) for v in value)
    return True


_JSON = json.JSONEncoder(ensure_ascii=False)


@lru_cache(maxsize=8192)
def _key(key: str) -> str:
    return key if _PLAIN_KEY.match(key) else _JSON.encode(key)


@lru_cache(maxsize=8192)
def _flow(items: tuple[tuple[str, Any], ...]) -> str:
    """A flat mapping as one flow line; cached, since most records do not change between saves."""
    return _JSON.encode(dict(items))


def _leaf(value: Any) -> str:
    if isinstance(value, dict):
        try:
            return _flow(tuple(value.items()))
        except TypeError:  # an unhashable value: encode without the cache
            return _JSON.encode(value)
    return _JSON.encode(value)


def _emit(value: dict[str, Any], indent: str, lines: list[str]) -> None:
    for key, item in value.items():
        if isinstance(item, dict) and item:
            try:  # a flat mapping seen before is one cached line
                flow = _flow(tuple(item.items()))
            except TypeError:  # it holds lists or mappings: not flat
                flow = ""
            if flow and "\\n" not in flow:  # (multi-line strings are written as blocks, below)
                lines.append(f"{indent}{_key(str(key))}: {flow}")
                continue
        if isinstance(item, dict) and item and not _flat(item):
            lines.append(f"{indent}{_key(str(key))}:")
            _emit(item, indent + "  ", lines)
        elif isinstance(item, list) and item and not _flat(item):
            lines.append(f"{indent}{_key(str(key))}:")
            lines.extend(f"{indent}  - {_leaf(element)}" for element in item)
        elif _literal(item):
            lines.append(f"{indent}{_key(str(key))}: |-")
            lines.extend(f"{indent}  {line}" if line else "" for line in item.split("\n"))
        else:
            lines.append(f"{indent}{_key(str(key))}: {_leaf(item)}")


class SettingsFile:
    """The settings file of one workspace."""

    def __init__(self, workdir: Path) -> None:
        self.path = workdir / FILE_NAME
        self.backup = workdir / (FILE_NAME + ".bak")
        self._lock_path = workdir / ".adventure" / "settings.lock"
        #: what we last wrote: (bytes, text before our key, text after it, our key's value)
        self._known: tuple[bytes, str, str, dict[str, Any]] | None = None
        self._lock: io.TextIOWrapper | None = None

    # -- reading ------------------------------------------------------------------------------

    def read(self) -> dict[str, Any]:
        """The whole document (an empty mapping when the file does not exist)."""
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return {}
        except UnicodeDecodeError as error:
            line = self.path.read_bytes()[: error.start].count(b"\n") + 1
            raise SettingsError(f"{self.path}:{line}: not UTF-8 text ({error.reason})") from error
        except OSError as error:
            raise SettingsError(f"{self.path}: cannot read: {error.strerror or error}") from error
        return self._parse(text)

    def _parse(self, text: str) -> dict[str, Any]:
        if not text.strip():
            return {}
        try:
            data = yaml.load(text, Loader=_LOADER)  # noqa: S506 - a safe loader
        except yaml.MarkedYAMLError as error:
            mark = error.problem_mark or error.context_mark
            where = f":{mark.line + 1}" if mark is not None else ""
            problem = error.problem or error.context or "invalid YAML"
            raise SettingsError(f"{self.path}{where}: not valid YAML: {problem}") from error
        except yaml.YAMLError as error:
            raise SettingsError(f"{self.path}: not valid YAML: {error}") from error
        if data is None:
            return {}
        if not isinstance(data, dict):
            raise SettingsError(f"{self.path}:1: must hold keys and values (a mapping), not a {type(data).__name__}")
        return data

    def section(self) -> dict[str, Any]:
        """Our key, as plain Python data ({} when absent)."""
        data = self.read()
        value = data.get(KEY)
        if value is None:
            return {}
        if not isinstance(value, dict):
            raise SettingsError(f"{self.path}: the '{KEY}' key must be a mapping")
        return _plain(value)  # type: ignore[no-any-return]

    # -- writing ------------------------------------------------------------------------------

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """Serialise writers among cncf-adventure processes (the app and a `run` in one workspace)."""
        if self._lock is None or self._lock.closed:
            self._lock_path.parent.mkdir(parents=True, exist_ok=True)
            self._lock = self._lock_path.open("a")  # kept open: a journey saves after every step
        fcntl.flock(self._lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(self._lock, fcntl.LOCK_UN)

    def update_section(self, change: Callable[[dict[str, Any]], dict[str, Any] | None]) -> dict[str, Any]:
        """Re-read the file, let ``change`` edit our key, and write it back atomically.

        ``change`` receives our key as plain data and returns the new value (or None to
        remove the key). Only the lines of our key are rewritten: everything else in the
        file stays byte for byte as it was read, comments and order included.
        """
        with self._locked():
            try:
                original = self.path.read_bytes()
            except FileNotFoundError:
                original = None
            try:
                text = original.decode("utf-8") if original is not None else ""
            except UnicodeDecodeError as error:
                line = original[: error.start].count(b"\n") + 1 if original else 1
                raise SettingsError(f"{self.path}:{line}: not UTF-8 text ({error.reason})") from error
            known = self._known
            if known is not None and original == known[0]:
                # nobody touched the file since we wrote it: no need to parse it again
                current: Any = known[3]
                around: tuple[str, str] | None = (known[1], known[2])
            else:
                data = self._parse(text)
                current = data.get(KEY)
                if current is not None and not isinstance(current, dict):
                    raise SettingsError(f"{self.path}: the '{KEY}' key must be a mapping")
                current = _plain(current) if current is not None else {}
                around = _surroundings(text)
            updated = change(dict(current))
            if around is None:  # a layout we cannot edit line by line: a full round trip keeps it intact
                content = self._round_trip(text, updated)
                self._known = None
            else:
                content = around[0] + (dump_section(updated) if updated is not None else "") + around[1]
            encoded = content.encode("utf-8")
            self._replace(encoded, original)
            if around is not None:
                self._known = (encoded, around[0], around[1], updated or {})
            return updated or {}

    def _round_trip(self, text: str, updated: dict[str, Any] | None) -> str:
        handler = _ruamel()
        data = handler.load(text) if text.strip() else None
        if data is None:
            data = {}
        if updated is None:
            data.pop(KEY, None)
        else:
            data[KEY] = updated
        buffer = io.StringIO()
        handler.dump(data, buffer)
        return buffer.getvalue()

    def _replace(self, content: bytes, original: bytes | None) -> None:
        if original is not None and (self._known is None or original != self._known[0]):
            # keep the version someone else (or an earlier run) left; our own saves replace each other
            self._write_atomically(self.backup, original)
        self._write_atomically(self.path, content)

    @staticmethod
    def _write_atomically(path: Path, content: bytes) -> None:
        fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as stream:
                stream.write(content)
                stream.flush()
                os.fsync(stream.fileno())
            with contextlib.suppress(OSError):
                os.chmod(temporary, 0o644)  # mkstemp made it private
            os.replace(temporary, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
            raise


def _surroundings(text: str) -> tuple[str, str] | None:
    """The text before and after our top-level key (where it would go when absent).

    None when the document is not a plain block mapping we can edit line by line.
    """
    if not text.strip():
        return "", ""
    try:
        root = yaml.compose(text, Loader=_LOADER)
    except yaml.YAMLError:
        return None
    if not isinstance(root, yaml.MappingNode) or root.flow_style or "\t" in text:
        return None
    lines = text.splitlines(keepends=True)
    for key, node in root.value:
        if isinstance(key, yaml.ScalarNode) and key.value == KEY:
            if key.start_mark.column != 0:
                return None
            end = node.end_mark.line if node.end_mark.column == 0 else node.end_mark.line + 1
            end = min(end, len(lines))
            while end > key.start_mark.line + 1 and _trailing(lines[end - 1]):
                end -= 1  # blank lines and comments after our key belong to what follows
            return "".join(lines[: key.start_mark.line]), "".join(lines[end:])
    return text + ("" if text.endswith("\n") else "\n"), ""


def _trailing(line: str) -> bool:
    stripped = line.strip()
    return not stripped or stripped.startswith("#")


def _plain(value: Any) -> Any:
    """ruamel's commented containers as plain dicts and lists (so callers can compare and copy)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value
