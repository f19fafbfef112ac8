"""The page the app opens on, painted before the manuscript is read.

The chapter screen needs the whole manuscript parsed and the journey started; the reader
needs the page's words. This screen has the chapter screen's frame (header, outline column,
output panel, footer, from :mod:`tutorial.ui.frame`) around the page's opening prose, so the
words do not move when the chapter screen takes its place. Its keys are shown but disabled:
nothing can run before the engine has read the page, and a key pressed meanwhile is answered
with a word, not kept for later (a step must not run from a key pressed before it was shown).
"""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Header, Label, Static

from tutorial.manuscript.first_look import FirstLook
from tutorial.ui.frame import (
    CHAPTER_CSS,
    CHAPTER_KEYS,
    OUTLINE_BOX,
    OUTPUT_BOX,
    OUTPUT_BOX_SHORT,
    OUTPUT_TITLE,
    chapter_keys,
    fit,
)
from tutorial.ui.widgets.footer import SteadyFooter
from tutorial.ui.widgets.prose import ProseBlock

_CHAPTER_KEYS = chapter_keys()


class FirstLookScreen(Screen[None]):
    AUTO_FOCUS = None
    BINDINGS = CHAPTER_KEYS
    DEFAULT_CSS = CHAPTER_CSS + (
        f"#outline-space {{ {OUTLINE_BOX} height: 1fr; }}\n"
        "FirstLookScreen.-narrow #outline-space { display: none; }\n"
        f"#output-space {{ {OUTPUT_BOX} }}\n"
        f"FirstLookScreen.-short #output-space {{ {OUTPUT_BOX_SHORT} }}\n"
        "#output-space Label { color: $text-muted; }\n"
    )

    def __init__(self, look: FirstLook) -> None:
        super().__init__()
        self.look = look
        self.title = look.title
        self.sub_title = look.manuscript_title
        self._told = False  # a key pressed before the steps were shown was answered once

    def compose(self) -> ComposeResult:
        fit(self, self.app.size.width, self.app.size.height)
        yield Header()
        with Horizontal(id="body"):
            yield Static("", id="outline-space")
            with VerticalScroll(id="content"):
                yield ProseBlock(self.look.prose)
        with Vertical(id="output-space"):
            yield Label(OUTPUT_TITLE)
        yield SteadyFooter(compact=True)

    def on_resize(self) -> None:
        fit(self, self.app.size.width, self.app.size.height)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Every chapter key is shown, and none works yet (None: shown disabled)."""
        return None

    def on_key(self, event: events.Key) -> None:
        if event.key in _CHAPTER_KEYS and not self._told:
            self._told = True
            self.notify("The chapter's steps are on their way: press the key again when they are shown.", timeout=4)
