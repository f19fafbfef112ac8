"""Where the journey starts: continue where you left off, or pick an entry point."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Header, Label, OptionList, Static
from textual.widgets.option_list import Option

from tutorial.engine.journey import Journey
from tutorial.ui.paths import shown_path
from tutorial.ui.widgets.footer import SteadyFooter


class StartScreen(Screen[None]):
    BINDINGS = [
        Binding("c", "resume", "Continue", show=False),
        Binding("question_mark", "app.help", "Help"),
        Binding("m", "app.map", "Map"),
    ]
    DEFAULT_CSS = """
    StartScreen VerticalScroll { padding: 1 2; }
    StartScreen .welcome { margin-bottom: 1; }
    StartScreen #resume { height: auto; border: round $success; padding: 0 1; margin-bottom: 1; }
    StartScreen #resume .buttons { height: auto; margin-top: 1; }
    StartScreen #resume Button { margin-right: 2; }
    StartScreen .heading { text-style: bold; margin-top: 1; }
    StartScreen OptionList { height: auto; max-height: 16; width: 1fr; margin-right: 1; }
    """

    def __init__(self, journey: Journey) -> None:
        super().__init__()
        self.journey = journey
        self.title = journey.manuscript.title
        self.sub_title = "bundled adventure" if journey.manuscript.bundled else shown_path(journey.manuscript.root)

    def compose(self) -> ComposeResult:
        manuscript = self.journey.manuscript
        state = self.journey.progress.state
        yield Header()
        with VerticalScroll():
            yield Static(
                Text.assemble(
                    (manuscript.title, "bold"),
                    "\n",
                    (
                        f"{len(manuscript.pages)} pages · {manuscript.step_count()} steps · "
                        f"work directory {self.journey.workdir}",
                        "dim",
                    ),
                ),
                classes="welcome",
            )
            page = manuscript.pages.get(state.page)
            if page is not None:
                chapter = self.journey.chapter(page)
                do_steps = chapter.do_steps()
                done = sum(1 for s in do_steps if chapter.done(s))
                path = " → ".join(manuscript.pages[p].title for p in state.visited() if p in manuscript.pages)
                with Vertical(id="resume"):
                    yield Label(Text.assemble(("Continue where you left off", "bold green")))
                    yield Label(Text.assemble(("Page: ", "bold"), page.title, (f"  ({page.path})", "dim")))
                    if do_steps:
                        yield Label(Text.assemble(("Steps done: ", "bold"), f"{done} of {len(do_steps)}"))
                    if path:
                        yield Label(Text.assemble(("Your path: ", "bold"), path))
                    with Horizontal(classes="buttons"):
                        yield Button("▶ Continue (c)", id="continue", variant="success")
                        yield Button("Start over", id="start-over")
            yield Label("Start a journey" if page is None else "Or start again at", classes="heading")
            entries = [manuscript.pages[p] for p in manuscript.entry_points if p in manuscript.pages]
            yield OptionList(
                *[Option(Text.assemble((e.title, "bold"), (f"  {e.path}", "dim")), id=e.path) for e in entries],
                id="entries",
            )
        yield SteadyFooter()

    def on_mount(self) -> None:
        if self.query("#continue"):
            self.query_one("#continue", Button).focus()
        else:
            self.query_one("#entries", OptionList).focus()

    @on(Button.Pressed, "#continue")
    def action_resume(self) -> None:
        state = self.journey.progress.state
        if state.page in self.journey.manuscript.pages:
            resumed = self.journey.resume()
            self.notify(resumed.summary(), title="Welcome back", severity="warning" if resumed.lost else "information")
            self.app.open_page(state.page)  # type: ignore[attr-defined]

    @on(Button.Pressed, "#start-over")
    def _start_over(self) -> None:
        from tutorial.ui.screens.dialogs import ConfirmDialog

        def answer(yes: bool | None) -> None:
            if yes:
                self.journey.progress.reset()
                self.app.switch_screen(StartScreen(self.journey))

        self.app.push_screen(
            ConfirmDialog(
                "Start over?",
                "Your progress in this work directory is forgotten (the "
                "rest of settings.yaml stays, and a backup is kept).",
                "Start over",
            ),
            answer,
        )

    @on(OptionList.OptionSelected, "#entries")
    def _entry_chosen(self, event: OptionList.OptionSelected) -> None:
        path = event.option.id or ""
        self.journey.start_at(path)
        self.app.open_page(path)  # type: ignore[attr-defined]
