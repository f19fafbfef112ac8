"""settings.yaml: never damaged by our own save, every failure a clear message that names the file."""

from __future__ import annotations

import errno
import os
import subprocess
import textwrap
from pathlib import Path

import pytest
import yaml

from tests.support import books
from tests.support.cli import run_cli
from tutorial.cli import main
from tutorial.progress.settings import SettingsError, SettingsFile, SettingsWriteError

PAGE = "# Page\n\n```bash\necho ran >> ran.txt\n```\n\n```bash\necho second >> ran.txt\n```\n"


def cli(*args: object, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run_cli(*args, cwd=cwd, timeout=60)


@pytest.fixture
def book(tmp_path: Path) -> tuple[Path, Path]:
    return books.book(tmp_path, {"page.md": PAGE})


def save(settings: SettingsFile, **values: object) -> None:
    settings.update_section(lambda old: {**old, **values})


# -- layouts our splice used to break -------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "image: cncf-demo\n...\n",
        "---\nimage: cncf-demo\n# the end\n...\n",
        "image: cncf-demo\nadventure:\n  page: a.md\n...\n",
        "adventure:\n  page: a.md\nimage: cncf-demo\n...\n# after the end\n",
    ],
)
def test_a_document_end_marker_stays_valid_after_a_save(tmp_path: Path, text: str) -> None:
    (tmp_path / "settings.yaml").write_text(text)
    settings = SettingsFile(tmp_path)
    save(settings, page="b.md")
    save(settings, steps={"b.md#1": {"status": "passed"}})
    written = (tmp_path / "settings.yaml").read_text()
    data = yaml.safe_load(written)
    assert data["image"] == "cncf-demo" and data["adventure"]["page"] == "b.md"
    assert written.rstrip().endswith(("...", "# after the end"))


def test_an_anchor_in_our_key_used_by_another_key_is_refused_before_writing(tmp_path: Path) -> None:
    text = "adventure:\n  variables: &vars {TAG: v1}\n  page: a.md\nimage:\n  env: *vars\n"
    (tmp_path / "settings.yaml").write_text(text)
    with pytest.raises(SettingsError) as refused:
        save(SettingsFile(tmp_path), page="b.md")
    assert f"{tmp_path / 'settings.yaml'}:5:" in str(refused.value) and "line 2" in str(refused.value)
    assert (tmp_path / "settings.yaml").read_text() == text


def test_aliases_into_our_key_from_outside_and_anchors_redefined_outside_are_fine(tmp_path: Path) -> None:
    text = "base: &tag {TAG: v1}\nadventure:\n  variables: *tag\n  page: a.md\nother: &x 1\nlater: *x\n"
    (tmp_path / "settings.yaml").write_text(text)
    save(SettingsFile(tmp_path), page="b.md")
    data = yaml.safe_load((tmp_path / "settings.yaml").read_text())
    assert data["adventure"]["variables"] == {"TAG": "v1"} and data["later"] == 1


def test_a_duplicate_adventure_key_is_an_error_and_nothing_runs(book) -> None:
    root, work = book
    text = "adventure:\n  page: a.md\nimage: x\nadventure:\n  page: b.md\n"
    (work / "settings.yaml").write_text(text)
    result = cli("run", "page.md", "--manuscript", root, cwd=work)
    assert result.returncode == 2
    assert f"{work / 'settings.yaml'}:4:" in result.stderr and "lines 1, 4" in result.stderr
    assert not (work / "ran.txt").exists() and (work / "settings.yaml").read_text() == text


@pytest.mark.parametrize(
    ("progress", "line", "key"),
    [
        ('  steps: "x"\n', 3, "adventure.steps"),
        ("  steps:\n    page.md#1: {status: passed, seconds: abc}\n", 4, "adventure.steps.page.md#1.seconds"),
        ("  path: 7\n", 3, "adventure.path"),
        ("  variables: [a, b]\n", 3, "adventure.variables"),
    ],
)
def test_progress_of_the_wrong_type_exits_2_with_file_and_line(book, progress: str, line: int, key: str) -> None:
    root, work = book
    (work / "settings.yaml").write_text(f"image: x\nadventure:\n{progress}")
    result = cli("run", "page.md", "--manuscript", root, cwd=work)
    assert result.returncode == 2, result.stderr
    assert f"{work / 'settings.yaml'}:{line}: {key} must be" in result.stderr
    assert "Traceback" not in result.stderr and not (work / "ran.txt").exists()


