"""A step run "in my terminal" keeps its output: on the terminal until Enter, then in the app and the transcript.

The app of this checkout runs in a real pseudo-terminal; a terminal emulator (pyte) rebuilds
the screen from what it writes, so the test reads what a reader would see.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from pathlib import Path

import pexpect
import pyte
import yaml

from tests.e2e.test_pty import COLUMNS, ROWS, Terminal

REPO = Path(__file__).resolve().parents[2]

PAGE = """# Greeting

## Do

```bash
read -r -p "Your name: " name
echo "hello $name from the terminal"
```
"""


class _Screen(pyte.Screen):  # type: ignore[misc]
    """pyte's screen, tolerant of the extra parameters some cursor moves carry (it raises on them)."""

    def cursor_up(self, count: int | None = None, *_: object) -> None:
        super().cursor_up(count)

    def cursor_down(self, count: int | None = None, *_: object) -> None:
        super().cursor_down(count)


def test_output_of_a_step_in_my_terminal_stays_and_is_recorded(tmp_path: Path) -> None:
    root = tmp_path / "book"
    root.mkdir()
    (root / "greeting.md").write_text(PAGE)
    work = tmp_path / "work"
    work.mkdir()
    env = {**os.environ, "TERM": "xterm-256color", "PYTHONPATH": str(REPO), "COLUMNS": str(COLUMNS)}
    command = ["-m", "tutorial", "--manuscript", str(root), "--start", "greeting.md", "--workdir", str(work)]
    child = pexpect.spawn(sys.executable, command, cwd=str(tmp_path), env=env, dimensions=(ROWS, COLUMNS))
    terminal = Terminal(child)
    terminal.screen = _Screen(COLUMNS, ROWS)
    terminal.stream = pyte.ByteStream(terminal.screen)
    try:
        terminal.wait_for("Step 1")
        child.send("t")
        terminal.wait_for("Your name:")
        time.sleep(0.5)  # a reader types after the prompt shows, when the app has let go of the terminal
        child.send("Ada\r")
        terminal.wait_for("hello Ada from the terminal")
        terminal.wait_for("Press Enter to return to cncf-adventure")
        meanwhile = b""
        with contextlib.suppress(pexpect.TIMEOUT):
            meanwhile = child.read_nonblocking(65536, timeout=1.0)
        terminal.stream.feed(meanwhile)
        assert b"\x1b[?1049h" not in meanwhile  # the app has not taken the screen back: it waits for Enter
        child.send("\r")
        terminal.wait_for("passed")
        terminal.wait_for("hello Ada from the terminal")  # in the app's output panel now
        child.send("\x11")  # ctrl+q
        child.expect(pexpect.EOF, timeout=20)
    finally:
        child.close(force=True)
    assert child.exitstatus == 0, terminal.text()
    transcript = (work / ".adventure" / "transcript.log").read_text()
    assert "(in the reader's terminal)" in transcript and "hello Ada from the terminal" in transcript
    saved = yaml.safe_load((work / "settings.yaml").read_text())["adventure"]
    assert saved["steps"]["greeting.md#1"]["status"] == "passed"
