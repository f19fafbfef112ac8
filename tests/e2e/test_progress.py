"""Progress in settings.yaml: merged with what others write, atomic, never damaged."""

import json
import random
import signal
import subprocess
import sys
import textwrap
import time

import pytest
import yaml

from tests.support.cli import run_cli
from tutorial.progress.settings import SettingsError, SettingsFile

PAGE = """
# Chapter

```bash
export FIRST=from-step-one
echo one
```

```bash
test -f ready.flag
echo two
```

```bash
echo "three sees $FIRST"
```
"""


def cli(*args, cwd):
    return run_cli(*args, cwd=cwd)


@pytest.fixture
def book(tmp_path):
    root = tmp_path / "manuscript"
    root.mkdir()
    (root / "chapter.md").write_text(textwrap.dedent(PAGE).lstrip())
    work = tmp_path / "work"
    work.mkdir()
    return root, work


def test_corrupt_settings_stop_everything_and_stay_untouched(book):
    root, work = book
    broken = b"image: cncf-demo\nadventure:\n  page: [unclosed\ntag: 1\n"
    (work / "settings.yaml").write_bytes(broken)
    result = cli("run", "chapter.md", "--manuscript", root, cwd=work)
    assert result.returncode == 2
    assert f"{work / 'settings.yaml'}:4:" in result.stderr or f"{work / 'settings.yaml'}:3:" in result.stderr
    assert "not valid YAML" in result.stderr
    assert (work / "settings.yaml").read_bytes() == broken
    assert "one" not in result.stdout
    assert not (work / "settings.yaml.bak").exists()


def test_resume_after_a_failure_restores_variables_and_skips_finished_steps(book):
    root, work = book
    failed = cli("run", "chapter.md", "--manuscript", root, cwd=work)
    assert failed.returncode == 1 and failed.stdout.splitlines()[-1] == "1 passed, 1 failed, 1 skipped"
    (work / "ready.flag").touch()
    resumed = cli("run", "chapter.md", "--manuscript", root, "--resume", cwd=work)
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    assert "three sees from-step-one" in resumed.stdout  # the variable of step one, restored
    assert "\none\n" not in resumed.stdout  # step one did not run again
    assert resumed.stdout.splitlines()[-1] == "2 passed, 0 failed, 1 skipped"
    progress = yaml.safe_load((work / "settings.yaml").read_text())["adventure"]
    assert [progress["steps"][f"chapter.md#{n}"]["status"] for n in (1, 2, 3)] == ["passed"] * 3
    assert progress["variables"]["FIRST"] == "from-step-one"


def test_steps_that_edit_settings_keep_their_keys(book, tmp_path):
    root, work = book
    (work / "settings.yaml").write_text("# written by hand\nimage: old  # a comment\n")
    page = root / "edits.md"
    page.write_text(
        textwrap.dedent("""
        # Edits

        ```bash
        "$ADVENTURE_DIR/../set.sh" tag v1
        ```

        ```bash
        "$ADVENTURE_DIR/../set.sh" image new
        ```

        ```bash
        "$ADVENTURE_DIR/../set.sh" extra yes
        ```
        """).lstrip()
    )
    setter = tmp_path / "set.sh"
    setter.write_text(
        textwrap.dedent(f"""\
        #!/bin/sh
        exec {sys.executable} - "$@" <<'PY'
        import sys, yaml, os
        data = yaml.safe_load(open("settings.yaml")) or {{}}
        data[sys.argv[1]] = sys.argv[2]
        with open("settings.yaml.tmp", "w") as out:
            yaml.safe_dump(data, out, sort_keys=False)
        os.replace("settings.yaml.tmp", "settings.yaml")
        PY
        """)
    )
    setter.chmod(0o755)
    result = cli("run", "edits.md", "--manuscript", root, cwd=work)
    assert result.returncode == 0, result.stdout + result.stderr
    data = yaml.safe_load((work / "settings.yaml").read_text())
    assert (data["tag"], data["image"], data["extra"]) == ("v1", "new", "yes")
    assert [data["adventure"]["steps"][f"edits.md#{n}"]["status"] for n in (1, 2, 3)] == ["passed"] * 3


def test_saving_keeps_other_keys_comments_and_order(tmp_path):
    original = (
        "# header comment\nzeta: 1  # inline\nalpha:\n  - a\n  - b\n"
        "adventure:\n  page: old.md\n# trailing note\nomega: true\n"
    )
    (tmp_path / "settings.yaml").write_text(original)
    settings = SettingsFile(tmp_path)
    settings.update_section(lambda old: {**old, "page": "new.md"})
    text = (tmp_path / "settings.yaml").read_text()
    assert text.startswith("# header comment\nzeta: 1  # inline\nalpha:\n  - a\n  - b\nadventure:\n")
    assert text.endswith("# trailing note\nomega: true\n")
    assert yaml.safe_load(text)["adventure"]["page"] == "new.md"
    assert (tmp_path / "settings.yaml.bak").read_text() == original


