"""Secrets a step loads from a secret manager (``eval $(teller env)``): on no disk, in no kept record.

A fake ``teller`` on PATH prints ``export NAME='value'`` lines, as the real one does; the
names come from it, so nothing in the step's text tells which variables hold secrets.
"""

import base64
import os
import re
import time
from pathlib import Path

import pytest
import yaml

from tests.support.books import book, on_path
from tests.support.cli import run_cli
from tutorial.shell.session import Session

POSTGRES = "s3cr3t-pg-Value-1"
SPACED = 's3cr3t with spaces and "double" quotes'
VALUES = (POSTGRES, SPACED)

FAKE_TELLER = """#!/bin/sh
# prints what `teller env` prints: one export line per secret of the configured providers
case "$1" in
    env | sh) ;;
    show) printf '%s\\n' "PRODUCTION_POSTGRESQL = s3cr3t-pg-Value-1"; exit 0 ;;
    *) exit 1 ;;
esac
printf '%s\\n' "export PRODUCTION_POSTGRESQL='s3cr3t-pg-Value-1'"
printf '%s\\n' "export TELLER_SPACED='s3cr3t with spaces and \\"double\\" quotes'"
"""

TELLER_PAGE = """
# Teller

```bash
cat teller/aws.yaml

teller env --config teller/aws.yaml

eval "$(teller env --config teller/aws.yaml)"

echo $PRODUCTION_POSTGRESQL

export MODE=on
```

```bash
echo "later: $PRODUCTION_POSTGRESQL and $TELLER_SPACED"
export CLUSTER=production-1
```

```bash
true && exit 0
```

```bash
test "$PRODUCTION_POSTGRESQL" = "$(printf '%s-%s' s3cr3t pg-Value-1)" && echo "still set after the restart"
echo "after restart: $PRODUCTION_POSTGRESQL"
```
"""


def forms(value: str) -> list[str]:
    """The value and its base64 (whole, and as it reads inside a longer encoding)."""
    encoded = base64.b64encode(value.encode()).decode()
    return [value, encoded.rstrip("="), encoded[4:-4]]


def leaks(folder: Path) -> list[str]:
    """Files under ``folder`` holding a value or its base64."""
    found = []
    for path in folder.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            found.extend(
                f"{path.relative_to(folder)}: {form}" for v in VALUES for form in forms(v) if form.encode() in data
            )
    return found


@pytest.fixture
def teller(tmp_path: Path) -> dict[str, str]:
    """The environment of a reader whose PATH has the fake teller."""
    return on_path(tmp_path, "teller", FAKE_TELLER)


def teller_book(tmp_path: Path, page: str) -> tuple[Path, Path]:
    """``page`` as the manuscript's page.md; a work directory with teller's configuration in it."""
    root, work = book(tmp_path, {"page.md": page})
    (work / "teller").mkdir(parents=True)
    (work / "teller" / "aws.yaml").write_text("providers: {}\n")
    return root, work


def test_secrets_a_step_loads_are_masked_after_it_given_back_after_a_restart_and_written_nowhere(tmp_path, teller):
    root, work = teller_book(tmp_path, TELLER_PAGE)
    cast = work / "adventure.cast"
    result = run_cli("record", "page.md", "--manuscript", root, "-o", cast, cwd=work, env=teller)
    assert result.returncode == 0, result.stdout + result.stderr
    for value in VALUES:
        assert value not in result.stdout + result.stderr
    assert "output shown at the step's end, masked" in result.stdout
    assert "export PRODUCTION_POSTGRESQL='••••••'" in result.stdout
    assert "later: •••••• and ••••••" in result.stdout  # a later step's output is masked
    assert "The step ended the shell" in result.stdout  # (a restart did happen)
    assert "still set after the restart" in result.stdout  # the restarted shell has it
    assert "after restart: ••••••" in result.stdout
    transcript = (work / ".adventure" / "transcript.log").read_text()
    assert "later: •••••• and ••••••" in transcript
    assert "export PRODUCTION_POSTGRESQL='••••••'" in transcript
    assert cast.is_file() and (work / ".adventure" / "last-shell.sh").is_file()
    assert leaks(work) == []  # settings.yaml, the transcript, the recordings, the shell's snapshots
    settings = (work / "settings.yaml").read_text()
    assert "PRODUCTION_POSTGRESQL" in settings.split("secrets:")[1].split("\n")[0]  # its name, as a secret
    # what a loading step sets is a secret, whatever it is; a value too short to mask keeps nothing else unsaved
    assert yaml.safe_load(settings)["adventure"]["variables"] == {"CLUSTER": "production-1"}


