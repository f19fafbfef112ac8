"""Starting fresh when settings.yaml cannot be read: the file is set aside, never overwritten or lost."""

from __future__ import annotations

import os
import time
from pathlib import Path

from tutorial.progress.settings import FILE_NAME


def aside_name(workdir: Path) -> Path:
    """Where a broken settings.yaml would go now (shown to the reader before they agree)."""
    return workdir / f"{FILE_NAME}.broken-{time.strftime('%Y%m%d-%H%M%S')}"


def set_aside_settings(workdir: Path, target: Path | None = None) -> Path:
    """Move ``settings.yaml`` to ``target`` (or a new ``.broken-…`` name); an existing file is never replaced."""
    settings = workdir / FILE_NAME
    wanted = target or aside_name(workdir)
    candidate, number = wanted, 1
    while True:
        try:
            os.link(settings, candidate)  # fails, rather than replaces, when the name is taken
            break
        except FileExistsError:
            number += 1
            candidate = wanted.with_name(f"{wanted.name}-{number}")
    os.unlink(settings)
    return candidate
