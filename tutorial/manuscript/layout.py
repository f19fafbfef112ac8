"""A page as the reader sees it: prose, then a step, then prose... in source order.

The app renders each prose segment as Markdown and each step as a card in its place. The
fence lines of a block belong to its steps, and HTML comments (the directives) are left out
of the prose.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tutorial.manuscript.model import Page, Step

_COMMENT = re.compile(r"^[ \t]*<!--.*?-->[ \t]*\n?", re.S | re.M)


@dataclass(frozen=True, slots=True)
class Prose:
    markdown: str
    line: int  # 1-based first line


@dataclass(frozen=True, slots=True)
class StepSlot:
    step: Step


Segment = Prose | StepSlot


def segments(page: Page) -> list[Segment]:
    lines = page.text.splitlines()
    result: list[Segment] = []
    cursor = 0  # 0-based index of the next line not yet shown
    blocks: dict[int, list[Step]] = {}
    for step in page.steps:
        blocks.setdefault(step.fence_line, []).append(step)
    for fence_line, steps in blocks.items():
        start = fence_line - 1
        _prose(lines, cursor, start, result)
        result.extend(StepSlot(step) for step in steps)
        cursor = _fence_end(lines, start)
    _prose(lines, cursor, len(lines), result)
    return result


def _prose(lines: list[str], start: int, end: int, into: list[Segment]) -> None:
    text = "\n".join(lines[start:end])
    text = _COMMENT.sub("", text).strip("\n")
    if text.strip():
        into.append(Prose(text, start + 1))


def _fence_end(lines: list[str], start: int) -> int:
    """The index after the closing fence of the block opened at ``start`` (or the page's end)."""
    opener = lines[start].strip()
    marker = opener[: len(opener) - len(opener.lstrip("`~"))]
    for index in range(start + 1, len(lines)):
        stripped = lines[index].strip()
        if stripped.startswith(marker[:3]) and set(stripped) <= set(marker[0]) and len(stripped) >= len(marker):
            return index + 1
    return len(lines)


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
