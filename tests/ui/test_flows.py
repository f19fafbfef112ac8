"""Whole flows through the app, with Pilot: start, run, answer, fail and retry, choose, resume."""

from __future__ import annotations

import yaml
from textual.widgets import Input

from tests.ui.conftest import output_text, settle, wait_for
from tutorial.engine.results import StepStatus
from tutorial.ui.screens.chapter import ChapterScreen
from tutorial.ui.screens.choice import ChoiceScreen
from tutorial.ui.screens.dialogs import EditStepScreen, PlaceholderDialog, SettingsProblemDialog
from tutorial.ui.screens.map import MapScreen
from tutorial.ui.screens.start import StartScreen


async def test_the_whole_trail_then_resume(make_app, workdir):
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
        await pilot.press("enter")  # the only entry point
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ChapterScreen) and screen.page.path == "start.md"
        cards = screen.cards

        await pilot.press("r")  # step 1
        await settle(pilot, app)
        assert cards[0].status is StepStatus.PASSED
        assert "hello from step one" in output_text(app)

        await pilot.press("r")  # step 2 needs a value: the dialog asks
        await settle(pilot, app)
        assert isinstance(app.screen, PlaceholderDialog)
        await pilot.press(*"howdy")
        await pilot.press("enter")
        await settle(pilot, app)
        assert cards[1].status is StepStatus.PASSED
        assert "greeting: howdy" in output_text(app)

        await pilot.press("r")  # step 3: its check fails until the gate is open
        await settle(pilot, app)
        assert cards[2].status is StepStatus.FAILED
        assert "the gate is open" in str(cards[2].outcome.message)
        (workdir / "gate.txt").touch()
        await pilot.press("r")  # retry
        await settle(pilot, app)
        assert cards[2].status is StepStatus.PASSED

        await pilot.press("r")  # step 4 asks a question: answer it in the input line
        await wait_for(pilot, lambda: screen.query_one("#answer", Input).has_focus)
        await pilot.press(*"Ada")
        await pilot.press("enter")
        await settle(pilot, app)
        assert cards[3].status is StepStatus.PASSED
        assert "nice to meet you, Ada" in output_text(app)

        await pilot.press("n")  # the choice
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("enter")  # Left is preselected
        await pilot.pause()
        assert isinstance(app.screen, ChapterScreen) and app.screen.page.path == "left.md"
        await pilot.press("r")
        await settle(pilot, app)
        assert "left after walked" in output_text(app)
        await pilot.press("ctrl+q")

    saved = yaml.safe_load((workdir / "settings.yaml").read_text())["adventure"]
    assert saved["page"] == "left.md"
    assert saved["path"][0] == {"page": "start.md", "choice": "Left"}
    assert saved["variables"]["GREETING"] == "howdy"

    again = make_app()
    async with again.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(again.screen, StartScreen)
        assert again.screen.query("#continue")
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(again.screen, ChapterScreen) and again.screen.page.path == "left.md"
        assert again.screen.cards[0].status is StepStatus.PASSED
        await pilot.press("ctrl+q")


async def test_unavailable_options_cannot_be_taken(make_app):
    app = make_app(start=["start.md"])
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("n")  # no step has run: the reader is asked before leaving
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("k")  # from Left up to the last one, Up (wraps around)
        assert app.screen.focused.option.label == "Up"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)  # still choosing
        assert any("has not yet been implemented" in str(n.message) for n in app._notifications)
        assert app.journey.progress.state.choices() == []
        await pilot.press("ctrl+q")


async def test_broken_settings_open_a_dialog_and_are_set_aside(make_app, workdir):
    broken = "adventure: [unclosed\n"
    (workdir / "settings.yaml").write_text(broken)
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, SettingsProblemDialog)
        assert "settings.yaml:" in app.screen.problem
        await pilot.click("#fresh")
        await pilot.pause()
        assert isinstance(app.screen, StartScreen)
        await pilot.press("ctrl+q")
    aside = list(workdir.glob("settings.yaml.broken-*"))
    assert len(aside) == 1 and aside[0].read_text() == broken


