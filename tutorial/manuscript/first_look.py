"""The top of the page the app opens on, read before the rest of the manuscript.

Reading a whole manuscript means importing the parser, the shell analyser and the engine,
and parsing every page: a few hundred milliseconds before anything could be drawn. The
reader's first need is the page itself, so the app paints its title and opening prose
from this first look, and the chapter's steps arrive when the manuscript is read.

A first look only ever shows text; it never decides what runs. It is the same prose the
chapter will show (the same splitting and the same hidden directives, from
:mod:`tutorial.manuscript.layout`), cut at the page's first code block. Anything unusual
(a page that cannot be read, not UTF-8, outside the manuscript) gives no first look, and
the app simply waits for the manuscript as before.
"""

from __future__ import annotations

from pathlib import Path

from tutorial.manuscript.locate import ManuscriptError, NotAPage, manuscript_title, read_config, read_page
from tutorial.records import record


@record(frozen=True)
class FirstLook:
    page: str  # manuscript-relative path
    title: str  # the page's title, as the parser gives it
    manuscript_title: str
    prose: str  # Markdown: the page's prose before its first code block


def first_look(root: Path, page: str) -> FirstLook | None:
    """The first look at ``page`` of the manuscript at ``root``, or None if it cannot be had cheaply."""
    try:
        text = read_page(root, page).decode("utf-8")
        config = read_config(root)
    except (OSError, UnicodeDecodeError, NotAPage, ManuscriptError):
        return None  # the manuscript's reading reports it, with its file and line
    # imported here: a first look read in another process is unpickled without the Markdown parser
    from tutorial.manuscript.layout import Prose, Segment, fences_and_comments, prose_of
    from tutorial.manuscript.titles import page_title
    from tutorial.manuscript.tokenizer import markdown

    tokens = markdown().parse(text)
    found = fences_and_comments(text)
    lines = text.splitlines()
    end = min(found.fences, default=len(lines))
    opening: list[Segment] = []
    prose_of(lines, 0, end, found.comments, opening)
    prose = opening[0].markdown if opening and isinstance(opening[0], Prose) else ""
    return FirstLook(page, page_title(tokens, page), manuscript_title(root, config), prose)
