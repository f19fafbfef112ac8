"""Drive the real app (Textual's Pilot) over a small fixture manuscript and a real bash."""

from __future__ import annotations

from pathlib import Path

import pytest

from tutorial.manuscript.loader import load
from tutorial.ui.app import AdventureApp

FIXTURE = Path(__file__).parent / "fixture"


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    work = tmp_path / "work"
    work.mkdir()
    return work


@pytest.fixture
def make_app(workdir: Path):
    """An app factory: the fixture manuscript (or another) in the test's work directory."""

    def make(root: Path = FIXTURE, **options: object) -> AdventureApp:
        return AdventureApp(load(root), workdir, **options)  # type: ignore[arg-type]

    return make


async def settle(pilot, app, timeout: float = 20.0) -> None:
    """Wait until running steps and checks are done, pages fully mounted, messages handled."""
    import asyncio

    from tutorial.ui.screens.chapter import ChapterScreen

    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        await app.workers.wait_for_complete()
        await pilot.pause()
        chapters = [s for s in app.screen_stack if isinstance(s, ChapterScreen)]
        if all(s.settled for s in chapters) and not any(w.is_running for w in app.workers):
            break
        if loop.time() > deadline:
            raise AssertionError("the app did not settle")
        await pilot.pause(0.05)
    await pilot.pause()


async def wait_for(pilot, predicate, timeout: float = 15.0) -> None:
    """Let the app work until ``predicate()`` holds (a test fails after ``timeout`` seconds)."""
    import asyncio

    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        if loop.time() > deadline:
            raise AssertionError("timed out waiting for the app")
        await pilot.pause(0.05)


def output_text(app) -> str:
    from textual.widgets import RichLog

    log = app.screen.query_one(RichLog)
    return "\n".join(line.text for line in log.lines)
