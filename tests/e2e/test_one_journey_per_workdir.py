"""One journey per work directory; every session's files its own."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import pytest
import yaml

from tests.support.cli import run_cli
from tutorial.progress.worklock import WorkdirBusy, WorkdirLock
from tutorial.shell.session import Session

SLOW = """
# Slow

```bash
echo started
while [ ! -f go.flag ]; do sleep 0.05; done
echo finished
```
"""


def cli(*args: object, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run_cli(*args, cwd=cwd, timeout=60)


@pytest.fixture
def book(tmp_path: Path) -> tuple[Path, Path]:
    root = tmp_path / "manuscript"
    root.mkdir()
    (root / "slow.md").write_text(textwrap.dedent(SLOW).lstrip())
    (root / "quick.md").write_text("# Quick\n\n```bash\necho quick > quick.out\n```\n")
    work = tmp_path / "work"
    work.mkdir()
    return root, work


def _wait_for(predicate, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_a_second_run_in_the_same_work_directory_says_who_holds_it_and_runs_nothing(book):
    root, work = book
    first = subprocess.Popen(
        [sys.executable, "-m", "tutorial", "run", "slow.md", "--manuscript", str(root), "--workdir", str(work)],
        cwd=work,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_for(lambda: list((work / ".adventure").glob("session-*/step-*.sh")))
        second = cli("run", "quick.md", "--manuscript", root, cwd=work)
        assert second.returncode == 2
        assert f"pid {first.pid}" in second.stderr
        assert "run slow.md" in second.stderr  # the holder's command line
        assert not (work / "quick.out").exists()  # its step never ran
        reset = cli("reset", cwd=work)  # forgetting progress under a running journey would be undone by it
        assert reset.returncode == 2 and f"pid {first.pid}" in reset.stderr
        (work / "go.flag").touch()
        out, _ = first.communicate(timeout=30)
    finally:
        if first.poll() is None:
            first.kill()
            first.wait()
    assert first.returncode == 0 and out.splitlines()[-1] == "1 passed, 0 failed, 0 skipped"
    steps = yaml.safe_load((work / "settings.yaml").read_text())["adventure"]["steps"]
    assert list(steps) == ["slow.md#1"]
    again = cli("run", "quick.md", "--manuscript", root, cwd=work)  # the lock went with the first process
    assert again.returncode == 0 and (work / "quick.out").exists()


def test_the_lock_goes_with_a_killed_holder(book):
    root, work = book
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from pathlib import Path; from tutorial.progress.worklock import WorkdirLock; "
            "lock = WorkdirLock(Path(sys.argv[1])); lock.acquire(); print('held', flush=True); time.sleep(600)",
            str(work),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline() == "held\n"
    with pytest.raises(WorkdirBusy) as busy:
        WorkdirLock(work).acquire()
    assert busy.value.holder.pid == holder.pid
    holder.kill()
    holder.wait()
    with WorkdirLock(work) as lock:
        assert lock.held
    assert cli("run", "quick.md", "--manuscript", root, cwd=work).returncode == 0


def test_a_dry_run_needs_no_lock(book):
    root, work = book
    with WorkdirLock(work):
        result = cli("run", "quick.md", "--manuscript", root, "--dry-run", cwd=work)
    assert result.returncode == 0 and "nothing run" in result.stdout


def test_two_sessions_in_one_directory_never_run_each_others_steps(tmp_path: Path) -> None:
    sessions = [Session(tmp_path, transcript=False), Session(tmp_path, transcript=False)]
    seen: dict[str, list[str]] = {"a": [], "b": []}

    def drive(session: Session, name: str) -> None:
        for number in range(25):
            result = session.run(f"echo {name}-{number}", stdin_eof=True)
            seen[name].append(result.output_tail.strip())

    try:
        threads = [threading.Thread(target=drive, args=(s, n)) for s, n in zip(sessions, seen, strict=True)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        for name, outputs in seen.items():
            assert outputs == [f"{name}-{n}" for n in range(25)]
        folders = {s.state_dir for s in sessions}
        assert len(folders) == 2 and all(f.parent == tmp_path / ".adventure" for f in folders)
    finally:
        for session in sessions:
            session.close()
    assert not list((tmp_path / ".adventure").glob("session-*"))  # each folder went with its session


def test_folders_of_sessions_that_were_killed_are_removed_at_the_next_start(tmp_path: Path) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stale = tmp_path / ".adventure" / f"session-{dead.stdout.strip()}-abcd"
    stale.mkdir(parents=True)
    (stale / "step-1.sh").write_text("echo stale\n")
    alive = tmp_path / ".adventure" / f"session-{os.getpid()}-live"  # a folder of a running process stays
    alive.mkdir()
    with Session(tmp_path, transcript=False) as session:
        assert session.run("echo fresh", stdin_eof=True).output_tail.strip() == "fresh"
    assert not stale.exists() and alive.exists()
