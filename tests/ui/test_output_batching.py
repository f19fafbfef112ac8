"""A flood reaches the output panel in bounded batches: the last lines, in order, and a count of the rest."""

from __future__ import annotations

from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import RichLog

from tutorial.ui.output_buffer import OutputBuffer
from tutorial.ui.widgets.output_panel import _MAX_LINES_PER_FLUSH, OutputPanel


class PanelApp(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self.buffer = OutputBuffer()

    def compose(self) -> ComposeResult:
        yield OutputPanel(self.buffer)


def shown(app: PanelApp) -> list[str]:
    return [line.text.rstrip() for line in app.query_one(RichLog).lines]


async def test_a_flood_shows_its_last_lines_and_counts_the_rest() -> None:
    app = PanelApp()
    async with app.run_test(size=(80, 24)) as pilot:
        panel = app.query_one(OutputPanel)
        panel.begin("Step 1", None)
        total = _MAX_LINES_PER_FLUSH * 5
        app.buffer.write("".join(f"line {n}\n" for n in range(1, total + 1)) + "unfinished")
        panel.flush()
        await pilot.pause()
        lines = shown(app)
        skipped = total - _MAX_LINES_PER_FLUSH
        assert any(f"… {skipped} lines not shown here" in line for line in lines)
        expected = [f"line {n}" for n in range(skipped + 1, total + 1)]
        assert lines[-_MAX_LINES_PER_FLUSH:] == expected
        assert "unfinished" not in "\n".join(lines)  # a line shows once it ends


async def test_a_short_batch_shows_every_line_with_carriage_returns_collapsed() -> None:
    app = PanelApp()
    async with app.run_test(size=(80, 24)) as pilot:
        panel = app.query_one(OutputPanel)
        panel.begin("Step 1", None)
        app.buffer.write("first\n\nprogress 10%\rprogress 100%\nlast\n")
        panel.flush()
        await pilot.pause()
        assert shown(app)[-4:] == ["first", "", "progress 100%", "last"]
        assert not any("not shown here" in line for line in shown(app))


async def test_output_waits_while_another_screen_covers_the_panel_and_comes_after() -> None:
    """With the help (or the map) open, a flood does not re-render the page under it."""
    from textual.screen import ModalScreen
    from textual.widgets import Static

    class Over(ModalScreen[None]):
        def compose(self) -> ComposeResult:
            yield Static("over the output")

    app = PanelApp()
    async with app.run_test(size=(80, 24)) as pilot:
        panel = app.query_one(OutputPanel)
        panel.begin("Step 1", None)
        before = len(shown(app))
        await app.push_screen(Over())
        await pilot.pause()
        app.buffer.write("while covered\n")
        await pilot.pause(0.35)  # a few ticks of the panel's timer
        assert len(shown(app)) == before and "while covered" not in "\n".join(shown(app))
        app.pop_screen()
        await pilot.pause(0.35)
        assert shown(app)[-1] == "while covered"
        app.buffer.write("last words\n")
        await app.push_screen(Over())
        panel.end(Text("passed"))  # the step ends under the other screen: its output still comes first
        await pilot.pause()
        assert shown(app)[-2:] == ["last words", "passed"]
