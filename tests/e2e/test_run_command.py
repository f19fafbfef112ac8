"""``cncf-adventure run``: a real bash, real files, the real command line."""

import json
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.support.cli import run_cli

PAGE = """
# Demo Chapter

## Setup

* [Install `frobnicate`](https://example.com/frobnicate)

## Do

```bash
echo "first $((20 + 1))"
export DEMO_VALUE=kept
```

```bash
echo "second sees $DEMO_VALUE"
```

```bash
echo third
```

## Undo The Changes

```bash
echo undo
```
"""


def run(*args, cwd, env=None, timeout=60):
    """The real `run`; ``env`` adds variables, and removes those mapped to None."""
    return run_cli("run", *args, cwd=cwd, env=env, timeout=timeout)


@pytest.fixture
def book(tmp_path):
    """A manuscript folder and a separate, empty work directory."""
    root = tmp_path / "manuscript"
    root.mkdir()

    def write(name: str, text: str) -> Path:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip())
        return path

    write("demo.md", PAGE)
    work = tmp_path / "work"
    work.mkdir()
    return root, work, write


def test_text_output_headers_streamed_output_and_summary(book):
    root, work, _ = book
    result = run("demo.md", "--manuscript", root, cwd=work)
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "━━ [1/3] demo.md · step 1 · line 10" in out
    assert "first 21" in out and "second sees kept" in out
    assert "undo" not in out  # Undo sections only run when asked for
    assert out.splitlines()[-1] == "3 passed, 0 failed, 0 skipped"


def test_json_output(book):
    root, work, _ = book
    result = run("demo.md", "--manuscript", root, "--format", "json", cwd=work)
    document = json.loads(result.stdout)
    assert (document["passed"], document["failed"], document["skipped"]) == (3, 0, 0)
    first = document["steps"][0]
    assert set(first) >= {"page", "index", "line", "status", "exit_code", "duration_s", "output_tail"}
    assert (first["page"], first["index"], first["line"], first["status"], first["exit_code"]) == (
        "demo.md",
        1,
        10,
        "passed",
        0,
    )
    assert first["output_tail"] == "first 21"


def test_failing_step_stops_the_run_unless_keep_going(book):
    root, work, write = book
    write("fail.md", "# F\n\n```bash\necho a\nfalse\necho b\n```\n\n```bash\necho after\n```\n")
    stopped = run("fail.md", "--manuscript", root, "--format", "json", cwd=work)
    assert stopped.returncode == 1
    steps = json.loads(stopped.stdout)["steps"]
    assert [s["status"] for s in steps] == ["failed", "skipped"]
    assert steps[0]["exit_code"] == 1 and "line 5" in steps[0]["message"]
    going = run("fail.md", "--manuscript", root, "--keep-going", cwd=work)
    assert going.returncode == 1 and "after" in going.stdout
    assert going.stdout.splitlines()[-1] == "1 passed, 1 failed, 0 skipped"


def test_section_filter_and_undo_on_request(book):
    root, work, _ = book
    result = run("demo.md", "--manuscript", root, "--section", "Undo The Changes", cwd=work)
    assert "undo" in result.stdout and "first" not in result.stdout
    assert result.stdout.splitlines()[-1] == "1 passed, 0 failed, 0 skipped"
    missing = run("demo.md", "--manuscript", root, "--section", "Nope", cwd=work)
    assert missing.returncode == 2 and "no steps under 'Nope'" in missing.stderr


