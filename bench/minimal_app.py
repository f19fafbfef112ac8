"""The baseline of the launch benchmark: a minimal Textual app painting a title and some text."""

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Static


class Minimal(App[None]):
    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Prepare Your Workspace\n\nHero is a tiny web application that dreams of running in the cloud.")
        yield Footer()


if __name__ == "__main__":
    Minimal().run()