def test_flow_style_documents_fall_back_to_a_round_trip(tmp_path):
    (tmp_path / "settings.yaml").write_text("{image: x, list: [1, 2]}\n")
    SettingsFile(tmp_path).update_section(lambda old: {"page": "a.md"})
    data = yaml.safe_load((tmp_path / "settings.yaml").read_text())
    assert data == {"image": "x", "list": [1, 2], "adventure": {"page": "a.md"}}


def test_a_run_keeps_a_flow_style_document_and_records_every_step(book):
    root, work = book
    (work / "settings.yaml").write_text("{image: x, list: [1, 2]}\n")
    (work / "ready.flag").touch()
    result = cli("run", "chapter.md", "--manuscript", root, cwd=work)
    assert result.returncode == 0, result.stderr
    data = yaml.safe_load((work / "settings.yaml").read_text())
    assert data["image"] == "x" and data["list"] == [1, 2]
    assert [record["status"] for record in data["adventure"]["steps"].values()] == ["passed"] * 3


@pytest.mark.parametrize(
    "content", [b"- a list\n- not a mapping\n", b"key: [1, 2\n", b"\xff\xfe bad bytes\n", b"adventure: just text\n"]
)
def test_unreadable_settings_are_reported_with_file_and_line_and_left_alone(tmp_path, content):
    (tmp_path / "settings.yaml").write_bytes(content)
    settings = SettingsFile(tmp_path)
    with pytest.raises(SettingsError) as error:
        settings.update_section(lambda old: {"page": "x"})
    assert str(tmp_path / "settings.yaml") in str(error.value)
    assert (tmp_path / "settings.yaml").read_bytes() == content


WRITER = """
import sys, time
from pathlib import Path
from tutorial.progress.settings import SettingsFile
settings = SettingsFile(Path(sys.argv[1]))
n = 0
while True:
    n += 1
    settings.update_section(lambda old: {"counter": n, "padding": ["x" * 200] * (n % 50)})
"""


