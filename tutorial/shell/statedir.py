"""Where a session keeps its files: a folder of its own, so no two sessions share one.

A session writes the step it is about to run, its queries and its state snapshot to files
its bash then ``source``s. Were those names shared, a second program in the same work
directory could overwrite the step the first one's shell is about to read, and a step that
never ran would be reported as passed. Every session therefore gets
``.adventure/session-<pid>-<random>/``, removed when it closes; folders left by a process
that was killed are removed by the next session that starts there.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
from pathlib import Path

STATE_DIR = ".adventure"
_PREFIX = "session-"


def new_session_dir(workdir: Path) -> Path:
    """A fresh, private folder for one session (stale ones of dead processes are removed first)."""
    root = workdir / STATE_DIR
    root.mkdir(parents=True, exist_ok=True)
    remove_stale(root)
    folder = root / f"{_PREFIX}{os.getpid()}-{secrets.token_hex(4)}"
    folder.mkdir(mode=0o700)
    return folder


def remove_session_dir(folder: Path) -> None:
    if folder.name.startswith(_PREFIX) and folder.parent.name == STATE_DIR:
        shutil.rmtree(folder, ignore_errors=True)


def remove_stale(root: Path) -> None:
    """Remove the session folders whose process no longer exists."""
    with contextlib.suppress(OSError):
        for entry in root.iterdir():
            pid = _owner(entry.name)
            if pid is not None and not _alive(pid) and entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)


def _owner(name: str) -> int | None:
    if not name.startswith(_PREFIX):
        return None
    pid, _, _ = name[len(_PREFIX) :].partition("-")
    return int(pid) if pid.isdigit() else None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True
