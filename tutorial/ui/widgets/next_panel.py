"""The end of a chapter: the way on (continue, choose) or the end of the adventure."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Button, Label

from tutorial.manuscript.model import Page, PageKind


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


class NextPanel(Vertical):
    DEFAULT_CSS = """
    NextPanel { height: auto; padding: 0 1; margin: 1 0; border: round $accent; }
    NextPanel:focus-within { border: thick $accent; background: $boost; }
    NextPanel Label { width: 1fr; }
    NextPanel Button { margin-top: 1; }
    """

    def __init__(self, page: Page) -> None:
        super().__init__(id="next")
        self.page = page

    def compose(self) -> ComposeResult:
        page = self.page
        if page.kind is PageKind.END:
            yield Label(
                Text.assemble(
                    ("The end of this path. ", "bold"), " ".join(page.notes) or "There is no next chapter yet."
                )
            )
            yield Button("Open the map (m)", id="open-map")
        elif page.kind is PageKind.CHAPTER:
            option = next(o for o in page.options if o.target)
            tag = (f"  · {option.tag}", "italic dim") if option.tag else ""  # "go back", "from the text"
            yield Label(Text.assemble(("Continue the adventure: ", "bold"), option.label, tag))
            yield Button(f"▶ {option.label} (n)", id="go-next", variant="success")
        else:
            word = "Which way did you go?" if page.kind is PageKind.ROUTE else "What is your choice?"
            available = len([o for o in page.options if o.available])
            yield Label(Text.assemble((word, "bold"), f"  {plural(available, 'option')}"))
            yield Button("▶ Choose the next chapter (n)", id="go-next", variant="success")
