"""The progress journal: records framed so that a torn or stale one is never applied, and the saves built on it."""

from __future__ import annotations

import errno
import json
import os
import random
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from tutorial.manuscript.model import Manuscript, StepStatus
from tutorial.progress import delta, journal, rewriter
from tutorial.progress.journal import Journal, JournalFull
from tutorial.progress.origins import Origin
from tutorial.progress.settings import SettingsError, SettingsFile
from tutorial.progress.state import Progress, StepRecord

# -- framing ------------------------------------------------------------------------------------


def _written(path: Path, generation: int, count: int, *, size: int = 4096) -> Journal:
    """A journal at ``path`` holding ``count`` records of ``generation`` (payload ``{"n": N}``)."""
    opened = Journal.open(path, size)
    opened.start(generation)
    for number in range(1, count + 1):
        opened.append(delta.encode({"n": number}))
    opened.sync()
    return opened


def _applied(path: Path, generation: int, after: int = 0) -> list[int]:
    marker = {"id": journal.generation_text(generation), "seq": after}
    return [change["n"] for _, change in journal.changes_after(path, marker)]


def _offset_of(content: bytes, record: int) -> int:
    """Where record number ``record`` (1-based) starts."""
    offset = 0
    for _ in range(record - 1):
        length = int.from_bytes(content[offset + 4 : offset + 8], "little")
        offset += 28 + length
    return offset


def test_the_records_of_a_generation_are_applied_in_order_after_what_settings_holds(tmp_path: Path) -> None:
    path = tmp_path / "progress.journal"
    _written(path, 7, 5).close()
    assert _applied(path, 7) == [1, 2, 3, 4, 5]
    assert _applied(path, 7, after=3) == [4, 5]
    assert _applied(path, 7, after=5) == []
    assert _applied(path, 8) == []  # another generation's records are not ours
    assert journal.changes_after(path, None) == []  # no marker: progress saved whole, or forgotten
    assert journal.changes_after(path, {"id": "not hex at all!", "seq": 0}) == []


def test_the_file_is_made_once_with_real_zeros_private_and_reused(tmp_path: Path) -> None:
    path = tmp_path / "progress.journal"
    first = Journal.open(path, 8192)
    first.close()
    made = os.stat(path)
    assert made.st_size == 8192 and oct(made.st_mode & 0o777) == "0o600"
    assert made.st_blocks * 512 >= 8192  # written, not a hole: a record inside allocates nothing
    assert path.read_bytes() == bytes(8192)
    _written(path, 3, 2, size=8192).close()
    assert os.stat(path).st_ino == made.st_ino and os.stat(path).st_size == 8192


def test_a_zeroed_tail_ends_the_replay(tmp_path: Path) -> None:
    path = tmp_path / "progress.journal"
    _written(path, 7, 3).close()
    assert path.read_bytes()[_offset_of(path.read_bytes(), 4) :] == bytes(4096 - _offset_of(path.read_bytes(), 4))
    assert _applied(path, 7) == [1, 2, 3]


@pytest.mark.parametrize("damage", ["torn payload", "bad checksum", "length past the end", "half a header"])
def test_a_damaged_record_stops_the_replay_there(tmp_path: Path, damage: str) -> None:
    path = tmp_path / "progress.journal"
    _written(path, 7, 5).close()
    content = bytearray(path.read_bytes())
    third = _offset_of(bytes(content), 3)
    if damage == "torn payload":  # a crash in the middle of writing it: its end is still zeros
        content[third + 28 + 2 : third + 28 + 8] = bytes(6)
    elif damage == "bad checksum":
        content[third + 8] ^= 0xFF
    elif damage == "length past the end":
        content[third + 4 : third + 8] = (1 << 30).to_bytes(4, "little")
    else:  # the file cut in the middle of the third record's header
        content = content[: third + 10]
    path.write_bytes(bytes(content))
    assert _applied(path, 7) == [1, 2]


