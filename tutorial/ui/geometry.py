"""The chapter page's columns in numbers, without Textual.

The chapter screen's stylesheet (:mod:`tutorial.ui.frame`) is written from these numbers, and
the width the page's prose gets on a terminal of a given size is worked out from the same
numbers (:func:`prose_width`): a child process renders the start page's prose at that width
while the app is still importing Textual (see :mod:`tutorial.ui.rendered_markdown`). Tests
hold this arithmetic to what Textual's layout really gives.
"""

from __future__ import annotations

#: below this many columns the outline column is hidden (unless asked for)
NARROW_BELOW = 100
#: below this many rows the output panel is shorter
SHORT_BELOW = 30
#: the outline column: a share of the width, within bounds (border and padding included)
OUTLINE_PERCENT = 22
OUTLINE_MIN = 28
OUTLINE_MAX = 48
#: the page's padding on each side, and the room kept for its scroll bar
CONTENT_PADDING = 1
SCROLLBAR = 2


def outline_width(columns: int) -> int:
    """The outline column's width on a terminal ``columns`` wide (0 when it is hidden)."""
    if columns < NARROW_BELOW:
        return 0
    return min(max(columns * OUTLINE_PERCENT // 100, OUTLINE_MIN), OUTLINE_MAX)


def prose_width(columns: int) -> int:
    """The width the page's prose is rendered at, on a terminal ``columns`` wide."""
    return max(columns - outline_width(columns) - 2 * CONTENT_PADDING - SCROLLBAR, 1)


#: the help's box over the page: a share of the width, at most so wide, a thick border and padding
HELP_PERCENT = 90
HELP_MAX = 96
HELP_BORDER = 1
HELP_PADDING = 1


def help_widths(columns: int) -> tuple[int, int]:
    """The widths the help's text is rendered at on a terminal ``columns`` wide: without and with its scroll bar."""
    width = max(min(columns * HELP_PERCENT // 100, HELP_MAX) - 2 * HELP_BORDER - 2 * HELP_PADDING, 1)
    return width, max(width - SCROLLBAR, 1)
