"""Keys and ideas, one screen."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen

from tutorial.ui.geometry import HELP_MAX, HELP_PADDING, HELP_PERCENT, SCROLLBAR, help_widths
from tutorial.ui.rendered_markdown import app_console, keep_ahead, render_ahead
from tutorial.ui.widgets.prose import ProseBlock

HELP = """
# cncf-adventure

*Press Esc (or ?) to close this help.*

Each code block of a chapter is a **step**. Run it, watch its output, and go on when its
checks say it worked. Every step runs in one shell that lives for the whole journey, so
what a step exports, defines or changes is there for the next one.

| Key | In a chapter |
|---|---|
| `r` | run the focused step (again, after a failure); a step marked *needs a terminal* runs in your own terminal |
| `a` | run the rest of the section, stopping at a failure (never an Undo step unless you start from one) |
| `j` / `k`, `tab` | next / previous step (after the last one: the way on) |
| `s` | skip the step |
| `e` | edit the step before running it (kept, and shown as edited) |
| `t` | run the step in your own terminal (pickers, editors, nested shells) |
| `h` | run a step that needs a terminal here anyway (a watcher or a port-forward: `x` stops it) |
| `o` | mark a failed step as done (recorded as overridden, not passed) |
| `x`, `ctrl+c` | interrupt the running step (`ctrl+c` also while you type an answer) |
| `w` | say what holds for you (EKS, `nip.io`…): steps that depend on it run, or not |
| `n` | the next chapter, or the choice of it (asks first when steps are failed or not run) |
| `m` | the map of the adventure |
| `v` | the values the steps use: where each came from; change or forget one |
| `b` | show or hide the outline (narrow terminals) |
| `ctrl+p` | command palette: pages, actions, themes |
| `ctrl+q` | quit (your progress is already saved; a running step is stopped, after asking) |

When a step asks a question, type the answer in the line under its output. Passwords are
hidden and never written anywhere. `ctrl+d` there ends the step's input; `escape` leaves the
line and goes back to the step, so `x` interrupts again.

A chapter is complete when its steps are done; the steps of an Undo, Destroy or Teardown
section never count, are never run by `a` from another section, and ask before they run.

Your progress is saved after every step and choice in `settings.yaml` in your work
directory, under `adventure:`; the output is in `.adventure/transcript.log` (the first and last 8 MiB of
a step that prints more).
Start `cncf-adventure` again in the same directory to continue where you stopped.
"""


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark", "close", "Close")]
    DEFAULT_CSS = f"""
    HelpScreen {{ align: center middle; }}
    HelpScreen VerticalScroll {{ width: {HELP_PERCENT}%; max-width: {HELP_MAX}; height: 90%; border: thick $accent;
        background: $surface; padding: 0 {HELP_PADDING}; scrollbar-size-vertical: {SCROLLBAR}; }}
    """

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield ProseBlock(HELP)

    def action_close(self) -> None:
        self.dismiss(None)


def render_help_ahead(columns: int, rows: int) -> None:
    """Render the help's text for a terminal of this size (both widths it may get), ahead of `?`.

    Run on a thread once the chapter is on the screen: opening the help then only lays it out.
    """
    console = app_console(columns, rows)
    for width in help_widths(columns):
        keep_ahead(HELP, *render_ahead(HELP, console, width))
