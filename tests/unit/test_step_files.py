"""Files rewritten at every step: written over in place, read back only as far as they go."""

from __future__ import annotations

import stat
from pathlib import Path

from tutorial.progress import atomic
from tutorial.progress.settings import SettingsFile
from tutorial.shell import snapshot
from tutorial.shell.statedir import write_private


def test_a_shorter_text_written_over_a_longer_one_leaves_only_itself(tmp_path: Path) -> None:
    path = tmp_path / "step.sh"
    write_private(path, "echo a long first step\n" * 10)
    path.chmod(0o644)
    write_private(path, "ls\n")
    assert path.read_text() == "ls\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    write_private(path, "")
    assert path.read_bytes() == b""


def _written(number: str, body: str) -> str:
    return f"# -- snapshot {number} --\n{body}{snapshot.SECTION}\nbuiltin cd -- /w\n# -- end of snapshot {number} --\n"


def test_a_snapshot_ends_at_its_own_last_line_not_at_an_older_one_s() -> None:
    older = _written("7-1", 'declare -x OLD="1"\n' * 20)
    newer = _written("7-2", 'declare -x NEW="2"\n')
    on_disk = newer + older[len(newer) :]  # written over in place
    assert snapshot.whole(on_disk) == newer
    assert "OLD" not in snapshot.clean(on_disk)


def test_a_snapshot_cut_short_while_written_holds_nothing() -> None:
    older = _written("7-1", 'declare -x OLD="1"\n' * 20)
    torn = "# -- snapshot 7-2 --\ndeclare -x NE" + older[33:]
    assert snapshot.whole(torn) == ""


def test_a_text_that_is_no_snapshot_of_ours_is_taken_whole() -> None:
    assert snapshot.whole('declare -x A="1"\n') == 'declare -x A="1"\n'


def test_saving_leaves_no_temporary_file_in_the_work_directory(tmp_path: Path) -> None:
    settings = SettingsFile(tmp_path)
    for page in ("a.md", "b.md", "c.md"):
        settings.update_section(lambda current, page=page: {**current, "page": page})
        assert sorted(p.name for p in tmp_path.iterdir()) == [".adventure", "settings.yaml"]
    settings.close()  # (the file the last save displaced is kept for the next one until then)
    atomic.settle()
    assert not [p.name for p in (tmp_path / ".adventure").iterdir() if p.name.endswith(".tmp")]
    assert "c.md" in (tmp_path / "settings.yaml").read_text()


def test_a_displaced_file_left_in_the_state_folder_is_removed_at_the_next_start(tmp_path: Path) -> None:
    settings = SettingsFile(tmp_path)
    settings.update_section(lambda current: {**current, "page": "a.md"})
    left = tmp_path / ".adventure" / ".settings.yaml.k1ll3d.tmp"
    left.write_text("an older settings.yaml\n")
    assert left in settings.remove_stale_temporaries()
    assert not left.exists()


def _delta(based_on: str, count: int, body: str) -> str:
    return f"# -- delta {based_on} {count} --\n{body}# -- end of delta {based_on} {count} --\n"


def test_a_delta_adds_the_variables_steps_set_after_the_snapshot() -> None:
    base = _written("1-4", 'declare -x A="1"\ndeclare -- KEEP="k"\n')
    delta = _delta("1-4", 1, "declare -x A=\"3\"\ndeclare -x NEW=$'two\\nlines'\n")
    restored = snapshot.clean(snapshot.with_delta(base, delta))
    assert restored.index('A="1"') < restored.index('A="3"') < restored.index("builtin cd")  # read after: it wins
    assert "NEW=$'two\\nlines'" in restored and 'KEEP="k"' in restored
    assert "builtin cd -- /w\n# -- end of snapshot 1-4 --" in restored


def test_a_snapshot_s_blocks_are_read_in_order_after_those_of_older_snapshots() -> None:
    """Each step appends its own block: an older snapshot's come first and add nothing."""
    base = _written("1-5", 'declare -x A="1"\n')
    delta = (
        _delta("1-4", 1, 'declare -x A="older snapshot"\n')
        + _delta("1-5", 1, 'declare -x A="2"\ndeclare -- B="b"\n')
        + _delta("1-5", 2, 'declare -x A="3"\n')
    )
    restored = snapshot.with_delta(base, delta)
    assert "older snapshot" not in restored
    assert restored.index('A="1"') < restored.index('A="2"') < restored.index('A="3"') < restored.index("builtin cd")
    assert 'B="b"' in restored


def test_a_delta_of_another_snapshot_or_cut_short_adds_nothing() -> None:
    base = _written("1-5", 'declare -x A="1"\n')
    older = _delta("1-4", 7, 'declare -x A="stale"\n')
    assert "stale" not in snapshot.with_delta(base, older)
    cut = _delta("1-5", 1, 'declare -x A="half"\n').rsplit("# -- end", 1)[0]
    assert "half" not in snapshot.with_delta(base, cut)
    # the shell killed while appending: what came before the block cut short still counts
    torn = _delta("1-5", 1, 'declare -x A="whole"\n') + cut.replace("1-5 1", "1-5 2")
    assert 'A="whole"' in snapshot.with_delta(base, torn) and "half" not in snapshot.with_delta(base, torn)
    # a block out of order is not one of this snapshot's sequence: reading stops there
    gap = _delta("1-5", 1, 'declare -x A="first"\n') + _delta("1-5", 3, 'declare -x A="after a gap"\n')
    assert 'A="first"' in snapshot.with_delta(base, gap) and "after a gap" not in snapshot.with_delta(base, gap)
    assert 'A="x"' not in snapshot.with_delta(base, _delta("1-5", 2, 'declare -x A="x"\n'))  # (not from 1)
