"""The Values screen: every value, where it came from, secrets by name; change and forget reach settings.yaml."""

from __future__ import annotations

from pathlib import Path

import yaml
from textual.widgets import DataTable

from tests.ui.conftest import output_text, settle
from tutorial.engine.results import StepStatus
from tutorial.ui.screens.chapter import ChapterScreen
from tutorial.ui.screens.dialogs import PlaceholderDialog
from tutorial.ui.screens.values import ChangeValueDialog, ValuesScreen

SECRET = "s3cr3t-value-42"

START = """# Camp

## Do

```bash
# Replace `[...]` with a greeting
export GREETING=[...]
```

```bash
export TAG=v1
```

```bash
# Replace `[...]` with your registry token
export REGISTRY_TOKEN=[...]
echo "token has ${#REGISTRY_TOKEN} characters"
```

## What Is Your Choice?

* [Same](same.md)
* [Other](other.md)
"""

SAME = """# Same Question

## Do

```bash
# Replace `[...]` with a greeting
export GREETING=[...]
echo "same: $GREETING $TAG"
```
"""

OTHER = """# Another Question

## Do

```bash
# Replace `[...]` with the name of the river
export GREETING=[...]
echo "other: $GREETING"
```
"""


def _book(tmp_path: Path) -> Path:
    root = tmp_path / "book"
    root.mkdir()
    (root / "adventure.yaml").write_text("start: [camp.md]\n")
    for name, text in {"camp.md": START, "same.md": SAME, "other.md": OTHER}.items():
        (root / name).write_text(text)
    return root


def _rows(screen: ValuesScreen) -> dict[str, list[str]]:
    table = screen.query_one(DataTable)
    return {str(row[0]): [str(cell) for cell in row] for row in (table.get_row_at(i) for i in range(table.row_count))}


def _saved(workdir: Path) -> dict:  # type: ignore[type-arg]
    return yaml.safe_load((workdir / "settings.yaml").read_text())["adventure"]


async def _answer(pilot, app, text: str) -> None:  # type: ignore[no-untyped-def]
    await pilot.pause()
    assert isinstance(app.screen, PlaceholderDialog)
    await pilot.press(*text)
    await pilot.press("enter")
    await settle(pilot, app)


async def _run_camp(pilot, app) -> ChapterScreen:  # type: ignore[no-untyped-def]
    await settle(pilot, app)
    screen = app.screen
    assert isinstance(screen, ChapterScreen)
    await pilot.press("r")
    await _answer(pilot, app, "hello")
    await pilot.press("r")  # TAG, set by the step
    await settle(pilot, app)
    await pilot.press("r")
    await _answer(pilot, app, SECRET)
    assert [c.status for c in screen.cards.values()] == [StepStatus.PASSED] * 3
    return screen


async def test_values_are_listed_with_their_origin_and_changed_or_forgotten(make_app, workdir, tmp_path):
    app = make_app(_book(tmp_path), start=["camp.md"])
    async with app.run_test(size=(140, 40)) as pilot:
        await _run_camp(pilot, app)
        await pilot.press("v")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ValuesScreen)
        rows = _rows(screen)
        assert rows["GREETING"][1:] == ["hello", "typed in the app"]
        assert rows["TAG"][1:] == ["v1", "set by a step (camp.md step 2)"]
        assert rows["REGISTRY_TOKEN"][1] == "•••••• (secret: name only)"
        assert all(SECRET not in cell for row in rows.values() for cell in row)

        table = screen.query_one(DataTable)
        table.move_cursor(row=list(rows).index("TAG"))
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, ChangeValueDialog)
        await pilot.press("ctrl+a", "ctrl+k", *"v2", "enter")  # Textual's Input: select all, cut
        await pilot.pause()
        assert _rows(screen)["TAG"][1:] == ["v2", "typed in the app"]
        saved = _saved(workdir)
        assert saved["variables"]["TAG"] == "v2" and saved["origins"]["TAG"] == {"from": "typed"}

        table.move_cursor(row=list(_rows(screen)).index("GREETING"))
        await pilot.press("f")
        await pilot.pause()
        assert "GREETING" not in _rows(screen)
        saved = _saved(workdir)
        assert "GREETING" not in saved["variables"] and "GREETING" not in saved["origins"]
        assert saved["secrets"] == ["REGISTRY_TOKEN"] and SECRET not in (workdir / "settings.yaml").read_text()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ChapterScreen)
        await pilot.press("ctrl+q")
    last_shell = workdir / ".adventure" / "last-shell.sh"  # what a relaunch restores: no secret in it
    assert 'declare -x TAG="v2"' in last_shell.read_text()  # the change reached the shell at once
    for path in (workdir / ".adventure").rglob("*"):
        assert not path.is_file() or SECRET.encode() not in path.read_bytes(), path


