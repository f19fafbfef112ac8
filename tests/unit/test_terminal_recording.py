"""A step run in the reader's terminal is recorded with ``script``, without the lines ``script`` adds."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tutorial.shell import session
from tutorial.shell.session import recorded

RECORDING = (
    b'Script started on 2026-11-30 16:01:51+00:00 [COMMAND="echo hi" <not executed on terminal>]\n'
    b'hi\r\nthere\r\n\nScript done on 2026-11-30 16:01:51+00:00 [COMMAND_EXIT_CODE="0"]\n'
)


def test_the_notes_of_script_are_left_out() -> None:
    assert session._without_script_notes(RECORDING) == b"hi\r\nthere\r\n"
    assert session._without_script_notes(b"plain output\n") == b"plain output\n"


def test_recorded_only_on_a_terminal(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    command = ["/bin/bash", "-c", "echo hi"]
    monkeypatch.setattr(session.os, "isatty", lambda fd: False)
    assert recorded(command, tmp_path / "out.log") == command
    monkeypatch.setattr(session.os, "isatty", lambda fd: True)
    monkeypatch.setattr(session.shutil, "which", lambda name: f"/usr/bin/{name}")
    monkeypatch.setattr(sys, "platform", "linux")
    wrapped = recorded(command, tmp_path / "out.log")
    assert wrapped[0] == "script" and wrapped[-1] == str(tmp_path / "out.log") and "--return" in wrapped
    monkeypatch.setattr(sys, "platform", "darwin")
    assert recorded(command, tmp_path / "out.log") == ["script", "-q", "-F", str(tmp_path / "out.log"), *command]
