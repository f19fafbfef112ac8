"""What every chapter screen looks like before its content: keys, columns and sizes.

Shared by the chapter screen and by the first look the app paints while it reads the
manuscript, so the page does not move when the chapter's steps arrive. Imports Textual's
binding only: the first look must not wait for the chapter screen's modules.
"""

from __future__ import annotations

from typing import Any

from textual.binding import Binding, BindingType
from textual.screen import Screen

from tutorial.ui.geometry import (
    CONTENT_PADDING,
    NARROW_BELOW,
    OUTLINE_MAX,
    OUTLINE_MIN,
    OUTLINE_PERCENT,
    SCROLLBAR,
    SHORT_BELOW,
)

CHAPTER_KEYS: list[BindingType] = [
    Binding("r", "run", "Run"),
    Binding("a", "run_all", "Run section"),
    Binding("s", "skip", "Skip"),
    Binding("e", "edit", "Edit", show=False),
    Binding("t", "terminal", "In terminal", show=False),
    Binding("h", "run_here", "Run here anyway", show=False),
    Binding("o", "override", "Mark done", show=False),
    Binding("w", "assume", "What holds", show=False),
    Binding("x", "interrupt", "Interrupt"),
    # ctrl+c interrupts even while the answer line has the focus (where x is just a letter)
    Binding("ctrl+c", "interrupt_running", "Interrupt", show=False, priority=True),
    Binding("n", "next", "Next"),
    Binding("j", "step(1)", "Next step", show=False),
    Binding("k", "step(-1)", "Previous step", show=False),
    Binding("m", "app.map", "Map"),
    Binding("b", "toggle_outline", "Outline", show=False),
    Binding("question_mark", "app.help", "Help"),
]

#: what the chapter's keys do to its steps (or to leave it): never from a key pressed before the
#: steps were on the screen
ACTING = frozenset({"run", "run_all", "skip", "edit", "terminal", "run_here", "override", "next"})


def chapter_keys(actions: frozenset[str] | None = None) -> frozenset[str]:
    """The keys of CHAPTER_KEYS (of those bound to ``actions``, when given)."""
    return frozenset(
        key
        for binding in CHAPTER_KEYS
        if isinstance(binding, Binding) and (actions is None or binding.action in actions)
        for key in binding.key.split(",")
    )


#: the page's columns and the prose's spacing (the scroll bar's room is kept, so that the
#: first look's prose wraps where the chapter's does, long or short)
CHAPTER_CSS = f"""
#body {{ height: 1fr; }}
#content {{ width: 1fr; padding: 0 {CONTENT_PADDING}; scrollbar-gutter: stable; scrollbar-size-vertical: {SCROLLBAR}; }}
ProseBlock {{ margin: 0 0 1 0; }}
"""

#: the output panel's title before any step ran
OUTPUT_TITLE = "Output: run a step to see what it prints"

#: the outline column beside the page (hidden on a narrow terminal unless asked for)
OUTLINE_BOX = (
    f"width: {OUTLINE_PERCENT}%; min-width: {OUTLINE_MIN}; max-width: {OUTLINE_MAX};"
    " border-right: solid $panel; background: $surface; padding: 0 1;"
)

#: the output panel under the page (shorter on a short terminal)
OUTPUT_BOX = "height: 11; border-top: solid $primary;"
OUTPUT_BOX_SHORT = "height: 8;"


def fit(screen: Screen[Any], width: int, height: int) -> None:
    """Mark a narrow (no outline) or short (smaller output) terminal on the screen, when it changes."""
    narrow, short = width < NARROW_BELOW, height < SHORT_BELOW
    if screen.has_class("-narrow") != narrow or screen.has_class("-short") != short:
        screen.set_class(narrow, "-narrow")
        screen.set_class(short, "-short")