async def test_another_branch_asks_again_when_its_question_differs(make_app, workdir, tmp_path):
    root = _book(tmp_path)
    app = make_app(root, start=["camp.md"])
    async with app.run_test(size=(140, 40)) as pilot:
        await _run_camp(pilot, app)
        camp = app.manuscript.pages["camp.md"]
        app.choose(camp, next(o for o in camp.options if o.label == "Same"))
        await settle(pilot, app)
        await pilot.press("r")  # the same question: the answer is used, nothing asked
        await settle(pilot, app)
        assert not isinstance(app.screen, PlaceholderDialog)
        assert "same: hello v1" in output_text(app)
        assert _saved(workdir)["origins"]["GREETING"] == {"from": "typed", "prompt": "A greeting"}
        app.open_page("other.md")  # the shell still has GREETING=hello: not a reason to reuse it
        await settle(pilot, app)
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, PlaceholderDialog)
        await pilot.press("escape")
        await pilot.press("ctrl+q")

    again = make_app(root, start=["other.md"])  # another run, another branch
    async with again.run_test(size=(140, 40)) as pilot:
        await settle(pilot, again)
        await pilot.press("r")
        await pilot.pause()
        dialog = again.screen
        assert isinstance(dialog, PlaceholderDialog)  # asked again: the question is another one
        assert [m.prompt for m in dialog.missing] == ["The name of the river"]
        await pilot.press(*"Rhine", "enter")
        await settle(pilot, again)
        assert "other: Rhine" in output_text(again)
        await pilot.press("v")
        await pilot.pause()
        assert _rows(again.screen)["GREETING"][1:] == ["Rhine", "typed in the app"]
        await pilot.press("ctrl+q")
    saved = _saved(workdir)
    assert saved["variables"]["GREETING"] == "Rhine"
    assert saved["origins"]["GREETING"] == {"from": "typed", "prompt": "The name of the river"}


async def test_restored_values_say_so_and_the_palette_opens_the_screen(make_app, workdir, tmp_path):
    root = _book(tmp_path)
    first = make_app(root, start=["camp.md"])
    async with first.run_test(size=(140, 40)) as pilot:
        await _run_camp(pilot, first)
        await pilot.press("ctrl+q")
    second = make_app(root, start=["camp.md"])
    async with second.run_test(size=(140, 40)) as pilot:
        await settle(pilot, second)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Values")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(second.screen, ValuesScreen)
        rows = _rows(second.screen)
        assert rows["TAG"][2] == "set by a step (camp.md step 2), restored from settings.yaml"
        assert rows["REGISTRY_TOKEN"][2] == "a secret: never saved, asked again when a step needs it"
        await pilot.press("escape")
        await pilot.press("ctrl+q")


async def test_the_help_opened_again_over_the_values_over_the_help_is_another_screen(make_app) -> None:
    """The help, the values opened from the palette over it, the help again: no screen is twice on the stack."""
    from tutorial.ui.screens.help import HelpScreen
    from tutorial.ui.screens.values import ValuesScreen

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("f1")
        await pilot.pause()
        await app.run_action("values")
        await pilot.pause()
        assert [type(s) for s in app.screen_stack[-2:]] == [HelpScreen, ValuesScreen]
        await pilot.press("f1")
        await pilot.pause()
        stack = app.screen_stack
        assert isinstance(stack[-1], HelpScreen) and len(set(map(id, stack))) == len(stack)
        for screen in (ValuesScreen, HelpScreen):
            await pilot.press("escape")
            await pilot.pause()
            assert isinstance(app.screen, screen)
        await pilot.press("escape")
        await pilot.pause()
        assert not any(isinstance(s, HelpScreen) for s in app.screen_stack)
