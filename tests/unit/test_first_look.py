"""The first look at a page (painted before the manuscript is read) is the page's own top.

Whatever the first look shows must be what the chapter shows once the manuscript is read:
the same title, the same manuscript title, and a beginning of the same prose.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import CHAPTERS, WriteManuscript
from tutorial.manuscript.first_look import first_look
from tutorial.manuscript.layout import Prose, segments
from tutorial.manuscript.loader import load
from tutorial.manuscript.model import Manuscript


def _agrees(manuscript: Manuscript, path: str) -> str:
    """The first look's prose, after checking that it agrees with the fully read page."""
    look = first_look(manuscript.root, path)
    assert look is not None, path
    page = manuscript.pages[path]
    assert look.title == page.title, path
    assert look.manuscript_title == manuscript.title, path
    first = segments(page)[0]
    real = first.markdown if isinstance(first, Prose) else ""
    assert real.startswith(look.prose), path
    return look.prose


def test_every_bundled_page_agrees_with_its_chapter() -> None:
    manuscript = load(CHAPTERS, bundled=True)
    assert len(manuscript.pages) > 5
    for path in manuscript.pages:
        _agrees(manuscript, path)


def test_the_prose_stops_at_the_first_block_and_hides_directives(write_manuscript: WriteManuscript) -> None:
    manuscript = write_manuscript(
        {
            "page.md": """
            # Deploy **Hero** with `kubectl`

            <!-- only if: EKS -->

            Some words first.

            ```bash
            echo one
            ```

            After the block.
            """
        }
    )
    prose = _agrees(manuscript, "page.md")
    assert "Some words first." in prose and "only if" not in prose and "echo one" not in prose
    assert "After the block" not in prose
    assert first_look(manuscript.root, "page.md").title == "Deploy Hero with kubectl"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("## A second-level title\n\nWords.\n", "A second-level title"),
        ("Just words, no heading.\n", "no title here"),
        ("# \n\n## Then this\n", "Then this"),
    ],
)
def test_a_page_without_a_first_level_title_is_named_as_the_parser_names_it(
    write_manuscript: WriteManuscript, text: str, title: str
) -> None:
    manuscript = write_manuscript({"no-title-here.md": text})
    _agrees(manuscript, "no-title-here.md")
    assert manuscript.pages["no-title-here.md"].title == title


def test_a_fence_inside_a_list_ends_the_prose_before_it(write_manuscript: WriteManuscript) -> None:
    manuscript = write_manuscript(
        {"page.md": "# Title\n\n1. First install:\n\n   ```bash\n   brew install kind\n   ```\n\n2. Then run.\n"}
    )
    prose = _agrees(manuscript, "page.md")
    assert "brew" not in prose and "Then run" not in prose


def test_the_manuscript_title_comes_from_its_config_or_its_folder(tmp_path: Path) -> None:
    root = tmp_path / "demo" / "manuscript"
    root.mkdir(parents=True)
    (root / "a.md").write_text("# A\n", encoding="utf-8")
    assert first_look(root, "a.md").manuscript_title == "demo"  # type: ignore[union-attr]
    (root / "adventure.yaml").write_text("title: Declared\n", encoding="utf-8")
    assert first_look(root, "a.md").manuscript_title == "Declared"  # type: ignore[union-attr]


def test_what_cannot_be_read_cheaply_gives_no_first_look(tmp_path: Path) -> None:
    """No first look (the full reading reports the problem with its file and line), and never a hang."""
    root = tmp_path / "manuscript"
    root.mkdir()
    (root / "latin1.md").write_bytes("# Caf\xe9\n".encode("latin-1"))
    os.mkfifo(root / "fifo.md")  # opening it for reading must not wait for a writer
    (tmp_path / "outside.md").write_text("# Outside\n", encoding="utf-8")
    (root / "link.md").symlink_to(tmp_path / "outside.md")
    (root / "broken.yaml.md").write_text("# Fine page\n", encoding="utf-8")
    for page in ("latin1.md", "fifo.md", "link.md", "missing.md"):
        assert first_look(root, page) is None, page
    (root / "adventure.yaml").write_text("title: [unclosed\n", encoding="utf-8")
    assert first_look(root, "broken.yaml.md") is None
