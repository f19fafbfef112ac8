"""Launch time and input latency of the app, in a real pseudo-terminal.

    python bench/launch.py [--repeat 7]

1. Time from starting the program to the first chapter painted on the screen (its title and
   the start of its prose), for `cncf-adventure --start setup.md` and for a minimal Textual
   app that paints the same words, measured the same way in the same run. Target: 1.2x.
2. `cncf-adventure` with no start page: the time to its start screen painted, next to the
   minimal app painting a list of one entry; and a chapter switch: the time from Enter on the
   start screen to the chosen chapter painted, next to the minimal app replacing the list by
   the same words on Enter. Target: 0.2 s for the switch.
3. Input latency: the time from pressing `?` to the help screen appearing, and from `?` again
   to the page under it shown again, with nothing running and while a step floods the output
   with 30 MB. Target: opening under 50 ms idle, both within 1.2x of idle while flooding.
   The floor of that ratio on this machine: the minimal app while the same flood runs beside
   it (read by `script`), so that it has none of the flood's work to do itself.
4. A step printing `seq 1 3000000` (about 20 MB) in the app, from pressing `r` to the step
   marked passed, next to the same page through `cncf-adventure run` (whole command, and
   minus a run of a step printing nothing). Target: within 2x of `run`.

A terminal emulator (pyte) rebuilds the screen from what the program writes, so "painted"
means visible to a reader, not merely rendered in memory.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pexpect
import pyte

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.checkout import COMMAND, environment, warm

COLUMNS, ROWS = 120, 40
HERE = Path(__file__).resolve().parent
ENV: dict[str, str] = dict(os.environ)  # this checkout's code, its bytecode cached (set in main)
SEQ = "seq 1 3000000"
FLOOD_BYTES = 30_000_000
FLOOD = f"head -c {FLOOD_BYTES} /dev/zero | tr '\\0' x | fold -w 100"  # 30 MB of 100-character lines
#: runs of each latency measurement: single runs spread from 20 to 60 ms on a shared machine
LATENCY_RUNS = 15
_PIECE = 4096  # bytes of the program's output fed to the emulator before the screen is looked at again


#: the niceness programs run at (the emulator's own may be raised, see _keep_up)
NICENESS = os.getpriority(os.PRIO_PROCESS, 0)


def _keep_up() -> bool:
    """Let the emulator (this process) go before the programs it watches, when the system allows it.

    A reader's terminal draws a frame as soon as it has it, whatever a step floods. This one is
    Python (pyte), and on two cores shared with a flooding step and the app it would wait for a
    core before it could even read the app's frame: the figure would be the emulator's. The
    programs it starts keep the niceness this process had (see ``Terminal``), so they compete
    with each other as they would anywhere. Without the right to do it (not root), nothing changes.
    """
    try:
        os.setpriority(os.PRIO_PROCESS, 0, NICENESS - 10)
    except OSError:
        return False
    return True


def _as_usual() -> None:
    """In a program the benchmark starts: the niceness it would have had (not the emulator's)."""
    os.setpriority(os.PRIO_PROCESS, 0, NICENESS)


class Terminal:
    def __init__(self, command: list[str], cwd: Path) -> None:
        env = {**ENV, "TERM": "xterm-256color"}
        self.started = time.perf_counter()
        self.child = pexpect.spawn(
            command[0], command[1:], cwd=str(cwd), env=env, dimensions=(ROWS, COLUMNS), preexec_fn=_as_usual
        )
        # pexpect sleeps 50 ms before every send by default: that sleep is the harness's, not the app's.
        self.child.delaybeforesend = None
        self.screen = pyte.Screen(COLUMNS, ROWS)
        self.stream = pyte.ByteStream(self.screen)

    def shows(self, *texts: str) -> bool:
        shown = "\n".join(self.screen.display)
        return all(text in shown for text in texts)

    def wait_for(self, *texts: str, gone: str = "", timeout: float = 60) -> float:
        """The time when every one of ``texts`` is on the screen (and ``gone`` is not).

        What the program wrote is fed to the emulator a piece at a time, looking at the screen
        after each: a frame that shows the texts counts when it is read, not once the emulator
        has also worked through the frames that followed it in the same read (a step's output
        after the page it comes back to). A terminal shows a frame as soon as it has it.
        """
        deadline = time.perf_counter() + timeout
        while not self.showing(texts, gone):
            if time.perf_counter() > deadline:
                raise TimeoutError(f"{texts} never appeared:\n" + "\n".join(self.screen.display))
            try:
                data = self.child.read_nonblocking(1 << 16, timeout=0.02)
            except pexpect.TIMEOUT:
                continue
            for start in range(0, len(data), _PIECE):
                self.stream.feed(data[start : start + _PIECE])
                if start + _PIECE < len(data) and self.showing(texts, gone):
                    shown = time.perf_counter()
                    self.stream.feed(data[start + _PIECE :])  # (the rest, after the clock)
                    return shown
        return time.perf_counter()

    def showing(self, texts: tuple[str, ...], gone: str) -> bool:
        return self.shows(*texts) and not (gone and self.shows(gone))

    def time_key(self, key: str, *texts: str, gone: str = "", timeout: float = 60) -> float:
        """Seconds from sending ``key`` (what came before it read first) to ``texts`` shown (``gone`` not)."""
        self.drain()
        pressed = time.perf_counter()
        self.child.send(key)
        return self.wait_for(*texts, gone=gone, timeout=timeout) - pressed

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


def first_paint(command: list[str], cwd: Path, ready: str = "") -> tuple[float, float]:
    """Seconds to the chapter's title and prose on the screen, and to ``ready`` (its steps) too."""
    terminal = Terminal(command, cwd)
    try:
        painted = terminal.wait_for("Prepare Your Workspace", "Hero is a tiny web application") - terminal.started
        steps = terminal.wait_for(ready) - terminal.started if ready else painted
        return painted, steps
    finally:
        terminal.close()


def chapter_switch(command: list[str], cwd: Path) -> tuple[float, float]:
    """Seconds to the start screen painted, and from Enter on it (its one entry chosen) to the chapter."""
    terminal = Terminal(command, cwd)
    try:
        shown = terminal.wait_for("Start a journey", "setup.md") - terminal.started
        time.sleep(0.3)  # what the app does after its first frame is not a chapter switch's cost
        return shown, terminal.time_key("\r", "Hero is a tiny web application")
    finally:
        terminal.close()


def in_app_step(work: Path, manuscript: Path) -> float:
    """Seconds from `r` to the step marked passed, for a step printing `seq 1 3000000`."""
    (work / "settings.yaml").unlink(missing_ok=True)
    terminal = Terminal([*COMMAND, "--workdir", str(work), "--manuscript", str(manuscript), "--start", "seq.md"], work)
    try:
        terminal.wait_for("Step 1", "○ pending")
        return terminal.time_key("r", "✔ passed", timeout=300)
    finally:
        terminal.close()


def headless(work: Path, manuscript: Path, page: str) -> float:
    (work / "settings.yaml").unlink(missing_ok=True)
    started = time.perf_counter()
    subprocess.run(
        [*COMMAND, "run", "--workdir", str(work), "--manuscript", str(manuscript), page],
        cwd=work,
        env=ENV,
        stdout=subprocess.DEVNULL,
        check=True,
        preexec_fn=_as_usual,
    )
    return time.perf_counter() - started


def help_latency(work: Path, manuscript: Path, flood: bool, minimal: bool = False) -> tuple[float, float]:
    """Seconds from `?` to the help on the screen, and from Escape to the page under it shown again.

    In the app (``flood``: while a step of its own floods), or in the minimal app (its
    baseline; ``flood``: while the same flood runs beside it, see :func:`flood_beside`).
    """
    if minimal:
        terminal = Terminal([sys.executable, str(HERE / "minimal_app.py")], work)
    else:
        command = [*COMMAND, "--workdir", str(work), "--manuscript", str(manuscript), "--start", "flood.md"]
        terminal = Terminal(command, work)
    try:
        terminal.wait_for("Hero is a tiny web application" if minimal else "Step 1")
        # what the app does after its first frame is not the key's cost: the chapter's steps are
        # shown about 0.5 s after the start, and the start's last work (its first layouts, the
        # help rendered ahead on a thread) goes on for up to 0.3 s more on this machine
        time.sleep(0.6)
        with contextlib.ExitStack() as beside:
            if flood and minimal:
                beside.enter_context(flood_beside())
            elif flood:
                terminal.child.send("r")
                terminal.wait_for("xxxxxxxxxxxxxxxxxxxx")  # the flood has reached the screen
            opened = terminal.time_key("?", "Each code block of a chapter")
            time.sleep(0.3)  # a reader reads the help before closing it: what opening it left to do is done
            under = "Hero is a tiny web application" if minimal else "Step 1"
            # `?` closes it too; a lone Escape waits for the terminal's escape-sequence delay, in any Textual app
            closed = terminal.time_key("?", under, gone="Each code block of a chapter")
        return opened, closed
    finally:
        terminal.close()


@contextlib.contextmanager
def flood_beside() -> Iterator[None]:
    """The app's flood, run beside a program instead of in it: the floor of a latency while flooding.

    The same pipeline, read from a terminal of its own by `script` (as the app reads its step's),
    in a session of its own (as the app's shell is): the machine is as busy as when the app
    floods, and the program measured has none of that work to do itself. Three times as long,
    so that it still runs when the help closes; stopped then.
    """
    command = FLOOD.replace(str(FLOOD_BYTES), str(3 * FLOOD_BYTES))
    flood = subprocess.Popen(
        ["script", "-q", "-c", command, "/dev/null"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        start_new_session=True,
        preexec_fn=_as_usual,
    )
    try:
        time.sleep(0.3)  # (as long as the app's flood takes to reach its screen)
        yield
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(flood.pid, signal.SIGKILL)
        flood.wait()


def _medians(runs: list[tuple[float, float]]) -> tuple[float, float]:
    """The median time to open the help, and to close it."""
    return statistics.median(o for o, _ in runs), statistics.median(c for _, c in runs)


def _latency_row(
    label: str,
    runs: list[tuple[float, float]],
    base: tuple[float, float],
    idle: tuple[float, float] | None = None,
) -> None:
    """One row of the latency table: opening and closing, each against the minimal app idle
    (``base``) and, for a row measured while flooding, against the same program idle (``idle``)."""
    cells = []
    for index, values in enumerate(([o for o, _ in runs], [c for _, c in runs])):
        median = statistics.median(values)
        against_idle = f", {median / idle[index]:.2f}x idle" if idle is not None else ""
        cells.append(f"{_ms(values)}{against_idle} | {median / base[index]:.2f}x")
    print(f"| {label} | {' | '.join(cells)} |")


def _ms(values: list[float]) -> str:
    """The median in milliseconds, and the middle half of the runs (25th to 75th percentile)."""
    low, _, high = statistics.quantiles(values, n=4)
    return f"{statistics.median(values) * 1000:.0f} ms ({low * 1000:.0f}–{high * 1000:.0f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    keeping_up = _keep_up()
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        ENV.clear()
        ENV.update(environment(work / "bytecode"))  # without PYTHONDONTWRITEBYTECODE
        warm(work / "bytecode")
        ours, ready, minimal, switch, minimal_switch, start, minimal_start = [], [], [], [], [], [], []
        for _ in range(args.repeat):  # interleaved
            shutil.rmtree(work / ".adventure", ignore_errors=True)
            (work / "settings.yaml").unlink(missing_ok=True)
            painted, steps = first_paint([*COMMAND, "--workdir", str(work), "--start", "setup.md"], work, "1. mkdir")
            ours.append(painted)
            ready.append(steps)
            minimal.append(first_paint([sys.executable, str(HERE / "minimal_app.py")], work)[0])
            shutil.rmtree(work / ".adventure", ignore_errors=True)
            (work / "settings.yaml").unlink(missing_ok=True)
            shown, switched = chapter_switch([*COMMAND, "--workdir", str(work)], work)
            start.append(shown)
            switch.append(switched)
            shown, switched = chapter_switch([sys.executable, str(HERE / "minimal_app.py"), "--switch"], work)
            minimal_start.append(shown)
            minimal_switch.append(switched)
        manuscript = work / "manuscript"
        manuscript.mkdir()
        (manuscript / "flood.md").write_text(f"# Flood\n\n```bash\n{FLOOD}\n```\n")
        (manuscript / "seq.md").write_text(f"# Count\n\n```bash\n{SEQ}\n```\n")
        (manuscript / "quiet.md").write_text("# Quiet\n\n```bash\ntrue\n```\n")
        idle, minimal_idle, busy, minimal_busy = [], [], [], []
        for _ in range(LATENCY_RUNS):  # interleaved (a latency of 20 to 50 ms moves by 10 ms from one run to the next)
            idle.append(help_latency(work, manuscript, flood=False))
            minimal_idle.append(help_latency(work, manuscript, flood=False, minimal=True))
            minimal_busy.append(help_latency(work, manuscript, flood=True, minimal=True))
            (work / "settings.yaml").unlink(missing_ok=True)  # the flood step is to run again, not resumed
            busy.append(help_latency(work, manuscript, flood=True))
            (work / "settings.yaml").unlink(missing_ok=True)
        app_step, run_step, run_quiet = [], [], []
        for _ in range(3):  # interleaved
            app_step.append(in_app_step(work, manuscript))
            run_step.append(headless(work, manuscript, "seq.md"))
            run_quiet.append(headless(work, manuscript, "quiet.md"))
    priority = "ahead of the programs" if keeping_up else "at the programs' priority (no right to raise it)"
    print(f"(the terminal emulator ran {priority})\n")
    print(f"launch: best of {args.repeat} interleaved runs (median in brackets), {COLUMNS}x{ROWS} terminal\n")
    print("| program | first chapter painted | vs minimal app |")
    print("|---|---:|---:|")
    base = min(minimal)
    print(f"| minimal Textual app | {base * 1000:.0f} ms ({statistics.median(minimal) * 1000:.0f} ms) | 1.00x |")
    print(
        f"| cncf-adventure --start setup.md | {min(ours) * 1000:.0f} ms "
        f"({statistics.median(ours) * 1000:.0f} ms) | {min(ours) / base:.2f}x |"
    )
    print(
        f"| cncf-adventure --start setup.md, its steps shown too | {min(ready) * 1000:.0f} ms "
        f"({statistics.median(ready) * 1000:.0f} ms) | {min(ready) / base:.2f}x |"
    )
    print(f"\nstart screen: `cncf-adventure` (no --start) to it painted, best of {args.repeat} (median)\n")
    print("| program | start screen painted | vs minimal app |")
    print("|---|---:|---:|")
    base = min(minimal_start)
    print(f"| minimal Textual app | {base * 1000:.0f} ms ({statistics.median(minimal_start) * 1000:.0f} ms) | 1.00x |")
    print(
        f"| cncf-adventure | {min(start) * 1000:.0f} ms "
        f"({statistics.median(start) * 1000:.0f} ms) | {min(start) / base:.2f}x |"
    )
    print(f"\nchapter switch: Enter on the start screen to the chapter painted, best of {args.repeat} (median)\n")
    print("| program | chapter painted after Enter | vs minimal app |")
    print("|---|---:|---:|")
    base = min(minimal_switch)
    print(f"| minimal Textual app | {base * 1000:.0f} ms ({statistics.median(minimal_switch) * 1000:.0f} ms) | 1.00x |")
    print(
        f"| cncf-adventure | {min(switch) * 1000:.0f} ms "
        f"({statistics.median(switch) * 1000:.0f} ms) | {min(switch) / base:.2f}x |"
    )
    print(
        f"\ninput latency: `?` to the help on the screen, `?` again to the page under it, median of {LATENCY_RUNS}"
        " (the middle half of the runs in brackets)\n"
    )
    print("| program, while | help opened | vs minimal app | help closed | vs minimal app |")
    print("|---|---:|---:|---:|---:|")
    floor = _medians(minimal_idle)
    _latency_row("minimal Textual app, nothing runs", minimal_idle, floor)
    _latency_row("minimal Textual app, the same flood runs beside it", minimal_busy, floor, idle=floor)
    _latency_row("cncf-adventure, nothing runs", idle, floor)
    _latency_row("cncf-adventure, a step floods 30 MB of output", busy, floor, idle=_medians(idle))
    step_alone = statistics.median(run_step) - statistics.median(run_quiet)
    app = statistics.median(app_step)
    print(f"\n`{SEQ}` as a step, median of 3 interleaved runs\n")
    print("| where | time | app vs this |")
    print("|---|---:|---:|")
    print(f"| in the app, `r` to passed | {app:.2f} s | - |")
    whole = statistics.median(run_step)
    print(f"| `cncf-adventure run`, whole command | {whole:.2f} s | {app / whole:.2f}x |")
    print(f"| `cncf-adventure run`, minus a run of `true` | {step_alone:.2f} s | {app / step_alone:.2f}x |")


if __name__ == "__main__":
    main()
