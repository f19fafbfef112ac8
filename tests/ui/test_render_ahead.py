"""The start page's prose, rendered ahead of the app (in the child that reads the manuscript).

Such a rendering is only worth anything if it is what the app would render: at the width the
app's layout gives the prose on that terminal, with a console that renders as the app's does.
These tests hold both to Textual's real layout and rendering, so that a change of the
stylesheet, of Textual or of Rich shows up here rather than as a start that quietly renders
twice (a rendering made for another shape is never used: it would only be slower).
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from rich.markdown import Markdown
from rich.segment import Segment

from tests.conftest import CHAPTERS
from tests.ui.conftest import FIXTURE, settle, wait_for
from tutorial.manuscript.first_look import first_look
from tutorial.manuscript.loader import load
from tutorial.manuscript.model import Manuscript
from tutorial.ui.app import AdventureApp
from tutorial.ui.geometry import prose_width
from tutorial.ui.rendered_markdown import app_console, keep_ahead, render_ahead, rendered, shape_of
from tutorial.ui.screens.chapter import ChapterScreen
from tutorial.ui.screens.first_look import FirstLookScreen
from tutorial.ui.widgets.prose import ProseBlock

SIZES = [(60, 20), (99, 30), (100, 30), (120, 40), (133, 44), (171, 50), (219, 60), (260, 70)]

#: every kind of Markdown a page's opening prose may hold
KINDS = (
    "# A Title\n\nA paragraph with *emphasis*, **strength**, `code` and a [link](https://example.com).\n\n"
    "- a list\n  - nested\n1. numbered\n\n> a quote\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
    "```yaml\nkey: value\n```\n\n---\n\n## A heading\n\n" + "a long line that wraps " * 20 + "\n"
)


def _reader(release: threading.Event, root: Path) -> object:
    def read() -> Manuscript:
        assert release.wait(20)
        return load(root)

    return read


@pytest.mark.parametrize("size", SIZES, ids=lambda size: f"{size[0]}x{size[1]}")
async def test_the_width_worked_out_is_the_width_the_app_lays_the_prose_out_at(
    workdir: Path, size: tuple[int, int]
) -> None:
    release = threading.Event()
    look = first_look(FIXTURE, "start.md")
    assert look is not None
    app = AdventureApp(_reader(release, FIXTURE), workdir, start=["start.md"], first_look=look)  # type: ignore[arg-type]
    async with app.run_test(size=size) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, FirstLookScreen) and bool(app.screen.query(ProseBlock)))
        await pilot.pause()
        assert app.screen.query_one(ProseBlock).content_region.width == prose_width(size[0])
        release.set()
        await wait_for(pilot, lambda: isinstance(app.screen, ChapterScreen))
        await settle(pilot, app)
        first = app.screen.query(ProseBlock).first()
        assert first.markdown.startswith(look.prose)
        assert first.content_region.width == prose_width(size[0])  # the chapter's prose, where it was


def _pages_prose() -> list[str]:
    looks = [first_look(CHAPTERS, path.relative_to(CHAPTERS).as_posix()) for path in sorted(CHAPTERS.rglob("*.md"))]
    return [look.prose for look in looks if look is not None and look.prose] + [KINDS]


async def test_a_rendering_made_ahead_is_the_apps_own(workdir: Path) -> None:
    corpus = _pages_prose()
    assert len(corpus) > 5
    app = AdventureApp(load(FIXTURE), workdir)
    async with app.run_test(size=(120, 40)):
        for columns in (80, 120, 200):
            width = prose_width(columns)
            options = app.console_options.update_width(width).update(highlight=False)
            for prose in corpus:
                shape, ahead = render_ahead(prose, app_console(120, 40), width)
                own = list(app.console.render(Markdown(prose, code_theme="ansi_dark", hyperlinks=True), options))
                assert shape == shape_of(app.console, options)
                assert ahead == own, prose[:60]


async def test_the_app_paints_a_rendering_made_ahead_for_its_shape_and_no_other(workdir: Path) -> None:
    release = threading.Event()
    prose = "# Ahead\n\nOnly the app's own rendering says this."
    look = first_look(FIXTURE, "start.md")
    assert look is not None
    from dataclasses import replace

    look = replace(look, prose=prose)
    # what the app would get from the child for a 120-column terminal, marked so it can be told apart
    shape, _segments = render_ahead(prose, app_console(120, 40), prose_width(120))
    keep_ahead(prose, shape, [Segment("MADE AHEAD"), Segment("\n")])
    wider = (shape[0], shape[1] + 1, shape[2] + 1, shape[3], shape[4])
    keep_ahead(prose, wider, [Segment("WRONG SHAPE"), Segment("\n")])
    try:
        app = AdventureApp(_reader(release, FIXTURE), workdir, start=["start.md"], first_look=look)  # type: ignore[arg-type]
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, FirstLookScreen))
            await pilot.pause()
            block = app.screen.query_one(ProseBlock)
            shown = "\n".join(strip.text for strip in block.render_lines(block.region.reset_offset))
            assert "MADE AHEAD" in shown and "WRONG SHAPE" not in shown
            await pilot.resize_terminal(100, 40)  # another width: rendered here, from the Markdown
            await pilot.pause()
            block = app.screen.query_one(ProseBlock)
            shown = "\n".join(strip.text for strip in block.render_lines(block.region.reset_offset))
            assert "Only the app's own rendering says this." in shown
            assert "MADE AHEAD" not in shown and "WRONG SHAPE" not in shown
            release.set()
    finally:
        rendered.cache_clear()  # the marked renderings stay in this test


@pytest.mark.parametrize("size", [(60, 20), (80, 24), (120, 40), (120, 100), (200, 60)], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_the_help_is_rendered_ahead_at_the_width_it_gets_and_opened_with_that_rendering(
    workdir: Path, size: tuple[int, int]
) -> None:
    from textual.containers import VerticalScroll

    from tutorial.ui.geometry import help_widths
    from tutorial.ui.screens.help import HELP, HelpScreen

    rendered.cache_clear()
    app = AdventureApp(load(FIXTURE), workdir, start=["start.md"])
    async with app.run_test(size=size) as pilot:
        await settle(pilot, app)
        await wait_for(pilot, lambda: len(rendered(HELP).ahead) == 2)  # a while after the chapter is shown
        ahead = rendered(HELP).ahead
        assert sorted(shape[1] for shape in ahead) == sorted(help_widths(size[0]))
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        block = app.screen.query_one(ProseBlock)
        scroll = app.screen.query_one(VerticalScroll)
        assert block.content_region.width == help_widths(size[0])[1 if scroll.show_vertical_scrollbar else 0]
        used = [segments for segments in rendered(HELP)._renders.values()]
        assert any(segments is made for segments in used for made in ahead.values())  # not rendered again
    rendered.cache_clear()


async def test_a_help_rendered_ahead_that_fails_ends_nothing_and_is_logged(
    workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rendering the help ahead is only a speed-up: its failure must not end the reader's session."""
    import tutorial.ui.screens.help as help_screen

    def broken(columns: int, rows: int) -> None:
        raise RuntimeError("no help ahead")

    monkeypatch.setattr(help_screen, "render_help_ahead", broken)
    log = workdir / ".adventure" / "errors.log"
    app = AdventureApp(load(FIXTURE), workdir, start=["start.md"])
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await wait_for(pilot, lambda: log.exists() or not app.is_running)
        assert app.is_running
        assert "no help ahead" in log.read_text()
        await pilot.press("question_mark")  # rendered here instead
        await pilot.pause()
        assert isinstance(app.screen, help_screen.HelpScreen)
        assert "Press Esc" in app.screen.query_one(ProseBlock).markdown
    assert app.return_code in (None, 0)
