"""A save writes again only what changed since the last one, and gives the same file as writing it all."""

from __future__ import annotations

import random
import threading
from typing import Any

import pytest

from tutorial.manuscript.model import StepStatus
from tutorial.progress.origins import Origin
from tutorial.progress.settings import Entries, SettingsError, SettingsFile, Stored, dump_section
from tutorial.progress.state import Progress, StepRecord


def test_entries_written_again_only_when_changed_read_as_if_written_whole() -> None:
    rng = random.Random(7)
    entries = Entries("    ")
    current: dict[str, Any] = {}
    for turn in range(400):
        roll = rng.random()
        if roll < 0.5 or not current:  # a new record, or one replaced (never changed in place)
            prompt = "two\nlines" if rng.random() < 0.1 else "one line"
            current[f"page.md#{rng.randint(0, 40)}"] = Stored({"status": rng.choice("ab"), "prompt": prompt})
        elif roll < 0.7:
            current.pop(rng.choice(list(current)))
        elif roll < 0.8:
            current = dict(reversed(list(current.items())))
        block = entries.block(current, lambda value: value)
        assert dump_section({"steps": block}) == dump_section({"steps": dict(current)}), turn
        assert dict(block) == current


def test_a_save_after_many_steps_is_the_file_written_whole(tmp_path, write_manuscript) -> None:
    progress = Progress(SettingsFile(tmp_path), write_manuscript({"a.md": "# A\n"}))
    for number in range(30):
        progress.state.steps[f"a.md#{number % 7}"] = StepRecord(
            StepStatus.PASSED, "2026-11-30T12:00:00", 0.5, 0, "c0de"
        )
        progress.remember({f"V{number % 9}": f"value {number}"}, {f"V{number % 9}": Origin("step", "", "a.md", number)})
        progress.save()
    written = (tmp_path / "settings.yaml").read_text()
    fresh = Progress(SettingsFile(tmp_path), write_manuscript({"a.md": "# A\n"}))
    assert fresh.state.steps == progress.state.steps
    assert fresh.state.variables == progress.state.variables
    assert fresh.state.origins == progress.state.origins
    data = progress._change()({})
    plain = {key: dict(value) if isinstance(value, dict) else value for key, value in data.items()}
    assert dump_section(data) == dump_section(plain)
    assert dump_section(data).rsplit("  updated:", 1)[0] in written


def test_a_value_found_to_hold_a_secret_after_a_save_is_left_out_of_the_next(tmp_path, write_manuscript) -> None:
    progress = Progress(SettingsFile(tmp_path), write_manuscript({"a.md": "# A\n"}))
    progress.remember({"GREETING": "hello", "LATER": "x-tok-3141-y"})
    progress.save()
    assert "tok-3141" in (tmp_path / "settings.yaml").read_text()
    progress.mark_secret([], ["tok-3141"])  # the variables did not change, what may be written did
    progress.save()
    text = (tmp_path / "settings.yaml").read_text()
    assert "tok-3141" not in text and "hello" in text


def test_the_variables_judged_one_by_one_are_those_judged_all_at_once(tmp_path, write_manuscript) -> None:
    """A save judges again only the values that changed; what it writes is what judging all of them gives."""
    progress = Progress(SettingsFile(tmp_path), write_manuscript({"a.md": "# A\n"}))
    chance = random.Random(7)
    names = ["HOST", "PORT", "API_TOKEN", "NOTE", "IMAGE", "USER"]
    for _ in range(300):
        name, move = chance.choice(names), chance.random()
        if move < 0.6:
            progress.state.variables[name] = chance.choice(["a", "b", "x-tok-27-y", "tok-99", "plain"])
        elif move < 0.75:
            progress.forget(name)
        elif move < 0.8:
            progress.mark_secret([], [chance.choice(["tok-27", "tok-99", "plain"])])
        elif move < 0.85:
            progress.mark_secret([chance.choice(names)])
        assert progress._safe_saved() == progress.safe_variables(progress.state.variables)
        assert list(progress._safe_saved()) == list(progress.safe_variables(progress.state.variables))


def test_a_save_that_fails_before_its_sync_lets_the_caller_go(tmp_path, write_manuscript) -> None:
    """The caller waits for the save to reach its fsync: a save that never gets there must not hold it forever."""
    progress = Progress(SettingsFile(tmp_path), write_manuscript({"a.md": "# A\n"}))
    progress.save()
    (tmp_path / "elsewhere.yaml").write_text("{}\n")
    (tmp_path / "settings.yaml").unlink()
    (tmp_path / "settings.yaml").symlink_to(tmp_path / "elsewhere.yaml")  # refused before anything is written
    returned = threading.Event()
    caller = threading.Thread(target=lambda: (progress.save_soon(), returned.set()), daemon=True)
    caller.start()
    assert returned.wait(10)
    with pytest.raises(SettingsError, match="symbolic link"):
        progress.settle()
    progress.close()


def test_a_file_another_program_wrote_since_our_save_is_read_again(tmp_path, write_manuscript) -> None:
    """A save takes the file as its own when it is still the one it put there: any other writer is seen."""
    progress = Progress(SettingsFile(tmp_path), write_manuscript({"a.md": "# A\n"}))
    settings = tmp_path / "settings.yaml"
    progress.remember({"FIRST": "1"})
    progress.save()
    replaced = tmp_path / "new.yaml"  # as `yq -i` does: a new file renamed over it
    replaced.write_text("image: nginx\n" + settings.read_text())
    replaced.replace(settings)
    progress.remember({"SECOND": "2"})
    progress.save()
    with settings.open("a") as stream:  # in place, as `echo >> settings.yaml` does
        stream.write("tag: v1\n")
    progress.remember({"THIRD": "3"})
    progress.save()
    text = settings.read_text()
    assert "image: nginx" in text and "tag: v1" in text and "THIRD" in text


def test_new_objects_are_found_by_identity_and_a_moved_entry_means_all():
    from tutorial.progress.identity import new_objects

    a, b, c = {"x": 1}, {"x": 2}, {"x": 3}
    equal_but_new = {"x": 2}
    assert new_objects(["a", "b"], [a, b], ["a", "b"], [a, b]) == []
    assert new_objects(["a", "b", "c"], [a, equal_but_new, c], ["a", "b"], [a, b]) == [1, 2]  # (looked at again)
    assert new_objects(["b", "a"], [b, a], ["a", "b"], [a, b]) is None  # moved
    assert new_objects(["a"], [a], ["a", "b"], [a, b]) is None  # removed
