"""How the benchmarks run `cncf-adventure`: this checkout, with its bytecode cached as an install's is.

An installed package has its modules compiled to bytecode once, when it is installed (rundoc's
are). Run from a checkout, Python compiles them again at every start when it may not write
them (``PYTHONDONTWRITEBYTECODE``), which is not what a reader's start costs: here they are
compiled once, into a folder of the benchmark's own (nothing is written into the checkout).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: started as the installed ``cncf-adventure`` console script starts it (``from tutorial.cli import
#: program``), not through ``python -m tutorial``, which first loads the module runner (runpy)
_CONSOLE_SCRIPT = "import sys; from tutorial.cli import program; sys.argv[0] = 'cncf-adventure'; program()"
COMMAND = [sys.executable, "-c", _CONSOLE_SCRIPT]


def environment(cache: Path) -> dict[str, str]:
    """The environment that runs this checkout's code, bytecode cached under ``cache``."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONPYCACHEPREFIX": str(cache)}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def warm(cache: Path) -> None:
    """Compile every module once, before anything is timed."""
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(ROOT / "tutorial")],
        env=environment(cache),
        stdout=subprocess.DEVNULL,
        check=True,
    )
