"""The engine must import and work without Textual: the TUI is one view of it, not its base."""

import subprocess
import sys

CORE = [
    "tutorial.cli",
    "tutorial.manuscript.loader",
    "tutorial.manuscript.lint",
    "tutorial.manuscript.graph",
    "tutorial.manuscript.layout",
    "tutorial.engine.journey",
    "tutorial.engine.chapter",
    "tutorial.engine.marks",
    "tutorial.engine.recovery",
    "tutorial.shell.session",
    "tutorial.shell.commands",
    "tutorial.checks.requirements",
    "tutorial.progress.state",
    "tutorial.commands.lint",
    "tutorial.commands.map",
    "tutorial.commands.run",
    "tutorial.commands.doctor",
    "tutorial.commands.reset",
]


def test_core_imports_without_textual():
    code = (
        "import sys\n"
        f"for name in {CORE!r}: __import__(name)\n"
        "from tutorial.manuscript.loader import bundled_root, load\n"
        "m = load(bundled_root(), bundled=True)\n"
        "assert m.pages, 'no pages'\n"
        "leaked = sorted(n for n in sys.modules if n == 'textual' or n.startswith('textual.'))\n"
        "print(','.join(leaked))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "", f"Textual was imported by the core: {result.stdout}"
