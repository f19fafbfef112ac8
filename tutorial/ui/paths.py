"""Paths as a reader recognises them: relative to where they are, or to their home."""

from __future__ import annotations

from pathlib import Path


def shown_path(path: Path) -> str:
    """``tests/ui/fixture`` rather than ``/home/ada/src/project/tests/ui/fixture``."""
    path = path.resolve()
    for base, prefix in ((Path.cwd(), ""), (Path.home(), "~/")):
        try:
            relative = path.relative_to(base)
        except ValueError:
            continue
        text = relative.as_posix()
        return f"{prefix}{text}" if text != "." else (prefix.rstrip("/") or ".")
    return str(path)
