"""A background task that failed: reported to the reader, its traceback kept in the state folder."""

from __future__ import annotations

import time
import traceback
from pathlib import Path

from tutorial.shell.statedir import STATE_DIR

LOG_NAME = "errors.log"


def log_failure(workdir: Path, what: str, error: BaseException) -> str:
    """Append the traceback to ``.adventure/errors.log``; say where it went (for the notification)."""
    folder = workdir / STATE_DIR
    lines = traceback.format_exception(type(error), error, error.__traceback__)
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        with (folder / LOG_NAME).open("a", encoding="utf-8") as log:
            log.write(f"━━ {time.strftime('%Y-%m-%dT%H:%M:%S')} · {what}\n{''.join(lines)}\n")
    except OSError:
        return "no file (the state folder cannot be written)"
    return f"{STATE_DIR}/{LOG_NAME}"
