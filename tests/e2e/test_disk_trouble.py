"""A disk that refuses writes (full, or a file size limit): said with the file and why, never a traceback.

The limit on a file's size (``ulimit -f``) makes writes fail past it as a full disk does, for
this process alone: real files, real failures, no mount needed.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

from tutorial.shell.session import Session, SessionError

LIMIT = 256 * 1024  # bytes any file of the run may hold


def _run(work: Path, limit: int) -> subprocess.CompletedProcess[str]:
    """``run page.md`` in ``work``, no file of it allowed past ``limit`` bytes."""
    return subprocess.run(
        [sys.executable, "-m", "tutorial", "run", "--workdir", str(work), "page.md"],
        cwd=work,
        capture_output=True,
        text=True,
        timeout=120,
        preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit)),  # (the child's own)
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
    )


def test_a_transcript_that_cannot_grow_stops_and_the_step_runs_on(tmp_path: Path) -> None:
    (tmp_path / "page.md").write_text(
        "# Flood\n\n```bash\nseq 1 200000\necho done > finished.txt\n```\n\n```bash\necho second\n```\n"
    )
    result = _run(tmp_path, LIMIT)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "finished.txt").read_text() == "done\n"  # the step went on after the record stopped
    assert "transcript.log stopped being written: " in result.stdout
    assert "journey.cast stopped being written: " in result.stdout
    assert result.stdout.count("stopped being written") == 2  # each told once, not at every step
    assert "2 passed" in result.stdout
    assert (tmp_path / ".adventure" / "transcript.log").stat().st_size <= LIMIT


def test_a_step_whose_file_cannot_be_written_is_not_run(tmp_path: Path) -> None:
    with Session(tmp_path, transcript=False) as session:
        session.run("true")
        blocked = session.state_dir / "step-0.sh"  # where the next step is written: a folder now
        blocked.unlink(missing_ok=True)
        blocked.mkdir()
        try:
            session.run("touch ran")
        except SessionError as error:
            assert "the step cannot be written to" in str(error) and "step-0.sh" in str(error)
        else:
            raise AssertionError("a step that could not be written was run")
        assert not (tmp_path / "ran").exists()
        blocked.rmdir()
        assert session.run("echo fine").exit_code == 0  # nothing else was broken


def test_nothing_can_be_written_at_all_is_one_line_naming_the_file(tmp_path: Path) -> None:
    (tmp_path / "page.md").write_text("# P\n\n```bash\ntouch ran\n```\n")
    result = _run(tmp_path, 0)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 2
    assert "cncf-adventure: error: " in result.stderr and str(tmp_path) in result.stderr
    assert not (tmp_path / "ran").exists()
