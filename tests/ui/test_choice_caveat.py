"""A caveat on an option ("If you chose `nip.io`, you cannot choose Harbor") says when it is the reader's."""

from __future__ import annotations

import textwrap
from pathlib import Path

from textual.widgets import Static

from tests.ui.conftest import settle
from tutorial.manuscript.loader import load
from tutorial.ui.app import AdventureApp
from tutorial.ui.screens.choice import ChoiceScreen, OptionCard

PAGE = """
    # Registry

    ## What Is Your Choice?

    **If, during the setup phase, you chose to use `nip.io` instead of a domain, you cannot choose Harbor.**

    * [Docker Hub](hub.md)
    * [Harbor](harbor.md)
    """


def _notes(screen: ChoiceScreen) -> dict[str, str]:
    found = {}
    for card in screen.query(OptionCard):
        texts = [str(s.render()) for s in card.query(Static).filter(".note")]
        found[card.option.label] = " ".join(texts)
    return found


async def test_the_caveat_says_it_applies_once_the_reader_said_nip_io_holds(tmp_path: Path) -> None:
    root = tmp_path / "manuscript"
    root.mkdir()
    (root / "registry.md").write_text(textwrap.dedent(PAGE).lstrip())
    (root / "hub.md").write_text("# Hub\n")
    (root / "harbor.md").write_text("# Harbor\n")
    (root / "adventure.yaml").write_text("title: Caveats\nstart: [registry.md]\nends: [hub.md, harbor.md]\n")
    manuscript = load(root)
    work = tmp_path / "work"
    work.mkdir()
    app = AdventureApp(manuscript, work, start=["registry.md"])
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        journey = app.journey
        assert journey is not None
        page = manuscript.pages["registry.md"]
        app.go_on(page)
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)
        before = _notes(app.screen)
        assert "cannot choose Harbor" in before["Harbor"] and "applies to you" not in before["Harbor"]
        assert before["Docker Hub"] == ""
        app.screen.dismiss()
        await pilot.pause()
        journey.answer({"nip.io": True})
        app.go_on(page)
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)
        after = _notes(app.screen)
        assert "applies to you (nip.io)" in after["Harbor"] and "cannot choose Harbor" in after["Harbor"]
        harbor = next(c for c in app.screen.query(OptionCard) if c.option.label == "Harbor")
        assert harbor.option.available  # a caveat, not a closed door: the author says what it would take
        await app.action_quit()


FORMAT = """
    # Format

    ## What Is Your Choice?

    * [Bar](bar.md)
    * [Baz](baz.md)
    """
NOT_FOR_FOO = "If you chose Foo, this chapter is not supported yet; go back and choose another."


async def test_a_chapter_that_is_not_for_foo_says_so_on_its_option(tmp_path: Path) -> None:
    root = tmp_path / "manuscript"
    root.mkdir()
    (root / "format.md").write_text(textwrap.dedent(FORMAT).lstrip())
    (root / "bar.md").write_text(f"# Bar\n\n{NOT_FOR_FOO}\n\n```bash\necho bar\n```\n")
    (root / "baz.md").write_text("# Baz\n")
    (root / "adventure.yaml").write_text("title: Rules\nstart: [format.md]\nends: [bar.md, baz.md]\n")
    manuscript = load(root)
    work = tmp_path / "work"
    work.mkdir()
    app = AdventureApp(manuscript, work, start=["format.md"])
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        journey = app.journey
        assert journey is not None
        page = manuscript.pages["format.md"]
        app.go_on(page)
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)
        before = _notes(app.screen)
        assert before["Bar"] == f"the page says “{NOT_FOR_FOO}”" and before["Baz"] == ""
        app.screen.dismiss()
        await pilot.pause()
        journey.answer({"Foo": True})
        app.go_on(page)
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)
        after = _notes(app.screen)
        assert after["Bar"] == f"⚠ This applies to you (Foo): the page says “{NOT_FOR_FOO}”"
        assert after["Baz"] == ""
        await app.action_quit()
