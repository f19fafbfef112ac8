"""Launch time and input latency of the app, in a real pseudo-terminal.

    python bench/launch.py [--repeat 7]

1. Time from starting the program to the first chapter painted on the screen (its title and
   the start of its prose), for `cncf-adventure --start setup.md` and for a minimal Textual
   app that paints the same words, measured the same way in the same run. Target: 1.5x.
2. Input latency: the time from pressing `?` to the help screen appearing, with nothing
   running, and while a step floods the output with 30 MB.

A terminal emulator (pyte) rebuilds the screen from what the program writes, so "painted"
means visible to a reader, not merely rendered in memory.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pexpect
import pyte

COLUMNS, ROWS = 120, 40
HERE = Path(__file__).resolve().parent


class Terminal:
    def __init__(self, command: list[str], cwd: Path) -> None:
        env = {**os.environ, "TERM": "xterm-256color"}
        self.started = time.perf_counter()
        self.child = pexpect.spawn(command[0], command[1:], cwd=str(cwd), env=env, dimensions=(ROWS, COLUMNS))
        self.screen = pyte.Screen(COLUMNS, ROWS)
        self.stream = pyte.ByteStream(self.screen)

    def shows(self, *texts: str) -> bool:
        shown = "\n".join(self.screen.display)
        return all(text in shown for text in texts)

    def wait_for(self, *texts: str, timeout: float = 60) -> float:
        """Seconds until every one of ``texts`` is on the screen."""
        deadline = time.perf_counter() + timeout
        while not self.shows(*texts):
            if time.perf_counter() > deadline:
                raise TimeoutError(f"{texts} never appeared:\n" + "\n".join(self.screen.display))
            try:
                self.stream.feed(self.child.read_nonblocking(1 << 16, timeout=0.02))
            except pexpect.TIMEOUT:
                continue
        return time.perf_counter()

    def drain(self) -> None:
        try:
            while True:
                self.stream.feed(self.child.read_nonblocking(1 << 16, timeout=0.001))
        except (pexpect.TIMEOUT, pexpect.EOF):
            pass

    def close(self) -> None:
        self.child.sendcontrol("q")
        self.child.send("y")  # quitting while a step runs asks first: yes, stop it
        with contextlib.suppress(pexpect.ExceptionPexpect):
            self.child.expect(pexpect.EOF, timeout=10)
        self.child.close(force=True)


def first_paint(command: list[str], cwd: Path) -> float:
    terminal = Terminal(command, cwd)
    try:
        return terminal.wait_for("Prepare Your Workspace", "Hero is a tiny web application") - terminal.started
    finally:
        terminal.close()


def help_latency(program: str, work: Path, manuscript: Path, flood: bool) -> float:
    terminal = Terminal([program, "--manuscript", str(manuscript), "--start", "flood.md"], work)
    try:
        terminal.wait_for("Step 1")
        if flood:
            terminal.child.send("r")
            terminal.wait_for("xxxxxxxxxxxxxxxxxxxx")  # the flood has reached the screen
        terminal.drain()
        pressed = time.perf_counter()
        terminal.child.send("?")
        return terminal.wait_for("Each code block of a chapter") - pressed
    finally:
        terminal.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    program = shutil.which("cncf-adventure") or str(Path(sys.executable).with_name("cncf-adventure"))
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        ours, minimal = [], []
        for _ in range(args.repeat):  # interleaved
            shutil.rmtree(work / ".adventure", ignore_errors=True)
            (work / "settings.yaml").unlink(missing_ok=True)
            ours.append(first_paint([program, "--start", "setup.md"], work))
            minimal.append(first_paint([sys.executable, str(HERE / "minimal_app.py")], work))
        manuscript = work / "manuscript"
        manuscript.mkdir()
        (manuscript / "flood.md").write_text(
            "# Flood\n\n```bash\nhead -c 30000000 /dev/zero | tr '\\0' x | fold -w 100\n```\n"
        )
        idle = [help_latency(program, work, manuscript, flood=False) for _ in range(3)]
        busy = []
        for _ in range(3):
            (work / "settings.yaml").unlink(missing_ok=True)  # the flood step is to run again, not resumed
            busy.append(help_latency(program, work, manuscript, flood=True))
    print(f"launch: best of {args.repeat} interleaved runs (median in brackets), {COLUMNS}x{ROWS} terminal\n")
    print("| program | first chapter painted | vs minimal app |")
    print("|---|---:|---:|")
    base = min(minimal)
    print(f"| minimal Textual app | {base * 1000:.0f} ms ({statistics.median(minimal) * 1000:.0f} ms) | 1.00x |")
    print(
        f"| cncf-adventure --start setup.md | {min(ours) * 1000:.0f} ms "
        f"({statistics.median(ours) * 1000:.0f} ms) | {min(ours) / base:.2f}x |"
    )
    print("\ninput latency: `?` to the help screen on the screen, median of 3\n")
    print("| while | latency |")
    print("|---|---:|")
    print(f"| nothing runs | {statistics.median(idle) * 1000:.0f} ms |")
    print(f"| a step floods 30 MB of output | {statistics.median(busy) * 1000:.0f} ms |")


if __name__ == "__main__":
    main()
