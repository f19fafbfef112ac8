"""A chapter as the reader meets it: focus, safe defaults, prompts, the top of the page, small screens, leaving."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import yaml
from textual.widgets import Button, Footer, Input, Label, Static, TextArea

from tests.ui.conftest import output_text, settle, wait_for
from tutorial.manuscript.model import StepStatus
from tutorial.ui.screens.chapter import ChapterScreen
from tutorial.ui.screens.choice import ChoiceScreen
from tutorial.ui.screens.dialogs import ConfirmDialog, EditStepScreen, PlaceholderDialog
from tutorial.ui.screens.help import HelpScreen
from tutorial.ui.widgets.next_panel import NextPanel
from tutorial.ui.widgets.outline import Outline
from tutorial.ui.widgets.prerequisites import PrerequisitesPanel
from tutorial.ui.widgets.prose import ProseBlock
from tutorial.ui.widgets.step_card import ActionBar

LOCAL = """
# Local Registry

A registry on your machine, so that images need not leave it.

## Do

```bash
echo one > one.txt
```

```bash
echo two > two.txt
```

```bash
test -f gate.txt
```

## Destroy The Resources

```bash
rm -f one.txt two.txt
echo destroyed > destroyed.txt
```

## Continue The Adventure

* [Next](next.md)
"""


def saved(workdir: Path) -> dict:
    path = workdir / "settings.yaml"
    return yaml.safe_load(path.read_text())["adventure"] if path.exists() else {}


def statuses(workdir: Path) -> dict[str, str]:
    return {ref: record["status"] for ref, record in (saved(workdir).get("steps") or {}).items()}


def text(widget: Static | Label) -> str:
    return str(widget.render())


async def open_chapter(pilot, app) -> ChapterScreen:
    await settle(pilot, app)
    assert isinstance(app.screen, ChapterScreen)
    return app.screen


async def test_focus_is_visible_and_the_outline_follows_j_and_k(make_app, write_manuscript):
    root = write_manuscript({"local.md": LOCAL, "next.md": "# Next\n"}).root
    app = make_app(root, start=["local.md"])
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_chapter(pilot, app)
        first, second, third, undo = (screen.cards[i] for i in range(4))
        outline = screen.query_one(Outline)
        assert first.has_focus
        assert first.styles.border_top[0] == "thick" and second.styles.border_top[0] != "thick"
        assert first.styles.background != second.styles.background
        assert outline.cursor_node is not None and outline.cursor_node.data is first.step

        await pilot.press("j")
        assert second.has_focus and outline.cursor_node.data is second.step
        assert second.styles.border_top[0] == "thick"
        await pilot.press("j", "j", "j")  # the third, the Destroy step, then the way on
        assert undo.has_focus is False and isinstance(app.focused, Button)
        assert screen.query_one(NextPanel) in app.focused.ancestors
        await pilot.press("k")  # back from the way on: the last step, not the first pending one
        assert undo.has_focus and outline.cursor_node.data is undo.step
        await pilot.press("k")
        assert third.has_focus and outline.cursor_node.data is third.step
        await app.action_quit()


async def test_undo_steps_are_never_the_default_and_ask_before_running(make_app, write_manuscript, workdir):
    root = write_manuscript({"local.md": LOCAL, "next.md": "# Next\n"}).root
    (workdir / "gate.txt").touch()
    app = make_app(root, start=["local.md"])
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_chapter(pilot, app)
        undo = screen.cards[3]
        await pilot.press("a")  # the rest of the Do section: the Destroy step is not part of it
        await settle(pilot, app)
        assert [screen.cards[i].status for i in range(4)] == [StepStatus.PASSED] * 3 + [StepStatus.PENDING]
        assert statuses(workdir) == {"local.md#1": "passed", "local.md#2": "passed", "local.md#3": "passed"}
        assert not (workdir / "destroyed.txt").exists()
        assert any(n.title == "Chapter complete" for n in app._notifications)
        assert isinstance(app.focused, Button) and app.focused.id == "go-next"  # not the Destroy step

        undo.focus()
        await pilot.press("r")  # running a teardown asks first, naming what it removes
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        said = text(app.screen.query_one(".text", Static))
        assert "Destroy The Resources" in said and "rm -f one.txt two.txt" in said
        await pilot.press("escape")
        await settle(pilot, app)
        assert app.screen is screen and undo.status is StepStatus.PENDING
        assert (workdir / "one.txt").exists()

        await pilot.press("r")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot, app)
        assert undo.status is StepStatus.PASSED
        assert (workdir / "destroyed.txt").exists() and not (workdir / "one.txt").exists()
        assert statuses(workdir)["local.md#4"] == "passed"
        await app.action_quit()

    again = make_app(root, start=["local.md"])  # resume: the chapter is complete, the Destroy step is not next
    async with again.run_test(size=(120, 40)) as pilot:
        screen = await open_chapter(pilot, again)
        assert screen.chapter.complete and screen.chapter.next_step() is None
        assert isinstance(again.focused, Button) and again.focused.id == "go-next"
        await again.action_quit()


PROMPTS = """
# Questions

