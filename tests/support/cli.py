"""Run the real command line of this checkout, as a reader or a CI job runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

#: The commands that work in a work directory: the tests say which one with --workdir, since a
#: temporary folder is no clone of the tutorial (the default would be ~/cncf-adventure).
_WORKING = frozenset({"run", "reset", "record"})


def run_cli(
    *args: object,
    cwd: Path | str,
    env: Mapping[str, str | None] | None = None,
    stdin: str | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    """``python -m tutorial ARGS`` in ``cwd``, its output captured as text.

    ``run``, ``reset`` and ``record`` work in ``cwd`` (``--workdir`` is added unless given).
    ``env`` adds variables to this process's environment; a variable mapped to None is removed.
    """
    words = [str(a) for a in args]
    if words and words[0] in _WORKING and "--workdir" not in words:
        words += ["--workdir", str(cwd)]
    merged = {k: v for k, v in {**os.environ, **(env or {})}.items() if v is not None}
    return subprocess.run(
        [sys.executable, "-m", "tutorial", *words],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=merged,
        input=stdin,
        timeout=timeout,
    )
