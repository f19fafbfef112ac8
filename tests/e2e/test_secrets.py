"""Secrets: never on disk, never in the output; a restarted shell gets them back from memory."""

import base64
import json
import os
import stat
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import yaml

from tests.support.cli import run_cli

SECRET = "s3cr3t-Value-42"

PAGE = """
# Login

```bash
# Replace `[...]` with your registry token
export REGISTRY_TOKEN=[...]
export AUTH="robot:$REGISTRY_TOKEN"
echo "token is $REGISTRY_TOKEN"
printf '%s' "$REGISTRY_TOKEN" > token-copy.txt
```

```bash
echo "auth is $AUTH"
echo "still $REGISTRY_TOKEN"
```

```bash
true && exit 0  # the block's own exit (a bare one is left to the reader): the shell restarts
```

```bash
echo "after restart $REGISTRY_TOKEN ${AUTH:-gone}"
cat <<EOF
heredoc has $REGISTRY_TOKEN
EOF
```
"""


def every_file(folder: Path):
    for path in folder.rglob("*"):
        if path.is_file() and path.name != "token-copy.txt":  # the step itself wrote that one on purpose
            yield path


def test_secrets_stay_out_of_files_and_output(tmp_path):
    root = tmp_path / "manuscript"
    root.mkdir()
    (root / "login.md").write_text(textwrap.dedent(PAGE).lstrip())
    work = tmp_path / "work"
    work.mkdir()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "tutorial",
            "run",
            "login.md",
            "--manuscript",
            str(root),
            "--var",
            f"REGISTRY_TOKEN={SECRET}",
            "--workdir",
            str(work),
        ],
        cwd=work,
        capture_output=True,
        text=True,
        env=os.environ,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert SECRET not in result.stdout and SECRET not in result.stderr
    assert "token is ••••••" in result.stdout
    assert "auth is robot:••••••" in result.stdout
    assert "after restart ••••••" in result.stdout  # given again to the new shell, from memory
    assert "heredoc has ••••••" in result.stdout
    assert (work / "token-copy.txt").read_text() == SECRET  # the step really had the value
    written = list(every_file(work))
    assert any(p.name == "settings.yaml" for p in written)
    assert any(p.name == "transcript.log" for p in written)
    for path in written:
        assert SECRET.encode() not in path.read_bytes(), f"the secret leaked into {path}"
    settings = (work / "settings.yaml").read_text()
    assert "REGISTRY_TOKEN" in settings  # its name is kept (as a secret), never its value
    assert "AUTH" not in settings.split("variables:")[1].split("\n")[0]  # derived from the secret: not saved


def cli(*args, cwd, env=None, stdin=None):
    """The real command, with ``env`` added to this process's environment."""
    return run_cli(*args, cwd=cwd, env=env, stdin=stdin)


def book(tmp_path: Path, page: str) -> tuple[Path, Path]:
    root = tmp_path / "manuscript"
    root.mkdir()
    (root / "page.md").write_text(textwrap.dedent(page).lstrip())
    work = tmp_path / "work"
    work.mkdir()
    return root, work


def leaks(folder: Path, *values: str) -> list[str]:
    """Files under ``folder`` holding one of ``values``."""
    found = []
    for path in folder.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            found.extend(f"{path.relative_to(folder)}: {value}" for value in values if value.encode() in data)
    return found


FROM_THE_ENVIRONMENT = """
# Push

```bash
echo "logging in with $DOCKER_PASSWORD"
export COPY="$DOCKER_PASSWORD"
```

```bash
true && exit 0  # the block's own exit (a bare one is left to the reader): the shell restarts
```

```bash
echo "after restart: $DOCKER_PASSWORD ${COPY:-gone}"
```
"""


def test_a_secret_from_the_environment_is_kept_as_secret_as_a_given_one(tmp_path):
    root, work = book(tmp_path, FROM_THE_ENVIRONMENT)
    result = cli("run", "page.md", "--manuscript", root, cwd=work, env={"DOCKER_PASSWORD": SECRET})
    assert result.returncode == 0, result.stdout + result.stderr
    assert SECRET not in result.stdout + result.stderr
    assert "logging in with ••••••" in result.stdout
    assert "after restart: •••••• gone" in result.stdout  # the environment gives it back; the copy was never kept
    assert leaks(work, SECRET) == []
    assert "DOCKER_PASSWORD" not in (work / "settings.yaml").read_text()  # not even the name of the reader's variable