```bash
read -p "What is the name of your favourite registry host, please: " host
echo "host is $host"
```

```bash
read -s -p "Password: " secret
echo "secret has ${#secret} letters"
```

```bash
echo after
```
"""


async def test_a_prompt_is_visible_while_typing_and_focus_comes_back_to_the_step(make_app, write_manuscript, workdir):
    root = write_manuscript({"questions.md": PROMPTS}).root
    app = make_app(root, start=["questions.md"])
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_chapter(pilot, app)
        answer = screen.query_one("#answer", Input)
        await pilot.press("r")
        await wait_for(pilot, lambda: answer.has_focus)
        prompt = screen.query_one("#prompt", Label)
        assert "favourite registry host" in text(prompt)
        await pilot.press(*"registry.local")
        await pilot.pause()
        assert answer.value == "registry.local"
        assert answer.content_region.height >= 1 and answer.content_region.width >= 14  # the typed text shows
        assert prompt.region.height >= 1 and prompt.region.width > 0
        shown = app.export_screenshot()  # what the terminal shows
        assert "registry.local" in shown and "please:" in shown  # the answer, and the whole question

        await pilot.press("escape")  # leave the answer line: back to the step, which still waits
        assert screen.cards[0].has_focus and screen.busy
        answer.focus()
        await pilot.press("enter")
        await settle(pilot, app)
        assert "host is registry.local" in output_text(app)
        assert screen.cards[1].has_focus  # focus is back on the steps, on the next one

        await pilot.press("r")  # a password prompt is masked
        await wait_for(pilot, lambda: answer.has_focus)
        assert answer.password
        await pilot.press(*"hunter2", "enter")
        await settle(pilot, app)
        assert "secret has 7 letters" in output_text(app) and "hunter2" not in output_text(app)
        assert screen.cards[2].has_focus and not answer.has_focus
        await app.action_quit()
    assert statuses(workdir) == {"questions.md#1": "passed", "questions.md#2": "passed"}
    assert "hunter2" not in (workdir / "settings.yaml").read_text()


LONG = """
# A Long Chapter

{intro}

## Setup

