"""Fixtures shared by every test tier."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support import services
from tutorial.manuscript.loader import load
from tutorial.manuscript.model import Manuscript

REPO = Path(__file__).resolve().parent.parent
CHAPTERS = REPO / "chapters"

WriteManuscript = Callable[..., Manuscript]


@pytest.fixture
def write_manuscript(tmp_path: Path) -> WriteManuscript:
    """Write pages (path -> Markdown, dedented) into a fresh manuscript folder and load it."""

    def write(pages: dict[str, str | bytes], *, folder: str = "manuscript", **load_options: object) -> Manuscript:
        root = tmp_path / folder
        for path, text in pages.items():
            target = root / path
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(text, bytes):
                target.write_bytes(text)
            else:
                target.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return load(root, **load_options)  # type: ignore[arg-type]

    return write


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep every test away from the developer's own settings, history and Docker config."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))


@pytest.fixture(scope="session")
def docker_host(tmp_path_factory: pytest.TempPathFactory):
    """DOCKER_HOST of a real Docker engine (CI's, or one started for this test session)."""
    with services.docker_engine(tmp_path_factory.mktemp("docker", numbered=True)) as host:
        yield host


@pytest.fixture(scope="session")
def registry(tmp_path_factory: pytest.TempPathFactory):
    """host:port of a real registry listening on 127.0.0.1."""
    with services.registry(tmp_path_factory.mktemp("registry", numbered=True)) as address:
        yield address
