"""Every process a step starts ends with the journey: real bash, real signals, real /proc."""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tutorial.shell.session import Session


def _alive(pid: int) -> bool:
    """A process that exists and is not a zombie waiting to be collected."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return text[text.rindex(")") + 2] not in "ZX"


def _tagged(tag: str) -> list[int]:
    """Processes whose command line contains ``tag`` (each test uses its own)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != os.getpid():
            try:
                line = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            if tag in line and _alive(int(entry.name)):
                found.append(int(entry.name))
    return found


def _until(condition: Callable[[], bool], seconds: float = 15.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return condition()


def _tag() -> str:
    """A sleep duration no other process on the machine uses: finds this test's sleeps."""
    return f"1000.{secrets.randbelow(10**8):08d}"


def test_closing_the_session_stops_background_jobs_and_escapees(tmp_path):
    tag = _tag()
    session = Session(tmp_path)
    session.start()
    result = session.run(
        f"sleep {tag} &\n(sleep {tag} & wait) &\nsetsid sleep {tag} &\nnohup sleep {tag} >/dev/null 2>&1 &\n"
    )
    assert result.ok, result.output_tail
    assert _until(lambda: len(_tagged(tag)) == 4)
    session.close()
    assert _tagged(tag) == []


def test_respawning_jobs_are_stopped_too(tmp_path):
    tag = _tag()
    pids = tmp_path / "respawners"
    with Session(tmp_path) as session:
        result = session.run(
            f"respawn() {{ echo $BASHPID >> {pids}; while :; do sleep {tag} & wait; done; }}\n"
            "for i in 1 2 3 4; do respawn & done\n"
            "(respawn & respawn & wait) &\n"
        )
        assert result.ok, result.output_tail
        assert _until(lambda: pids.exists() and len(pids.read_text().split()) == 6 and len(_tagged(tag)) == 6)
    parents = [int(p) for p in pids.read_text().split()]
    assert [p for p in parents if _alive(p)] == []
    assert _tagged(tag) == []


PAGE = """# Jobs

```bash
sleep {tag} &
(sleep {tag} & wait) &
echo started > {flag}
sleep {tag}
```
"""


def _start_run(tmp_path: Path, tag: str) -> tuple[subprocess.Popen[str], Path, Path]:
    root = tmp_path / "manuscript"
    root.mkdir(exist_ok=True)
    flag = tmp_path / "started"
    flag.unlink(missing_ok=True)
    (root / "jobs.md").write_text(PAGE.format(tag=tag, flag=flag))
    work = tmp_path / "work"
    work.mkdir(exist_ok=True)
    process = subprocess.Popen(
        [sys.executable, "-m", "tutorial", "run", "jobs.md", "--manuscript", str(root)],
        cwd=work,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert _until(flag.exists), "the step did not start"
    assert _until(lambda: len(_tagged(tag)) == 3)
    return process, root, work


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGHUP])
def test_run_stopped_by_a_signal_takes_the_steps_processes_with_it(tmp_path, number):
    tag = _tag()
    process, _, _ = _start_run(tmp_path, tag)
    process.send_signal(number)
    process.communicate(timeout=30)
    assert process.returncode != 0
    assert _tagged(tag) == []