def test_the_snapshot_holds_no_secret_of_the_environment(tmp_path):
    from tutorial.shell.session import Session

    with Session(tmp_path, env={**os.environ, "DOCKER_PASSWORD": SECRET}) as session:
        session.run('export COPY="x$DOCKER_PASSWORD"\nexport PLAIN=kept')
        snapshot = session.query(f"cat {session.state_dir / 'session-state.sh'}")  # as the last prompt wrote it
        assert "PLAIN=" in snapshot
        assert SECRET not in snapshot and "DOCKER_PASSWORD" not in snapshot and "COPY=" not in snapshot


def test_the_state_folder_is_private_and_ignored_by_git(tmp_path):
    from tutorial.shell.session import Session

    root, work = book(tmp_path, "# P\n\n```bash\necho hello > hello.txt\n```\n")
    older = work / ".adventure"
    older.mkdir(mode=0o755)
    os.chmod(older, 0o755)
    (older / "transcript.log").write_text("from an older version\n")
    os.chmod(older / "transcript.log", 0o644)
    result = cli("run", "page.md", "--manuscript", root, cwd=work, env={"DOCKER_PASSWORD": SECRET})
    assert result.returncode == 0, result.stdout + result.stderr
    assert stat.S_IMODE(older.stat().st_mode) == 0o700
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in older.iterdir()}
    assert {"transcript.log", "settings.lock", ".gitignore"} <= set(modes)
    assert {name for name, mode in modes.items() if mode != 0o600} == set()
    with Session(work) as session:  # a session's own folder, while it lives
        session.run("true")
        own = {p.name: stat.S_IMODE(p.stat().st_mode) for p in session.state_dir.iterdir()}
        assert stat.S_IMODE(session.state_dir.stat().st_mode) == 0o700
    assert {"session-state.sh", "session-init.sh", "step-1.sh"} <= set(own)
    assert {name for name, mode in own.items() if mode != 0o600} == set()
    git = {"GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1"}
    for command in (["init", "-q"], ["add", "."]):
        subprocess.run(["git", *command], cwd=work, check=True, env={**os.environ, **git})
    status = subprocess.run(
        ["git", "status", "--porcelain"],
        cwd=work,
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, **git},
    ).stdout
    assert "A  hello.txt" in status and "A  settings.yaml" in status
    assert ".adventure" not in status


GIVEN_SAFELY = """
# Login

```bash
export REGISTRY_TOKEN=[...]
export LOGIN=[...]
echo "token $REGISTRY_TOKEN login $LOGIN"
```
"""


def test_secrets_from_the_environment_or_standard_input_and_a_warning_for_the_command_line(tmp_path):
    root, work = book(tmp_path, GIVEN_SAFELY)
    other = "an0ther-Secret-17"
    safe = cli(
        "run", "page.md", "--manuscript", root, "--var", "REGISTRY_TOKEN", "--secret-stdin", "LOGIN",
        cwd=work, env={"REGISTRY_TOKEN": SECRET}, stdin=other + "\n",
    )  # fmt: skip
    assert safe.returncode == 0, safe.stdout + safe.stderr
    assert "token •••••• login ••••••" in safe.stdout  # LOGIN is a secret because it was given as one
    assert "warning" not in safe.stderr
    assert leaks(work, SECRET, other) == []
    unsafe = cli(
        "run", "page.md", "--manuscript", root, "--var", f"REGISTRY_TOKEN={SECRET}", "--var", "LOGIN=me", cwd=work
    )
    assert unsafe.returncode == 0, unsafe.stdout + unsafe.stderr
    assert "warning: --var REGISTRY_TOKEN=... puts a secret where every user" in unsafe.stderr
    assert SECRET not in unsafe.stderr and "LOGIN" not in unsafe.stderr
    unset = cli("run", "page.md", "--manuscript", root, "--var", "NOT_SET_ANYWHERE", cwd=work)
    assert unset.returncode == 2 and "NOT_SET_ANYWHERE is not set in the environment" in unset.stderr
    short = cli("run", "page.md", "--manuscript", root, "--secret-stdin", "LOGIN", cwd=work, stdin="")
    assert short.returncode == 2 and "standard input ended" in short.stderr


DERIVED = """
# Registry login

```bash
export REGISTRY_USER=robot1
export REGISTRY_PASSWORD=[...]
export AUTH=$(printf %s "$REGISTRY_USER:$REGISTRY_PASSWORD" | base64)
export SHOUTED=${REGISTRY_PASSWORD^^}
export QUIET=${REGISTRY_PASSWORD,,}
export HEX=$(printf %s "$REGISTRY_PASSWORD" | od -An -tx1 | tr -d ' \\n')
export PLAIN=kept
echo "auth=$AUTH shouted=$SHOUTED quiet=$QUIET hex=$HEX"
```
"""


