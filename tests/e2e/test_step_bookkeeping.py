"""What a session does around each step besides running it, on a real bash (no mocks).

The values a step assigned come back with its end, not through a second question; the
engine's own questions leave the snapshot alone; the snapshot is written over in place
and read back only up to its own end.
"""

from __future__ import annotations

import errno
import os
import subprocess
from pathlib import Path

import pytest

from tutorial.shell import session as session_module
from tutorial.shell import snapshot
from tutorial.shell.session import Session, SessionError


@pytest.fixture
def session(tmp_path: Path):
    with Session(tmp_path) as running:
        yield running


def _snapshot(session: Session) -> str:
    """What a new shell would read: the last whole snapshot, with the variables steps set since (its delta)."""
    whole = (session.state_dir / "session-state.sh").read_text()
    return snapshot.with_delta(whole, (session.state_dir / "session-state.sh.delta").read_text())


def test_the_values_a_step_assigned_come_back_with_its_end(session: Session) -> None:
    result = session.run(
        "export A=1 B='two words'\nC=$'x\\ny'\nD=", report=["A", "B", "C", "D", "NEVER_SET", "not-a-name"]
    )
    assert result.values == {"A": "1", "B": "two words", "C": "x\ny", "D": ""}
    assert session.variables(["A", "B", "C", "D", "NEVER_SET"]) == result.values  # what asking would answer
    assert "two words" not in result.output_tail  # the report is not the step's output


def test_a_failed_step_reports_what_it_assigned_before_failing(session: Session) -> None:
    result = session.run("export FIRST=kept\nfalse\nexport SECOND=never", report=["FIRST", "SECOND"])
    assert result.exit_code == 1
    assert result.values == {"FIRST": "kept"}


def test_a_step_asked_for_nothing_reports_nothing(session: Session) -> None:
    assert session.run("export QUIET=1").values is None


def test_a_step_that_ends_the_shell_cannot_report(session: Session) -> None:
    result = session.run("export GONE=1\nexit 3", report=["GONE"])
    assert result.exit_code == 3 and result.values is None


def test_the_engine_s_own_questions_leave_the_snapshot_alone(session: Session) -> None:
    session.run("export A=1")
    session.variables(["A"])  # bash finished the step's snapshot before reading this question
    after_step = _snapshot(session)
    assert 'declare -x A="1"' in after_step
    session.variables(["A"])
    session.defined_names()
    session.variables(["A"])  # ... and whatever the two before it would have written
    assert _snapshot(session) == after_step
    session.run("export B=2")
    session.variables(["B"])
    assert 'declare -x B="2"' in _snapshot(session)


def test_the_snapshot_is_still_written_when_the_reader_forbids_overwriting_files(session: Session) -> None:
    session.run("set -o noclobber")
    session.run("export LATE=1")
    ended = session.run("exit 3")
    assert ended.notes  # a new shell, rebuilt from the snapshot
    assert session.variables(["LATE"]) == {"LATE": "1"}


def test_a_shell_rebuilt_twice_keeps_what_every_step_left(session: Session) -> None:
    session.run("export A=1\nlong() { echo " + "x" * 2000 + "; }")  # a long snapshot first
    session.run("exit 1")
    session.run("unset -f long\nexport B=2")  # then a shorter one, written over it
    session.run("exit 1")
    assert session.variables(["A", "B"]) == {"A": "1", "B": "2"}
    assert "long" not in session.defined_names()


NAMES = [
    *["GITHUB_TOKEN", "db_password", "MY_PWD", "pwd", "PWD", "PATH", "KEYBOARD", "TOKENIZER", "A__TOKEN__B", "X"],
    *["my_Token", "github_pat", "Pat", "ZAPIKEY", "TOPSECRET_X", "SECRETARY", "OLDPWD", "PATH_2", "KEY"],
]