def snapshot_at_its_prompt(tmp_path: Path, teller: dict[str, str], monkeypatch, code: str):
    """Run ``code`` as a loading step; the result, and what the shell wrote at that step's prompt.

    Nothing more is told to the shell after the step, so what it wrote then stays to be read
    (bash writes it after reporting the step's end: waited for).
    """
    work = tmp_path / "work"
    work.mkdir()
    with Session(work, env={**os.environ, **teller}) as session:
        state = session.state_dir / "session-state.sh"
        before = state.read_text()
        monkeypatch.setattr(session, "_share_secrets", lambda: None)
        result = session.run(code, loads_secrets="it loads secrets")
        deadline = time.monotonic() + 10
        while state.read_text() == before and time.monotonic() < deadline:
            time.sleep(0.02)
        delta = Path(f"{state}.delta")
        return result, state.read_text() + (delta.read_text() if delta.exists() else "")


def test_the_snapshot_at_the_loading_steps_own_prompt_holds_none_of_them(tmp_path, teller, monkeypatch):
    """Not even for one prompt: the shell leaves them out before anyone tells it to."""
    result, written = snapshot_at_its_prompt(tmp_path, teller, monkeypatch, 'eval "$(teller env)"\nexport PLAIN=kept')
    assert result.loaded == {"PRODUCTION_POSTGRESQL": POSTGRES, "TELLER_SPACED": SPACED, "PLAIN": "kept"}
    assert re.search(r"^declare -\S+ (PRODUCTION_POSTGRESQL|TELLER_SPACED|PLAIN)=", written, re.M) is None
    assert [v for v in VALUES for form in forms(v) if form in written] == []


def test_a_step_that_prints_secrets_it_does_not_load_keeps_its_output_out_of_every_file(tmp_path, teller):
    root, work = teller_book(tmp_path, "# Show\n\n```bash\nteller show\necho shown-too\n```\n")
    result = run_cli("run", "page.md", "--manuscript", root, "--junit", "report.xml", cwd=work, env=teller)
    assert result.returncode == 0, result.stdout + result.stderr
    assert POSTGRES not in result.stdout and "\nshown-too" not in result.stdout
    assert "output not shown: the step prints secrets (`teller show`)" in result.stdout
    transcript = (work / ".adventure" / "transcript.log").read_text()
    assert "output not kept: the step prints secrets (`teller show`)" in transcript
    assert "\nshown-too" not in transcript  # (its code is there: `$ echo shown-too`)
    assert "output not kept" in (work / ".adventure" / "journey.cast").read_text()
    assert leaks(work) == []  # the JUnit report too


def test_a_step_that_loads_nothing_sends_the_shell_nothing_more(tmp_path, monkeypatch):
    """The look at every variable is asked for by the loading steps alone: no other step pays for it."""
    sent: list[bytes] = []
    collect = Session._collect

    def spy(self, line, *args, **kwargs):
        sent.append(line)
        return collect(self, line, *args, **kwargs)

    monkeypatch.setattr(Session, "_collect", spy)
    with Session(tmp_path) as session:
        session.run("echo plain\nexport A=1")
        assert session.run("eval $(echo B=two)", loads_secrets="it loads").loaded == {"B": "two"}
    steps = [line for line in sent if b"step-" in line]
    assert b"__adv_before_load" not in steps[0]
    assert b"__adv_before_load" in steps[1]