def test_values_derived_from_a_secret_are_secrets(tmp_path):
    root, work = book(tmp_path, DERIVED)
    result = cli("run", "page.md", "--manuscript", root, cwd=work, env={"REGISTRY_PASSWORD": SECRET})
    assert result.returncode == 0, result.stdout + result.stderr
    auth = base64.b64encode(f"robot1:{SECRET}".encode()).decode()
    derived = [auth[12:-4], SECRET.upper(), SECRET.lower(), SECRET.encode().hex()]
    for form in derived:
        assert form not in result.stdout, form
    assert "shouted=•••••• quiet=•••••• hex=••••••" in result.stdout
    assert leaks(work, SECRET, *derived) == []  # settings.yaml, the transcript, the snapshot
    saved = yaml.safe_load((work / "settings.yaml").read_text())["adventure"]["variables"]
    assert saved == {"REGISTRY_USER": "robot1", "PLAIN": "kept"}


def test_a_step_in_the_terminal_gets_its_secrets_outside_its_environment(tmp_path):
    from tutorial.shell.output import Masker
    from tutorial.shell.session import Session

    with Session(tmp_path, masker=Masker([SECRET])) as session:
        holder = session.set_secret("TOKEN", SECRET, also=("TOKEN",))
        session.run(f'export TOKEN="${holder}"')
        done = session.run_in_terminal(
            'echo "$TOKEN" > seen.txt\ncat /proc/$$/environ > environ.bin\ncat /proc/$$/cmdline > cmdline.bin'
        )
        assert done.exit_code == 0
        assert session.run('echo "still $TOKEN"').output_tail == "still ••••••"
    assert (tmp_path / "seen.txt").read_text() == SECRET + "\n"
    assert b"HOME=" in (tmp_path / "environ.bin").read_bytes()  # it is the bash's environment
    assert leaks(tmp_path, SECRET) == ["seen.txt: " + SECRET]


def test_the_snapshot_keeps_no_alias_or_function_holding_a_secret(tmp_path):
    from tutorial.shell.session import Session

    with Session(tmp_path, env={**os.environ, "SERVICE_TOKEN": SECRET}) as session:
        session.run(
            'alias login="echo $SERVICE_TOKEN"\neval "f() { echo $SERVICE_TOKEN; }"\n'
            'g() { echo "$SERVICE_TOKEN"; }\nalias greet="echo hi"\nset -u'
        )
        written = tmp_path / ".adventure" / "check-state.sh"
        session.query(f"__adv_write_snapshot {written}")  # as at every prompt, but waited for
        kept = written.read_text()
        assert "greet" in kept and "g ()" in kept  # what does not hold the value stays
        assert "alias login" not in kept and "f ()" not in kept
        assert session.run("g").output_tail == "••••••"  # the session itself still has it all, masked
    assert leaks(tmp_path, SECRET) == []


def test_a_secret_with_quotes_dollars_and_backslashes_is_left_out_as_well(tmp_path):
    from tutorial.shell.session import Session

    quoted = 'pa"ss$w0rd\\x-`42'
    with Session(tmp_path, env={**os.environ, "SERVICE_TOKEN": quoted}) as session:
        session.run(
            'COPY="x${SERVICE_TOKEN}y"\nLOUD=${SERVICE_TOKEN^^}\nPLAIN=kept'
        )  # printed quoted by declare -p: "pa\"ss\$w0rd..."
        written = tmp_path / ".adventure" / "check-state.sh"
        session.query(f"__adv_write_snapshot {written}")
        kept = written.read_text()
    assert "PLAIN=" in kept
    assert "COPY=" not in kept and "LOUD=" not in kept


MADE_BY_A_STEP = """
# Token

```bash
export GITHUB_TOKEN=$(printf '%s' s3cr3t; printf '%s' -Value-42)
export AUTH=$(printf %s "me:$GITHUB_TOKEN" | base64)
ghp_auth=plain
```

```bash
echo "the token is $GITHUB_TOKEN"
```

```bash
true && exit 0  # the block's own exit (a bare one is left to the reader): the shell restarts
```

```bash
echo "after restart: $GITHUB_TOKEN"
```
"""


