"""The app paints the start page before the manuscript is read, then the chapter takes its place."""

from __future__ import annotations

import threading
from pathlib import Path

from tests.ui.conftest import FIXTURE, settle, wait_for
from tutorial.manuscript.first_look import first_look
from tutorial.manuscript.loader import load
from tutorial.manuscript.locate import ManuscriptError
from tutorial.manuscript.model import Manuscript
from tutorial.ui.app import AdventureApp
from tutorial.ui.screens.chapter import ChapterScreen
from tutorial.ui.screens.first_look import FirstLookScreen
from tutorial.ui.widgets.prose import ProseBlock


def _modules_after(code: str) -> set[str]:
    """The modules a fresh interpreter has loaded once ``code`` printed ``sys.modules`` (``code`` imports sys)."""
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(done.stdout.split())


def _prose(screen: object) -> str:
    return "\n".join(block.markdown for block in screen.query(ProseBlock))  # type: ignore[attr-defined]


async def test_the_start_page_is_shown_while_the_manuscript_is_read(workdir: Path) -> None:
    release = threading.Event()  # the manuscript is "being read" until the test has looked

    def read() -> Manuscript:
        assert release.wait(20)
        return load(FIXTURE)

    look = first_look(FIXTURE, "start.md")
    assert look is not None
    app = AdventureApp(read, workdir, start=["start.md"], first_look=look)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, FirstLookScreen) and bool(app.screen.query(ProseBlock)))
        first = app.screen
        assert look.prose and look.prose in _prose(first)
        assert first.title == look.title
        await pilot.press("r", "question_mark", "m")  # nothing can run, nor open over the page, yet
        assert app.journey is None and app.screen is first
        said = [n.message for n in app._notifications]
        assert len(said) == 1 and "on their way" in said[0]  # said once, not kept: r runs nothing later
        assert not (workdir / "settings.yaml").exists()
        release.set()
        await wait_for(pilot, lambda: isinstance(app.screen, ChapterScreen))
        await settle(pilot, app)
        chapter = app.screen
        assert isinstance(chapter, ChapterScreen) and chapter.page.path == "start.md"
        assert chapter.title == look.title and chapter.sub_title == look.manuscript_title
        assert _prose(chapter).startswith(look.prose)  # the same words, where they were
        assert app.screen_stack == [first, chapter]  # the first look is the first screen, under the chapter
        await pilot.press("r")  # now the keys work
        await settle(pilot, app)
        assert "start.md#1" in (workdir / "settings.yaml").read_text(encoding="utf-8")


async def test_a_manuscript_that_cannot_be_read_ends_the_app_with_its_error(workdir: Path) -> None:
    def read() -> Manuscript:
        raise ManuscriptError(f"{FIXTURE}/adventure.yaml:3: 'start' must be a name or a list of names")

    app = AdventureApp(read, workdir, start=["start.md"], first_look=first_look(FIXTURE, "start.md"))
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.return_code is not None)
    assert app.return_code == 2
    assert app.journey is None and not (workdir / "settings.yaml").exists()


def test_the_first_look_needs_neither_the_parser_nor_the_engine() -> None:
    """What the first frame waits for stays small: a regression here is a slower start for every reader."""
    code = (
        "import sys\n"
        "from tutorial import cli\n"
        "from tutorial.commands import app\n"
        "args = cli.build_parser(['--start', 'setup.md']).parse_args(['--start', 'setup.md'])\n"
        "cli._clone_manuscript(args)\n"
        "look = app._first_look(args)\n"
        "assert look is not None and look.prose\n"
        "import tutorial.ui.app, tutorial.ui.screens.first_look\n"
        "print(' '.join(sorted(sys.modules)))\n"
    )
    loaded = _modules_after(code)
    heavy = {
        "tutorial.manuscript.parser",
        "tutorial.manuscript.loader",
        "tutorial.manuscript.model",
        "tutorial.engine.journey",
        "tutorial.shell.session",
        "tutorial.ui.screens.chapter",
        "bashlex",
        "pexpect",
        "docker",
    }
    assert not heavy & loaded, heavy & loaded


