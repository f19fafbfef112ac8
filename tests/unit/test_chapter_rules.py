"""The engine's chapter rules: what runs next, the rest of a section, completion, changes under the lock."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
import yaml

from tests.conftest import WriteManuscript
from tutorial.engine.chapter import Chapter, NotFailed, StepBusy, is_do_step
from tutorial.engine.journey import Journey
from tutorial.manuscript.model import StepStatus

PAGE = """
# Registry

## Setup

```bash
echo setup
```

## Do

```bash
echo one
```

```bash
echo two
```

```bash
false
```

## Destroy The Resources

```bash
echo destroyed > destroyed.txt
```

```bash
echo also-destroyed
```
"""


@pytest.fixture
def chapter(write_manuscript: WriteManuscript, tmp_path: Path) -> Chapter:
    manuscript = write_manuscript({"registry.md": PAGE})
    work = tmp_path / "work"
    work.mkdir()
    journey = Journey(manuscript, work)
    yield journey.chapter(manuscript.pages["registry.md"])
    journey.close()


def saved_statuses(chapter: Chapter) -> dict[str, str]:
    data = yaml.safe_load((chapter.journey.workdir / "settings.yaml").read_text())["adventure"]
    return {ref: record["status"] for ref, record in data["steps"].items()}


def test_do_steps_leave_out_the_teardown(chapter: Chapter) -> None:
    steps = chapter.page.steps
    assert [s.section for s in steps].count("Destroy The Resources") == 2
    assert [s.index for s in chapter.do_steps()] == [0, 1, 2, 3]
    assert not is_do_step(steps[4]) and not is_do_step(steps[5])


def test_what_runs_next_skips_done_steps_and_never_a_teardown(chapter: Chapter) -> None:
    steps = chapter.page.steps
    assert chapter.next_step() is steps[0]
    chapter.skip(steps[0])
    chapter.skip(steps[1])
    assert chapter.next_step() is steps[2]
    assert chapter.next_step(after=steps[2]) is steps[3]
    chapter.skip(steps[2])
    chapter.skip(steps[3])
    assert chapter.next_step() is None  # the two Destroy steps are still pending, and never next
    assert chapter.status(steps[4]) is StepStatus.PENDING


def test_the_chapter_is_complete_when_its_do_steps_are_done(chapter: Chapter) -> None:
    steps = chapter.page.steps
    assert not chapter.complete
    for step in steps[:4]:
        chapter.skip(step)
    assert chapter.complete and chapter.unfinished() == []
    assert saved_statuses(chapter) == {f"registry.md#{n}": "skipped" for n in (1, 2, 3, 4)}


def test_unfinished_lists_failed_steps_first(chapter: Chapter) -> None:
    steps = chapter.page.steps
    outcome = chapter.run(steps[3])  # `false`
    assert outcome.status is StepStatus.FAILED
    assert [s.index for s in chapter.unfinished()] == [3, 0, 1, 2]


def test_the_rest_of_a_section_is_what_is_left_under_its_heading(chapter: Chapter) -> None:
    steps = chapter.page.steps
    assert [s.index for s in chapter.section_rest(steps[1])] == [1, 2, 3]
    chapter.skip(steps[2])
    assert [s.index for s in chapter.section_rest(steps[1])] == [1, 3]
    assert chapter.section_rest(steps[0]) == [steps[0]]  # Setup is its own section
    # from a Destroy step, the rest of the Destroy section, and it says what it removes
    rest = chapter.section_rest(steps[4])
    assert [s.index for s in rest] == [4, 5]
    assert Chapter.removes(rest).splitlines() == [
        "“Destroy The Resources” undoes what the chapter made. It runs:",
        "  echo destroyed > destroyed.txt",
        "  echo also-destroyed",
    ]
    assert Chapter.removes(chapter.section_rest(steps[1])) == ""


def test_running_a_step_is_seen_as_running_and_then_recorded(chapter: Chapter) -> None:
    step = chapter.page.steps[1]
    seen: list[StepStatus] = []
    outcome = chapter.run(step, on_started=lambda: seen.append(chapter.status(step)))
    assert seen == [StepStatus.RUNNING]
    assert outcome.status is StepStatus.PASSED
    assert chapter.status(step) is StepStatus.PASSED and chapter.outcome(step) is outcome
    assert saved_statuses(chapter) == {"registry.md#2": "passed"}
    view = chapter.view(step)
    assert view.status is StepStatus.PASSED and view.outcome is outcome and not view.edited


def test_an_edit_is_what_runs_and_what_the_view_shows(chapter: Chapter) -> None:
    step = chapter.page.steps[1]
    chapter.edit(step, "echo edited > edited.txt")
    view = chapter.view(step)
    assert view.edited and view.code == "echo edited > edited.txt"
    chapter.run(step)
    assert (chapter.journey.workdir / "edited.txt").read_text() == "edited\n"
    chapter.edit(step, None)
    assert not chapter.view(step).edited


def test_only_a_failed_step_can_be_marked_done(chapter: Chapter) -> None:
    steps = chapter.page.steps
    with pytest.raises(NotFailed):
        chapter.override(steps[0])
    chapter.run(steps[3])
    outcome = chapter.override(steps[3])
    assert outcome.status is StepStatus.OVERRIDDEN and chapter.done(steps[3])
    assert saved_statuses(chapter)["registry.md#4"] == "overridden"


def test_a_running_step_cannot_be_skipped_marked_done_or_edited(
    write_manuscript: WriteManuscript, tmp_path: Path
) -> None:
    manuscript = write_manuscript({"slow.md": "# Slow\n\n```bash\nsleep 1; false\n```\n"})
    journey = Journey(manuscript, tmp_path)
    chapter = journey.chapter(manuscript.pages["slow.md"])
    step = chapter.page.steps[0]
    started = threading.Event()
    worker = threading.Thread(target=lambda: chapter.run(step, on_started=started.set))
    worker.start()
    try:
        assert started.wait(10)
        with pytest.raises(StepBusy):
            chapter.skip(step)
        with pytest.raises(StepBusy):
            chapter.override(step)
        with pytest.raises(StepBusy):
            chapter.edit(step, "echo other")
        with pytest.raises(StepBusy):
            chapter.run(step)
    finally:
        worker.join(20)
        journey.close()
    assert chapter.status(step) is StepStatus.FAILED


def test_an_override_waits_for_a_save_in_progress(chapter: Chapter) -> None:
    """Two changes never write settings.yaml at once: the override waits for the lock."""
    steps = chapter.page.steps
    chapter.run(steps[3])
    finished = threading.Event()

    def override() -> None:
        chapter.override(steps[3])
        finished.set()

    with chapter.journey.state_lock:  # as a step finishing in the worker thread holds it
        thread = threading.Thread(target=override)
        thread.start()
        time.sleep(0.3)
        assert not finished.is_set()
        assert saved_statuses(chapter)["registry.md#4"] == "failed"
    thread.join(10)
    assert finished.is_set()
    assert saved_statuses(chapter)["registry.md#4"] == "overridden"


def test_a_relaunch_sees_the_same_state(chapter: Chapter) -> None:
    steps = chapter.page.steps
    chapter.run(steps[0])
    chapter.run(steps[3])
    chapter.journey.close()  # one journey per work directory: the first one ends before the relaunch
    again = Journey(chapter.journey.manuscript, chapter.journey.workdir).chapter(chapter.page)
    assert again.status(steps[0]) is StepStatus.PASSED
    assert again.status(steps[3]) is StepStatus.FAILED
    assert again.next_step() is steps[1]
    assert again.journey.resume_step(chapter.page) is steps[1]
    again.journey.close()


def test_a_broken_settings_file_is_set_aside_never_over_another(tmp_path: Path) -> None:
    from tutorial.engine.recovery import aside_name, set_aside_settings

    (tmp_path / "settings.yaml").write_text("adventure: [first\n")
    target = aside_name(tmp_path)
    target.write_text("an older copy\n")  # the name is taken: it is kept, and a new name is used
    moved = set_aside_settings(tmp_path, target)
    assert moved != target and moved.read_text() == "adventure: [first\n"
    assert target.read_text() == "an older copy\n"
    assert not (tmp_path / "settings.yaml").exists()


def test_every_status_has_one_mark() -> None:
    from tutorial.engine.marks import MARKS, check_mark

    assert set(MARKS) == set(StepStatus)
    assert check_mark(True) == MARKS[StepStatus.PASSED] and check_mark(False) == MARKS[StepStatus.FAILED]
    assert {s for s in StepStatus if s.done} == {StepStatus.PASSED, StepStatus.SKIPPED, StepStatus.OVERRIDDEN}
    assert StepStatus.read("no-such-word") is StepStatus.PENDING