def test_kill_9_during_saves_leaves_old_or_new_never_a_mix(tmp_path):
    (tmp_path / "settings.yaml").write_text("mine: keep\n")
    rng = random.Random(7)
    last = 0
    for _ in range(12):
        writer = subprocess.Popen([sys.executable, "-c", WRITER, str(tmp_path)])
        deadline = time.monotonic() + 60
        while b"adventure:" not in (tmp_path / "settings.yaml").read_bytes():  # saving, however slow it starts
            assert time.monotonic() < deadline and writer.poll() is None, "the writer never saved"
            time.sleep(0.01)
        time.sleep(rng.random() * 0.2)  # then killed at a random point of its saves
        writer.send_signal(signal.SIGKILL)
        writer.wait()
        data = yaml.safe_load((tmp_path / "settings.yaml").read_text())
        assert data["mine"] == "keep"
        counter = data["adventure"]["counter"]
        assert counter >= 1 and len(data["adventure"]["padding"]) == counter % 50
        last = counter
        leftovers = [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
        for path in leftovers:  # a temporary file may survive a kill; it is never the settings file
            path.unlink()
    assert last > 0


def test_reset_removes_only_the_progress(book):
    root, work = book
    (work / "ready.flag").touch()
    assert cli("run", "chapter.md", "--manuscript", root, cwd=work).returncode == 0
    with (work / "settings.yaml").open("a") as extra:
        extra.write("image: kept\n")
    result = cli("reset", "--workdir", work, cwd=work)
    assert result.returncode == 0 and "Progress forgotten" in result.stdout
    data = yaml.safe_load((work / "settings.yaml").read_text())
    assert data == {"image": "kept"}
    assert "adventure" in yaml.safe_load((work / "settings.yaml.bak").read_text())


def test_overridden_is_recorded_as_overridden(book):
    from tutorial.engine.journey import Journey
    from tutorial.manuscript.loader import load

    root, work = book
    manuscript = load(root)
    journey = Journey(manuscript, work)
    try:
        step = manuscript.page("chapter.md").steps[1]
        outcome = journey.run_step(step)
        assert outcome.status.value == "failed"
        journey.override(step)
    finally:
        journey.close()
    record = yaml.safe_load((work / "settings.yaml").read_text())["adventure"]["steps"]["chapter.md#2"]
    assert record["status"] == "overridden"


def _killed_run(tmp_path, steps: int, *, slow_disk: bool = True):
    """A run of ``steps`` export steps whose runner is killed (-9) by the step after them.

    ``slow_disk``: every fsync and fdatasync takes 50 ms more, so a save still on its way
    when the next step starts would lose to the kill.
    """
    root = tmp_path / "manuscript"
    root.mkdir()
    blocks = [f"```bash\nexport VALUE_{n}=step-{n}\n```\n" for n in range(1, steps + 1)]
    kill = "```bash\ntest -e killed || { touch killed; kill -9 $PPID; }  # the runner itself, once\n```\n"
    after = "```bash\necho after-the-kill > after.txt\n```\n"
    (root / "page.md").write_text("# Page\n\n" + "\n".join([*blocks, kill, after]))
    work = tmp_path / "work"
    work.mkdir()
    slow = (
        "import os, time\n"
        "for name in ('fsync', 'fdatasync'):\n"
        "    setattr(os, name, (lambda real: lambda fd: (time.sleep(0.05), real(fd))[1])(getattr(os, name)))\n"
    )
    runner = (  # settings.yaml not rewritten while a step runs (a loaded machine could make one take 50 ms)
        "import sys\n"
        "from tutorial.progress import rewriter\n"
        "rewriter.QUIET = 3600.0\n"
        f"{slow if slow_disk else ''}"
        "from tutorial.cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", runner, "run", "page.md", "--manuscript", root, "--workdir", work],
        cwd=work,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == -signal.SIGKILL, result.stdout + result.stderr
    return root, work


def _saved_progress(root, work):
    """The progress as every reader gets it: settings.yaml, and the journal's records after what it holds."""
    from tutorial.manuscript.loader import load
    from tutorial.progress.state import Progress

    return Progress(SettingsFile(work), load(root), consolidate=False).state


def test_a_step_is_on_the_disk_before_the_next_one_starts(tmp_path):
    """The runner killed (-9) by the step after: every step before it is on the disk, read back by a reader.

    A run saves a step's progress while it makes the next step ready; that step is not sent to
    the shell before the save is on the disk (the journal's record, synced).
    """
    root, work = _killed_run(tmp_path, 3)
    state = _saved_progress(root, work)
    assert {ref: record.status.value for ref, record in state.steps.items()} == {
        f"page.md#{n}": "passed" for n in range(1, 4)
    }
    assert state.variables["VALUE_3"] == "step-3"


def test_a_run_killed_after_many_steps_resumes_with_all_of_them(tmp_path):
    """settings.yaml is not rewritten at every step: a killed run's steps come back from the journal."""
    root, work = _killed_run(tmp_path, 12, slow_disk=False)
    written = yaml.safe_load((work / "settings.yaml").read_text())["adventure"]
    assert len(written["steps"]) < 12, "settings.yaml holds them all: the journal was not what kept them"
    result = cli("run", "page.md", "--manuscript", root, "--resume", "--format", "json", cwd=work)
    assert result.returncode == 0, result.stdout + result.stderr
    outcomes = {f"{s['page']}#{s['index']}": (s["status"], s["message"]) for s in json.loads(result.stdout)["steps"]}
    for n in range(1, 13):
        assert outcomes[f"page.md#{n}"] == ("skipped", "done in an earlier run"), outcomes
    assert (work / "after.txt").read_text() == "after-the-kill\n"
    progress = yaml.safe_load((work / "settings.yaml").read_text())["adventure"]  # written whole at the end
    assert {f"VALUE_{n}": f"step-{n}" for n in range(1, 13)}.items() <= progress["variables"].items()
    assert {f"page.md#{n}" for n in range(1, 15)} <= progress["steps"].keys()


@pytest.mark.parametrize("number", [signal.SIGTERM, signal.SIGINT])
def test_a_run_stopped_by_a_signal_leaves_every_step_in_settings_yaml(tmp_path, number):
    """Quick steps are kept in the journal; stopping the run writes them into settings.yaml before it exits."""
    root = tmp_path / "manuscript"
    root.mkdir()
    blocks = [f"```bash\nexport VALUE_{n}=step-{n}\n```\n" for n in range(1, 7)]
    wait = "```bash\ntouch started && sleep 30\n```\n"
    (root / "page.md").write_text("# Page\n\n" + "\n".join([*blocks, wait]))
    work = tmp_path / "work"
    work.mkdir()
    runner = (  # no rewrite while a step runs: only the end of the run can write them
        "import sys\n"
        "from tutorial.progress import rewriter\n"
        "rewriter.QUIET = 3600.0\n"
        "from tutorial.cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", runner, "run", "page.md", "--manuscript", root, "--workdir", work],
        cwd=work,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 60
    while not (work / "started").exists() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert (work / "started").exists(), process.communicate(timeout=30)
    written = yaml.safe_load((work / "settings.yaml").read_text())["adventure"]
    assert len(written.get("steps", {})) < 6  # (in the journal, not yet in settings.yaml)
    sent = time.monotonic()
    process.send_signal(number)
    out, err = process.communicate(timeout=30)
    # (not a speed figure: the shell still ran the step, and asking it for its state at the way
    # out waited for an answer that could not come, 10 s)
    assert time.monotonic() - sent < 5, "the way out waited for the shell still running the step"
    assert process.returncode != 0, out + err
    progress = yaml.safe_load((work / "settings.yaml").read_text())["adventure"]
    assert {f"page.md#{n}" for n in range(1, 7)} <= progress["steps"].keys()
    assert progress["variables"]["VALUE_6"] == "step-6"
    # the shell as it was at its last prompt is kept for the next journey here
    assert 'VALUE_6="step-6"' in (work / ".adventure" / "last-shell.sh").read_text()
