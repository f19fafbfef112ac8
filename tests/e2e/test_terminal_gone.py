"""The app's terminal goes away without a hangup signal: the app leaves, and takes the step's processes along.

A terminal's window closing tells the terminal's session with SIGHUP. An app started in a
session of its own (by a program that keeps the terminal for itself) is not told: here it is
started so, on a pseudo-terminal that is not its controlling terminal, and the terminal's side
is then closed under it.
"""

import fcntl
import os
import pty
import select
import shutil
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Iterator
from pathlib import Path

import pyte
import pytest

from tests.conftest import WriteManuscript

COLUMNS, ROWS = 120, 40
MARK = "sleep 3719"  # the step's process, found by its command line


def _processes_running(command: str) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                line = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
            except OSError:
                continue
            if line == command:
                found.append(int(entry.name))
    return found


@pytest.fixture
def sleeps_left() -> Iterator[None]:
    yield
    for pid in _processes_running(MARK):  # (what a failing test left behind)
        os.kill(pid, 9)


def test_the_app_leaves_when_its_terminal_goes_away_unannounced(
    tmp_path: Path, write_manuscript: WriteManuscript, sleeps_left: None
) -> None:
    write_manuscript({"wait.md": f"# Wait\n\n```bash\necho the step started\n{MARK}\n```\n"})
    program = shutil.which("cncf-adventure") or str(Path(sys.executable).with_name("cncf-adventure"))
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
    app = subprocess.Popen(
        [program, "--workdir", str(tmp_path), "--manuscript", str(tmp_path / "manuscript"), "--start", "wait.md"],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        start_new_session=True,  # a session of its own, without this terminal as its controlling terminal
        cwd=tmp_path,
        env={**os.environ, "TERM": "xterm-256color"},
    )
    os.close(slave)
    screen = pyte.Screen(COLUMNS, ROWS)
    stream = pyte.ByteStream(screen)

    def wait_for(text: str) -> None:
        deadline = time.monotonic() + 60
        while text not in "\n".join(screen.display):
            assert time.monotonic() < deadline, f"{text!r} never appeared:\n" + "\n".join(screen.display)
            if select.select([master], [], [], 0.2)[0]:
                stream.feed(os.read(master, 1 << 16))

    try:
        wait_for("Step 1 · line 4")
        os.write(master, b"r")
        wait_for("the step started")
        deadline = time.monotonic() + 30
        while not _processes_running(MARK):  # (the line is shown a moment before the sleep starts)
            assert time.monotonic() < deadline, "the step's sleep never started"
            time.sleep(0.05)
        os.close(master)  # the terminal goes away; no signal is sent
        master = -1
        code = app.wait(timeout=60)
    finally:
        if master >= 0:
            os.close(master)
        if app.poll() is None:
            app.kill()
            app.wait()
    assert code == 128 + 1, code  # as on SIGHUP
    assert _processes_running(MARK) == []  # the shell's processes went with it