# -- the disk refuses -----------------------------------------------------------------------------


def _disk_full_when(condition):
    """os.fsync failing with ENOSPC, as a full disk makes it fail (injected: no small filesystem here)."""
    real = os.fsync

    def fsync(fd: int) -> None:
        if condition():
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real(fd)

    return fsync


def test_a_full_disk_during_a_save_leaves_the_file_as_it_was(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "settings.yaml").write_text("image: x\n")
    settings = SettingsFile(tmp_path)
    save(settings, page="a.md")
    before = (tmp_path / "settings.yaml").read_bytes()
    monkeypatch.setattr(os, "fsync", _disk_full_when(lambda: True))
    with pytest.raises(SettingsWriteError) as failed:
        save(settings, page="b.md")
    assert str(tmp_path / "settings.yaml") in str(failed.value) and "no space left" in str(failed.value)
    assert (tmp_path / "settings.yaml").read_bytes() == before
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_a_quota_reached_during_a_save_is_said_as_a_full_disk(tmp_path: Path, monkeypatch) -> None:
    settings = SettingsFile(tmp_path)
    save(settings, page="a.md")

    def fsync(fd: int) -> None:
        raise OSError(errno.EDQUOT, os.strerror(errno.EDQUOT))

    monkeypatch.setattr(os, "fsync", fsync)
    with pytest.raises(SettingsWriteError, match="cannot save the progress: no space left on the device"):
        save(settings, page="b.md")


def test_a_full_disk_during_a_run_stops_it_with_the_summary_and_status_2(book, monkeypatch, capsys) -> None:
    root, work = book
    (work / "settings.yaml").write_text("image: x\n")
    monkeypatch.chdir(work)
    monkeypatch.setattr(os, "fsync", _disk_full_when(lambda: (work / "ran.txt").exists()))  # after the first step
    status = main(["run", "page.md", "--manuscript", str(root), "--workdir", str(work)])
    out, err = capsys.readouterr()
    assert status == 2
    assert f"{work / 'settings.yaml'}: cannot save the progress: no space left" in err
    assert out.splitlines()[-1] == "1 passed, 0 failed, 1 skipped"
    assert (work / "ran.txt").read_text() == "ran\n"  # the second step did not run unrecorded
    assert yaml.safe_load((work / "settings.yaml").read_text())["image"] == "x"


def test_a_disk_that_refuses_every_sync_stops_a_run_whose_journal_exists_already(book, monkeypatch, capsys) -> None:
    """The journal made by an earlier run: its record's sync fails, and so does the whole save that follows."""
    root, work = book
    (work / "settings.yaml").write_text("image: x\n")
    assert main(["run", "page.md", "--manuscript", str(root), "--workdir", str(work)]) == 0
    assert (work / ".adventure" / "progress.journal").is_file()
    (work / "ran.txt").unlink()
    refuse = _disk_full_when(lambda: (work / "ran.txt").exists())
    monkeypatch.setattr(os, "fsync", refuse)
    monkeypatch.setattr(os, "fdatasync", refuse)
    status = main(["run", "page.md", "--manuscript", str(root), "--workdir", str(work)])
    out, err = capsys.readouterr()
    assert status == 2
    assert f"{work / 'settings.yaml'}: cannot save the progress: no space left" in err
    assert out.splitlines()[-1] == "1 passed, 0 failed, 1 skipped"
    assert (work / "ran.txt").read_text() == "ran\n"