def test_after_run_is_killed_the_next_start_stops_what_it_left(tmp_path):
    tag = _tag()
    process, root, work = _start_run(tmp_path, tag)
    process.kill()
    process.communicate(timeout=30)
    (root / "ok.md").write_text("# Ok\n\n```bash\necho ok\n```\n")
    try:
        assert _until(lambda: len(_tagged(tag)) > 0 and all(_tagged(tag)))  # nothing cleaned up after kill -9
        again = subprocess.run(
            [sys.executable, "-m", "tutorial", "run", "ok.md", "--manuscript", str(root)],
            cwd=work,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert again.returncode == 0, again.stdout + again.stderr
        assert "Stopped 3 processes left running by an earlier session" in again.stderr, again.stderr
        assert _tagged(tag) == []
    finally:
        for pid in _tagged(tag):
            os.kill(pid, signal.SIGKILL)


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGHUP])
def test_the_app_stopped_by_a_signal_takes_the_steps_processes_with_it(tmp_path, number):
    import pexpect

    tag = _tag()
    root = tmp_path / "manuscript"
    root.mkdir()
    flag = tmp_path / "started"
    (root / "jobs.md").write_text(PAGE.format(tag=tag, flag=flag))
    work = tmp_path / "work"
    work.mkdir()
    child = pexpect.spawn(
        sys.executable,
        ["-m", "tutorial", "--manuscript", str(root), "--start", "jobs.md"],
        cwd=str(work),
        env={**os.environ, "TERM": "xterm-256color"},
        dimensions=(40, 120),
    )
    screen = bytearray()

    def reading(condition: Callable[[], bool]) -> Callable[[], bool]:
        """``condition``, while reading what the app draws (it stops when nobody reads)."""

        def check() -> bool:
            with contextlib.suppress(pexpect.TIMEOUT, pexpect.EOF):
                screen.extend(child.read_nonblocking(1 << 16, timeout=0.05))
            del screen[:-100_000]
            return condition()

        return check

    try:
        assert _until(reading(lambda: b"pending" in screen), 30)  # the step is shown (not only the page)
        child.send("r")
        assert _until(reading(flag.exists)), "the step did not start"
        assert _until(reading(lambda: len(_tagged(tag)) == 3))
        child.kill(number)
        assert _until(reading(lambda: not child.isalive()))
        assert _tagged(tag) == []
    finally:
        child.close(force=True)
        for pid in _tagged(tag):
            os.kill(pid, signal.SIGKILL)


def _record_for(process: subprocess.Popen[bytes], token: str, owner: int, state_dir: Path) -> None:
    from tutorial.shell import processes

    shell = processes.stat(process.pid)
    owner_state = processes.stat(owner)
    assert shell is not None
    state_dir.mkdir(parents=True, exist_ok=True)
    processes.Record(
        owner=owner,
        owner_start=owner_state.start if owner_state else 0,
        shell=shell.pid,
        session=shell.session,
        shell_start=shell.start,
        token=token,
    ).save(state_dir / f"{processes.RECORD_PREFIX}session-test.json")


def test_what_a_running_journey_started_is_never_taken_for_leftovers(tmp_path):
    from tutorial.shell.processes import stop_leftovers

    token = secrets.token_hex(8)
    job = subprocess.Popen(["sleep", _tag()], env={**os.environ, "ADVENTURE_SESSION": token}, start_new_session=True)
    try:
        _record_for(job, token, os.getpid(), tmp_path)  # its owner (this test) is alive
        assert stop_leftovers(tmp_path) is None
        assert _alive(job.pid)
    finally:
        job.kill()
        job.wait()


async def test_the_app_says_it_stopped_leftovers(tmp_path):
    from tutorial.manuscript.loader import load
    from tutorial.shell.statedir import STATE_DIR
    from tutorial.ui.app import AdventureApp

    root = tmp_path / "manuscript"
    root.mkdir()
    (root / "ok.md").write_text("# Ok\n\n```bash\necho ok\n```\n")
    work = tmp_path / "work"
    token = secrets.token_hex(8)
    gone = subprocess.Popen(["true"])
    gone.wait()  # an owner that no longer runs: killed with -9, say
    job = subprocess.Popen(["sleep", _tag()], env={**os.environ, "ADVENTURE_SESSION": token}, start_new_session=True)
    try:
        _record_for(job, token, gone.pid, work / STATE_DIR)
        app = AdventureApp(load(root), work, start=["ok.md"])
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            told = [n.message for n in app._notifications]
            await pilot.press("ctrl+q")
        assert any("Stopped 1 process left running" in message for message in told), told
        assert job.wait(timeout=10) is not None
    finally:
        job.kill()
        job.wait()


def test_what_a_step_in_the_readers_terminal_leaves_running_ends_with_the_session(tmp_path):
    tag = _tag()
    session = Session(tmp_path)
    session.start()
    done = session.run_in_terminal(f"setsid sleep {tag} >/dev/null 2>&1 &")
    assert done.exit_code == 0
    assert _until(lambda: len(_tagged(tag)) == 1)
    session.close()
    assert _tagged(tag) == []
