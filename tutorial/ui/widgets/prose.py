"""Prose between the steps, rendered as Markdown in one widget.

Textual's Markdown widget makes a widget of every paragraph, list item and heading; a
chapter of them costs a noticeable fraction of a second to lay out before the first paint.
Rich renders the same Markdown (headings, lists, code, tables, quotes, links as terminal
hyperlinks) into a single widget, which is what prose needs; how it is rendered and kept is
:mod:`tutorial.ui.rendered_markdown`.
"""

from __future__ import annotations

from textual.widgets import Static

from tutorial.ui.rendered_markdown import rendered


class ProseBlock(Static):
    DEFAULT_CSS = """
    ProseBlock { height: auto; }
    """

    def __init__(self, markdown: str) -> None:
        super().__init__(rendered(markdown))
        self.markdown = markdown
