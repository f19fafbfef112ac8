"""Replacing a file that other programs also replace, without losing what they wrote.

The chapters' scripts rewrite settings.yaml with ``yq -i`` (read, edit, rename a new file
over it) at any moment, and know nothing of our lock. A plain ``os.replace`` of a file we
read a moment ago would silently throw away what such a script wrote in between. So the
file is compared with the one we read just before it is replaced (a script that wrote
meanwhile is merged into first), and on Linux ``renameat2(RENAME_EXCHANGE)`` swaps our new
file and the current one in one step, handing back exactly the file we displaced: when that
is not the one we read, someone wrote in the moment between the comparison and the swap,
their file is swapped straight back and the caller merges into it. What remains is a window
of microseconds in which a script that reads the file sees our version without its newest
key. Elsewhere an ordinary rename follows the comparison.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import errno
import os
import threading
from pathlib import Path

_AT_FDCWD = -100
_RENAME_NOREPLACE = 1
_RENAME_EXCHANGE = 2

Identity = tuple[int, int, int, int]  # device, inode, size, modification time (ns)


def identity(stat: os.stat_result) -> Identity:
    return (stat.st_dev, stat.st_ino, stat.st_size, stat.st_mtime_ns)


def _renameat2() -> object | None:
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return None
    function.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


_RENAMEAT2 = _renameat2()


def _call(source: Path, target: Path, flags: int) -> bool:
    """True when done; False when the system cannot do it (then the caller falls back)."""
    if _RENAMEAT2 is None:
        return False
    result = _RENAMEAT2(_AT_FDCWD, os.fsencode(source), _AT_FDCWD, os.fsencode(target), flags)  # type: ignore[operator]
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):  # an old kernel, or a filesystem without it
        return False
    raise OSError(code, os.strerror(code), str(target))


def exchange(source: Path, target: Path) -> bool:
    """Swap two existing files atomically (False when unsupported)."""
    return _call(source, target, _RENAME_EXCHANGE)


def rename_new(source: Path, target: Path) -> bool:
    """Rename onto a name that must not exist yet (FileExistsError if it does; False when unsupported)."""
    return _call(source, target, _RENAME_NOREPLACE)


# -- removing files off the caller's path ----------------------------------------------------
#
# On ext4, removing a file whose blocks were just synced to the disk waits for the journal
# (milliseconds): the file a save displaced is removed on a thread of its own while the next
# step runs (see ``SettingsFile._put_aside``).

_pending: list[Path] = []
_changed = threading.Condition()
_worker: threading.Thread | None = None


def sync_folder(folder: Path) -> None:
    """The names in ``folder`` on the disk (a file renamed into it, a file made in it).

    A file's own fsync puts its bytes on the disk, not the name that points at them: until the
    folder is synced, a crash can bring back the previous file, or none. A file system that
    cannot sync a folder (EINVAL, ENOTSUP) has nothing more to do; anything else is raised.
    """
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        os.fsync(fd)
    except OSError as error:
        if error.errno not in (errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EBADF):
            raise
    finally:
        os.close(fd)


def discard(path: Path) -> None:
    """Remove ``path`` soon, on another thread (see :func:`settle`)."""
    global _worker
    with _changed:
        _pending.append(path)
        if _worker is None or not _worker.is_alive():
            _worker = threading.Thread(target=_remove_pending, name="settings-discard", daemon=True)
            _worker.start()
        _changed.notify_all()


def _remove_pending() -> None:
    while True:
        with _changed:
            _changed.wait_for(lambda: bool(_pending))
            path = _pending[0]
        with contextlib.suppress(OSError):
            os.unlink(path)
        with _changed:
            _pending.pop(0)
            _changed.notify_all()


@atexit.register
def settle(timeout: float | None = 10.0) -> None:
    """Wait until every discarded file is gone (before the work directory is let go)."""
    with _changed:
        _changed.wait_for(lambda: not _pending, timeout)
