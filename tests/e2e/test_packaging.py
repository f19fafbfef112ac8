"""A real, non-editable ``pip install`` of the project, used from another directory."""

import json
import subprocess
import venv
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtual environment with the project installed from the repository, not editable."""
    where = tmp_path_factory.mktemp("fresh")
    venv.create(where / "venv", with_pip=True)
    python = where / "venv" / "bin" / "python"
    subprocess.run(
        [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", str(REPO)],
        check=True,
        cwd=where,
        capture_output=True,
    )
    return where / "venv" / "bin"


def test_installed_package_carries_the_bundled_adventure(installed: Path, tmp_path: Path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    lint = subprocess.run(
        [installed / "cncf-adventure", "lint", "--format", "json"], cwd=elsewhere, capture_output=True, text=True
    )
    assert lint.returncode == 0, lint.stdout + lint.stderr
    report = json.loads(lint.stdout)
    assert report["pages"] >= 10 and [p for p in report["problems"] if p["severity"] == "error"] == []
    shown = subprocess.run(
        [installed / "cncf-adventure", "map", "--format", "json"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        check=True,
    )
    data = json.loads(shown.stdout)
    assert data["entry_points"] == ["setup.md"]
    root = Path(data["root"])
    assert str(root).startswith(str(installed.parent)), "the bundled chapters must come from the installed package"
    assert (root / "scripts" / "settings.sh").is_file()
    assert (root.parent / "assets" / "demo-app" / "Dockerfile").is_file()
    version = subprocess.run([installed / "python", "-m", "tutorial", "--version"], capture_output=True, text=True)
    assert version.returncode == 0 and version.stdout.startswith("cncf-adventure ")


def test_scripts_stay_executable_when_installed(installed: Path):
    chapters = next(installed.parent.glob("lib/python*/site-packages/tutorial/_bundled/chapters"))
    scripts = sorted(chapters.rglob("*.sh"))
    assert scripts
    for script in scripts:
        assert script.stat().st_mode & 0o111, f"{script} lost its executable bit"