def test_a_step_run_in_the_terminal_hands_what_it_loads_back_off_the_disk(tmp_path, teller, monkeypatch):
    """The state it leaves on the disk for the session never holds them; the session has them all the same."""
    from tutorial.shell import session as session_module

    states: list[str] = []
    clean_copy = session_module._clean_copy

    def spy(source: Path, target: Path, **kwargs: object) -> None:
        states.append(source.read_text(errors="replace"))
        clean_copy(source, target, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(session_module, "_clean_copy", spy)
    work = tmp_path / "work"
    work.mkdir()
    with Session(work, env={**os.environ, **teller}) as session:
        done = session.run_in_terminal('eval "$(teller env)"', loads_secrets="it loads secrets")
        assert done.exit_code == 0
        assert done.loaded == {"PRODUCTION_POSTGRESQL": POSTGRES, "TELLER_SPACED": SPACED}
        later = session.run(
            'test "$PRODUCTION_POSTGRESQL" = "$(printf %s s3cr3t-pg-Value-1)" && echo "set: $TELLER_SPACED"'
        )
        assert later.output_tail == "set: ••••••"
    assert len(states) == 2  # the state before the step, and the one it left
    assert [v for v in VALUES for form in forms(v) for state in states if form in state] == []
    assert leaks(work) == []


def test_the_readers_trace_neither_hides_what_a_step_loaded_nor_shows_it(tmp_path, teller):
    """Under `set -x` the shell's report of the step's end is not traced: it is read whole."""
    work = tmp_path / "work"
    work.mkdir()
    with Session(work, env={**os.environ, **teller}) as session:
        session.run("set -x")
        loading = session.run('eval "$(teller env)"', loads_secrets="it loads secrets")
        assert loading.loaded == {"PRODUCTION_POSTGRESQL": POSTGRES, "TELLER_SPACED": SPACED}
        later = session.run("echo $PRODUCTION_POSTGRESQL; set +x")
        assert "export PRODUCTION_POSTGRESQL=••••••" in loading.output_tail  # the trace of the step itself
        assert POSTGRES not in loading.output_tail + later.output_tail
        assert session.run("echo done").output_tail == "done"
    assert leaks(work) == []


@pytest.mark.parametrize("ifs", ["IFS=,", "IFS="])
def test_the_readers_ifs_does_not_hide_what_a_step_loaded(tmp_path, ifs):
    """The names of the variables a step loaded reach us apart, whatever the reader's IFS joins with."""
    work = tmp_path / "work"
    work.mkdir()
    with Session(work) as session:
        session.run(ifs)
        loading = session.run("eval $(echo ALPHA=s3cr3t-one; echo BETA=s3cr3t-two)", loads_secrets="it loads")
        assert loading.loaded == {"ALPHA": "s3cr3t-one", "BETA": "s3cr3t-two"}
        assert session.run("echo $ALPHA $BETA").output_tail == "•••••• ••••••"
        state = session.state_dir / "session-state.sh"
        deadline = time.monotonic() + 10
        while "ALPHA" in state.read_text() and time.monotonic() < deadline:
            time.sleep(0.02)
        assert "s3cr3t" not in state.read_text() + Path(f"{state}.delta").read_text()


def test_run_judges_a_step_on_what_it_runs_a_load_sent_to_another_terminal_masks_nothing(tmp_path, teller):
    """Left to the reader, the load makes nothing known: the print beside it shows what nobody can mask."""
    page = '# Two\n\n```bash\nteller env\n\n# In a second terminal\neval "$(teller env)"\n```\n'
    root, work = teller_book(tmp_path, page)
    result = run_cli("run", "page.md", "--manuscript", root, "--allow-terminal-steps", cwd=work, env=teller)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "output not shown: the step prints secrets (`teller env`)" in result.stdout
    assert POSTGRES not in result.stdout + result.stderr
    assert leaks(work) == []


def test_an_alias_made_of_a_loaded_value_is_in_no_snapshot_either(tmp_path, teller, monkeypatch):
    """`alias pg="psql $PRODUCTION_POSTGRESQL"` holds the value itself: left out at the loading step's own prompt."""
    code = 'eval "$(teller env)"\nalias pg="psql $PRODUCTION_POSTGRESQL"'
    _, written = snapshot_at_its_prompt(tmp_path, teller, monkeypatch, code)
    assert [v for v in VALUES for form in forms(v) if form in written] == []


def test_a_loaded_value_spanning_lines_that_a_terminal_step_cannot_hand_back_is_named(tmp_path):
    """A key in PEM form loaded in the reader's terminal does not reach the session: the reader is told so."""
    work = tmp_path / "work"
    work.mkdir()
    with Session(work) as session:
        done = session.run_in_terminal(
            "eval \"$(printf '%s\\n' \"KEY=\\$'line-one\\\\nline-two'\" ONE=s3cr3t-one)\"", loads_secrets="it loads"
        )
        assert done.loaded == {"KEY": "line-one\nline-two", "ONE": "s3cr3t-one"}
        assert done.notes == [
            "KEY not handed back to the session: a value that spans lines comes back only from a step run in "
            "the app (h); the steps after this one run without it"
        ]
        assert session.run('echo "[$ONE] [${KEY:-unset}]"').output_tail == "[••••••] [unset]"


def test_every_element_of_an_array_a_step_loads_is_masked_and_on_no_disk(tmp_path):
    """`mapfile -t KEYS < <(sops -d keys)`: ${KEYS[1]} is a secret as much as ${KEYS[0]}."""
    env = on_path(tmp_path, "sops", "#!/bin/sh\nprintf '%s\\n' key-one-s3cr3t key-two-s3cr3t key-three-s3cr3t\n")
    page = """
    # Keys

    ```bash
    mapfile -t KEYS < <(sops -d keys.txt)
    ```

    ```bash
    echo "second: ${KEYS[1]}, third: ${KEYS[2]}"
    ```
    """
    root, work = book(tmp_path, {"page.md": page})
    result = run_cli("run", "page.md", "--manuscript", root, cwd=work, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "second: ••••••, third: ••••••" in result.stdout
    values = ("key-one-s3cr3t", "key-two-s3cr3t", "key-three-s3cr3t")
    assert not any(v in result.stdout + result.stderr for v in values)
    assert "second: ••••••" in (work / ".adventure" / "transcript.log").read_text()
    files = [p for p in work.rglob("*") if p.is_file()]
    assert [f"{p.relative_to(work)}: {v}" for p in files for v in values if v.encode() in p.read_bytes()] == []
