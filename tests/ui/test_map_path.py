"""The map draws the reader's own path: "you are here" under the branch they chose, ✔ for pages passed."""

from __future__ import annotations

from pathlib import Path

import yaml

from tests.ui.conftest import settle
from tutorial.ui.screens.chapter import ChapterScreen
from tutorial.ui.screens.dialogs import ConfirmDialog
from tutorial.ui.screens.map import MapScreen

PAGES = {
    "adventure.yaml": "start: [start.md]\n",
    "start.md": "# Start\n\n## Do\n\n```bash\necho one\n```\n\n## What Is Your Choice?\n\n* [A](a.md)\n* [B](b.md)\n",
    "a.md": "# Path A\n\n## Continue The Adventure\n\n[Shared](shared.md)\n",
    "b.md": "# Path B\n\n## Continue The Adventure\n\n[Shared](shared.md)\n",
    "shared.md": "# Shared\n\n## Do\n\n```bash\necho shared\n```\n",
}


def _book(tmp_path: Path) -> Path:
    root = tmp_path / "book"
    for name, text in PAGES.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def _rows(node, depth=0):  # type: ignore[no-untyped-def]
    for child in node.children:
        yield depth, child
        yield from _rows(child, depth + 1)


async def test_you_are_here_under_the_branch_taken_and_keys_after_a_cancelled_jump(make_app, workdir, tmp_path):
    app = make_app(_book(tmp_path), start=["start.md"])
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("r")  # start.md's one step: passed
        await settle(pilot, app)
        start = app.manuscript.pages["start.md"]
        app.choose(start, next(o for o in start.options if o.label == "B"))
        await settle(pilot, app)
        b = app.manuscript.pages["b.md"]
        app.choose(b, b.options[0])
        await settle(pilot, app)
        assert isinstance(app.screen, ChapterScreen) and app.screen.page.path == "shared.md"
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, MapScreen)
        tree = app.screen.query_one("Tree")
        rows = {str(node.label): node for _, node in _rows(tree.root)}
        here = tree.cursor_node
        assert str(here.label).startswith("◉ Shared")
        assert str(here.parent.label).startswith("✔ B")  # under the branch chosen, not under A
        assert any(label.startswith("  Shared") and label.endswith("↺") for label in rows)  # under A: only seen
        assert any(label.startswith("✔ Start") for label in rows)  # its step passed
        assert any(label.startswith("  A") for label in rows)  # not taken
        await pilot.press("up")  # onto B
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MapScreen)
        await pilot.press("down")  # the tree has the keys again
        await pilot.pause()
        assert str(app.screen.query_one("Tree").cursor_node.label).startswith("◉ Shared")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ChapterScreen)
        await pilot.press("ctrl+q")
    saved = yaml.safe_load((workdir / "settings.yaml").read_text())["adventure"]
    assert saved["path"] == [
        {"page": "start.md", "choice": "B"},
        {"page": "b.md", "choice": "Shared"},
        {"page": "shared.md"},
    ]


async def test_a_page_opened_but_not_done_is_not_ticked(make_app, tmp_path):
    app = make_app(_book(tmp_path), start=["start.md"])
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        start = app.manuscript.pages["start.md"]
        app.choose(start, next(o for o in start.options if o.label == "A"))  # its step never ran
        await settle(pilot, app)
        await pilot.press("m")
        await pilot.pause()
        rows = [str(node.label) for _, node in _rows(app.screen.query_one("Tree").root)]
        assert any(row.startswith("○ Start") for row in rows)
        assert any(row.startswith("◉ A") for row in rows)
        await pilot.press("ctrl+q")


async def test_the_palette_finds_a_page_by_the_words_it_shows(make_app, tmp_path):
    app = make_app(_book(tmp_path), start=["start.md"])
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Open Path B")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert "Jump to Path B?" in str(app.screen.query_one(".title").render())
        await pilot.press("escape")
        await pilot.press("ctrl+q")