async def test_edit_skip_override_and_the_map(make_app, workdir):
    app = make_app(start=["start.md"])
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, EditStepScreen)
        app.screen.query_one("TextArea").text = 'echo "edited step"'
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert screen.cards[0].edited == 'echo "edited step"'
        await pilot.press("r")
        await settle(pilot, app)
        assert "edited step" in output_text(app)
        await pilot.press("s")  # skip the placeholder step
        await pilot.pause()
        assert screen.cards[1].status is StepStatus.SKIPPED
        await pilot.press("r")  # the gate is closed: failed
        await settle(pilot, app)
        assert screen.cards[2].status is StepStatus.FAILED
        await pilot.press("o")  # mark it done anyway
        await pilot.pause()
        assert screen.cards[2].status is StepStatus.OVERRIDDEN
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, MapScreen)
        await pilot.press("escape")
        await pilot.press("ctrl+q")
    saved = yaml.safe_load((workdir / "settings.yaml").read_text())["adventure"]
    assert saved["steps"]["start.md#3"]["status"] == "overridden"
    assert saved["edits"]["start.md#1"] == 'echo "edited step"'


async def test_interrupting_a_long_step(make_app, tmp_path):
    root = tmp_path / "long"
    root.mkdir()
    (root / "long.md").write_text("# Long\n\n```bash\necho started\nsleep 300\n```\n")
    app = make_app(root)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("r")
        await wait_for(pilot, lambda: "started" in output_text(app) or app.screen.busy)
        await pilot.pause(0.3)
        await pilot.press("x")
        await settle(pilot, app)
        assert app.screen.cards[0].status is StepStatus.FAILED
        assert app.screen.cards[0].outcome.message == "interrupted"
        await pilot.press("ctrl+q")


async def test_the_bundled_adventure_opens_and_runs_its_first_step(workdir):
    from tutorial.manuscript.loader import bundled_root, load
    from tutorial.ui.app import AdventureApp

    app = AdventureApp(load(bundled_root(), bundled=True), workdir)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.page.path == "setup.md"
        await pilot.press("r")
        await settle(pilot, app)
        assert app.screen.cards[0].status is StepStatus.PASSED
        assert (workdir / "demo-app" / "Dockerfile").is_file()
        await pilot.press("ctrl+q")


async def test_go_back_and_prose_options_are_labelled_and_taken(make_app, tmp_path):
    root = tmp_path / "ways"
    root.mkdir()
    (root / "adventure.yaml").write_text("start: [tracing.md]\n")
    (root / "tracing.md").write_text(
        "# Tracing\n\nIn a hurry? Skip this chapter by jumping to [Logs](logs.md).\n\n"
        "## What Is Your Choice?\n\n* [Zipkin](zipkin.md)\n"
    )
    (root / "logs.md").write_text("# Logs\n")
    (root / "zipkin.md").write_text("# Zipkin\n\nZipkin is not a CNCF project.\n\nGo back to [Tracing](tracing.md).\n")
    app = make_app(root, start=["tracing.md"])
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)
        labels = [str(card.query_one(".label").render()) for card in app.screen.query("OptionCard")]
        assert labels == ["1. Logs  · from the text", "2. Zipkin"]
        await pilot.press("j", "enter")  # Zipkin
        await pilot.pause()
        assert isinstance(app.screen, ChapterScreen) and app.screen.page.path == "zipkin.md"
        assert "Tracing  · go back" in str(app.screen.query_one("NextPanel Label").render())
        await pilot.press("n")  # a go-back page's one way on
        await pilot.pause()
        assert isinstance(app.screen, ChapterScreen) and app.screen.page.path == "tracing.md"
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, MapScreen)
        rows = [str(node.label) for node in app.screen.query_one("Tree").root.children[0].children]
        assert any("Logs · from the text" in row for row in rows)
        await pilot.press("escape")


async def test_a_page_with_fences_in_a_quote_and_a_list_opens_and_runs(make_app, tmp_path):
    root = tmp_path / "nested"
    root.mkdir()
    (root / "nested.md").write_text(
        "# Nested\n\n> Quoted:\n>\n> ```bash\n> echo from-the-quote\n> ```\n\n"
        "1. Listed:\n\n   ```bash\n   echo from-the-list\n   ```\n2. Done.\n"
    )
    app = make_app(root)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot, app)
        screen = app.screen
        assert isinstance(screen, ChapterScreen) and len(screen.cards) == 2
        await pilot.press("r")
        await settle(pilot, app)
        assert screen.cards[0].status is StepStatus.PASSED
        assert "from-the-quote" in output_text(app)
        await pilot.press("ctrl+q")


