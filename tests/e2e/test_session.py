"""The persistent session, on a real bash in a real pseudo-terminal (no mocks)."""

import resource
import threading
import time

import pytest

from tutorial.shell.commands import assigned_names
from tutorial.shell.output import Masker
from tutorial.shell.session import Ending, Session


@pytest.fixture
def session(tmp_path):
    with Session(tmp_path) as running:
        yield running


def test_everything_a_block_leaves_carries_over(session, tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / ".env").write_text("export FROM_ENV=dotenv\n")
    first = session.run(
        "export EXPORTED=one\nPLAIN=two\ncd sub\ngreet() { echo \"hello $1\"; }\nalias ll='echo alias-ok'\n"
        "source ../.env\nset -e\nsleep 30 &\n"
    )
    assert first.ok, first.output_tail
    second = session.run(
        'echo "$EXPORTED $PLAIN $FROM_ENV $(basename "$PWD")"\ngreet you\nll\n'
        'echo "opts:$-"\njobs | grep -c sleep\nkill %1'
    )
    lines = second.output_tail.splitlines()
    assert lines[:3] == ["one two dotenv sub", "hello you", "alias-ok"]
    assert "e" in lines[3].split(":")[1]  # set -e is still on
    assert lines[4] == "1"  # the background job is still there


def test_set_e_in_the_session_does_not_end_it_on_failure(session):
    session.run("set -e")
    failed = session.run("echo before\nfalse\necho after")
    assert (failed.exit_code, failed.failed_line, failed.ending) == (1, 2, Ending.FINISHED)
    assert failed.output_tail == "before"
    alive = session.run('echo "alive:$-"')
    assert alive.ok and "e" in alive.output_tail.split(":")[1]
    session.run("set +e")
    assert "e" not in session.run('echo "$-"').output_tail


def test_multi_line_constructs_run_as_written(session):
    code = (
        "cat <<EOF\nheredoc $HOME\n\n  kept\nEOF\n"
        "cat <<'RAW'\nraw $HOME\nRAW\n"
        "echo one \\\n  two \\\n  three\n"
        'value=$(printf "%s" \\\n  "multi" \\\n  "line")\necho "$value"\n'
        'quoted="first\nsecond"\necho "$quoted"\n'
        'for i in {1..3}; do\n  echo "n$i"\ndone\n'
        'if [[ -n "$value" ]]; then\n  echo yes\nfi\n'
        "case x in\n  x) echo case-x ;;\nesac\n"
    )
    result = session.run(code)
    assert result.ok, result.output_tail
    home = session.variables(["HOME"])["HOME"]
    assert result.output_tail.splitlines() == [
        f"heredoc {home}",
        "",
        "  kept",
        "raw $HOME",
        "one two three",
        "multiline",
        "first",
        "second",
        "n1",
        "n2",
        "n3",
        "yes",
        "case-x",
    ]


def test_failing_line_in_the_middle_stops_the_block(session):
    result = session.run("export KEPT=yes\necho one\nls /no/such/path\nexport LOST=yes\necho two")
    assert result.exit_code == 2 and result.failed_line == 3
    assert "two" not in result.output_tail
    after = session.run('echo "${KEPT-unset} ${LOST-unset}"')
    assert after.output_tail == "yes unset"


def test_failure_inside_a_function_reports_the_call_site(session):
    result = session.run("f() {\n  false\n  echo never\n}\necho start\nf\necho after")
    assert (result.exit_code, result.failed_line) == (1, 6)
    assert result.output_tail == "start"


def test_conditions_and_or_lists_do_not_stop_a_block(session):
    result = session.run(
        "if false; then echo no; fi\nfalse || echo recovered\ngrep -q x /dev/null && echo no\necho end"
    )
    assert result.ok and result.output_tail == "recovered\nend"


@pytest.mark.parametrize("status", [0, 3])
def test_exit_in_a_block_restarts_the_shell_with_state_restored(session, tmp_path, status):
    (tmp_path / "here").mkdir()
    session.run("export KEEP=kept\nPLAIN=plain\ncd here\nf() { echo fn; }\nalias a1='echo al'")
    pid = session.pid
    ended = session.run(f"echo leaving\nexit {status}")
    assert ended.exit_code == status and ended.ending is Ending.SHELL_EXITED
    assert ended.notes and "new shell" in ended.notes[0]
    assert session.pid != pid
    after = session.run('echo "$KEEP $PLAIN $(basename "$PWD")"\nf\na1')
    assert after.ok and after.output_tail.splitlines() == ["kept plain here", "fn", "al"]


