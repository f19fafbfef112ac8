"""The baseline of the launch benchmark: a minimal Textual app painting a title and some text.

With ``--switch`` it first shows a list of one entry, and Enter replaces it by a screen
painting the same words: the baseline of a chapter switch. ``?`` opens a screen over it with
the app's help text rendered as Markdown (as cncf-adventure's help is): the baseline of the
input latency.
"""

import sys
from pathlib import Path

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Footer, Header, OptionList, Static

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

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


class Help(ModalScreen[None]):
    BINDINGS = [Binding("escape,question_mark", "app.pop_screen", "Close")]
    DEFAULT_CSS = """
    Help { align: center middle; }
    Help VerticalScroll { width: 90%; max-width: 96; height: 90%; border: thick $accent; padding: 0 1; }
    """

    def compose(self) -> ComposeResult:
        from rich.markdown import Markdown  # imported after the first frame (see Minimal.on_mount)

        from tutorial.ui.screens.help import HELP  # the same words

        with VerticalScroll():
            yield Static(Markdown(HELP))


class Minimal(App[None]):
    BINDINGS = [Binding("question_mark", "help", "Help")]

    def action_help(self) -> None:
        self.push_screen(Help())

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(WORDS)
        yield Footer()

    def on_mount(self) -> None:
        if "--switch" in sys.argv:
            self.push_screen(Start())
        self.set_timer(0.1, self._load_help)  # as the app has its Markdown renderer: `?` does not import it

    def _load_help(self) -> None:
        import rich.markdown  # noqa: F401

        import tutorial.ui.screens.help  # noqa: F401


if __name__ == "__main__":
    Minimal().run()