def test_stale_records_of_an_older_generation_after_a_shorter_new_one_are_not_applied(tmp_path: Path) -> None:
    path = tmp_path / "progress.journal"
    _written(path, 7, 6).close()
    _written(path, 9, 2).close()  # a whole save started generation 9 at the start of the file
    assert _applied(path, 9) == [1, 2]
    assert _applied(path, 7) == []  # its first records were written over: none of it is applied


def test_a_record_out_of_sequence_stops_the_replay(tmp_path: Path) -> None:
    path = tmp_path / "progress.journal"
    _written(path, 7, 2).close()
    content = path.read_bytes()
    third = _offset_of(content, 3)
    stray = journal.frame(delta.encode({"n": 4}), 7, 4)  # well framed, of the right generation, but 4 after 2
    path.write_bytes(content[:third] + stray + content[third + len(stray) :])
    assert _applied(path, 7) == [1, 2]


def test_a_record_that_does_not_fit_is_refused_and_a_new_generation_starts_at_the_beginning(tmp_path: Path) -> None:
    path = tmp_path / "progress.journal"
    opened = Journal.open(path, 300)  # two records of 107 bytes, not three
    opened.start(5)
    opened.append(delta.encode({"n": 1, "pad": "x" * 60}))
    opened.append(delta.encode({"n": 2, "pad": "x" * 60}))
    with pytest.raises(JournalFull):
        opened.append(delta.encode({"n": 3, "pad": "x" * 60}))
    opened.start(6)
    opened.append(delta.encode({"n": 1}))
    opened.close()
    assert _applied(path, 6) == [1] and _applied(path, 5) == []


