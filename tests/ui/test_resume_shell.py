"""Coming back restores the shell: its directory, functions and aliases, not only saved answers."""

from __future__ import annotations

from pathlib import Path

import yaml

from tests.ui.conftest import output_text, settle
from tutorial.ui.screens.chapter import ChapterScreen
from tutorial.ui.screens.start import StartScreen

PAGE = """# Workshop

## Do

```bash
mkdir -p project && cd project
greet() { echo "hello from $PWD"; }
alias shout='echo LOUD'
export PLACE=garden
```

```bash
greet
shout
echo "place: $PLACE"
```
"""


def _book(tmp_path: Path) -> Path:
    root = tmp_path / "book"
    root.mkdir()
    (root / "adventure.yaml").write_text("start: [workshop.md]\n")
    (root / "workshop.md").write_text(PAGE)
    return root


async def test_a_relaunch_gets_the_directory_functions_and_aliases_back(make_app, workdir, tmp_path):
    root = _book(tmp_path)
    first = make_app(root, start=["workshop.md"])
    async with first.run_test(size=(120, 40)) as pilot:
        await settle(pilot, first)
        await pilot.press("r")
        await settle(pilot, first)
        assert first.screen.cards[0].status.value == "passed"
        await pilot.press("ctrl+q")
    saved = yaml.safe_load((workdir / "settings.yaml").read_text())["adventure"]
    assert saved["steps"]["workshop.md#1"]["status"] == "passed"

    second = make_app(root)
    async with second.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(second.screen, StartScreen)
        await pilot.press("c")
        await settle(pilot, second)
        assert isinstance(second.screen, ChapterScreen)
        (toast,) = [str(n.message) for n in second._notifications if n.title == "Welcome back"]
        assert f"directory {workdir / 'project'}" in toast
        assert "functions greet" in toast and "aliases shout" in toast and "PLACE" in toast
        assert "Not restored: background jobs" in toast  # said, as precisely as it is known
        await pilot.press("r")  # the second step, in the new shell
        await settle(pilot, second)
        text = output_text(second).replace("\n", "")  # long lines wrap in the panel
        assert f"hello from {workdir / 'project'}" in text
        assert "LOUD" in text and "place: garden" in text
        assert second.screen.cards[1].status.value == "passed"
        await pilot.press("ctrl+q")


async def test_what_could_not_come_back_is_named(make_app, workdir, tmp_path):
    root = _book(tmp_path)
    first = make_app(root, start=["workshop.md"])
    async with first.run_test(size=(120, 40)) as pilot:
        await settle(pilot, first)
        await pilot.press("r")
        await settle(pilot, first)
        await pilot.press("ctrl+q")
    (workdir / "project").rmdir()
    second = make_app(root)
    async with second.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("c")
        await settle(pilot, second)
        (toast,) = [n for n in second._notifications if n.title == "Welcome back"]
        assert f"directory {workdir / 'project'} (it no longer exists)" in str(toast.message)
        assert toast.severity == "warning"
        await pilot.press("ctrl+q")
