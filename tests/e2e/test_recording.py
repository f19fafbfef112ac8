"""asciicast v2 recordings of a journey, played back through a terminal emulator (pyte)."""

import json
import textwrap

import pyte
import pytest

from tests.support.cli import run_cli
from tutorial.shell.output import Masker
from tutorial.shell.recording import Recording, events

SECRET = "hunter2-Secret-Value"

COLOURS = """
# Colours

## Do

```bash
export API_TOKEN=[...]
printf 'plain line\\n\\033[31mred words\\033[0m\\n'
echo "the token is $API_TOKEN"
```

```bash
for i in 1 2 3; do printf 'progress %s%%\\r' "$((i * 33))"; done; echo
echo "second step done"
```
"""

OTHER = """
# Other

```bash
echo "from the other page"
```
"""


@pytest.fixture
def book(tmp_path):
    root = tmp_path / "manuscript"
    root.mkdir()
    (root / "colours.md").write_text(textwrap.dedent(COLOURS).lstrip())
    (root / "other.md").write_text(textwrap.dedent(OTHER).lstrip())
    work = tmp_path / "work"
    work.mkdir()
    return root, work


def cli(command, *args, cwd):
    return run_cli(command, *args, cwd=cwd, env={"NO_COLOR": "1"}, timeout=60)


def play(path, columns=120, rows=40):
    """What a terminal shows after playing the recording, and the screen itself."""
    screen = pyte.Screen(columns, rows)
    stream = pyte.Stream(screen)
    for _, kind, data in events(path):
        if kind == "o":
            stream.feed(data)
    return [line.rstrip() for line in screen.display], screen


def test_every_journey_is_recorded_in_asciicast_v2(book):
    root, work = book
    result = cli("run", "colours.md", "--manuscript", root, "--var", f"API_TOKEN={SECRET}", cwd=work)
    assert result.returncode == 0, result.stdout + result.stderr
    cast = work / ".adventure" / "journey.cast"
    header = json.loads(cast.read_text().splitlines()[0])
    assert header["version"] == 2 and (header["width"], header["height"]) == (120, 40)
    times = [seconds for seconds, _, _ in events(cast)]
    assert times == sorted(times) and len(times) >= 4
    assert SECRET not in cast.read_text()

    shown, screen = play(cast)
    assert "plain line" in shown
    assert "red words" in shown
    assert "# colours.md step 1 (line 6)" in shown
    assert "  printf 'plain line\\n\\033[31mred words\\033[0m\\n'" in shown  # the command, after a prompt
    assert any(line.startswith("the token is") and SECRET not in line for line in shown)
    assert "progress 99%" in shown  # the carriage returns drew over the same line
    assert "second step done" in shown
    row = shown.index("red words")
    assert screen.buffer[row][0].fg == "red"  # colours survive


def test_a_second_run_adds_to_the_same_recording_and_its_clock_goes_on(book):
    root, work = book
    cli("run", "colours.md", "--manuscript", root, "--var", f"API_TOKEN={SECRET}", cwd=work)
    cast = work / ".adventure" / "journey.cast"
    first = list(events(cast))
    cli("run", "other.md", "--manuscript", root, cwd=work)
    lines = cast.read_text().splitlines()
    assert sum(1 for line in lines if line.startswith("{")) == 1  # one header
    both = list(events(cast))
    assert both[: len(first)] == first
    times = [seconds for seconds, _, _ in both]
    assert times == sorted(times) and times[len(first)] > times[len(first) - 1]
    assert "from the other page" in play(cast)[0]