@pytest.mark.parametrize("kind", ["symbolic link", "directory", "fifo"])
def test_a_journal_that_is_not_a_regular_file_is_refused_with_its_name(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "progress.journal"
    if kind == "symbolic link":
        (tmp_path / "elsewhere").write_bytes(b"")
        path.symlink_to(tmp_path / "elsewhere")
    elif kind == "directory":
        path.mkdir()
    else:
        os.mkfifo(path)
    with pytest.raises(OSError) as refused:
        Journal.open(path, 4096)
    assert refused.value.filename == str(path)
    assert journal.changes_after(path, {"id": journal.generation_text(1), "seq": 0}) == []  # and never read


# -- what a record holds ------------------------------------------------------------------------


def test_records_applied_in_order_give_what_a_whole_save_would_have_written() -> None:
    rng = random.Random(11)
    before: dict[str, Any] = {"schema": 1, "page": "a.md", "steps": {}, "variables": {}, "origins": {}}
    written = {key: (dict(value) if isinstance(value, dict) else value) for key, value in before.items()}
    for turn in range(500):
        after = {key: (dict(value) if isinstance(value, dict) else value) for key, value in before.items()}
        for _ in range(rng.randint(0, 3)):
            roll = rng.random()
            mapping = after[rng.choice(["steps", "variables", "origins"])]
            name = f"N{rng.randint(0, 30)}"
            if roll < 0.6:
                mapping[name] = rng.choice(["x", "y", {"status": "passed", "at": str(turn)}])
            elif mapping:
                mapping.pop(rng.choice(list(mapping)))
        if rng.random() < 0.3:
            after["page"] = rng.choice(["a.md", "b.md"])
        if rng.random() < 0.1:
            after.pop("page", None) if rng.random() < 0.5 else after.setdefault("edits", {"x": "y"})
        record = delta.difference(before, after)
        delta.apply(written, json.loads(delta.encode(record)))
        assert written == after, turn
        before = after


def test_a_step_that_changes_nothing_else_is_a_record_of_that_step_alone() -> None:
    record = StepRecord(StepStatus.PASSED, "t", 0.1, 0, "c").data
    steps = {f"a.md#{n}": StepRecord(StepStatus.PASSED, "t", 0.1, 0, f"c{n}").data for n in range(200)}
    before = {"page": "a.md", "steps": steps, "variables": {f"V{n}": str(n) for n in range(200)}}
    after = {**before, "steps": {**steps, "a.md#200": record}, "variables": dict(before["variables"])}
    assert delta.difference(before, after) == {"put": {"steps": {"a.md#200": record}}}


# -- saves through the journal ------------------------------------------------------------------

PAGE = {"a.md": "# A\n\n```bash\necho one\n```\n"}


@pytest.fixture
def slow_rewrites(monkeypatch: pytest.MonkeyPatch) -> None:
    """settings.yaml is not rewritten in the background during the test (as with steps that follow fast)."""
    monkeypatch.setattr(rewriter, "QUIET", 3600.0)


def _stepped(progress: Progress, number: int, **values: str) -> None:
    """What a run does at the end of a step: its record, its values, a save on its way."""
    progress.state.steps[f"a.md#{number}"] = StepRecord(StepStatus.PASSED, "2026-11-30T12:00:00", 0.1, 0, f"c{number}")
    progress.remember(values, {name: Origin("step", "", "a.md", number) for name in values})
    progress.save_soon()
    progress.settle()


def _started(tmp_path: Path, manuscript: Manuscript) -> Progress:
    progress = Progress(SettingsFile(tmp_path), manuscript)
    progress.arrive("a.md", entry=True)
    progress.save()
    return progress


def _section(tmp_path: Path) -> dict[str, Any]:
    return yaml.safe_load((tmp_path / "settings.yaml").read_text())["adventure"]  # type: ignore[no-any-return]


def test_steps_saved_soon_are_in_the_journal_and_read_back_before_settings_is_rewritten(
    tmp_path: Path, write_manuscript: Any, slow_rewrites: None
) -> None:
    manuscript = write_manuscript(PAGE)
    progress = _started(tmp_path, manuscript)
    for number in range(1, 9):
        _stepped(progress, number, **{f"V{number}": f"value {number}"})
    assert len(_section(tmp_path).get("steps", {})) < 8  # settings.yaml not written at every step
    reader = Progress(SettingsFile(tmp_path), manuscript, consolidate=False)  # as `map`, the app read-only
    assert reader.replayed >= 7
    assert reader.state.steps == progress.state.steps and reader.state.variables == progress.state.variables
    assert reader.state.origins == progress.state.origins
    assert len(_section(tmp_path).get("steps", {})) < 8  # a reader writes nothing
    progress.close()  # (the run ends: settings.yaml holds everything)
    section = _section(tmp_path)
    assert len(section["steps"]) == 8 and section["variables"]["V8"] == "value 8"
    assert section["journal"]["seq"] >= 7


def test_loading_with_records_applied_writes_settings_whole_at_once(
    tmp_path: Path, write_manuscript: Any, slow_rewrites: None
) -> None:
    manuscript = write_manuscript(PAGE)
    progress = _started(tmp_path, manuscript)
    for number in range(1, 5):
        _stepped(progress, number, **{f"V{number}": "x"})
    # (killed here: no close)
    writer = Progress(SettingsFile(tmp_path), manuscript)
    section = _section(tmp_path)
    assert len(section["steps"]) == 4 and set(section["variables"]) == {"V1", "V2", "V3", "V4"}
    assert "journal" not in section  # the records are in the file now: never applied again
    assert Progress(SettingsFile(tmp_path), manuscript, consolidate=False).replayed == 0
    assert writer.state.steps == progress.state.steps


def test_the_rewrite_comes_once_no_record_came_for_a_moment(tmp_path: Path, write_manuscript: Any) -> None:
    progress = _started(tmp_path, write_manuscript(PAGE))
    for number in range(1, 4):
        _stepped(progress, number, V="x")
    deadline = time.monotonic() + 10
    while len(_section(tmp_path).get("steps", {})) < 3 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert len(_section(tmp_path)["steps"]) == 3
    assert _section(tmp_path)["journal"]["seq"] == 2  # (the first step's save was whole)
    progress.close()


def test_the_journal_never_holds_a_secret(tmp_path: Path, write_manuscript: Any, slow_rewrites: None) -> None:
    progress = _started(tmp_path, write_manuscript(PAGE))
    token = "tok-5551-secret-value"
    progress.mark_secret(["API_TOKEN"], [token])
    _stepped(progress, 1, GREETING="hello")
    _stepped(progress, 2, API_TOKEN=token, HEADER=f"Bearer {token}", PASSWORD="hunter2-xyz")
    progress.state.edits["a.md#1"] = f"curl -H 'Authorization: {token}'"
    _stepped(progress, 3, LATER="fine")
    content = progress.journal_path.read_bytes()
    assert b"LATER" in content and b"GREETING" not in content  # (the journal was written: step 1's save was whole)
    for secret in (token, "hunter2-xyz", "Authorization"):
        assert secret.encode() not in content
    progress.close()
    assert token not in (tmp_path / "settings.yaml").read_text()


def test_reset_forgets_the_journal_s_records_too(tmp_path: Path, write_manuscript: Any, slow_rewrites: None) -> None:
    from tutorial.cli import main

    manuscript = write_manuscript(PAGE)
    progress = _started(tmp_path, manuscript)
    for number in range(1, 5):
        _stepped(progress, number, V=str(number))
    assert main(["reset", "--workdir", str(tmp_path)]) == 0  # (a killed run left the records)
    fresh = Progress(SettingsFile(tmp_path), manuscript)
    assert fresh.state.steps == {} and fresh.state.variables == {} and fresh.replayed == 0
    assert "adventure" not in (yaml.safe_load((tmp_path / "settings.yaml").read_text()) or {})


def test_reset_in_the_app_forgets_the_records_and_the_next_steps_start_a_new_generation(
    tmp_path: Path, write_manuscript: Any, slow_rewrites: None
) -> None:
    manuscript = write_manuscript(PAGE)
    progress = _started(tmp_path, manuscript)
    for number in range(1, 4):
        _stepped(progress, number, V=str(number))
    progress.reset()
    assert Progress(SettingsFile(tmp_path), manuscript, consolidate=False).state.steps == {}
    _stepped(progress, 9, W="after")
    _stepped(progress, 10, W="after again")
    reader = Progress(SettingsFile(tmp_path), manuscript, consolidate=False)
    assert set(reader.state.steps) == {"a.md#9", "a.md#10"} and reader.state.variables == {"W": "after again"}
    progress.close()


def test_a_full_journal_starts_a_new_generation_and_nothing_is_lost(
    tmp_path: Path, write_manuscript: Any, monkeypatch: pytest.MonkeyPatch, slow_rewrites: None
) -> None:
    monkeypatch.setattr(journal, "SIZE", 1024)  # three or four records
    manuscript = write_manuscript(PAGE)
    progress = _started(tmp_path, manuscript)
    generations = set()
    for number in range(1, 30):
        _stepped(progress, number, **{f"V{number}": "v" * 40})
        generations.add(_section(tmp_path).get("journal", {}).get("id"))
    assert len(generations) > 5  # a whole save at every full journal
    reader = Progress(SettingsFile(tmp_path), manuscript, consolidate=False)
    assert reader.state.steps == progress.state.steps and reader.state.variables == progress.state.variables
    assert reader.replayed > 0
    progress.close()


@pytest.mark.parametrize("kind", ["symbolic link", "directory"])
def test_a_journal_that_cannot_be_used_makes_every_save_whole_and_says_so(
    tmp_path: Path, write_manuscript: Any, kind: str, slow_rewrites: None
) -> None:
    manuscript = write_manuscript(PAGE)
    progress = _started(tmp_path, manuscript)
    if kind == "symbolic link":
        progress.journal_path.symlink_to(tmp_path / "elsewhere.bin")
    else:
        progress.journal_path.mkdir()
    for number in range(1, 4):
        _stepped(progress, number, V=str(number))
        assert len(_section(tmp_path)["steps"]) == number  # whole, at every step
    assert len(progress.notices) == 1 and str(progress.journal_path) in progress.notices[0]
    assert not (tmp_path / "elsewhere.bin").exists()
    progress.close()


def test_a_journal_that_cannot_be_made_on_a_full_disk_says_so_in_the_same_words(
    tmp_path: Path, write_manuscript: Any, monkeypatch: pytest.MonkeyPatch, slow_rewrites: None
) -> None:
    progress = _started(tmp_path, write_manuscript(PAGE))
    real = os.pwrite

    def pwrite(fd: int, data: Any, offset: int) -> int:
        if os.readlink(f"/proc/self/fd/{fd}").endswith(journal.NAME):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(fd, data, offset)

    monkeypatch.setattr(os, "pwrite", pwrite)
    _stepped(progress, 1, V="1")
    assert progress.notices == [
        f"{progress.journal_path}: cannot be written (no space left on the device): "
        "each step's progress is saved whole instead"
    ]
    assert len(_section(tmp_path)["steps"]) == 1
    progress.close()


def test_a_journal_whose_sync_fails_is_given_up_and_the_step_saved_whole(
    tmp_path: Path, write_manuscript: Any, monkeypatch: pytest.MonkeyPatch, slow_rewrites: None
) -> None:
    manuscript = write_manuscript(PAGE)
    progress = _started(tmp_path, manuscript)
    _stepped(progress, 1, V="1")
    _stepped(progress, 2, V="2")  # (in the journal)

    def refused(fd: int) -> None:
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(os, "fdatasync", refused)
    _stepped(progress, 3, V="3")
    assert set(_section(tmp_path)["steps"]) == {"a.md#1", "a.md#2", "a.md#3"}
    assert "journal" not in _section(tmp_path)  # given up: its records are never applied again
    assert str(progress.journal_path) in progress.notices[0] and "Input/output error" in progress.notices[0]
    _stepped(progress, 4, V="4")
    assert len(_section(tmp_path)["steps"]) == 4
    progress.close()


def test_settings_written_by_another_program_is_merged_at_the_next_step(
    tmp_path: Path, write_manuscript: Any, slow_rewrites: None
) -> None:
    progress = _started(tmp_path, write_manuscript(PAGE))
    _stepped(progress, 1, V="1")
    _stepped(progress, 2, V="2")
    settings = tmp_path / "settings.yaml"
    replaced = tmp_path / "new.yaml"  # as `yq -i` does
    replaced.write_text("image: nginx\n" + settings.read_text())
    replaced.replace(settings)
    _stepped(progress, 3, V="3")
    text = settings.read_text()
    assert "image: nginx" in text and '"a.md#3"' in text
    settings.unlink()  # removed by a step: written again, whole
    _stepped(progress, 4, V="4")
    assert len(_section(tmp_path)["steps"]) == 4
    settings.unlink()
    settings.symlink_to(tmp_path / "elsewhere.yaml")
    progress.state.steps["a.md#5"] = StepRecord(StepStatus.PASSED, "t", 0.1, 0, "c5")
    progress.save_soon()
    with pytest.raises(SettingsError, match="symbolic link"):
        progress.settle()
    progress.close()


@pytest.mark.parametrize("found_by", ["value", "name"])
def test_a_recorded_value_that_turns_out_to_be_a_secret_is_wiped_from_the_journal(
    tmp_path: Path, write_manuscript: Any, slow_rewrites: None, found_by: str
) -> None:
    manuscript = write_manuscript(PAGE)
    progress = _started(tmp_path, manuscript)
    _stepped(progress, 1, FIRST="1")
    _stepped(progress, 2, LATER="abc-9876-xyz")
    assert b"abc-9876-xyz" in progress.journal_path.read_bytes()  # (safe when it was recorded)
    if found_by == "value":
        progress.mark_secret([], ["abc-9876-xyz"])  # a later step printed it as a token
    else:
        progress.mark_secret(["LATER"])  # declared secret since
    _stepped(progress, 3, OTHER="3")
    assert b"abc-9876-xyz" not in progress.journal_path.read_bytes()
    assert "abc-9876-xyz" not in (tmp_path / "settings.yaml").read_text()
    _stepped(progress, 4, MORE="4")  # the journal goes on after it
    reader = Progress(SettingsFile(tmp_path), manuscript, consolidate=False)
    assert reader.replayed == 1 and set(reader.state.steps) == {f"a.md#{n}" for n in range(1, 5)}
    assert "LATER" not in reader.state.variables and reader.state.variables["MORE"] == "4"
    progress.close()