def test_with_a_child_reading_the_first_frame_needs_no_markdown_parser_nor_yaml_reader() -> None:
    """The child renders the start page's prose: this process paints it with Textual alone."""
    code = (
        "import functools, os, sys\n"
        "from tutorial import cli\n"
        "from tutorial.commands import app\n"
        "from tutorial.manuscript.background import BackgroundRead\n"
        "args = cli.build_parser(['--start', 'setup.md']).parse_args(['--start', 'setup.md'])\n"
        "cli._clone_manuscript(args)\n"
        "size = os.terminal_size((120, 40))\n"
        "child = BackgroundRead(app._reader(args), ahead=functools.partial(app._look_ahead, args, size))\n"
        "import tutorial.ui.app, tutorial.ui.screens.first_look\n"
        "look = app._looked_ahead(child, args)\n"
        "assert look is not None and look.prose and look.manuscript_title\n"
        "from tutorial.ui.rendered_markdown import rendered\n"
        "assert len(rendered(look.prose).ahead) == 1\n"
        "print(' '.join(sorted(sys.modules)))\n"
        "assert 'setup.md' in child.result().pages\n"
    )
    loaded = _modules_after(code)
    heavy = {"markdown_it", "rich.markdown", "pygments", "yaml", "tutorial.manuscript.parser", "bashlex"}
    assert "tutorial.ui.screens.first_look" in loaded
    assert not heavy & loaded, heavy & loaded


async def test_the_collector_paused_for_the_start_runs_again_once_the_chapter_is_shown(workdir: Path) -> None:
    import gc

    from tutorial import collector

    release = threading.Event()

    def read() -> Manuscript:
        assert release.wait(20)
        return load(FIXTURE)

    was = gc.isenabled()
    gc.enable()
    collector.pause()  # as the app command does
    try:
        app = AdventureApp(read, workdir, start=["start.md"], first_look=first_look(FIXTURE, "start.md"))
        async with app.run_test(size=(120, 40)) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, FirstLookScreen))
            await pilot.pause()
            assert collector.paused()  # the first look is no reason to collect
            release.set()
            await wait_for(pilot, lambda: isinstance(app.screen, ChapterScreen))
            await settle(pilot, app)
            assert not collector.paused() and gc.isenabled()  # not the 5 s timer: the chapter's first frame
    finally:
        collector.resume()
        gc.unfreeze()
        if not was:
            gc.disable()


def test_without_a_start_page_the_child_reads_the_manuscript_while_textual_loads(monkeypatch) -> None:
    """The start screen needs the whole manuscript: with a second core it is read meanwhile, not after."""
    import os

    from tutorial import cli
    from tutorial.commands import app

    monkeypatch.setattr(app, "_has_terminal", lambda: True)
    monkeypatch.setattr(app, "spare_core", lambda: True)
    reading = app.manuscript_from

    def read_and_sign(args: object) -> Manuscript:
        manuscript = reading(args)  # type: ignore[arg-type]
        manuscript.title = f"read by {os.getpid()}"
        return manuscript

    monkeypatch.setattr(app, "manuscript_from", read_and_sign)
    args = cli.build_parser([]).parse_args([])
    cli._clone_manuscript(args)
    child = app._child_reading(args)
    assert child is not None and child.ahead() is None  # nothing to paint before the start screen
    manuscript = app._manuscript_now(child)
    assert "setup.md" in manuscript.pages
    assert manuscript.title == f"read by {child._pid}"  # by the child, not here
    monkeypatch.setattr(app, "spare_core", lambda: False)
    assert app._child_reading(args) is None  # one core: read here, as before


def test_the_start_screen_needs_no_markdown_parser_when_the_manuscript_was_read_elsewhere() -> None:
    """Without --start, a child reads the manuscript: the engine and the start screen load without markdown-it."""
    loaded = _modules_after(
        "import sys\nimport tutorial.engine.journey, tutorial.ui.screens.start\nprint(' '.join(sorted(sys.modules)))\n"
    )
    assert "tutorial.ui.screens.start" in loaded
    assert not {"markdown_it", "rich.markdown", "bashlex", "pexpect"} & loaded