def test_options_changed_step_after_step_come_back_after_the_shell_is_killed(session):
    session.run("shopt -s extglob")  # the options as the shell writes them down change at each step
    session.run("shopt -s dotglob")
    session.run("shopt -u extglob\nshopt -s nullglob")
    killed = session.run("kill -9 $$")
    assert killed.ending is Ending.SHELL_EXITED
    after = session.run("shopt extglob dotglob nullglob; :")
    assert after.output_tail.split() == ["extglob", "off", "dotglob", "on", "nullglob", "on"]


def test_a_restarted_shell_has_its_own_functions_and_the_readers(session):
    session.run("export KEEP=1")  # no function of the reader's yet: the snapshot has none of ours either
    session.run("kill -9 $$")
    session.run("greet() { echo hi; }")
    session.run("kill -9 $$")
    after = session.run("greet\necho ok")
    assert after.ok and after.output_tail.splitlines() == ["hi", "ok"]  # (a step ending needs ours)


def test_an_assignment_with_a_redirection_comes_back_after_the_shell_is_killed(session):
    session.run("true")
    code = "KEPT=1 2>/dev/null"
    session.run(code, report=assigned_names(code))  # (as the engine asks)
    session.run("kill -9 $$")
    assert session.run("echo ${KEPT-unset}").output_tail == "1"


@pytest.mark.parametrize(
    ("steps", "check", "expected"),
    [
        (["ITEMS=(a b c); i=0", "echo ${ITEMS[i++]}"], "echo $i", "1"),
        (["ITEMS=(a b c); i=0", "ITEMS[i++]=z"], "echo $i ${ITEMS[0]}", "1 z"),
        (["declare -i N; i=0", "N=i+=5"], "echo $i $N", "5 5"),  # an integer's value is arithmetic
        (["true", "GLOBIGNORE=.git"], "shopt -q dotglob && echo on", "on"),
        (["true", "POSIXLY_CORRECT=1"], "shopt -qo posix && echo on", "on"),
        (["mkdir -p sub", "echo $'it\\'s'; cd sub"], 'echo "${PWD##*/}"', "sub"),
    ],
)
def test_what_a_step_changed_beside_its_variables_comes_back_after_the_shell_is_killed(session, steps, check, expected):
    for code in steps:
        session.run(code, report=assigned_names(code))
    session.run("kill -9 $$")
    assert session.run(check).output_tail == expected


@pytest.mark.parametrize("turn_on", ['"s"et -u', "S=se\n${S}t -u"])
def test_a_command_bash_drops_after_set_u_spelled_otherwise_stops_the_step(session, turn_on):
    code = f"{turn_on}\necho $NOT_SET_ANYWHERE\necho after"
    result = session.run(code, report=assigned_names(code))
    assert not result.ok and "after" not in result.output_tail


def test_an_assignment_to_a_subscript_out_of_range_stops_the_step(session):
    session.run("ITEMS=(one)")
    code = "ITEMS[-5]=x\necho after"
    result = session.run(code, report=assigned_names(code))
    assert (result.ok, result.failed_line) == (False, 1) and "after" not in result.output_tail


def test_a_match_a_step_made_is_there_for_the_next_step(session):
    session.run("[[ abc =~ (b)(c) ]]\nNEW_NAME=1")  # a new variable: the shell looks at every name at the prompt
    after = session.run('echo "${BASH_REMATCH[*]}"\nANOTHER=2')
    assert after.output_tail == "bc b c"
    session.run("unset BASH_REMATCH\nTHIRD=3")
    assert session.run("declare -p BASH_REMATCH >/dev/null 2>&1 || echo unset").output_tail == "unset"


def test_a_block_that_kills_the_shell(session):
    session.run("export KEEP=1")
    killed = session.run("kill -9 $$")
    assert killed.exit_code == 137 and killed.ending is Ending.SHELL_EXITED
    assert session.run("echo $KEEP").output_tail == "1"


def test_timeout_stops_a_hanging_step_and_the_session_survives(session):
    started = time.monotonic()
    result = session.run("sleep 600", timeout=2)
    assert result.ending is Ending.TIMED_OUT
    assert 1.9 < time.monotonic() - started < 6
    assert session.run("echo alive").output_tail == "alive"


def test_interrupt_from_another_thread(session):
    cancel = threading.Event()
    threading.Timer(0.3, cancel.set).start()
    result = session.run("echo start\nsleep 100\necho never", cancel=cancel)
    assert result.ending is Ending.INTERRUPTED and result.exit_code == 130
    assert result.output_tail == "start"
    assert session.run("echo alive").ok


def test_each_step_reports_its_own_status_even_when_its_line_is_cut_short(session):
    assert session.run("echo one\n(exit 7)").exit_code == 7
    cancel = threading.Event()
    threading.Timer(0.3, cancel.set).start()
    interrupted = session.run("sleep 100", cancel=cancel)  # Ctrl+C: bash drops the rest of the line
    assert interrupted.exit_code == 130 and interrupted.ending is Ending.INTERRUPTED
    assert session.run("true").exit_code == 0
    assert session.run("echo shown\nfalse").exit_code == 1