def test_placeholders_filled_from_var_and_injection_is_literal(book):
    root, work, write = book
    write(
        "vars.md",
        """
        # V

        ```bash
        # Replace `[...]` with your name
        export WHO=[...]
        echo "hello $WHO"
        # Replace `[...]` with a greeting
        echo "[...] there" > greeting.txt
        ```
        """,
    )
    result = run(
        "vars.md",
        "--manuscript",
        root,
        "--var",
        "WHO=x; touch pwned",
        "--var",
        '@GREETING=$(touch pwned2) "quoted"',
        cwd=work,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "hello x; touch pwned" in result.stdout
    assert not (work / "pwned").exists() and not (work / "pwned2").exists()
    assert (work / "greeting.txt").read_text() == '$(touch pwned2) "quoted" there\n'


def test_a_value_may_refer_to_a_variable_and_nothing_else_runs(book):
    root, work, write = book
    write(
        "domain.md",
        """
        # D

        ```bash
        export INGRESS_HOST=10.1.2.3
        ```

        ```bash
        # Replace `[...]` with the domain (e.g., example.org).

        # If you do not have a domain, replace `[...]` with `$INGRESS_HOST.nip.io`.

        export DOMAIN=[...]
        echo "domain is $DOMAIN"
        ```

        ```bash
        # Replace `[...]` with your name
        export WHO=[...]
        # Replace `[...]` with a note
        echo "note: [...]" > note.txt
        echo [...] > bare.txt
        ```
        """,
    )
    result = run(
        "domain.md",
        "--manuscript",
        root,
        "--var",
        "DOMAIN=$INGRESS_HOST.nip.io",
        "--var",
        "WHO=x; touch pwned",
        "--var",
        "@NOTE=$(touch pwned2) `touch pwned3` ${INGRESS_HOST}",
        "--var",
        "@NOTE_2=* $(touch pwned4)",
        cwd=work,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "domain is 10.1.2.3.nip.io" in result.stdout
    assert (work / "note.txt").read_text() == "note: $(touch pwned2) `touch pwned3` 10.1.2.3\n"
    assert (work / "bare.txt").read_text() == "* $(touch pwned4)\n"
    assert not [p.name for p in work.iterdir() if p.name.startswith("pwned")]


def test_a_value_referring_to_an_unset_variable_stops_the_step(book):
    root, work, write = book
    write("unset.md", "# U\n\n```bash\n# Replace `[...]` with the domain\nexport DOMAIN=[...]\ntouch ran\n```\n")
    result = run("unset.md", "--manuscript", root, "--var", "DOMAIN=$NO_SUCH_HOST.nip.io", cwd=work)
    assert result.returncode == 1
    assert "the value of DOMAIN refers to $NO_SUCH_HOST, which is empty or not set" in result.stdout
    assert not (work / "ran").exists()


def test_an_inline_placeholder_is_never_filled_from_the_environment(book):
    root, work, write = book
    write(
        "creds.md",
        """
        # C

        ```bash
        # Replace `[...]` with the path to your gcp credentials json file.
        export CREDS=$( cat [...] | tr a-z A-Z )
        echo "creds: $CREDS"
        ```
        """,
    )
    (work / "key.json").write_text("secret-ish")
    env = {"GCP_CREDENTIALS_PATH": str(work / "key.json"), "CREDS": None}
    asked = run("creds.md", "--manuscript", root, cwd=work, env=env)  # PATH is set, as always
    assert asked.returncode == 2
    assert "@GCP_CREDENTIALS_PATH" in asked.stderr and "--var @GCP_CREDENTIALS_PATH=VALUE" in asked.stderr
    answered = run("creds.md", "--manuscript", root, "--var", "@GCP_CREDENTIALS_PATH=key.json", cwd=work, env=env)
    assert answered.returncode == 0, answered.stdout + answered.stderr
    assert "creds: SECRET-ISH" in answered.stdout


def test_assumed_conditions_are_decided_before_values_are_asked(book):
    root, work, write = book
    write(
        "nip.md",
        """
        # N

        ```bash
        # Skip this step if you chose to use `nip.io` instead of a "real" domain.
        # Replace `[...]` with your secret access key
        export AWS_SECRET_ACCESS_KEY=[...]
        ```

        ```bash
        echo "nip.io it is"
        ```
        """,
    )
    env = {"AWS_SECRET_ACCESS_KEY": None}
    skipped = run("nip.md", "--manuscript", root, "--assume", "nip.io", cwd=work, env=env)
    assert skipped.returncode == 0, skipped.stdout + skipped.stderr
    assert "AWS_SECRET_ACCESS_KEY" not in skipped.stderr and "nip.io it is" in skipped.stdout
    assert skipped.stdout.splitlines()[-1] == "1 passed, 0 failed, 1 skipped"
    asked = run("nip.md", "--manuscript", root, cwd=work, env=env)
    assert asked.returncode == 2 and "AWS_SECRET_ACCESS_KEY" in asked.stderr


def test_missing_values_stop_before_anything_runs(book):
    root, work, write = book
    write(
        "need.md",
        """
        # N

        ```bash
        touch started
        ```

        ```bash
        # Replace `[...]` with your Docker Hub user name
        export DOCKERHUB_USERNAME=[...]
        # Replace `[...]` with the region
        export REGION=[...]
        ```
        """,
    )
    result = run("need.md", "--manuscript", root, cwd=work, env={"DOCKERHUB_USERNAME": None, "REGION": None})
    assert result.returncode == 2
    assert "DOCKERHUB_USERNAME" in result.stderr and "Your Docker Hub user name" in result.stderr
    assert "--var REGION=VALUE" in result.stderr
    assert not (work / "started").exists()


def test_dry_run_prints_and_runs_nothing(book):
    root, work, write = book
    write("dry.md", "# D\n\n```bash\n# Replace `[...]` with a file name\ntouch [...]\n```\n")
    result = run("dry.md", "--manuscript", root, "--dry-run", "--var", "@FILE_NAME=made-it", cwd=work)
    assert result.returncode == 0
    assert "touch made-it" in result.stdout
    assert not (work / "made-it").exists()


def test_dry_run_shows_a_value_from_the_environment_as_the_run_uses_it(book):
    """`$HOME` in a value taken from the environment is kept as it is: the dry run shows it so, not expanded."""
    root, work, write = book
    write("env.md", "# E\n\n```bash\n# Replace `[...]` with the path.\nexport TARGET_DIR=[...]\n```\n")
    env = {"TARGET_DIR": "$HOME/a b"}
    shown = run("env.md", "--manuscript", root, "--dry-run", cwd=work, env=env)
    assert shown.returncode == 0, shown.stdout + shown.stderr
    assert "export TARGET_DIR='$HOME/a b'" in shown.stdout
    document = json.loads(
        run("env.md", "--manuscript", root, "--dry-run", "--format", "json", cwd=work, env=env).stdout
    )
    assert document["steps"][0]["code"].endswith("export TARGET_DIR='$HOME/a b'")
    ran = run("env.md", "--manuscript", root, cwd=work, env=env)
    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert "export TARGET_DIR='$HOME/a b'" in (work / ".adventure" / "transcript.log").read_text()


def test_missing_program_fails_before_running_with_install_link(book):
    root, work, write = book
    write(
        "tool.md",
        """
        # T

        ## Setup

        * [Install `frobnicate`](https://example.com/frobnicate)

        ## Do

        ```bash
        touch ran
        frobnicate --all
        ```
        """,
    )
    result = run("tool.md", "--manuscript", root, cwd=work)
    assert result.returncode == 1
    assert "tool.md step 1 needs `frobnicate`" in result.stdout
    assert "https://example.com/frobnicate" in result.stdout
    assert not (work / "ran").exists()


def test_page_as_a_path_to_any_markdown_file(tmp_path):
    page = tmp_path / "notes" / "try.md"
    page.parent.mkdir()
    page.write_text("# Try\n\n```sh\necho from-a-file\n```\n")
    result = run(page, cwd=tmp_path)
    assert result.returncode == 0 and "from-a-file" in result.stdout


def test_usage_and_manuscript_errors_exit_2(book):
    root, work, _ = book
    unknown = run("nope.md", "--manuscript", root, cwd=work)
    assert unknown.returncode == 2 and "no page 'nope.md'" in unknown.stderr
    bad_var = run("demo.md", "--manuscript", root, "--var", "novalue", cwd=work)
    assert bad_var.returncode == 2 and "NAME=VALUE" in bad_var.stderr
    no_manuscript = run("demo.md", "--manuscript", root / "missing", cwd=work)
    assert no_manuscript.returncode == 2


def test_timeout_option(book):
    root, work, write = book
    write("slow.md", "# S\n\n```bash\nsleep 600\n```\n")
    started = time.monotonic()
    result = run("slow.md", "--manuscript", root, "--timeout", "1", cwd=work)
    assert result.returncode == 1 and "timed out after 1 s" in result.stdout
    assert time.monotonic() - started < 20


def test_ctrl_c_stops_the_running_step_and_reports(book):
    root, work, write = book
    write("long.md", "# L\n\n```bash\necho started\nsleep 600\n```\n\n```bash\necho next\n```\n")
    process = subprocess.Popen(
        [sys.executable, "-m", "tutorial", "run", "long.md", "--manuscript", str(root)],
        cwd=work,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not list((work / ".adventure").glob("session-*/step-1.sh")):
        time.sleep(0.05)
    time.sleep(0.5)
    process.send_signal(signal.SIGINT)
    out, _ = process.communicate(timeout=20)
    assert process.returncode == 130
    assert "interrupted" in out and out.splitlines()[-1] == "0 passed, 1 failed, 1 skipped"


TOOLS_PAGE = """
# Tools

## Setup

* [Install `frobnicate`](https://example.com/frobnicate)

## Do

```bash
echo first
```

```bash
frobnicate --once
```

```bash
frobnicate --twice
zorkify
```

Run this only if you chose **KubeVela**.

```bash
vela up
```
"""


TERMINAL_PAGE = """
# Terminal Chapter

```bash
export OUTER=kept
```

```bash
bash
export INSIDE=typed-inside
echo "inside the nested shell"
exit
```

```bash
echo "outer sees ${INSIDE:-nothing inside} and $OUTER"
```
"""


def test_missing_programs_are_listed_before_the_first_step_and_each_step_still_fails_at_its_gate(book):
    root, work, write = book
    write("tools.md", TOOLS_PAGE)
    result = run("tools.md", "--manuscript", root, "--keep-going", cwd=work)
    out = result.stdout
    assert result.returncode == 1, out + result.stderr
    listing = out.index("missing programs")
    assert listing < out.index("━━ [1/4]")
    assert "frobnicate (install: https://example.com/frobnicate) used by tools.md steps 2, 3" in out
    assert "zorkify used by tools.md step 3" in out
    assert "vela" not in out[listing : out.index("━━ [1/4]")]  # its step will be skipped: not needed
    assert "1 passed, 2 failed, 1 skipped" in out
    assert "tools.md step 2 needs `frobnicate`" in out
    assert "skipped: only if KubeVela" in out and "skipped: skipped:" not in out  # the word said once


def test_a_program_an_earlier_step_installs_is_listed_but_its_step_runs(book):
    root, work, write = book
    write(
        "install.md",
        """
        # Install

        ```bash
        mkdir -p bin && printf '#!/bin/sh\\necho frobnicated\\n' > bin/frobnicate && chmod +x bin/frobnicate
        export PATH="$PWD/bin:$PATH"
        ```

        ```bash
        frobnicate
        ```
        """,
    )
    result = run("install.md", "--manuscript", root, cwd=work)
    assert result.returncode == 0, result.stdout + result.stderr
    # the link comes from another page of the manuscript that says where to get it
    assert "frobnicate (install: https://example.com/frobnicate) used by install.md step 2" in result.stdout
    assert "frobnicated" in result.stdout


def test_json_run_reports_the_missing_programs_in_its_document(book):
    root, work, write = book
    write("tools.md", TOOLS_PAGE)
    result = run("tools.md", "--manuscript", root, "--format", "json", cwd=work)
    document = json.loads(result.stdout)
    (frobnicate,) = [p for p in document["missing_programs"] if p["name"] == "frobnicate"]
    assert frobnicate["link"] == "https://example.com/frobnicate"
    assert [s["index"] for s in frobnicate["steps"]] == [2, 3]


def test_dry_run_json_is_one_document_describing_each_step(book):
    root, work, write = book
    write(
        "plan.md",
        """
        # Plan

        ## Setup

        * [Install `frobnicate`](https://example.com/frobnicate)

        ## Do

        ```bash
        # Replace `[...]` with your API token
        export API_TOKEN=[...]
        frobnicate --token "$API_TOKEN" | grep -q ok
        ```
        <!-- check: test -f done.txt
             expect: ^$ -->

        Run this only if you chose **KubeVela**.

        ```bash
        kubectl apply -f app.yaml
        ```

        ```bash
        TODO:
        ```
        """,
    )
    result = run("plan.md", "--manuscript", root, "--dry-run", "--format", "json", cwd=work)
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)  # the whole output is one JSON document
    first, second, third = document["steps"]
    assert (first["page"], first["index"], first["line"]) == ("plan.md", 1, 10)
    assert first["applies"] is True and first["runnable"] is True
    (token,) = first["placeholders"]
    assert (token["name"], token["secret"]) == ("API_TOKEN", True)
    assert "api token" in token["prompt"].lower()
    assert "export API_TOKEN='••••••'" in first["code"]  # a secret is never shown, known or not
    assert first["programs"] == ["frobnicate", "grep"]
    assert first["checks"] == [{"command": "test -f done.txt", "expect": "^$", "description": ""}]
    assert first["needs_terminal"] is False and first["needs_terminal_reason"] == ""
    assert second["applies"] is False and second["conditions"] == ["only if KubeVela"]
    assert second["reason"].startswith("would be skipped: only if KubeVela")
    assert second["programs"] == ["kubectl"]
    assert third["runnable"] is False and third["reason"].startswith("not run:")
    assert [p["name"] for p in document["missing_programs"]] == ["frobnicate"]
    assert document["missing_programs"][0]["link"] == "https://example.com/frobnicate"
    assert [v["name"] for v in document["missing_values"]] == ["API_TOKEN"]
    assert not (work / "settings.yaml").exists() or "API_TOKEN" not in (work / "settings.yaml").read_text()


def test_dry_run_decides_as_the_run_will_once_earlier_pages_are_read(book):
    root, work, write = book
    write("gitops.md", "# GitOps With Argo CD\n\n```bash\necho argo\n```\n")
    write(
        "secrets.md",
        """
        # Secrets

        ```bash
        # If Argo CD
        # Replace `[...]` with the application's name
        export APP=[...]
        ```
        """,
    )
    result = run("gitops.md", "secrets.md", "--manuscript", root, "--dry-run", "--format", "json", cwd=work)
    document = json.loads(result.stdout)
    assert [s["applies"] for s in document["steps"]] == [True, True]  # by then the run has read gitops.md
    assert [v["name"] for v in document["missing_values"]] == ["APP"]  # so its value is asked up front
    alone = json.loads(run("secrets.md", "--manuscript", root, "--dry-run", "--format", "json", cwd=work).stdout)
    assert [s["applies"] for s in alone["steps"]] == [False] and alone["missing_values"] == []


def test_a_step_waiting_for_a_typed_line_is_not_run_unattended(book):
    root, work, write = book
    write(
        "pause.sh", '#!/bin/sh\nset -e\necho "Enable the API, then press enter"\nread NOTHING\necho enabled > api.txt\n'
    )
    write(
        "key.md",
        """
        # Key

        ```bash
        read -p "Please input the public key and press enter: " PUBLIC_KEY
        echo "key=[$PUBLIC_KEY]" > key.txt
        ```

        ```bash
        sh "$ADVENTURE_DIR/pause.sh"
        ```

        ```bash
        printf 'a\\nb\\n' | while read -r line; do echo "$line" >> lines.txt; done
        ```
        """,
    )
    result = run("key.md", "--manuscript", root, "--keep-going", cwd=work)
    assert result.returncode != 0
    assert "needs someone to type: `read` waits for a line you type" in result.stdout
    assert "pause.sh line 4" in result.stdout
    assert not (work / "key.txt").exists() and not (work / "api.txt").exists()  # not run with an empty answer
    assert (work / "lines.txt").read_text() == "a\nb\n"  # a `read` fed by a pipe runs
    document = json.loads(run("key.md", "--manuscript", root, "--dry-run", "--format", "json", cwd=work).stdout)
    assert [s["reason"].startswith("would fail: needs someone to type") for s in document["steps"]] == [
        True,
        True,
        False,
    ]


def test_a_question_about_earlier_output_is_asked_when_its_step_comes(book):
    root, work, write = book
    write(
        "tag.md",
        """
        # Tag

        ```bash
        echo "built kbld:rand-1234"
        ```

        ```bash
        # Replace `[...]` with the image tag from the output
        #  (everything after 'kbld:')
        export TAG=[...]
        echo "TAG=$TAG" > tag.txt
        ```
        """,
    )
    first = run("tag.md", "--manuscript", root, cwd=work)
    # the first step runs, so the reader can see the tag; the run stops where it is asked
    assert first.returncode == 1, first.stdout + first.stderr
    assert "built kbld:rand-1234" in first.stdout
    assert "values needed: TAG: The image tag from the output" in first.stdout
    assert not (work / "tag.txt").exists()
    second = run("tag.md", "--manuscript", root, "--resume", "--var", "TAG=rand-1234", cwd=work)
    assert second.returncode == 0, second.stdout + second.stderr
    assert (work / "tag.txt").read_text() == "TAG=rand-1234\n"


def test_a_step_that_needs_a_terminal_fails_and_keep_going_goes_on(tmp_path):
    root = tmp_path / "manuscript"
    root.mkdir()
    (root / "page.md").write_text(textwrap.dedent(TERMINAL_PAGE).lstrip())
    work = tmp_path / "work"
    work.mkdir()

    stopped = run("page.md", "--manuscript", root, cwd=work)
    assert stopped.returncode == 1, stopped.stdout + stopped.stderr
    assert "failed: needs a terminal: `bash` starts an interactive shell" in stopped.stdout
    assert "inside the nested shell" not in stopped.stdout  # nothing of it ran
    assert stopped.stdout.strip().splitlines()[-1] == "1 passed, 1 failed, 1 skipped"

    going = run("page.md", "--manuscript", root, "--keep-going", "--format", "json", cwd=work)
    assert going.returncode == 1
    report = json.loads(going.stdout)
    assert [s["status"] for s in report["steps"]] == ["passed", "failed", "passed"]
    assert report["steps"][1]["message"].startswith("needs a terminal: ")
    assert "outer sees nothing inside and kept" in report["steps"][2]["output_tail"]


def test_allowed_terminal_steps_give_a_nested_shell_its_lines(tmp_path):
    root = tmp_path / "manuscript"
    root.mkdir()
    (root / "page.md").write_text(textwrap.dedent(TERMINAL_PAGE).lstrip())
    work = tmp_path / "work"
    work.mkdir()
    result = run("page.md", "--manuscript", root, "--allow-terminal-steps", cwd=work)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "inside the nested shell" in result.stdout  # run by the nested bash, from its input
    # the outer shell never ran them: no INSIDE there, and `exit` did not end it (OUTER is still set)
    assert "outer sees nothing inside and kept" in result.stdout
    assert "lines 9-10 went to `bash` as its input, not to this shell" in result.stdout  # page lines
    assert result.stdout.strip().splitlines()[-1] == "3 passed, 0 failed, 0 skipped"


def test_run_never_runs_an_edit_saved_by_the_app(book):
    """An edit made in the app is the reader's, for the app: ``run`` runs what the manuscript says."""
    from tutorial.engine.journey import Journey
    from tutorial.manuscript.loader import load

    root, work, write = book
    write("edit.md", "# E\n\n```bash\necho manuscript > made.txt\n```\n")
    manuscript = load(root)
    journey = Journey(manuscript, work)
    journey.edit(manuscript.pages["edit.md"].steps[0], "echo reader > made.txt")
    journey.close()
    assert "echo reader" in (work / "settings.yaml").read_text()
    result = run("edit.md", "--manuscript", root, cwd=work)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (work / "made.txt").read_text() == "manuscript\n"


def test_dry_run_shows_a_value_the_run_will_ask_for_as_missing(book):
    """DOMAIN asked in two ways is not answered by the environment: the dry run shows it as wanted."""
    root, work, write = book
    for name, host in (("dev.md", "HOST_A"), ("prod.md", "HOST_B")):
        write(
            name,
            f"""
            # {name}

            ```bash
            # Replace `[...]` with the domain, or with `${host}.nip.io`.
            export DOMAIN=[...]
            ```
            """,
        )
    env = {"DOMAIN": "from-the-environment.example"}
    result = run("prod.md", "--manuscript", root, "--dry-run", cwd=work, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "from-the-environment" not in result.stdout
    assert "export DOMAIN='<DOMAIN?>'" in result.stdout
    assert "values still needed: DOMAIN" in result.stdout + result.stderr
    document = json.loads(
        run("prod.md", "--manuscript", root, "--dry-run", "--format", "json", cwd=work, env=env).stdout
    )
    assert "from-the-environment" not in document["steps"][0]["code"]
    assert [value["name"] for value in document["missing_values"]] == ["DOMAIN"]


def test_a_step_whose_progress_cannot_be_saved_stops_the_run_before_the_next(book):
    """Each step's progress is on the disk before the next step starts: a save that fails is never run past."""
    root, work, write = book
    write(
        "unsaved.md",
        """
        # U

        ```bash
        echo '{}' > elsewhere.yaml && ln -sf elsewhere.yaml settings.yaml
        ```

        ```bash
        touch second-step-ran
        ```
        """,
    )
    result = run("unsaved.md", "--manuscript", root, "--format", "json", cwd=work)
    assert not (work / "second-step-ran").exists(), result.stdout + result.stderr
    assert result.returncode != 0
    steps = json.loads(result.stdout)["steps"]
    assert [s["status"] for s in steps] == ["passed", "skipped"]
    assert "symbolic link" in result.stderr


def test_the_value_of_a_wrappers_option_is_not_taken_for_its_program(book):
    """`nice -n 19 CMD` runs CMD: `19` is no missing program, and a shell behind it is seen."""
    root, work, write = book
    write(
        "wrapped.md",
        """
        # Wrapped

        ```bash
        nice -n 19 echo "niced" && timeout -s TERM 30 echo "timed"
        ```

        ```bash
        nice -n 5 bash
        echo "inside the nested shell"
        exit
        ```
        """,
    )
    result = run("wrapped.md", "--manuscript", root, "--format", "json", cwd=work)
    report = json.loads(result.stdout)
    first, second = report["steps"]
    assert first["status"] == "passed", first
    assert "niced\ntimed" in first["output_tail"]
    assert second["status"] == "failed"
    assert second["message"] == "needs a terminal: `bash` starts an interactive shell", second
    assert "`19`" not in result.stdout + result.stderr  # (once reported as a program not installed)


def test_the_dry_run_lists_the_programs_of_the_session_not_those_typed_inside_a_nested_shell(book):
    root, work, write = book
    write(
        "nested.md",
        """
        # Nested

        ```bash
        kubectl --namespace dev exec -it deploy/app -- sh
        frobnicate --inside-the-container
        exit
        ```
        """,
    )
    result = run("nested.md", "--manuscript", root, "--dry-run", "--format", "json", cwd=work)
    document = json.loads(result.stdout)
    (step,) = document["steps"]
    assert step["needs_terminal"] is True
    assert step["programs"] == ["kubectl"]  # frobnicate is typed in the container's shell
    assert "frobnicate" not in [p["name"] for p in document["missing_programs"]]  # as the run's check says


def test_dry_run_lists_the_lines_the_run_leaves_to_the_reader(book):
    """Lines for another terminal and a bare `exit` are shown as the run treats them: left to the reader."""
    root, work, write = book
    write(
        "leave.md",
        """
        # Leave

        ```bash
        devbox shell
        ```

        ```bash
        odo dev &

        # In the second terminal
        curl localhost:8080

        echo done
        exit
        ```
        """,
    )
    text = run("leave.md", "--manuscript", root, "--dry-run", cwd=work)
    assert text.returncode == 0, text.stdout + text.stderr
    assert "(line 11 (`curl localhost:8080`) not run: the text sends it to another terminal" in text.stdout
    assert "(line 14 (`exit`) not run: it leaves `devbox shell` (opened at line 4, step 1)" in text.stdout
    document = json.loads(run("leave.md", "--manuscript", root, "--dry-run", "--format", "json", cwd=work).stdout)
    first, second = document["steps"]
    assert first["left_out"] == []
    assert [(item["first"], item["last"], item["code"]) for item in second["left_out"]] == [
        (11, 11, "curl localhost:8080"),
        (14, 14, "exit"),
    ]
    assert "another terminal" in second["left_out"][0]["reason"]
