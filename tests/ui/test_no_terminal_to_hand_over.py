"""In a browser (``serve``) there is no terminal of the reader's: `t` says so and runs nothing.

Textual cannot suspend its web driver, nor Pilot's headless one, so Pilot shows what a
browser session does.
"""

from __future__ import annotations

from tests.ui.conftest import settle
from tutorial.engine.results import StepStatus
from tutorial.ui.screens.chapter import ChapterScreen

PAGE = """# Handing Over

```bash
touch "$ADVENTURE_WORKDIR/ran.txt"
```
"""


async def test_in_my_terminal_without_a_terminal_runs_nothing_and_says_why(make_app, tmp_path, workdir):
    root = tmp_path / "book"
    root.mkdir()
    (root / "hand.md").write_text(PAGE)
    app = make_app(root)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("enter")
        await settle(pilot, app)
        screen = app.screen
        assert isinstance(screen, ChapterScreen)
        await pilot.press("t")
        await settle(pilot, app)
        assert app.is_running and app.screen is screen
        assert screen.cards[0].status is StepStatus.PENDING
        assert not (workdir / "ran.txt").exists()
        notes = [str(n.message) for n in app._notifications]
        assert any("no terminal to hand this step to" in note for note in notes), notes