* Install [no-such-tool-here](https://example.com/no-such-tool-here)

## Do

```bash
echo one
```

```bash
no-such-tool-here --version
```

```bash
echo three
```
"""


async def test_a_chapter_opens_at_its_top_with_the_next_step_focused(make_app, write_manuscript, workdir):
    intro = "\n\n".join(f"Paragraph {n} of the introduction, long enough to take a line." for n in range(12))
    root = write_manuscript({"long.md": LONG.format(intro=intro)}).root
    app = make_app(root, start=["long.md"])
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_chapter(pilot, app)
        await pilot.press("s")  # step 1 skipped: the next visit resumes at step 2
        await settle(pilot, app)
        await app.action_quit()
    assert statuses(workdir) == {"long.md#1": "skipped"}

    again = make_app(root, start=["long.md"])
    async with again.run_test(size=(100, 30)) as pilot:
        screen = await open_chapter(pilot, again)
        assert screen.cards[1].has_focus
        assert screen.query_one("#content").scroll_y == 0  # the view starts at the heading and the intro
        panel = screen.query_one(PrerequisitesPanel)
        lines = text(panel).splitlines()
        assert lines[0] == "Before you start"
        assert lines[1].startswith("✘ no-such-tool-here")  # what is missing first, one line each
        assert text(panel).count("https://example.com/no-such-tool-here") == 1
        assert "`" not in text(panel)
        await again.action_quit()


async def test_80x24_keeps_buttons_footer_and_questions_on_screen(make_app, write_manuscript):
    question = (
        "Replace `[...]` with the full host name of the registry you created in the previous chapter, "
        "for example registry.example.com"
    )
    page = f"# Small\n\n```bash\n# {question}\nexport HOST=[...]\necho $HOST\n```\n\n```bash\necho two\n```\n"
    root = write_manuscript({"small.md": page}).root
    app = make_app(root, start=["small.md"])
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_chapter(pilot, app)
        footer = screen.query_one(Footer)
        assert footer.region.y == 23 and footer.region.height == 1
        card = screen.cards[0]
        bar = card.query_one(ActionBar)
        shown = text(bar)
        assert "r run" in shown and "s skip" in shown and "(r)" not in shown  # collapsed to keys
        assert bar.region.right <= card.region.right
        assert screen.query_one(Outline).display is False or screen.query_one(Outline).region.width > 0

        await pilot.press("r")
        await settle(pilot, app)
        dialog = app.screen
        assert isinstance(dialog, PlaceholderDialog)
        asked = dialog.query_one(".question", Static)
        assert "registry.example.com" in text(asked)
        assert asked.region.height >= 2 and asked.region.right <= 80  # wrapped, not cut
        ok = dialog.query_one("#ok", Button)
        assert ok.region.height > 0 and ok.region.bottom <= 24 and ok.region.right <= 80
        await pilot.press("escape")
        await app.action_quit()

    wide = make_app(root, start=["small.md"])
    async with wide.run_test(size=(160, 48)) as pilot:
        screen = await open_chapter(pilot, wide)
        shown = text(screen.cards[0].query_one(ActionBar))
        assert "▶ Run (r)" in shown and "Skip (s)" in shown
        outline = screen.query_one(Outline)
        assert outline.display and "echo two" in str(outline.root.children[0].children[1].label)
        await wide.action_quit()


async def test_leaving_an_unfinished_chapter_asks_first(make_app, write_manuscript, workdir):
    root = write_manuscript({"local.md": LOCAL, "next.md": "# Next\n"}).root
    app = make_app(root, start=["local.md"])
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_chapter(pilot, app)
        await pilot.press("a")  # steps 1 and 2 pass, step 3 fails (no gate)
        await settle(pilot, app)
        assert screen.cards[2].status is StepStatus.FAILED
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        said = text(app.screen.query_one(".text", Static))
        assert "failed: step 3" in said and "step 4" not in said  # the Destroy step is not missed
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen and saved(workdir)["page"] == "local.md"
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, ChapterScreen) and app.screen.page.path == "next.md"
        assert saved(workdir)["page"] == "next.md"
        await app.action_quit()


async def test_quitting_while_a_step_runs_asks_and_stops_its_processes(make_app, write_manuscript, workdir):
    page = "# Slow\n\n```bash\nsh -c 'echo $$ > sleeper.pid; exec sleep 300'\n```\n"
    root = write_manuscript({"slow.md": page}).root
    app = make_app(root, start=["slow.md"])
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_chapter(pilot, app)
        await pilot.press("r")
        await wait_for(pilot, lambda: (workdir / "sleeper.pid").exists() and screen.busy)
        sleeper = int((workdir / "sleeper.pid").read_text())
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog) and "running" in text(app.screen.query_one(".title", Label))
        await pilot.press("escape")  # changed my mind: it goes on
        await pilot.pause()
        assert screen.busy and app.is_running
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.press("y")
        await wait_for(pilot, lambda: not app.is_running, timeout=20)
    for _ in range(100):
        try:
            os.kill(sleeper, 0)
        except ProcessLookupError:
            break
        await asyncio.sleep(0.1)
    else:
        raise AssertionError("the step's sleep outlived the app")
    assert statuses(workdir)["slow.md#1"] == "failed"


async def test_the_choice_screen_keys(make_app, workdir):
    app = make_app(start=["start.md"])
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("n", "y")
        await pilot.pause()
        choice = app.screen
        assert isinstance(choice, ChoiceScreen)
        assert choice.focused.option.label == "Left"  # type: ignore[union-attr]
        await pilot.press("down")
        assert choice.focused.option.label == "Right"  # type: ignore[union-attr]
        await pilot.press("up")
        assert choice.focused.option.label == "Left"  # type: ignore[union-attr]
        await pilot.press("down", "enter")  # Enter takes the focused option, and only that one
        await pilot.pause()
        assert isinstance(app.screen, ChapterScreen) and app.screen.page.path == "right.md"
        assert saved(workdir)["path"][0] == {"page": "start.md", "choice": "Right"}
        await app.action_quit()

    again = make_app(start=["start.md"])
    async with again.run_test(size=(120, 40)) as pilot:
        await settle(pilot, again)
        await pilot.press("n", "y")
        await pilot.pause()
        await pilot.press("1")  # a number key takes that option
        await pilot.pause()
        assert isinstance(again.screen, ChapterScreen) and again.screen.page.path == "left.md"
        await again.action_quit()


async def test_small_things(make_app, write_manuscript, workdir):
    page = (
        "# One Way\n\n```bash\n# a comment first\necho original\n```\n\n"
        "```bash\n# Only if you ARE using EKS\necho eks\n```\n\n"
        "## What Is Your Choice?\n\n* [Only](only.md)\n"
    )
    root = write_manuscript({"one.md": page, "only.md": "# Only\n"}).root
    app = make_app(root, start=["one.md"])
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_chapter(pilot, app)
        assert "1 option" in text(screen.query_one(NextPanel).query_one(Label))
        assert "1 options" not in text(screen.query_one(NextPanel).query_one(Label))

        await pilot.press("e")  # Esc leaves the editor in one press; Tab does not indent
        await pilot.pause()
        editor = app.screen
        assert isinstance(editor, EditStepScreen)
        area = editor.query_one(TextArea)
        area.text = "echo edited-first-line"
        await pilot.press("tab")
        assert area.text == "echo edited-first-line" and not area.has_focus
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen and screen.cards[0].edited is None

        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one(TextArea).text = "echo mine"
        await pilot.press("ctrl+s")
        await pilot.pause()
        outline = screen.query_one(Outline)
        first = str(outline.root.children[0].children[0].label)
        assert "echo mine" in first and "original" not in first

        screen.cards[1].focus()
        await pilot.press("a")  # the EKS step does not apply: skipped, said once
        await settle(pilot, app)
        assert screen.cards[1].status is StepStatus.SKIPPED
        assert "skipped: skipped" not in output_text(app)
        assert "skipped: only if EKS" in output_text(app)

        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        assert "Press Esc" in app.screen.query_one(ProseBlock).markdown
        help_screen = app.screen
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("question_mark")  # opened again: the same screen, shown, not made again
        await pilot.pause()
        assert app.screen is help_screen
        await pilot.press("question_mark")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)
        await app.action_quit()
    assert saved(workdir)["edits"]["one.md#1"] == "echo mine"

    empty = write_manuscript({"adventure.yaml": "start: [intro.md]\n", "intro.md": "# Intro\n\nNo steps.\n"})
    (workdir / "settings.yaml").unlink()
    app = make_app(empty.root, start=["intro.md"])
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await app.action_quit()
    again = make_app(empty.root)
    async with again.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        labels = [text(label) for label in again.screen.query(Label)]
        assert any("Continue where you left off" in label for label in labels)
        assert not any("Steps done" in label for label in labels)
        await again.action_quit()


async def test_a_worker_that_fails_is_reported_with_its_traceback(make_app, workdir, monkeypatch):
    from tutorial.engine.chapter import Chapter

    def broken(self, *args, **kwargs):
        raise RuntimeError("the engine broke")

    monkeypatch.setattr(Chapter, "run", broken)
    app = make_app(start=["start.md"])
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_chapter(pilot, app)
        await pilot.press("r")
        await settle(pilot, app)
        assert app.is_running and app.screen is screen
        assert not screen.busy and screen.cards[0].status is StepStatus.PENDING
        assert any("the engine broke" in str(n.message) for n in app._notifications)
        assert any(".adventure/errors.log" in str(n.message) for n in app._notifications)
        await app.action_quit()
    log = (workdir / ".adventure" / "errors.log").read_text()
    assert "Traceback" in log and "RuntimeError: the engine broke" in log
