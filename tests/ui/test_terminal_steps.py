"""Steps that need a real terminal in the app: `r` hands them to the reader's terminal, and says why."""

from __future__ import annotations

import asyncio

from textual.widgets import Label, Static

from tests.ui.conftest import settle
from tutorial.engine.results import StepStatus
from tutorial.ui.screens.chapter import ChapterScreen
from tutorial.ui.widgets.step_card import ActionBar

PAGE = """# Watching

```bash
tail -f "$ADVENTURE_WORKDIR/app.log"
```

```bash
echo plain step
```
"""


def text_of(widget: Static) -> str:
    return str(widget.render())


async def open_page(pilot, app) -> ChapterScreen:
    await settle(pilot, app)
    await pilot.press("enter")  # the only start page
    await settle(pilot, app)
    assert isinstance(app.screen, ChapterScreen)
    return app.screen


async def test_r_on_a_step_that_needs_a_terminal_goes_to_the_terminal(make_app, tmp_path, monkeypatch):
    root = tmp_path / "book"
    root.mkdir()
    (root / "watch.md").write_text(PAGE)
    handed_over: list[int] = []

    def to_the_terminal(screen: ChapterScreen) -> None:  # Pilot has no terminal to hand over
        card = screen.current()
        assert card is not None
        handed_over.append(card.step.index)

    monkeypatch.setattr(ChapterScreen, "action_terminal", to_the_terminal)
    app = make_app(root)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_page(pilot, app)
        card = screen.cards[0]
        assert card.default_action == "terminal"
        assert "Runs in your terminal: `tail -f` follows a file until you stop it." in text_of(
            card.query_one(".result", Static)
        )
        assert "needs a terminal" in text_of(card.query_one(".step-head", Static))
        assert "Run in my terminal (r)" in text_of(card.query_one(ActionBar))

        card.focus()
        await pilot.press("r")
        await settle(pilot, app)
        assert handed_over == [0]
        assert card.status is StepStatus.PENDING  # nothing ran in the captured session

        plain = screen.cards[1]
        assert plain.default_action == "run" and "Run (r)" in text_of(plain.query_one(ActionBar))
        plain.focus()
        await pilot.press("r")
        await settle(pilot, app)
        assert handed_over == [0] and plain.status is StepStatus.PASSED  # an ordinary step runs here
        await pilot.press("ctrl+q")


async def test_run_here_anyway_shows_how_to_stop_a_watcher(make_app, tmp_path, workdir):
    root = tmp_path / "book"
    root.mkdir()
    (root / "watch.md").write_text(PAGE)
    (workdir / "app.log").write_text("first line\n")
    app = make_app(root)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_page(pilot, app)
        card = screen.cards[0]
        card.focus()
        await pilot.press("h")
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 15
        while card.status is not StepStatus.RUNNING and loop.time() < deadline:
            await pilot.pause(0.05)
        await pilot.pause(0.3)
        assert "press x to stop" in text_of(screen.query_one("#output-title", Label))
        assert "press x to stop" in text_of(card.query_one(ActionBar))
        await pilot.press("x")
        await settle(pilot, app)
        assert card.status is StepStatus.FAILED and card.outcome is not None
        assert card.outcome.message == "interrupted"
        await pilot.press("ctrl+q")


async def test_run_section_stops_at_a_step_that_needs_a_terminal(make_app, tmp_path):
    root = tmp_path / "book"
    root.mkdir()
    (root / "shell.md").write_text("# Shell\n\n```bash\necho before\n```\n\n```bash\nbash\necho inside\nexit\n```\n")
    app = make_app(root)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_page(pilot, app)
        await pilot.press("a")
        await settle(pilot, app)
        first, second = screen.cards[0], screen.cards[1]
        assert first.status is StepStatus.PASSED
        assert second.status is StepStatus.FAILED and second.outcome is not None
        assert second.outcome.message == "needs a terminal: `bash` starts an interactive shell"
        await pilot.press("ctrl+q")


async def test_the_card_says_which_lines_a_run_leaves_to_the_reader(make_app, tmp_path):
    root = tmp_path / "book"
    root.mkdir()
    (root / "leave.md").write_text("# Leave\n\n```bash\necho done\nexit\n```\n\n```bash\necho after\n```\n")
    app = make_app(root)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_page(pilot, app)
        card = screen.cards[0]
        before = text_of(card.query_one(".result", Static))
        assert "! line 5 (`exit`) not run: it is for your terminal" in before
        card.focus()
        await pilot.press("r")
        await settle(pilot, app)
        assert card.status is StepStatus.PASSED
        assert "line 5 (`exit`) not run" in text_of(card.query_one(".result", Static))  # the run's note
        await pilot.press("ctrl+q")