def test_a_secret_a_step_makes_is_masked_after_it_and_never_written(tmp_path):
    root, work = book(tmp_path, MADE_BY_A_STEP)
    result = cli("run", "page.md", "--manuscript", root, cwd=work)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "the token is ••••••" in result.stdout
    assert "after restart: ••••••" in result.stdout  # given back from memory
    derived = base64.b64encode(f"me:{SECRET}".encode()).decode()[4:-4]
    assert leaks(work, SECRET, derived) == []
    saved = yaml.safe_load((work / "settings.yaml").read_text())["adventure"]["variables"]
    assert saved == {"ghp_auth": "plain"}


MADE_AND_PRINTED = """
# Token

```bash
export GITHUB_TOKEN=$(printf '%s' s3cr3t; printf '%s' -Value-42)
echo "the token is $GITHUB_TOKEN, in base64 $(printf %s "$GITHUB_TOKEN" | base64)"
```

```bash
# Replace `[...]` with a word
export API_TOKEN=$(printf '%s' [...])-Made-Too; printf '%s\\n' "$API_TOKEN"; exit 7
```
"""


def test_a_secret_a_step_makes_and_prints_at_once_is_written_nowhere(tmp_path):
    """Its value is known only at the step's end: the files get that step's output masked then."""
    root, work = book(tmp_path, MADE_AND_PRINTED)
    result = cli("run", "page.md", "--manuscript", root, "--var", "@WORD=Word-9", "--junit", "report.xml", cwd=work)
    assert "the token is s3cr3t-Value-42" in result.stdout  # the screen shows what the step printed
    encoded = base64.b64encode(SECRET.encode()).decode()
    assert leaks(work, SECRET, encoded, "Word-9-Made-Too") == []  # transcript, recording, report, settings
    transcript = (work / ".adventure" / "transcript.log").read_text()
    assert "the token is ••••••, in base64 ••••••" in transcript
    # the second step ended the shell: its value could not be read back, so its output is not kept
    assert "output not kept: the step set API_TOKEN" in transcript
    assert "output not kept" in (work / ".adventure" / "journey.cast").read_text()


NAMES = [
    "GITHUB_TOKEN", "github_token", "DOCKER_PASSWORD", "AWS_SECRET_ACCESS_KEY", "MYAPIKEY", "DB_PASS",
    "PWD", "OLDPWD", "pwd", "MY_PWD", "PATH", "HOME", "KEYBOARD", "TOKENIZER", "PASSWORD_STORE_DIR",
    "SSH_AUTH_SOCK", "X", "PAT", "PATTERN", "GIT_CREDENTIALS", "SECRETS_DIR", "A__TOKEN__B",
]  # fmt: skip


def test_the_shell_judges_names_as_the_manuscript_does(tmp_path):
    from tutorial.manuscript.placeholders import looks_secret
    from tutorial.shell.session import _name_functions

    script = _name_functions() + 'for n in "$@"; do __adv_secret_name "$n" && echo "$n"; done; :\n'
    judged = subprocess.run(
        ["bash", "--norc", "-c", script, "bash", *NAMES], capture_output=True, text=True, check=True
    ).stdout.split()
    assert judged == [name for name in NAMES if looks_secret(name)]


def test_a_variable_named_like_a_secret_is_never_in_the_snapshot_whatever_ifs_says(tmp_path):
    from tutorial.shell.session import Session

    with Session(tmp_path) as session:
        session.run(f"export GITHUB_TOKEN={SECRET}\ndb_password=other-value\nIFS=,\nPLAIN=kept")
        written = tmp_path / ".adventure" / "check-state.sh"
        session.query(f"__adv_write_snapshot {written}")
        kept = written.read_text()
    assert "PLAIN" in kept and "IFS" in kept
    assert SECRET not in kept and "other-value" not in kept