def test_a_background_rewrite_that_fails_stops_the_run_before_the_next_step(book, monkeypatch, capsys) -> None:
    """Steps in the journal, settings.yaml rewritten while a step takes a moment: that rewrite fails."""
    root, work = book
    (root / "long.md").write_text(
        "# Long\n\n```bash\necho one\n```\n\n```bash\ntouch second\n```\n\n"
        "```bash\nsleep 0.5\n```\n\n```bash\ntouch fourth\n```\n"
    )
    (work / "settings.yaml").write_text("image: x\n")
    monkeypatch.chdir(work)
    # settings.yaml's fsync fails once the second step ran (its save is a record: the journal syncs with fdatasync)
    monkeypatch.setattr(os, "fsync", _disk_full_when(lambda: (work / "second").exists()))
    status = main(["run", "long.md", "--manuscript", str(root), "--workdir", str(work)])
    out, err = capsys.readouterr()
    assert status == 2
    assert f"{work / 'settings.yaml'}: cannot save the progress: no space left" in err
    assert out.splitlines()[-1] == "3 passed, 0 failed, 1 skipped"
    assert not (work / "fourth").exists()
    assert yaml.safe_load((work / "settings.yaml").read_text())["image"] == "x"


def test_a_state_folder_that_is_a_file_is_reported_before_anything_runs(book) -> None:
    root, work = book
    (work / ".adventure").write_text("not a folder\n")  # real: root can write anywhere, so no chmod here
    result = cli("run", "page.md", "--manuscript", root, cwd=work)
    assert result.returncode == 2
    assert str(work / ".adventure" / "journey.lock") in result.stderr
    assert result.stdout.splitlines()[-1] == "0 passed, 0 failed, 2 skipped"
    assert not (work / "ran.txt").exists()


def test_a_backup_that_cannot_be_written_is_reported_and_the_settings_kept(book) -> None:
    root, work = book
    (work / "settings.yaml").write_text("image: x\n")
    (work / "settings.yaml.bak").mkdir()  # a directory where our backup file must go: a real failure
    result = cli("run", "page.md", "--manuscript", root, cwd=work)
    assert result.returncode == 2
    assert f"{work / 'settings.yaml.bak'}: cannot save the progress" in result.stderr
    assert result.stdout.splitlines()[-1] == "0 passed, 0 failed, 2 skipped"
    assert (work / "settings.yaml").read_text() == "image: x\n"
    assert not [p.name for p in work.iterdir() if p.name.endswith(".tmp")]


def test_temporary_files_a_killed_save_left_are_removed_at_the_next_start(book) -> None:
    root, work = book
    stale = [work / ".settings.yaml.k1ll3d.tmp", work / ".settings.yaml.bak.x9.tmp"]
    for path in stale:
        path.write_text("half a save\n")
    (work / ".settings.yaml.keep").write_text("not ours\n")
    assert cli("run", "page.md", "--manuscript", root, cwd=work).returncode == 0
    assert not any(path.exists() for path in stale)
    assert (work / ".settings.yaml.keep").exists()


def test_settings_that_is_a_directory_is_an_error_not_a_traceback(book) -> None:
    root, work = book
    (work / "settings.yaml").mkdir()
    result = cli("run", "page.md", "--manuscript", root, cwd=work)
    assert result.returncode == 2 and str(work / "settings.yaml") in result.stderr
    assert "Traceback" not in result.stderr


def test_the_example_in_the_progress_docstring_still_loads(tmp_path: Path) -> None:
    from tutorial.progress import state

    example = textwrap.dedent(state.__doc__.split("::", 1)[1].split("\n\n", 2)[1])
    (tmp_path / "settings.yaml").write_text(example)
    assert SettingsFile(tmp_path).section()["page"] == "registry/local.md"


# -- the file a save displaced is written over by the next one --------------------------------------


def test_saves_write_over_the_file_they_displaced_out_of_the_work_directory(tmp_path: Path) -> None:
    (tmp_path / "settings.yaml").write_text("image: x\n")
    settings = SettingsFile(tmp_path)
    for page in ("a.md", "b.md", "c.md", "d.md"):
        save(settings, page=page)
        data = yaml.safe_load((tmp_path / "settings.yaml").read_text())
        assert data == {"image": "x", "adventure": {"page": page}}
    assert oct((tmp_path / "settings.yaml").stat().st_mode & 0o777) == "0o644"
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")]  # nothing a `git add .` sees
    spares = [p for p in (tmp_path / ".adventure").iterdir() if p.name.endswith(".tmp")]
    assert len(spares) == 1  # one file, written over at every save: none made and removed each time
    inode = spares[0].stat().st_ino
    save(settings, page="e.md")
    assert inode in {spares[0].stat().st_ino, (tmp_path / "settings.yaml").stat().st_ino}


