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


async def _notes_before_and_after(
    tmp_path: Path, pages: dict[str, str], answer: dict[str, bool]
) -> tuple[dict[str, str], dict[str, str], dict[str, OptionCard]]:
    """The notes on the first page's options, then again once the reader said ``answer``; its cards then.

    The first page of ``pages`` offers the choice; the others are where its options lead (ends).
    """
    root = tmp_path / "manuscript"
    root.mkdir()
    for name, text in pages.items():
        (root / name).write_text(textwrap.dedent(text).lstrip())
    first, *ends = pages
    (root / "adventure.yaml").write_text(f"title: Caveats\nstart: [{first}]\nends: [{', '.join(ends)}]\n")
    manuscript = load(root)
    work = tmp_path / "work"
    work.mkdir()
    app = AdventureApp(manuscript, work, start=[first])
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        journey = app.journey
        assert journey is not None
        page = manuscript.pages[first]
        app.go_on(page)
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)
        before = _notes(app.screen)
        app.screen.dismiss()
        await pilot.pause()
        journey.answer(answer)
        app.go_on(page)
        await pilot.pause()
        assert isinstance(app.screen, ChoiceScreen)
        after = _notes(app.screen)
        cards = {c.option.label: c for c in app.screen.query(OptionCard)}
        await app.action_quit()
    return before, after, cards


async def test_the_caveat_says_it_applies_once_the_reader_said_nip_io_holds(tmp_path: Path) -> None:
    pages = {"registry.md": PAGE, "hub.md": "# Hub\n", "harbor.md": "# Harbor\n"}
    before, after, cards = await _notes_before_and_after(tmp_path, pages, {"nip.io": True})
    assert "cannot choose Harbor" in before["Harbor"] and "applies to you" not in before["Harbor"]
    assert before["Docker Hub"] == ""
    assert "applies to you (nip.io)" in after["Harbor"] and "cannot choose Harbor" in after["Harbor"]
    assert cards["Harbor"].option.available  # a caveat, not a closed door: the author says what it would take


FORMAT = """
    # Format

    ## What Is Your Choice?

    * [Bar](bar.md)
    * [Baz](baz.md)
    """
NOT_FOR_FOO = "If you chose Foo, this chapter is not supported yet; go back and choose another."


async def test_a_chapter_that_is_not_for_foo_says_so_on_its_option(tmp_path: Path) -> None:
    pages = {"format.md": FORMAT, "bar.md": f"# Bar\n\n{NOT_FOR_FOO}\n\n```bash\necho bar\n```\n", "baz.md": "# Baz\n"}
    before, after, _ = await _notes_before_and_after(tmp_path, pages, {"Foo": True})
    assert before["Bar"] == f"the page says “{NOT_FOR_FOO}”" and before["Baz"] == ""
    assert after["Bar"] == f"⚠ This applies to you (Foo): the page says “{NOT_FOR_FOO}”"
    assert after["Baz"] == ""
