"""The app in a work directory another journey holds: who holds it, then quit or look without running."""

from __future__ import annotations

import os

from textual.widgets import Static

from tests.ui.conftest import settle
from tutorial.engine.results import StepStatus
from tutorial.progress.worklock import WorkdirLock
from tutorial.ui.screens.chapter import ChapterScreen
from tutorial.ui.screens.dialogs import ConfirmDialog
from tutorial.ui.screens.start import StartScreen


def _dialog_text(app) -> str:
    return "\n".join(str(widget.render()) for widget in app.screen.query(Static))


async def test_a_held_work_directory_is_shown_and_quitting_exits_with_status_2(make_app, workdir):
    with WorkdirLock(workdir):
        app = make_app()
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, ConfirmDialog)
            assert f"pid {os.getpid()}" in _dialog_text(app)
            await pilot.press("escape")
            await pilot.pause()
        assert app.return_code == 2
        assert app.journey is None


async def test_read_only_viewing_runs_and_saves_nothing(make_app, workdir):
    with WorkdirLock(workdir):
        app = make_app()
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            await pilot.press("y")  # view read-only
            await pilot.pause()
            assert isinstance(app.screen, StartScreen)
            assert app.journey is not None and app.journey.read_only
            await pilot.press("enter")
            await settle(pilot, app)
            screen = app.screen
            assert isinstance(screen, ChapterScreen)
            await pilot.press("r")
            await settle(pilot, app)
            assert screen.cards[0].status is StepStatus.PENDING
            outcome = app.journey.run_step(screen.cards[0].step)  # the engine refuses too, not only the screen
            assert outcome.status is StepStatus.PENDING and "read-only" in outcome.message
    assert not (workdir / "settings.yaml").exists()
    assert not list((workdir / ".adventure").glob("session-*"))
