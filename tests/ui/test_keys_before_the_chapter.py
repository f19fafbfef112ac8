"""A key pressed before a chapter's steps were on the screen never runs one of them."""

from __future__ import annotations

import threading
from pathlib import Path

from textual import events
from textual.message import Message

from tests.ui.conftest import FIXTURE, settle, wait_for
from tutorial.manuscript.first_look import first_look
from tutorial.manuscript.loader import load
from tutorial.manuscript.model import Manuscript
from tutorial.ui.app import AdventureApp, ManuscriptRead
from tutorial.ui.screens.chapter import ChapterScreen
from tutorial.ui.screens.first_look import FirstLookScreen


async def test_a_key_that_arrives_with_the_chapter_runs_nothing(workdir: Path) -> None:
    """The reader presses r on the first look, again and again; the chapter arrives between two presses."""
    release = threading.Event()

    def read() -> Manuscript:
        assert release.wait(20)
        return load(FIXTURE)

    app = AdventureApp(read, workdir, start=["start.md"], first_look=first_look(FIXTURE, "start.md"))
    told = app._post

    def post(message: Message) -> None:
        key = events.Key("r", "r")  # pressed while the first look is shown ...
        told(message)
        if isinstance(message, ManuscriptRead):  # ... and handled right behind the news
            app.post_message(key)

    app._post = post  # type: ignore[method-assign]
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, FirstLookScreen))
        release.set()
        await wait_for(pilot, lambda: isinstance(app.screen, ChapterScreen))
        await settle(pilot, app)
        assert "start.md#1" not in (workdir / "settings.yaml").read_text(encoding="utf-8")
        assert any("press it again" in n.message for n in app._notifications)  # answered, not kept
        await pilot.press("r")  # once the steps are shown, the key works
        await settle(pilot, app)
        assert "start.md#1" in (workdir / "settings.yaml").read_text(encoding="utf-8")
