"""What a failed file operation says to a reader: the file, then why, in words."""

from __future__ import annotations

import errno


def reason(error: OSError) -> str:
    """Why ``error`` happened, in words a reader acts on ("no space left on the device")."""
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return "no space left on the device"
    if error.errno == errno.EROFS:
        return "the file system is read-only"
    if error.errno in (errno.EACCES, errno.EPERM):
        return "permission denied (see who owns it, and its mode)"
    return error.strerror or str(error)


def described(error: OSError, default: object = "") -> str:
    """``file: reason``, the file being the one ``error`` names (``default`` when it names none)."""
    name = error.filename if error.filename is not None else default
    return f"{name}: {reason(error)}" if name else reason(error)