def test_a_step_ignoring_ctrl_c_gets_stronger_signals(session):
    cancel = threading.Event()
    threading.Timer(0.2, cancel.set).start()
    result = session.run("trap '' INT\nsleep 100", cancel=cancel)
    assert result.ending is Ending.INTERRUPTED and result.exit_code == 143  # SIGTERM
    assert session.run("trap - INT; echo alive").output_tail == "alive"


def test_input_to_a_running_step(session, tmp_path):
    def answer():
        time.sleep(0.3)
        session.send_line("Ada")
        time.sleep(0.2)
        session.send_line("s3cret-value", secret=True)
        time.sleep(0.2)
        session.send_eof()

    threading.Thread(target=answer).start()
    result = session.run("read -p 'Name: ' name\nread -s -p 'Password: ' pw\necho\ncat\necho \"hi $name ${#pw}\"")
    assert result.ok
    assert result.output_tail.endswith("hi Ada 12")
    transcript = (tmp_path / ".adventure" / "transcript.log").read_text()
    assert "Ada" in transcript and "s3cret-value" not in transcript


def test_read_gets_end_of_file_when_unattended(session):
    started = time.monotonic()
    result = session.run("read answer\necho never", stdin_eof=True)
    assert result.exit_code == 1 and result.failed_line == 1
    assert time.monotonic() - started < 2


def test_output_streams_in_chunks_with_colours(session):
    chunks: list[str] = []
    result = session.run(
        "printf '\\033[31mred\\033[0m\\n'; sleep 0.3; echo second; sleep 0.3; printf '10%%\\r50%%\\r100%%\\n'",
        on_output=chunks.append,
    )
    assert len(chunks) >= 3
    assert "\x1b[31mred\x1b[0m" in "".join(chunks)
    assert result.output_tail.splitlines() == ["\x1b[31mred\x1b[0m", "second", "100%"]


def test_a_flood_is_shown_as_it_arrives_not_when_the_step_ends(session):
    """Output is gathered in large batches during a flood, and still shown within a frame."""
    seen: list[tuple[float, int]] = []
    result = session.run(
        "head -c 3000000 /dev/zero | tr '\\0' x | fold -w 100; sleep 1; echo done",
        on_output=lambda text: seen.append((time.monotonic(), len(text))),
    )
    assert result.ok and result.output_tail.endswith("done")
    shown, flood_shown = 0, None
    for at, size in seen:
        shown += size
        if flood_shown is None and shown >= 3_000_000:
            flood_shown = at
    assert flood_shown is not None and seen[-1][0] - flood_shown > 0.8  # not held back until the end
    assert len(seen) > 3


def test_a_flood_stops_at_once_when_interrupted_and_the_session_goes_on(session):
    cancel = threading.Event()
    threading.Timer(0.5, cancel.set).start()
    started = time.monotonic()
    result = session.run("yes 'a line of a flood that never ends'\necho never", cancel=cancel)
    assert result.ending is Ending.INTERRUPTED and result.exit_code == 130
    assert time.monotonic() - started < 2.5
    line = "a line of a flood that never ends"
    *complete, last = result.output_tail.splitlines()
    assert result.output_bytes > 100_000 and complete[-1] == line and line.startswith(last)  # (cut anywhere)
    assert "never" not in complete
    assert session.run("echo alive").output_tail == "alive"


def test_a_shell_killed_in_the_middle_of_a_flood_is_replaced(session):
    session.run("export KEEP=1")
    result = session.run("(sleep 0.5; kill -9 $$) & yes 'flooding'")
    assert result.exit_code == 137 and result.ending is Ending.SHELL_EXITED
    assert result.output_bytes > 100_000 and result.output_tail.splitlines()[-2] == "flooding"
    assert session.run("echo $KEEP").output_tail == "1"


def test_binary_and_invalid_utf8_output_survive(session):
    result = session.run("head -c 20000 /dev/urandom | tr -d '\\r\\n'; echo; printf '\\xff\\xfe ok\\n'")
    assert result.ok and result.output_bytes >= 19000
    assert result.output_tail.endswith("\ufffd\ufffd ok")


def test_thirty_megabytes_keep_memory_bounded(session, tmp_path):
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result = session.run("head -c 30000000 /dev/zero | tr '\\0' 'x' | fold -w 100")
    assert result.ok and result.output_bytes >= 30_000_000
    assert len(result.output_tail) < 500_000
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mb < 100
    # the transcript keeps the first and last 8 MiB of the step, and says what it left out
    transcript = tmp_path / ".adventure" / "transcript.log"
    assert 16_000_000 < transcript.stat().st_size < 17_000_000
    assert b" bytes of output left out here ...]" in transcript.read_bytes()


