"""The one markdown-it instance every reader of a page's Markdown shares.

Kept apart from the parser, which brings the shell analyser and the rest of the manuscript
model with it: the app's first look at a page needs the tokens and nothing else.
"""

from __future__ import annotations

from functools import cache

from markdown_it import MarkdownIt


@cache
def markdown() -> MarkdownIt:
    """The one markdown-it instance (creating one costs more than parsing a page)."""
    return MarkdownIt("commonmark")
