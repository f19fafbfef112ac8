"""Progress in settings.yaml: merged with what others write, atomic, never damaged."""

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


def test_a_step_is_on_the_disk_before_the_next_one_starts(tmp_path):
    """The runner killed (-9) by the step after: every step before it is in settings.yaml.

    A run saves a step's progress while it makes the next step ready; that step is not sent to
    the shell before the save is on the disk. The disk is made slow (every fsync takes 50 ms
    more), so a save still on its way when the next step starts would lose to the kill.
    """
    root = tmp_path / "manuscript"
    root.mkdir()
    steps = [f"```bash\nexport VALUE_{n}=step-{n}\n```\n" for n in range(1, 4)]
    kill = "```bash\nkill -9 $PPID  # the runner itself, as this step starts\n```\n"
    (root / "page.md").write_text("# Page\n\n" + "\n".join([*steps, kill]))
    work = tmp_path / "work"
    work.mkdir()
    slow_disk = (
        "import os, sys, time\n"
        "real = os.fsync\n"
        "os.fsync = lambda fd: (time.sleep(0.05), real(fd))[1]\n"
        "from tutorial.cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", slow_disk, "run", "page.md", "--manuscript", root, "--workdir", work],
        cwd=work,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == -signal.SIGKILL, result.stdout + result.stderr
    progress = yaml.safe_load((work / "settings.yaml").read_text())["adventure"]
    assert {ref: record["status"] for ref, record in progress["steps"].items()} == {
        f"page.md#{n}": "passed" for n in range(1, 4)
    }
    assert progress["variables"]["VALUE_3"] == "step-3"
