"""A page as the reader sees it: prose, then a step, then prose... in source order.

The app renders each prose segment as Markdown and each step as a card in its place. The
fence lines of a block belong to its steps, and HTML comments (the directives) are left out
of the prose. Where a block starts and ends comes from markdown-it's tokens (``token.map``),
so a fence inside a blockquote or a list item, or one never closed, is placed like any other.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from tutorial.manuscript.tokenizer import markdown
from tutorial.records import record

if TYPE_CHECKING:  # the app's first look at a page uses this module before the model is imported
    from tutorial.manuscript.model import Page, Step


@record(frozen=True)
class Prose:
    markdown: str
    line: int  # 1-based first line


@record(frozen=True)
class StepSlot:
    step: Step


Segment = Prose | StepSlot


@record(frozen=True)
class _Blocks:
    fences: dict[int, int]  # 0-based first line of a fence -> 0-based line after it
    comments: frozenset[int]  # 0-based lines of HTML comments (directives), hidden from the prose


@lru_cache(maxsize=32)
def fences_and_comments(text: str) -> _Blocks:
    """The line ranges of the page's fences and comments, at any nesting depth."""
    fences: dict[int, int] = {}
    comments: set[int] = set()
    for token in markdown().parse(text):
        if token.map is None:
            continue
        start, end = token.map
        if token.type == "fence":
            fences[start] = end
        elif token.type == "html_block" and token.content.lstrip().startswith("<!--"):
            comments.update(range(start, end))
    return _Blocks(fences, frozenset(comments))


def segments(page: Page) -> list[Segment]:
    lines = page.text.splitlines()
    found = fences_and_comments(page.text)
    result: list[Segment] = []
    cursor = 0  # 0-based index of the next line not yet shown
    blocks: dict[int, list[Step]] = {}
    for step in page.steps:
        blocks.setdefault(step.fence_line - 1, []).append(step)
    for start, steps in sorted(blocks.items()):
        if start < cursor:  # cannot happen for steps of this page's text; never show a line twice
            result.extend(StepSlot(step) for step in steps)
            continue
        prose_of(lines, cursor, start, found.comments, result)
        result.extend(StepSlot(step) for step in steps)
        cursor = min(max(found.fences.get(start, start + 1), start + 1), len(lines))
    prose_of(lines, cursor, len(lines), found.comments, result)
    return result


def prose_of(lines: list[str], start: int, end: int, hidden: frozenset[int], into: list[Segment]) -> None:
    kept = [index for index in range(start, end) if index not in hidden]
    while kept and not lines[kept[0]].strip():
        kept.pop(0)
    while kept and not lines[kept[-1]].strip():
        kept.pop()
    if kept:
        into.append(Prose("\n".join(lines[index] for index in kept), kept[0] + 1))


def summary(page: Page, limit: int = 280) -> str:
    """The page's first paragraph of prose (for lists of pages): no headings, no code."""
    for segment in segments(page):
        if not isinstance(segment, Prose):
            continue
        for block in segment.markdown.split("\n\n"):
            text = block.strip()
            if text and not text.startswith(("#", "```", "*", "-", ">", "|", "<")):
                text = " ".join(text.split())
                return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"
    return ""
