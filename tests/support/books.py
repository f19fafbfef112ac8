"""A small manuscript on the disk, and a work directory beside it: what most end-to-end tests start from."""

from __future__ import annotations

import textwrap
from pathlib import Path


def book(tmp_path: Path, pages: dict[str, str], *, folder: str = "manuscript") -> tuple[Path, Path]:
    """``pages`` (path -> Markdown, dedented) in ``tmp_path/folder``, and an empty ``tmp_path/work``."""
    root = tmp_path / folder
    for name, text in pages.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(textwrap.dedent(text).lstrip())
    work = tmp_path / "work"
    work.mkdir(exist_ok=True)
    return root, work
