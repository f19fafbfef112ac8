"""The key bar is rebuilt when the keys it shows change, and only then."""

from __future__ import annotations

from pathlib import Path

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Label
from textual.widgets._footer import FooterKey

from tests.ui.conftest import settle
from tutorial.ui.screens.chapter import ChapterScreen
from tutorial.ui.screens.help import HelpScreen
from tutorial.ui.widgets.footer import SteadyFooter


class _Over(ModalScreen[None]):
    BINDINGS = [Binding("escape", "dismiss", "Close")]  # noqa: RUF012 - Textual reads it as a class attribute

    def compose(self) -> ComposeResult:
        yield Label("over the page")


class _Keys(App[None]):
    BINDINGS = [Binding("r", "run", "Run"), Binding("o", "over", "Over")]  # noqa: RUF012 - (as above)
    running = False

    def compose(self) -> ComposeResult:
        yield Label("the page")
        yield SteadyFooter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return None if action == "run" and self.running else True

    def action_over(self) -> None:
        self.push_screen(_Over())


def _keys(app: App[None]) -> list[FooterKey]:
    return list(app.screen.query_one(SteadyFooter).query(FooterKey))


async def test_a_screen_shown_again_with_the_same_keys_keeps_its_key_bar() -> None:
    app = _Keys()
    async with app.run_test() as pilot:
        await pilot.pause()
        before = _keys(app)
        assert [key.description for key in before] == ["Run", "Over", "palette"]
        await pilot.press("o")
        await pilot.pause()
        assert isinstance(app.screen, _Over)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.pause()
        after = _keys(app)
        assert len(after) == len(before) and all(a is b for a, b in zip(after, before, strict=True))


async def test_a_key_that_changes_rebuilds_the_key_bar() -> None:
    app = _Keys()
    async with app.run_test() as pilot:
        await pilot.pause()
        assert not _keys(app)[0].has_class("-disabled")
        app.running = True
        app.refresh_bindings()
        await pilot.pause()
        await pilot.pause()
        assert [key.description for key in _keys(app)] == ["Run", "Over", "palette"]
        assert _keys(app)[0].has_class("-disabled")  # shown disabled while it cannot be used
        app.running = False
        app.refresh_bindings()
        await pilot.pause()
        await pilot.pause()
        assert not _keys(app)[0].has_class("-disabled")


async def test_closing_the_help_leaves_the_chapters_key_bar_as_it_was(make_app, write_manuscript) -> None:
    root: Path = write_manuscript({"page.md": "# Page\n\n```bash\necho one\n```\n"}).root
    app = make_app(root, start=["page.md"])
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        assert isinstance(app.screen, ChapterScreen)
        before = _keys(app)
        assert "Help" in [key.description for key in before]
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("question_mark")
        await settle(pilot, app)
        assert isinstance(app.screen, ChapterScreen)
        after = _keys(app)
        assert len(after) == len(before) and all(a is b for a, b in zip(after, before, strict=True))
        await app.action_quit()