@pytest.mark.parametrize("listed", ["through a file of the session's", "by first letter"])
@pytest.mark.parametrize("name", NAMES)
def test_the_shell_finds_a_variable_named_like_a_secret_as_the_manuscript_does(
    tmp_path: Path, listed: str, name: str
) -> None:
    from tutorial.manuscript.placeholders import looks_secret
    from tutorial.shell.session import _name_functions

    where = f"__adv_snapshot={tmp_path / 'state.sh'}\n" if listed.startswith("through") else ""
    script = (
        _name_functions()
        + where
        + "__adv_secret_names_in_use && echo before\n"  # only PWD, PATH and the like so far
        + f"{name}=1\n__adv_secret_names_in_use && echo after; :\n"
    )
    said = subprocess.run(
        ["env", "-i", "PATH=/usr/bin:/bin", "bash", "--norc", "--noprofile", "-c", script],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert said == (["after"] if looks_secret(name) else [])


def test_a_working_directory_named_after_a_secret_stays_out_of_the_snapshot(tmp_path: Path) -> None:
    secret = "s3cr3t-f0lder-t0ken"
    with Session(tmp_path, env={"PATH": "/usr/bin:/bin", "API_TOKEN": secret}) as session:
        session.run(f'mkdir -p "{secret}" && cd "{secret}"\nexport PLAIN=kept')
        session.variables(["PLAIN"])  # bash finished the step's snapshot before reading this
        written = _snapshot(session)
    assert 'declare -x PLAIN="kept"' in written
    assert secret not in written


def test_a_shell_rebuilt_after_steps_that_only_set_variables_has_them(session: Session) -> None:
    """Such steps add their variables to a delta of the last whole snapshot: a new shell reads both."""
    session.run("export A=1 KEEP=k\nmkdir -p sub && cd sub")  # a whole snapshot (cd)
    session.run("export A=2 B='two words'")
    session.run("echo nothing set")
    session.run("export A=3\nC=plain")
    session.variables(["A"])  # bash finished writing before this question
    assert 'A="3"' not in (session.state_dir / "session-state.sh").read_text()  # not written whole again
    ended = session.run("kill -9 $$")
    assert ended.notes
    assert session.variables(["A", "B", "C", "KEEP"]) == {"A": "3", "B": "two words", "C": "plain", "KEEP": "k"}
    assert session.variables(["PWD"])["PWD"].endswith("/sub")


def test_each_step_appends_only_its_own_variables_and_the_file_stays_bounded(session: Session) -> None:
    """A step writes what it set, not every name set since the last whole snapshot; the file is emptied in time."""
    session.run("export FIRST=one")
    delta = session.state_dir / "session-state.sh.delta"
    session.run("export SECOND=two")
    session.variables(["SECOND"])  # bash finished writing before this question
    last = delta.read_text().rsplit("# -- delta ", 1)[1]
    assert "SECOND" in last and "FIRST" not in last  # not declared again by the step after it
    sizes = []
    for number in range(600):  # more blocks than one snapshot takes, more than the file keeps
        session.run(f"export COUNTER={number}")
        if number % 50 == 49:
            session.variables(["COUNTER"])
            sizes.append(delta.stat().st_size)
    assert max(sizes) < 300 * 80  # (each block is under 80 bytes here)
    ended = session.run("kill -9 $$")
    assert ended.notes
    assert session.variables(["FIRST", "SECOND", "COUNTER"]) == {"FIRST": "one", "SECOND": "two", "COUNTER": "599"}


def test_a_shell_that_could_not_be_rebuilt_at_once_is_rebuilt_later_with_every_variable(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full disk stops the new shell from starting: once there is room, it still gets what the steps set."""
    session.run("export KEEP=k\nmkdir -p sub && cd sub")  # a whole snapshot (cd)
    session.run("export A=2 B='two words'")  # a delta
    session.variables(["A"])  # bash finished writing before this question
    written = session_module.write_private

    def full_disk(path: Path, *args: object, **kwargs: object) -> None:
        if path.name == "session-init.sh":
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        written(path, *args, **kwargs)

    monkeypatch.setattr(session_module, "write_private", full_disk)
    ended = session.run("exit 3")  # it ran: what it did stands, and says why no shell follows it
    assert ended.exit_code == 3 and "a new one could not be started" in ended.notes[0]
    assert "no space left" in ended.notes[0]
    with pytest.raises(SessionError, match="no space left"):  # the next step is not run
        session.run("echo never")
    monkeypatch.setattr(session_module, "write_private", written)
    assert session.variables(["A", "B", "KEEP"]) == {"A": "2", "B": "two words", "KEEP": "k"}
    assert session.variables(["PWD"])["PWD"].endswith("/sub")


def test_a_delta_is_not_used_past_the_next_whole_snapshot(session: Session) -> None:
    session.run("export A=1")
    session.run("export A=2")  # a delta
    session.run("unset A")  # a whole snapshot without A: the delta before it no longer holds
    session.run("exit 3")
    assert session.variables(["A"]) == {}


def test_a_reader_s_alias_or_function_makes_the_shell_write_its_whole_state(session: Session) -> None:
    """`ls` may be the reader's alias that changes the directory: only the shell knows, and writes it all."""
    session.run("mkdir -p elsewhere; alias ls='cd elsewhere'")
    session.run("ls")
    session.run("exit 3")
    assert session.variables(["PWD"])["PWD"].endswith("/elsewhere")


def test_a_variable_set_through_a_reference_comes_back_after_a_restart(session: Session) -> None:
    session.run("declare -n REF=TARGET")
    session.run("REF=through")  # sets TARGET: the shell writes it all, not REF alone
    session.run("exit 3")
    assert session.variables(["TARGET"]) == {"TARGET": "through"}


def test_a_reader_s_function_makes_the_shell_write_its_whole_state(session: Session) -> None:
    session.run("mkdir -p there; deploy() { cd there; }")
    session.run("deploy")  # a program for all the step's text says: only the shell knows it is a function
    session.run("exit 3")
    assert session.variables(["PWD"])["PWD"].endswith("/there")


def test_a_variable_a_step_only_might_set_leaves_the_shell_as_it_was(session: Session) -> None:
    """Named in the text, never set: the shell writes what is set, under the reader's `set -e` and odd IFS too."""
    session.run("set -e")
    session.run("IFS=,")
    session.run("export A=1")
    session.run("false && export NEVER=1 || :")
    session.run("export A=2")
    assert not session.run("echo alive").notes  # the same shell: it did not end
    session.run("exit 3")
    assert session.variables(["A", "NEVER", "IFS"]) == {"A": "2", "IFS": ","}
