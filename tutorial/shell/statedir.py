"""The workspace's own folder, ``.adventure``, and a folder of its own in it for each session.

A session writes the step it is about to run, its queries and its state snapshot to files
its bash then ``source``s. Were those names shared, a second program in the same work
directory could overwrite the step the first one's shell is about to read, and a step that
never ran would be reported as passed. Every session therefore gets
``.adventure/session-<pid>-<random>/``, removed when it closes; folders left by a process
that was killed are removed by the next session that starts there.

The work directory is often a clone the chapters commit from (``git add .``), and other
users of the machine may be able to read it: so ``.adventure`` is ``0700``, its files
``0600`` (created so, never opened wider for a moment), and it tells git to ignore all of
it, itself included.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import stat
from pathlib import Path

STATE_DIR = ".adventure"
_PREFIX = "session-"
_IGNORE = "# cncf-adventure's own files: nothing here belongs in a commit\n*\n"
_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC


def ensure(workdir: Path) -> Path:
    """Create ``.adventure`` (or make an existing one private again) and return it."""
    folder = workdir / STATE_DIR
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(folder, 0o700)  # an older version made it 0755: fix it at every start
    for entry in os.scandir(folder):
        with contextlib.suppress(FileNotFoundError):
            if (
                entry.is_file(follow_symlinks=False)
                and stat.S_IMODE(entry.stat(follow_symlinks=False).st_mode) != 0o600
            ):
                os.chmod(entry.path, 0o600)
    ignore = folder / ".gitignore"
    try:
        current = ignore.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        current = ""
    if current != _IGNORE:
        write_private(ignore, _IGNORE)
    return folder


def _open(path: Path, extra: int) -> int:
    fd = os.open(path, _FLAGS | extra, 0o600)
    os.fchmod(fd, 0o600)  # the file may exist from before, with wider rights
    return fd


def write_private(path: Path, text: str, *, errors: str = "strict") -> None:
    """Write ``text`` to a file only its owner can read.

    The file is written over and then cut to its new length, not emptied first: ext4 sends
    a file that was truncated to nothing to the disk when it is closed, and the next
    truncation waits for that write. A session rewrites its step file for every step; that
    wait (milliseconds) would be paid at every one.
    """
    data = memoryview(text.encode("utf-8", errors))
    fd = _open(path, 0)
    try:
        size = len(data)
        while data:
            data = data[os.write(fd, data) :]
        os.ftruncate(fd, size)
    finally:
        os.close(fd)


def append_private(path: Path, *, buffering: int = -1) -> io.TextIOWrapper:
    """Open a file only its owner can read, for appending text."""
    return open(_open(path, os.O_APPEND), "a", encoding="utf-8", errors="replace", buffering=buffering)


def touch_private(path: Path) -> None:
    """Make sure ``path`` exists and is private before another program (bash) writes into it."""
    os.close(_open(path, 0))


def new_session_dir(workdir: Path) -> Path:
    """A fresh, private folder for one session (stale ones of dead processes are removed first)."""
    root = ensure(workdir)
    remove_stale(root)
    folder = root / f"{_PREFIX}{os.getpid()}-{os.urandom(4).hex()}"
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