def test_secrets_are_masked_in_output_and_transcript(tmp_path):
    masker = Masker(["hunter2-secret"])
    with Session(tmp_path, masker=masker) as session:
        result = session.run("echo the password is hunter2-secret", title="secret step")
    assert "hunter2-secret" not in result.output_tail and "••••••" in result.output_tail
    transcript = (tmp_path / ".adventure" / "transcript.log").read_text()
    assert "hunter2-secret" not in transcript
    assert "===== " in transcript and "secret step" in transcript


def test_environment_and_working_directory(tmp_path):
    with Session(tmp_path, env={"PATH": "/usr/bin:/bin", "ONLY_THIS": "x", "HOME": str(tmp_path)}) as session:
        result = session.run('echo "$ONLY_THIS $PWD"')
    assert result.output_tail == f"x {tmp_path}"


def test_the_readers_err_trap_survives_steps(session):
    session.run("trap 'echo reader-trap' ERR")
    failed = session.run("false\necho never")
    assert failed.exit_code == 1 and "never" not in failed.output_tail
    # during a step the session's own trap stands in for the reader's, which is put back after it
    kept = session.run('echo "$__adv_saved_trap"')
    assert "reader-trap" in kept.output_tail


def test_a_step_in_the_readers_terminal_shares_the_session_state(tmp_path):
    with Session(tmp_path) as session:
        session.run("export BEFORE=1\nf() { echo from-f; }\nmkdir -p there")
        session.set_secret("TOKEN", "t0ps3cret", also=("TOKEN",))
        done = session.run_in_terminal(
            'echo "$BEFORE $TOKEN" > seen.txt\nexport AFTER=2\ncd there\ng() { echo from-g; }'
        )
        assert done.exit_code == 0
        assert (tmp_path / "seen.txt").read_text() == "1 t0ps3cret\n"  # the session's state, and its secret
        after = session.run('echo "$AFTER $(basename "$PWD")"\nf\ng')
        assert after.output_tail.splitlines() == ["2 there", "from-f", "from-g"]  # and back again
        failed = session.run_in_terminal("true\nfalse\necho never")
        assert (failed.exit_code, failed.failed_line) == (1, 2)
    leaked = [p for p in tmp_path.rglob("*") if p.is_file() and b"t0ps3cret" in p.read_bytes() and p.name != "seen.txt"]
    assert leaked == []


def test_the_terminal_hands_over_line_ends_as_written_and_output_is_the_same_either_way(session):
    """No `\\r` is added before each `\\n` on the way (nothing reads it as a screen would); a step that
    puts the terminal back as a screen wants it (`stty sane`) gets the same lines, and the same tail."""
    assert "-onlcr" in session.run("stty -F /dev/tty -a").output_tail.split()
    text = "printf 'one\\ntwo\\r\\nthree\\n'; printf 'bar 10%%\\rbar 100%%\\n'"
    plain = session.run(text)
    session.run("stty -F /dev/tty sane")
    assert "onlcr" in session.run("stty -F /dev/tty -a").output_tail.split()
    screen_like = session.run(text)
    assert plain.output_tail == screen_like.output_tail == "one\ntwo\nthree\nbar 100%"
    assert (session.workdir / ".adventure" / "transcript.log").read_text().count("one\ntwo\nthree\n") == 2


def test_a_value_with_carriage_returns_of_its_own_is_read_back_as_it_is(session):
    """A value's `\\r\\n` (the headers `curl -si` prints) is its own whether or not the terminal adds
    carriage returns: a step's reported values and a later question keep it, before and after `stty sane`."""
    wanted = {"V": "a\r\nb\r\nc"}
    assert session.run("V=$(printf 'a\\r\\nb\\r\\nc')", report=["V"]).values == wanted
    assert session.variables(["V"]) == wanted
    assert session.run("stty -F /dev/tty sane; :", report=["V"]).values == wanted
    assert session.variables(["V"]) == wanted


def test_a_run_left_mid_step_keeps_no_last_prompt_state_holding_a_secret_learnt_since(tmp_path):
    """The state of the last prompt is copied when a step is left before its end; one the shell has
    not yet written again without a secret learnt after it (typed into that step) is not kept."""
    with Session(tmp_path) as session:
        session.run("APP_THING=s3cr3tvalue9")
        session.masker.update(["s3cr3tvalue9"])  # learnt now: the shell has not heard of it yet
        session._left_mid_step = True  # (as a run told to stop during the next step leaves it)
    last = tmp_path / ".adventure" / "last-shell.sh"
    assert not last.exists() or "s3cr3tvalue9" not in last.read_text()
