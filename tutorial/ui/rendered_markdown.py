"""Markdown prose as one Rich renderable, rendered once per shape, and possibly ahead of time.

Textual renders a widget's content more than once for one frame (to measure its height, then
to draw it) and again at every re-layout (a screen shown again, a resize, the help opened over
it). Markdown is parsed once, rendered once per shape asked for (the width, and whether the
width is exact), and kept for the next time the same prose is shown (a chapter opened again,
the help screen).

The start page's prose can also be rendered before the app draws it, in the child process
that reads the manuscript (:func:`render_ahead`), at the width the page will have on this
terminal (:func:`tutorial.ui.geometry.prose_width`): the app then paints its first frame
without importing the Markdown parser and renderer (markdown-it-py, Rich's Markdown and
pygments, 40 to 50 ms). Such a rendering is used only for exactly the shape it was made for
(width, colours, justification, character set); any other shape, or another console, is
rendered here as always. Rich and its Markdown are imported only when something is rendered.
Textual-free.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions
    from rich.markdown import Markdown
    from rich.measure import Measurement
    from rich.segment import Segment

_KEPT_RENDERS = 6  # renderings kept per prose: a few shapes for the current width, and the previous width

#: what a rendering depends on besides the console's theme: its colours, width, minimum width,
#: justification and character set
Shape = tuple[str | None, int, int, str | None, bool]


def shape_of(console: Console, options: ConsoleOptions) -> Shape:
    return (console.color_system, options.max_width, options.min_width, options.justify, options.ascii_only)


class RenderedMarkdown:
    """A Rich renderable: Markdown whose segments are kept for the last shapes it was rendered at."""

    def __init__(self, markdown: str) -> None:
        self.markdown = markdown
        self._parsed: Markdown | None = None
        #: segments by console and shape; Textual asks for a few shapes in turn (the height at
        #: min = max width, then the lines to draw), so one kept rendering would miss every time
        self._renders: dict[tuple[int, Shape], list[Segment]] = {}
        #: renderings made ahead of time by an app-like console (see render_ahead), by shape
        self.ahead: dict[Shape, list[Segment]] = {}

    @property
    def parsed(self) -> Markdown:
        if self._parsed is None:
            from rich.markdown import Markdown

            self._parsed = Markdown(self.markdown, code_theme="ansi_dark", hyperlinks=True)
        return self._parsed

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Segment]:
        shape = shape_of(console, options)
        key = (id(console), shape)
        segments = self._renders.get(key)
        if segments is None:
            if len(self._renders) >= _KEPT_RENDERS:
                del self._renders[next(iter(self._renders))]  # the oldest (a width no longer used)
            segments = self.ahead.get(shape)
            if segments is None:
                segments = list(console.render(self.parsed, options))
            self._renders[key] = segments
        yield from segments

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        from rich.measure import Measurement

        return Measurement.get(console, options, self.parsed)


@lru_cache(maxsize=128)
def rendered(markdown: str) -> RenderedMarkdown:
    """The one renderable of this prose: opening a page or the help again reuses its rendering."""
    return RenderedMarkdown(markdown)


def app_console(columns: int, rows: int) -> Console:
    """A console that renders as the app's does (Textual's settings), for a terminal of this size."""
    import io
    import os

    from rich.console import Console

    return Console(
        color_system=os.environ.get("TEXTUAL_COLOR_SYSTEM", "auto"),  # type: ignore[arg-type]
        file=io.StringIO(),  # never written to: it renders into segments
        markup=True,
        highlight=False,
        emoji=False,
        legacy_windows=False,
        force_terminal=True,
        safe_box=False,
        soft_wrap=False,
        width=columns,
        height=rows,
    )


def render_ahead(markdown: str, console: Console, width: int) -> tuple[Shape, list[Segment]]:
    """``markdown`` rendered by ``console`` at ``width``, the way a Textual widget that wide asks for it."""
    from rich.console import ConsoleDimensions, ConsoleOptions

    columns, rows = console.size
    options = (
        ConsoleOptions(
            max_height=rows,
            size=ConsoleDimensions(columns, rows),
            legacy_windows=False,
            min_width=1,
            max_width=columns,
            encoding="utf-8",
            is_terminal=True,
        )
        .update_width(width)
        .update(highlight=False)
    )
    return shape_of(console, options), list(console.render(rendered(markdown).parsed, options))


def keep_ahead(markdown: str, shape: Shape, segments: list[Segment]) -> None:
    """Hand a rendering made ahead of time (by :func:`render_ahead`, maybe in another process) to this prose."""
    rendered(markdown).ahead[shape] = segments