def test_a_value_from_the_environment_or_standard_input_is_taken_as_it_is(tmp_path):
    root, work = book(tmp_path, GIVEN_SAFELY)
    dollars = "pa$$w0rd-$HOME"
    result = cli(
        "run", "page.md", "--manuscript", root, "--var", "LOGIN", "--secret-stdin", "REGISTRY_TOKEN",
        "--format", "json", cwd=work, env={"LOGIN": "me$USER"}, stdin=dollars + "\n",
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert json.loads(result.stdout)["steps"][0]["output_tail"] == "token •••••• login me$USER"


def test_an_edited_step_holding_a_secret_is_used_but_never_saved(tmp_path):
    from tutorial.engine.journey import Journey, JourneyOptions
    from tutorial.manuscript.loader import load

    root, work = book(tmp_path, "# P\n\n```bash\necho one\n```\n\n```bash\necho two\n```\n")
    manuscript = load(root)
    env = {**os.environ, "REGISTRY_TOKEN": SECRET}
    journey = Journey(manuscript, work, JourneyOptions(env=env))
    try:
        first, second = manuscript.page("page.md").steps
        journey.edit(first, f"echo pasted {SECRET}")
        journey.edit(second, "echo two, edited")
        outcome = journey.run_step(first, code=journey.edited(first))
        assert outcome.output_tail == "pasted ••••••"
    finally:
        journey.close()
    edits = yaml.safe_load((work / "settings.yaml").read_text())["adventure"]["edits"]
    assert edits == {second.ref: "echo two, edited"}
    assert leaks(work, SECRET) == []


def test_a_secret_typed_at_a_hidden_prompt_is_masked_and_kept_out_of_the_snapshot(tmp_path):
    from tutorial.engine.journey import Journey
    from tutorial.manuscript.loader import load

    page = '# P\n\n```bash\nread -s -p \'Password: \' pw\nrepeated="x$pw"\necho "you typed $pw"\n```\n'
    root, work = book(tmp_path, page)
    manuscript = load(root)
    journey = Journey(manuscript, work)
    try:
        journey.session.start()

        def answer() -> None:
            deadline = time.monotonic() + 10
            while not journey.session.running and time.monotonic() < deadline:
                time.sleep(0.05)
            time.sleep(0.3)
            journey.reply(SECRET, secret=True)

        threading.Thread(target=answer).start()
        outcome = journey.run_step(manuscript.page("page.md").steps[0])
        assert outcome.output_tail.endswith("you typed ••••••"), outcome.output_tail
        written = journey.session.state_dir / "session-state.sh"
        snapshot = journey.session.query(f"cat {written}")  # as the last prompt wrote it
        assert "declare" in snapshot and SECRET not in snapshot and "repeated=" not in snapshot
    finally:
        journey.close()
    assert leaks(work, SECRET) == []


def test_a_secret_typed_for_secret_stdin_in_a_terminal_is_not_shown(tmp_path):
    import pexpect

    root, work = book(tmp_path, GIVEN_SAFELY)
    child = pexpect.spawn(
        sys.executable,
        ["-m", "tutorial", "run", "page.md", "--manuscript", str(root), "--var", "LOGIN=me",
         "--secret-stdin", "REGISTRY_TOKEN"],
        cwd=str(work), env={**os.environ, "NO_COLOR": "1"}, encoding="utf-8", timeout=60,
    )  # fmt: skip
    child.expect("REGISTRY_TOKEN \\(hidden\\): ")
    child.sendline(SECRET)
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    assert "token •••••• login me" in child.before and SECRET not in child.before


WRAPPED = """
# A service account key

```bash
export SA_KEY=[...]
printf %s "$SA_KEY" | base64
echo "and with a newline:"
base64 <<< "$SA_KEY"
```
"""


def test_a_secret_base64_wraps_over_several_lines_is_masked_on_each(tmp_path):
    long_secret = "k8s-Svc-Account-" + "".join(f"{n:02d}Qx" for n in range(30))
    root, work = book(tmp_path, WRAPPED)
    result = cli("run", "page.md", "--manuscript", root, cwd=work, env={"SA_KEY": long_secret})
    assert result.returncode == 0, result.stdout + result.stderr
    lines = base64.encodebytes(long_secret.encode()).decode().splitlines()
    assert len(lines) == 3  # two full lines of 76 and a last one
    for line in lines:
        assert line not in result.stdout, line
    assert leaks(work, long_secret, *lines) == []  # the transcript too
    assert result.stdout.count("••••••") >= 6


def test_a_step_that_only_sets_variables_writes_no_secret_down(tmp_path):
    """The variables such a step sets are written alone (a delta), never one named like a secret or holding one."""
    from tutorial.shell.session import Session

    with Session(tmp_path, env={"PATH": os.environ["PATH"]}, transcript=False) as session:
        session.run("export PLAIN=kept")
        session.run("export PART=like-one")
        session.run('export MY_TOKEN="named-$PART"')  # named like a secret: never written down
        holder = session.set_secret("PASSWORD", SECRET)
        session.run(f'export COPY="x${holder}"\nexport AFTER=1')  # holding one
        session.variables(["AFTER"])  # the shell wrote what it writes before answering
        assert leaks(tmp_path, SECRET, "named-like-one") == []
        session.run("exit 3")  # the new shell still has what could be written down
        assert session.variables(["PLAIN", "AFTER"]) == {"PLAIN": "kept", "AFTER": "1"}
