"""The engine must import and work without Textual: the TUI is one view of it, not its base."""

import pkgutil
import subprocess
import sys
from pathlib import Path

import tutorial

#: Every module of the package outside ``tutorial.ui`` (found, not listed, so a new one is covered).
CORE = sorted(
    info.name
    for info in pkgutil.walk_packages([str(Path(tutorial.__file__).parent)], prefix="tutorial.")
    if not info.name.startswith("tutorial.ui") and not info.name.endswith("__main__")
)


def test_every_module_outside_ui_is_found():
    assert "tutorial.engine.journey" in CORE and "tutorial.commands.serve" in CORE
    assert len(CORE) > 40


def test_core_imports_without_textual():
    code = (
        "import sys\n"
        f"for name in {CORE!r}: __import__(name)\n"
        "from tutorial.manuscript.loader import bundled_root, load\n"
        "m = load(bundled_root(), bundled=True)\n"
        "assert m.pages, 'no pages'\n"
        "leaked = sorted(n for n in sys.modules if n.split('.')[0] in ('textual', 'textual_serve'))\n"
        "print(','.join(leaked))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "", f"Textual was imported by the core: {result.stdout}"
