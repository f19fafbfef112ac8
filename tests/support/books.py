"""A small manuscript on the disk, and a work directory beside it: what most end-to-end tests start from."""

from __future__ import annotations

import os
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


def on_path(tmp_path: Path, name: str, script: str) -> dict[str, str]:
    """A program ``name`` (the shell ``script``) in a folder of its own: the environment that puts it on PATH."""
    folder = tmp_path / "bin"
    folder.mkdir(exist_ok=True)
    program = folder / name
    program.write_text(script)
    program.chmod(0o755)
    return {"PATH": f"{folder}{os.pathsep}{os.environ['PATH']}"}