async def test_an_edited_step_gets_its_value_where_the_placeholder_is(make_app, tmp_path):
    root = tmp_path / "edited"
    root.mkdir()
    (root / "user.md").write_text(
        "# User\n\n```bash\n# Replace `[...]` with your Docker Hub user name\n"
        'export DOCKERHUB_USERNAME=[...]\necho "user is $DOCKERHUB_USERNAME"\n```\n\n'
        "```bash\necho second\n```\n"
    )
    app = make_app(root, start=["user.md"])
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = app.screen
        card = screen.cards[0]
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, EditStepScreen)
        area = app.screen.query_one("TextArea")
        area.text = "echo added above\n" + area.text
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("r")
        await settle(pilot, app)
        assert isinstance(app.screen, PlaceholderDialog)
        await pilot.press(*"alice")
        await pilot.press("enter")
        await settle(pilot, app)
        assert card.status is StepStatus.PASSED, card.outcome.message
        assert "user is alice" in output_text(app)
        assert "# Replace `[...]` with your Docker Hub user name" in card.outcome.code
        await pilot.press("e")  # an edit that leaves a `[...]` without a value fails, and runs nothing
        await pilot.pause()
        app.screen.query_one("TextArea").text = "touch ran\necho [...]"
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press("r")
        await settle(pilot, app)
        second = screen.cards[1]
        assert second.status is StepStatus.FAILED
        assert "none of the step's placeholders" in second.outcome.message
        await pilot.press("ctrl+q")
    assert not (app.journey.workdir / "ran").exists()


CLUSTER = """
# Cluster

## Do

```bash
# If NOT EKS
echo ip-address

# Only if you ARE using EKS
echo eks-hostname
```

> Execute the command that follows only if you chose to use `nip.io` instead of a "real" domain.

```bash
echo insecure
```
"""


async def test_the_reader_says_what_holds_and_it_is_kept(make_app, workdir, write_manuscript):
    from textual.widgets import Checkbox

    from tutorial.ui.screens.assumptions import AssumptionsDialog

    root = write_manuscript({"cluster.md": CLUSTER}).root
    app = make_app(root, start=["cluster.md"])
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        screen = app.screen
        assert isinstance(screen, ChapterScreen)
        not_eks, eks, nip = (screen.cards[i] for i in range(3))
        assert "assume 'not EKS' to run it" in not_eks.inactive_reason
        assert "assume 'EKS' to run it" in eks.inactive_reason
        assert "What holds for you" in str(not_eks.query_one(".actions").render())

        await pilot.press("w")  # on the focused step: what it waits for comes first
        await wait_for(pilot, lambda: isinstance(app.screen, AssumptionsDialog) and app.screen.focused)
        dialog = app.screen
        assert isinstance(dialog, AssumptionsDialog)
        boxes = list(dialog.query(Checkbox))
        assert [str(b.label) for b in boxes] == ["EKS", "nip.io"]
        assert dialog.focused is boxes[0] and not boxes[0].value
        await pilot.press("space")  # EKS holds for me
        await pilot.click("#ok")
        await settle(pilot, app)

        assert app.screen is screen
        assert not_eks.inactive_reason == "only if not EKS: it does not apply to you"
        assert eks.inactive_reason == "" and "What holds" not in str(eks.query_one(".actions").render())
        assert "What holds for you" in str(nip.query_one(".actions").render())  # the reader may change their mind
        assert nip.inactive_reason == "only if nip.io: it does not apply to you"  # left unticked: it does not
        saved = yaml.safe_load((workdir / "settings.yaml").read_text())["adventure"]["assume"]
        assert saved == {"EKS": True, "nip.io": False}

        eks.focus()
        await pilot.press("r")
        await settle(pilot, app)
        assert eks.status is StepStatus.PASSED and "eks-hostname" in output_text(app)
        await app.action_quit()

    again = make_app(root, start=["cluster.md"])  # a relaunch: the answers are still there
    async with again.run_test(size=(120, 40)) as pilot:
        await settle(pilot, again)
        screen = again.screen
        assert isinstance(screen, ChapterScreen)
        assert screen.cards[1].inactive_reason == "" and screen.cards[0].inactive_reason
        screen.cards[2].act("assume")  # the card's "What holds for you…" link
        await wait_for(
            pilot, lambda: isinstance(again.screen, AssumptionsDialog) and isinstance(again.screen.focused, Checkbox)
        )
        dialog = again.screen
        assert [b.value for b in dialog.query(Checkbox)] == [True, False]
        assert str(dialog.focused.label) == "nip.io"  # type: ignore[union-attr]
        await pilot.press("escape")  # cancelled: nothing changes
        await pilot.pause()
        assert yaml.safe_load((workdir / "settings.yaml").read_text())["adventure"]["assume"] == saved
        await again.action_quit()
