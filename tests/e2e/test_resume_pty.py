"""Quit and launch again in a real terminal: the shell comes back (its directory and a function), and says so."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pexpect
import pyte

from tests.e2e.test_pty import COLUMNS, ROWS, Terminal
from tests.e2e.test_terminal_output_pty import _Screen
from tests.support.books import book

REPO = Path(__file__).resolve().parents[2]

PAGE = """# Workshop

## Do

```bash
mkdir -p project && cd project
greet() { echo "greetings from $(basename "$PWD")"; }
```

```bash
greet
```
"""


def _launch(root: Path, work: Path) -> tuple[pexpect.spawn, Terminal]:
    env = {**os.environ, "TERM": "xterm-256color", "PYTHONPATH": str(REPO)}
    command = ["-m", "tutorial", "--manuscript", str(root), "--workdir", str(work)]
    child = pexpect.spawn(sys.executable, command, cwd=str(work), env=env, dimensions=(ROWS, COLUMNS))
    terminal = Terminal(child)
    terminal.screen = _Screen(COLUMNS, ROWS)
    terminal.stream = pyte.ByteStream(terminal.screen)
    return child, terminal


def _book(tmp_path: Path) -> tuple[Path, Path]:
    """The one-page manuscript and an empty work directory."""
    return book(tmp_path, {"workshop.md": PAGE}, folder="book")


def _first_page(child: pexpect.spawn, terminal: Terminal) -> None:
    terminal.wait_for("Start a journey")
    child.send("\r")  # the only entry point
    terminal.wait_for("Step 1")


def _quit(child: pexpect.spawn, terminal: Terminal) -> None:
    child.send("\x11")  # ctrl+q
    child.expect(pexpect.EOF, timeout=20)
    child.close()
    assert child.exitstatus == 0, terminal.text()


def test_a_relaunch_brings_back_the_directory_and_a_function(tmp_path: Path) -> None:
    root, work = _book(tmp_path)

    child, terminal = _launch(root, work)
    try:
        _first_page(child, terminal)
        child.send("r")
        terminal.wait_for("passed")
        _quit(child, terminal)
    finally:
        child.close(force=True)

    child, terminal = _launch(root, work)
    try:
        terminal.wait_for("Continue where you left off")
        child.send("c")
        terminal.wait_for("functions greet")  # the welcome-back toast names what came back
        assert "project" in terminal.text()
        child.send("r")  # step 2, in the new shell
        terminal.wait_for("greetings from project")
        _quit(child, terminal)
    finally:
        child.close(force=True)


def test_an_edited_step_runs_as_edited_and_the_edit_is_kept(tmp_path: Path) -> None:
    root, work = _book(tmp_path)

    child, terminal = _launch(root, work)
    try:
        _first_page(child, terminal)
        child.send("e")  # the editor opens on the step's code, the cursor at its start
        terminal.wait_for("Edit step 1")
        terminal.wait_for("1  mkdir -p project")  # the editor shows the code: it has the focus
        child.send("echo edited-in-a-real-terminal\r")  # a line of the reader's own above the code
        terminal.wait_for("echo edited-in-a-real-terminal")  # typed into the editor
        child.send("\x13")  # ctrl+s
        terminal.wait_until(lambda text: "Edit step 1" not in text and "edited" in text, "the edit was not saved")
        child.send("r")
        terminal.wait_for("\nedited-in-a-real-terminal ")  # what it printed, in the output panel's first column
        terminal.wait_for("\npassed ")
        _quit(child, terminal)
    finally:
        child.close(force=True)
    settings = (work / "settings.yaml").read_text()
    assert "echo edited-in-a-real-terminal" in settings  # kept with the progress
    assert (work / "project").is_dir()  # the rest of the step ran too
