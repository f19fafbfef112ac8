"""SVG snapshots of the main screens at 80x24 and 160x48 (pytest-textual-snapshot).

The work directory has a fixed path so that the screens, which show it, are the same on
every machine. Update the snapshots with ``pytest tests/ui/test_snapshots.py --snapshot-update``
after a deliberate change, and look at the report before committing them.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.ui.conftest import FIXTURE, settle
from tutorial.manuscript.loader import load
from tutorial.ui.app import AdventureApp

SIZES = [(80, 24), (160, 48)]


@pytest.fixture
def fixed_workdir(request: pytest.FixtureRequest) -> Path:
    name = request.node.name.replace("[", "-").replace("]", "").replace(",", "x")
    work = Path("/tmp/cncf-adventure-snapshots") / name
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    return work


def app_for(work: Path, **options: object) -> AdventureApp:
    return AdventureApp(load(FIXTURE), work, **options)  # type: ignore[arg-type]


# (screen, keys pressed after the app settles, options of the app)
SCREENS = {
    "start": ((), {}),
    "chapter_after_a_step": (("r",), {"start": ["start.md"]}),
    "placeholder_dialog": (("j", "r"), {"start": ["start.md"]}),
    "choice": (("n", "y"), {"start": ["start.md"]}),
    "leaving_asks_first": (("r", "n"), {"start": ["start.md"]}),
    "last_step_then_k": (("j", "j", "j", "j", "k"), {"start": ["start.md"]}),
    "map": (("m",), {"start": ["start.md"]}),
}


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("screen", SCREENS)
def test_screen(snap_compare, fixed_workdir, screen, size):
    keys, options = SCREENS[screen]

    async def reach(pilot):
        await settle(pilot, pilot.app)
        if keys:
            await pilot.press(*keys)
            await settle(pilot, pilot.app)

    assert snap_compare(app_for(fixed_workdir, **options), terminal_size=size, run_before=reach)


def test_help_screen(snap_compare, fixed_workdir):
    async def open_help(pilot):
        await settle(pilot, pilot.app)
        await pilot.press("question_mark")
        await settle(pilot, pilot.app)

    assert snap_compare(app_for(fixed_workdir, start=["start.md"]), terminal_size=(80, 24), run_before=open_help)


def test_resume_card(snap_compare, fixed_workdir):
    (fixed_workdir / "settings.yaml").write_text(
        'adventure:\n  schema: 1\n  manuscript: "' + str(FIXTURE.resolve()) + '"\n  entry: "start.md"\n'
        '  page: "left.md"\n  path:\n    - {"page": "start.md", "choice": "Left"}\n    - {"page": "left.md"}\n'
    )

    async def ready(pilot):
        await settle(pilot, pilot.app)

    assert snap_compare(app_for(fixed_workdir), terminal_size=(80, 24), run_before=ready)
