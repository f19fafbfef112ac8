"""The installed `cncf-adventure` in a real pseudo-terminal: start, run a step with keys, quit.

A terminal emulator (pyte) reconstructs the screen from what the app writes, so the test
reads what a reader would see.
"""

import os
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pexpect
import pyte

COLUMNS, ROWS = 120, 40


class Terminal:
    def __init__(self, child: pexpect.spawn) -> None:
        self.child = child
        self.screen = pyte.Screen(COLUMNS, ROWS)
        self.stream = pyte.ByteStream(self.screen)

    def text(self) -> str:
        return "\n".join(self.screen.display)

    def wait_for(self, wanted: str, timeout: float = 30) -> None:
        self.wait_until(lambda text: wanted in text, f"{wanted!r} never appeared on the screen", timeout)

    def wait_until(self, holds: Callable[[str], bool], failure: str, timeout: float = 30) -> None:
        """Read what the app draws until ``holds(screen text)``."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if holds(self.text()):
                return
            try:
                self.stream.feed(self.child.read_nonblocking(65536, timeout=0.2))
            except pexpect.TIMEOUT:
                continue
            except pexpect.EOF:
                break
        raise AssertionError(f"{failure}:\n{self.text()}")


def test_installed_app_in_a_real_terminal(tmp_path: Path) -> None:
    program = shutil.which("cncf-adventure") or str(Path(sys.executable).with_name("cncf-adventure"))
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(COLUMNS), "LINES": str(ROWS)}
    child = pexpect.spawn(
        program, ["--workdir", str(tmp_path)], cwd=str(tmp_path), env=env, dimensions=(ROWS, COLUMNS), timeout=30
    )
    terminal = Terminal(child)
    try:
        terminal.wait_for("Start a journey")
        child.send("\r")  # the only entry point of the bundled adventure
        terminal.wait_for("Prepare Your Workspace")
        terminal.wait_for("1. mkdir")  # the outline: the page itself opens at its heading
        child.send("r")
        terminal.wait_for("passed")
        assert (tmp_path / "demo-app" / "Dockerfile").is_file()
        child.send("\x11")  # ctrl+q
        child.expect(pexpect.EOF, timeout=20)
    finally:
        child.close(force=True)
    assert child.exitstatus == 0, terminal.text()
    assert "setup.md#1" in (tmp_path / "settings.yaml").read_text()


def test_the_start_page_comes_first_then_its_steps(tmp_path: Path) -> None:
    """`--start PAGE`: the page's words are painted at once, its steps arrive and run; quitting at once works."""
    program = shutil.which("cncf-adventure") or str(Path(sys.executable).with_name("cncf-adventure"))
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(COLUMNS), "LINES": str(ROWS)}
    args = ["--workdir", str(tmp_path), "--start", "setup.md"]
    child = pexpect.spawn(program, args, cwd=str(tmp_path), env=env, dimensions=(ROWS, COLUMNS), timeout=30)
    terminal = Terminal(child)
    try:
        terminal.wait_for("Hero is a tiny web application")
        terminal.wait_for("1. mkdir")  # the outline: the chapter itself has taken the first look's place
        child.send("r")
        terminal.wait_for("passed")
        child.send("\x11")
        child.expect(pexpect.EOF, timeout=20)
    finally:
        child.close(force=True)
    assert child.exitstatus == 0, terminal.text()
    assert (tmp_path / "demo-app" / "Dockerfile").is_file()

    child = pexpect.spawn(program, args, cwd=str(tmp_path), env=env, dimensions=(ROWS, COLUMNS), timeout=30)
    terminal = Terminal(child)
    try:
        terminal.wait_for("Prepare Your Workspace")
        child.send("\x11")  # at once: maybe before the manuscript is read
        child.expect(pexpect.EOF, timeout=20)
    finally:
        child.close(force=True)
    assert child.exitstatus == 0, terminal.text()