def test_record_keeps_only_its_run_where_you_say(book, tmp_path):
    root, work = book
    cli("run", "other.md", "--manuscript", root, cwd=work)
    target = tmp_path / "casts" / "colours.cast"
    result = cli("record", "colours.md", "--manuscript", root, "--var", f"API_TOKEN={SECRET}", "-o", target, cwd=work)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"recording: {target}" in result.stdout
    header = json.loads(target.read_text().splitlines()[0])
    assert header["version"] == 2
    recorded = list(events(target))
    assert recorded[0][0] == 0.0
    shown = play(target)[0]
    assert "second step done" in shown
    assert "from the other page" not in shown
    assert SECRET not in target.read_text()


def test_record_refuses_a_dry_run(book, tmp_path):
    root, work = book
    result = cli("record", "colours.md", "--manuscript", root, "--dry-run", "-o", tmp_path / "x.cast", cwd=work)
    assert result.returncode == 2 and "--dry-run records nothing" in result.stderr
    assert not (tmp_path / "x.cast").exists()


def test_a_file_that_is_not_a_recording_is_set_aside_not_appended_to(tmp_path):
    cast = tmp_path / ".adventure" / "journey.cast"
    cast.parent.mkdir()
    cast.write_text("not json at all\n")
    recording = Recording(cast, Masker())
    recording.write("hello\n")
    recording.close()
    assert (tmp_path / ".adventure" / "journey.cast.unreadable").read_text() == "not json at all\n"
    assert json.loads(cast.read_text().splitlines()[0])["version"] == 2
    assert [data for _, _, data in events(cast)] == ["hello\r\n"]


def test_long_pauses_are_shortened(tmp_path, monkeypatch):
    import tutorial.shell.recording as recording_module

    now = [1000.0]
    monkeypatch.setattr(recording_module.time, "monotonic", lambda: now[0])
    recording = Recording(tmp_path / "a.cast", Masker())
    recording.write("a")
    now[0] += 600  # ten minutes of reading
    recording.write("b")
    now[0] += 0.5
    recording.write("c")
    recording.close()
    assert [seconds for seconds, _, _ in events(tmp_path / "a.cast")] == [0.0, 2.0, 2.5]


def test_a_flood_is_recorded_up_to_a_limit_and_the_rest_counted(tmp_path, monkeypatch):
    import tutorial.shell.recording as recording_module

    monkeypatch.setattr(recording_module, "STEP_LIMIT", 10)
    recording = Recording(tmp_path / "a.cast", Masker())
    recording.begin("flood", "yes | head")
    recording.write("y\ny\ny\ny\n")  # 8 characters
    recording.write("y\ny\ny\n")  # 6 more: 2 kept
    recording.note("finished, exit status 0")
    recording.begin("next", "echo hi")
    recording.write("hi\n")  # a new step starts a new allowance
    recording.close()
    shown = "".join(data for _, _, data in events(tmp_path / "a.cast"))
    assert "y\r\ny\r\ny\r\ny\r\ny\r\n" in shown and shown.count("y\r\n") == 5
    assert "4 more characters of output, not recorded" in shown
    assert "hi\r\n" in shown


def test_record_with_json_output_keeps_stdout_one_document(book, tmp_path):
    root, work = book
    target = tmp_path / "other.cast"
    result = cli("record", "other.md", "--manuscript", root, "--format", "json", "-o", target, cwd=work)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["passed"] == 1
    assert f"recording: {target}" in result.stderr
    assert "from the other page" in play(target)[0]


def test_a_line_cut_short_by_a_crash_does_not_swallow_the_next_launch(tmp_path):
    cast = tmp_path / "a.cast"
    first = Recording(cast, Masker())
    first.write("before\n")
    first.close()
    with cast.open("a") as stream:
        stream.write('[3.5, "o", "half a li')  # the process died mid-write
    second = Recording(cast, Masker())
    second.write("after\n")
    second.close()
    lines = cast.read_text().splitlines()
    assert lines[-2] == '[3.5, "o", "half a li'
    assert json.loads(lines[-1])[1:] == ["o", "after\r\n"]
    assert [data for _, _, data in events(cast)] == ["before\r\n", "after\r\n"]  # the cut line is passed over
