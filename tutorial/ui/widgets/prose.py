"""Prose between the steps, rendered as Markdown in one widget.

Textual's Markdown widget makes a widget of every paragraph, list item and heading; a
chapter of them costs a noticeable fraction of a second to lay out before the first paint.
Rich renders the same Markdown (headings, lists, code, tables, quotes, links as terminal
hyperlinks) into a single widget, which is what prose needs.
"""

from __future__ import annotations

from rich.markdown import Markdown
from textual.widgets import Static


class ProseBlock(Static):
    DEFAULT_CSS = """
    ProseBlock { height: auto; }
    """

    def __init__(self, markdown: str) -> None:
        super().__init__(Markdown(markdown, code_theme="ansi_dark", hyperlinks=True))
        self.markdown = markdown
