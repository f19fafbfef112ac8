"""A route page ("Which ... did you choose?") offers first the way an earlier choice leads to."""

from __future__ import annotations

import textwrap
from pathlib import Path

from tests.ui.conftest import settle
from tutorial.manuscript.loader import load
from tutorial.ui.app import AdventureApp
from tutorial.ui.screens.choice import ChoiceScreen, OptionCard

PAGES = {
    "start.md": """
        # Define The App

        ## What Is Your Choice?

        * [Helm](helm.md)
        * [Kustomize](kustomize.md)
        """,
    "helm.md": "# Helm\n\n## Continue The Adventure\n\n[The Database](db.md)\n",
    "kustomize.md": "# Kustomize\n\n## Continue The Adventure\n\n[The Database](db.md)\n",
    "db.md": """
        # The Database

        ## What Is Your Choice?

        * [Helm Chart](db-helm.md)
        * [Operator](db-operator.md)
        """,
    "db-helm.md": "# Database With A Helm Chart\n\n## Continue The Adventure\n\n[Where Next](next.md)\n",
    "db-operator.md": "# Database With An Operator\n\n## Continue The Adventure\n\n[Where Next](next.md)\n",
    "next.md": """
        # Where Next

        ## How Did You Define Your App?

        * [Helm](next-helm.md)
        * [Kustomize](next-kustomize.md)
        """,
    "next-helm.md": "# Next With Helm\n",
    "next-kustomize.md": "# Next With Kustomize\n",
}


def _manuscript(root: Path) -> Path:
    for name, text in PAGES.items():
        (root / name).write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    (root / "adventure.yaml").write_text("title: Routes\nstart: [start.md]\nends: [next-helm.md, next-kustomize.md]\n")
    return root


async def test_a_route_follows_the_choice_made_where_its_options_were_offered(tmp_path: Path) -> None:
    root = tmp_path / "manuscript"
    root.mkdir()
    manuscript = load(_manuscript(root))
    work = tmp_path / "work"
    work.mkdir()
    app = AdventureApp(manuscript, work, start=["start.md"])
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        journey = app.journey
        assert journey is not None
        pages = manuscript.pages
        # Kustomize for the app, then the "Helm Chart" database: a word shared with the Helm option
        journey.choose(pages["start.md"], pages["start.md"].options[1])
        journey.choose(pages["db.md"], pages["db.md"].options[0])
        app.go_on(pages["next.md"])
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ChoiceScreen)
        assert screen.sub_title == "Which way did you go?"
        focused = screen.focused
        assert isinstance(focused, OptionCard) and focused.option.label == "Kustomize"
        await app.action_quit()
