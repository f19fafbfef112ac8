"""A step always ends, and ends honestly: whatever it does to the shell that runs it."""

from __future__ import annotations

import threading

import pytest

from tutorial.shell.session import Ending, RunResult, Session


@pytest.fixture
def session(tmp_path):
    with Session(tmp_path) as running:
        yield running


def _run(session: Session, code: str) -> RunResult:
    """Run ``code`` without a timeout, as ``run`` does by default; fail the test instead of hanging."""
    results: list[RunResult] = []
    worker = threading.Thread(target=lambda: results.append(session.run(code)), daemon=True)
    worker.start()
    worker.join(30)
    assert results, f"the step never ended: {code!r}"
    return results[0]


@pytest.mark.parametrize(
    "tamper",
    [
        "PROMPT_COMMAND=true",
        "unset PROMPT_COMMAND",
        "PROMPT_COMMAND+=(true)",
        "unset -f __adv_ready",
        "__adv_ready() { :; }",
        "unset -f $(compgen -A function)",
    ],
)
def test_a_step_cannot_remove_what_reports_its_end(session, tamper):
    session.run("export KEPT=yes")
    tampered = _run(session, f"{tamper}\necho after")
    assert not tampered.ok
    assert "readonly" in tampered.output_tail and "after" not in tampered.output_tail
    following = _run(session, 'echo "next $KEPT"')
    assert following.ok and following.output_tail == "next yes"


def test_every_function_of_the_session_is_read_only(session):
    functions = session.query("builtin compgen -A function __adv_").split()
    declared = session.query("builtin declare -F").splitlines()
    assert len(functions) > 5
    assert sorted(line.split()[-1] for line in declared if line.split()[1] == "-fr") == sorted(functions)


def test_a_step_that_stops_its_own_shell_fails_and_the_session_goes_on(session):
    session.run("export KEPT=yes\ncd /")
    stopped = _run(session, "echo before\nkill -STOP $$\necho never")
    assert not stopped.ok
    assert stopped.ending is Ending.SHELL_EXITED
    assert "stopped its own shell" in stopped.problem
    assert stopped.notes and "new shell" in stopped.notes[0]
    following = _run(session, 'echo "$KEPT $PWD"')
    assert following.ok and following.output_tail == "yes /"


@pytest.mark.parametrize(
    ("code", "line"),
    [
        ('set -u\necho "$UNSET_ONE"\necho after', 2),
        ('echo first\necho "${UNSET_TWO:?must be set}"\necho after', 2),
        ('show() { set -u; echo "$1"; }\nshow\necho after', 1),
    ],
)
def test_a_command_the_shell_abandons_fails_the_step_there(session, code, line):
    result = session.run(code)
    assert not result.ok
    assert result.exit_code == 1 and result.failed_line == line
    assert "after" not in result.output_tail
    assert "abandoned" in result.problem
    session.run("set +u")


def test_failures_a_script_would_also_pass_over_are_not_abandoned_commands(session):
    code = (
        "missing=/no/such/file\n"
        "[[ -f $missing ]] && echo yes\n"
        "(( 0 )) || true\n"
        'test -f "$missing" && echo yes\n'
        "false && true\n"
        "! true\n"
        "for i in 1 2; do [[ $i == 3 ]] && echo three; done\n"
        "case x in y) echo y ;; esac\n"
        "echo fine\n"
    )
    result = session.run(code)
    assert result.ok, result.output_tail
    assert result.output_tail == "fine" and result.problem == ""


@pytest.mark.parametrize(
    ("before", "code"),
    [
        ("set -u", 'echo "$UNSET_THREE"\necho after'),  # on already: the shell sees it
        ("strict() { set -u; }", 'strict\necho "$UNSET_FOUR"\necho after'),  # a function of the reader's
        ("alias strict='set -u'", 'strict\necho "$UNSET_FIVE"\necho after'),  # an alias of the reader's
    ],
)
def test_a_step_whose_text_cannot_abandon_a_command_is_still_watched_when_the_shell_can(session, before, code):
    """The watch is left off only when neither the step's text nor the shell can make bash drop a command."""
    session.run(before)
    result = session.run(code)
    assert not result.ok and "abandoned" in result.problem and "after" not in result.output_tail
    session.run("set +u")


@pytest.mark.parametrize(
    ("declared", "abandoned"),
    [("readonly LOCKED=1", True), ("declare -i LOCKED=1", False)],  # (bash gives up on the whole step here)
)
def test_an_assignment_bash_refuses_still_stops_the_step(session, declared, abandoned):
    session.run(declared)
    result = session.run("LOCKED=not-a-number/0\necho after")
    assert not result.ok and "after" not in result.output_tail
    assert ("abandoned" in result.problem) is abandoned


def test_a_glob_that_fails_under_failglob_is_still_seen_as_abandoned(session):
    session.run("shopt -s failglob")
    result = session.run("ls /tmp/*.no-such-extension-here\necho after")
    assert not result.ok and "abandoned" in result.problem and "after" not in result.output_tail
    session.run("shopt -u failglob")
