"""A step that floods its output keeps the transcript bounded, and says where it was cut."""

from __future__ import annotations

import re

from tutorial.shell.session import Session


def test_a_flooding_step_keeps_its_head_and_tail_and_marks_the_cut(tmp_path):
    with Session(tmp_path, transcript_limit=20_000) as session:
        flood = session.run("echo START\nhead -c 300000 /dev/zero | tr '\\0' x\necho\necho END")
        quiet = session.run("echo next step")
    assert flood.ok and quiet.ok
    log = (tmp_path / ".adventure" / "transcript.log").read_text()
    step = log[log.index("echo START") : log.index("echo next step")]
    assert len(step.encode()) < 22_000
    assert "START" in step and "END" in step
    cut = re.search(r"\[\.\.\. (\d+) bytes of output left out here \.\.\.\]", step)
    assert cut is not None
    kept = step.count("x")
    assert kept + int(cut.group(1)) + len("START\r\n") + len("\r\n") + len("END\r\n") >= 300_000
    assert "next step" in log[log.index("echo next step") :]


def test_a_step_under_the_limit_is_kept_whole(tmp_path):
    with Session(tmp_path, transcript_limit=20_000) as session:
        session.run("head -c 15000 /dev/zero | tr '\\0' y")
    log = (tmp_path / ".adventure" / "transcript.log").read_text()
    assert "y" * 15_000 in log and "y" * 15_001 not in log and "left out" not in log
