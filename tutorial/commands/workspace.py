"""Where a journey's files go: the work directory, and the one rule that picks it.

Steps run in the work directory, and ``settings.yaml`` and ``.adventure/`` are written there.
It is never simply "wherever the reader happens to be": started inside this project's own
checkout, the app would otherwise fill the source tree with the adventure's files.

1. ``--workdir DIR``: there (it must exist).
2. The current directory, when it is a clone of the tutorial's repository (it holds
   ``./manuscript``, whose steps expect to run beside it) or a journey already started there
   (it holds ``.adventure/``).
3. Else ``~/cncf-adventure``, created when first needed.
"""

from __future__ import annotations

import sys
from pathlib import Path

from tutorial.commands.common import CommandError
from tutorial.shell.statedir import STATE_DIR

DEFAULT_NAME = "cncf-adventure"  # under the reader's home directory


def choose(given: str | None, cwd: Path, home: Path) -> Path:
    """The work directory the rule above picks (not created, not checked)."""
    if given:
        return Path(given).expanduser().resolve()
    if (cwd / "manuscript").is_dir() or (cwd / STATE_DIR).exists():
        return cwd.resolve()
    return (home / DEFAULT_NAME).resolve()


def workdir_from(given: str | None) -> Path:
    """The work directory for this command; the default one is created, a given one must exist."""
    chosen = choose(given, Path.cwd(), Path.home())
    if given:
        if not chosen.is_dir():
            raise CommandError(f"{chosen}: no such work directory")
        return chosen
    try:
        chosen.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise CommandError(f"cannot create the work directory {chosen}: {error}; pass --workdir DIR") from error
    if chosen != Path.cwd().resolve():  # files go elsewhere than where the reader stands: say where
        print(f"cncf-adventure: work directory: {chosen} (choose another with --workdir DIR)", file=sys.stderr)
    return chosen