def test_a_settings_file_with_another_name_is_never_written_over(tmp_path: Path) -> None:
    (tmp_path / "settings.yaml").write_text("image: x\n")
    settings = SettingsFile(tmp_path)
    save(settings, page="a.md")
    save(settings, page="b.md")
    os.link(tmp_path / "settings.yaml", tmp_path / "kept.yaml")  # the reader keeps this version by another name
    kept = (tmp_path / "kept.yaml").read_bytes()
    for page in ("c.md", "d.md", "e.md"):
        save(settings, page=page)
    assert (tmp_path / "kept.yaml").read_bytes() == kept
    assert yaml.safe_load((tmp_path / "settings.yaml").read_text())["adventure"]["page"] == "e.md"


def test_a_settings_file_made_private_stays_private_through_every_save(tmp_path: Path) -> None:
    """A save never widens the file's rights: a reader's `chmod 600` (keys they would not show) stays,
    and so does the privacy of a file a script put there (`yq -i` renames a private file over it)."""
    (tmp_path / "settings.yaml").write_text("image: x\n")
    settings = SettingsFile(tmp_path)
    save(settings, page="a.md")
    assert oct((tmp_path / "settings.yaml").stat().st_mode & 0o777) == "0o644"  # (one we made)
    (tmp_path / "settings.yaml").chmod(0o600)
    for page in ("b.md", "c.md", "d.md"):  # the file displaced is written over in place: it takes the rights too
        save(settings, page=page)
        assert oct((tmp_path / "settings.yaml").stat().st_mode & 0o777) == "0o600"
    replaced = tmp_path / "new.yaml"  # what `yq -i` does: a new file renamed over the old one
    replaced.write_text((tmp_path / "settings.yaml").read_text() + "tag: v1\n")
    replaced.chmod(0o640)
    os.replace(replaced, tmp_path / "settings.yaml")
    for page in ("e.md", "f.md"):
        save(settings, page=page)
        assert oct((tmp_path / "settings.yaml").stat().st_mode & 0o777) == "0o640"
    assert yaml.safe_load((tmp_path / "settings.yaml").read_text())["tag"] == "v1"
    backup = tmp_path / "settings.yaml.bak"  # the version the script left, kept aside: no more readable than it
    assert oct(backup.stat().st_mode & 0o777) == "0o640"


def test_a_settings_file_that_is_a_symbolic_link_is_refused_at_once_and_left_alone(tmp_path: Path) -> None:
    elsewhere = tmp_path / "dotfiles" / "settings.yaml"
    elsewhere.parent.mkdir()
    elsewhere.write_text("image: x\n")
    work = tmp_path / "work"
    work.mkdir()
    (work / "settings.yaml").symlink_to(elsewhere)
    settings = SettingsFile(work)
    assert settings.read() == {"image": "x"}  # read through the link as before
    with pytest.raises(SettingsWriteError, match="symbolic link") as raised:
        save(settings, page="a.md")
    assert "kept rewriting" not in str(raised.value)
    assert (work / "settings.yaml").is_symlink() and elsewhere.read_text() == "image: x\n"


def test_a_save_is_on_the_disk_name_and_all_when_it_returns(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The bytes are synced before the swap, and the folder (which holds the name) after it."""
    (tmp_path / "settings.yaml").write_text("image: x\n")
    settings = SettingsFile(tmp_path)
    synced: list[tuple[str, bytes]] = []
    real = os.fsync

    def fsync(fd: int) -> None:
        where = os.readlink(f"/proc/self/fd/{fd}")
        shown = (tmp_path / "settings.yaml").read_bytes()
        synced.append((where, shown))
        real(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    for page in ("a.md", "b.md"):  # a new temporary, then the spare written over
        synced.clear()
        save(settings, page=page)
        assert synced[-1][0] == str(tmp_path)  # the folder, last
        assert f'page: "{page}"' in synced[-1][1].decode()  # after the swap
