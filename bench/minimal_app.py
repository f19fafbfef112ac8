"""The baseline of the launch benchmark: a minimal Textual app painting a title and some text.

With ``--switch`` it first shows a list of one entry, and Enter replaces it by a screen
painting the same words: the baseline of a chapter switch.
"""

import sys

from textual.app import App, ComposeResult
from textual.screen import Screen
from textual.widgets import Footer, Header, OptionList, Static

WORDS = "Prepare Your Workspace\n\nHero is a tiny web application that dreams of running in the cloud."


class Chapter(Screen[None]):
    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(WORDS)
        yield Footer()


class Start(Screen[None]):
    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Start a journey")
        yield OptionList("Prepare Your Workspace  setup.md")
        yield Footer()

    def on_option_list_option_selected(self) -> None:
        self.app.switch_screen(Chapter())


class Minimal(App[None]):
    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(WORDS)
        yield Footer()

    def on_mount(self) -> None:
        if "--switch" in sys.argv:
            self.push_screen(Start())


if __name__ == "__main__":
    Minimal().run()
