"""Prose between the steps, rendered as Markdown in one widget.

Textual's Markdown widget makes a widget of every paragraph, list item and heading; a
chapter of them costs a noticeable fraction of a second to lay out before the first paint.
Rich renders the same Markdown (headings, lists, code, tables, quotes, links as terminal
hyperlinks) into a single widget, which is what prose needs.

Textual renders a widget's content more than once for one frame (to measure its height, then
to draw it) and again at every re-layout (a screen shown again, a resize, the help opened over
it). Markdown is parsed once, rendered once per shape asked for (the width, and whether the
width is exact), and kept for the next time the same prose is shown (a chapter opened
again, the help screen).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from rich.console import Console, ConsoleOptions
from rich.markdown import Markdown
from rich.measure import Measurement
from rich.segment import Segment
from textual.widgets import Static

_KEPT_RENDERS = 6  # renderings kept per prose: a few shapes for the current width, and the previous width


class RenderedMarkdown:
    """A Rich renderable: Markdown whose segments are kept for the last width it was rendered at."""

    def __init__(self, markdown: str) -> None:
        self.markdown = markdown
        self._parsed: Markdown | None = None
        #: segments by what the rendering depends on; Textual asks for a few shapes in turn (the
        #: height at min = max width, then the lines to draw), so one kept rendering would miss every time
        self._renders: dict[tuple[object, ...], list[Segment]] = {}

    @property
    def parsed(self) -> Markdown:
        if self._parsed is None:
            self._parsed = Markdown(self.markdown, code_theme="ansi_dark", hyperlinks=True)
        return self._parsed

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Segment]:
        # what the rendering depends on: the width, the colours and the console (its theme)
        key = (
            id(console),
            console.color_system,
            options.max_width,
            options.min_width,
            options.justify,
            options.ascii_only,
        )
        segments = self._renders.get(key)
        if segments is None:
            if len(self._renders) >= _KEPT_RENDERS:
                del self._renders[next(iter(self._renders))]  # the oldest (a width no longer used)
            segments = self._renders[key] = list(console.render(self.parsed, options))
        yield from segments

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement.get(console, options, self.parsed)


@lru_cache(maxsize=128)
def rendered(markdown: str) -> RenderedMarkdown:
    """The one renderable of this prose: opening a page or the help again reuses its rendering."""
    return RenderedMarkdown(markdown)


class ProseBlock(Static):
    DEFAULT_CSS = """
    ProseBlock { height: auto; }
    """

    def __init__(self, markdown: str) -> None:
        super().__init__(rendered(markdown))
        self.markdown = markdown
