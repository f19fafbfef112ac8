"""Make the README's screenshots with the app itself, on the bundled adventure.

    python assets/make_screenshots.py

Drives the real app (Textual's Pilot) in a temporary work directory and saves SVG
screenshots next to this script.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from tests.ui.conftest import settle  # noqa: E402
from tutorial.manuscript.loader import bundled_root, load  # noqa: E402
from tutorial.ui.app import AdventureApp  # noqa: E402


async def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        app = AdventureApp(load(bundled_root(), bundled=True), Path(folder))
        async with app.run_test(size=(120, 36)) as pilot:
            await settle(pilot, app)
            app.save_screenshot(str(HERE / "screenshot-start.svg"))
            await pilot.press("enter")
            await settle(pilot, app)
            await pilot.press("r")
            await settle(pilot, app)
            app.save_screenshot(str(HERE / "screenshot-chapter.svg"))
            for key in ("n", "y", "n"):  # on, past "Leave this chapter?" (its other steps are not run)
                await pilot.press(key)
                await settle(pilot, app)
            app.save_screenshot(str(HERE / "screenshot-choice.svg"))
            await pilot.press("m")
            await settle(pilot, app)
            app.save_screenshot(str(HERE / "screenshot-map.svg"))
            await pilot.press("ctrl+q")


if __name__ == "__main__":
    asyncio.run(main())
    print(f"screenshots written to {HERE}")
