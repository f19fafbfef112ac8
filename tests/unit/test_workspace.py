"""Where a journey's files go: --workdir, a clone of the tutorial, a journey started here, else ~/cncf-adventure."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tutorial.commands.common import CommandError
from tutorial.commands.workspace import choose, workdir_from

PAGE = "# Page\n\n```bash\ntouch made-here\n```\n"


def test_given_workdir_wins(tmp_path: Path) -> None:
    (tmp_path / "manuscript").mkdir()
    assert choose(str(tmp_path / "elsewhere"), tmp_path, tmp_path / "home") == tmp_path / "elsewhere"


def test_a_clone_of_the_tutorial_is_its_own_workspace(tmp_path: Path) -> None:
    (tmp_path / "manuscript").mkdir()
    assert choose(None, tmp_path, tmp_path / "home") == tmp_path


def test_a_journey_started_here_stays_here(tmp_path: Path) -> None:
    (tmp_path / ".adventure").mkdir()
    assert choose(None, tmp_path, tmp_path / "home") == tmp_path


def test_any_other_folder_such_as_a_source_tree_is_left_alone(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'cncf-adventure'\n")
    (tmp_path / "tutorial").mkdir()
    assert choose(None, tmp_path, tmp_path / "home") == tmp_path / "home" / "cncf-adventure"


def test_the_default_is_created_and_a_given_one_must_exist(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    made = workdir_from(None)
    assert made == tmp_path / "home" / "cncf-adventure" and made.is_dir()
    with pytest.raises(CommandError, match="no such work directory"):
        workdir_from(str(tmp_path / "missing"))


def test_run_in_the_projects_checkout_writes_nothing_there(tmp_path: Path) -> None:
    checkout = tmp_path / "checkout"
    checkout.mkdir()
    (checkout / "pyproject.toml").write_text("[project]\nname = 'cncf-adventure'\n")
    root = tmp_path / "book"
    root.mkdir()
    (root / "page.md").write_text(PAGE)
    home = tmp_path / "home"
    result = subprocess.run(
        [sys.executable, "-m", "tutorial", "run", "page.md", "--manuscript", str(root)],
        cwd=checkout,
        capture_output=True,
        text=True,
        env={**os.environ, "HOME": str(home)},
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert sorted(p.name for p in checkout.iterdir()) == ["pyproject.toml"]
    work = home / "cncf-adventure"
    assert (work / "made-here").is_file() and (work / "settings.yaml").is_file()
    assert f"work directory: {work}" in result.stderr
