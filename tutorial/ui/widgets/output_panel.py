"""The live output of the running step, and the line where the reader answers its prompts."""

from __future__ import annotations

import time

from rich.text import Text
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Input, Label, RichLog

from tutorial.shell.output import collapse
from tutorial.shell.prompts import asks_for_secret, looks_like_prompt
from tutorial.ui.frame import OUTPUT_BOX, OUTPUT_TITLE
from tutorial.ui.messages import AnswerLeft, AnswerTyped
from tutorial.ui.output_buffer import OutputBuffer

_MAX_LINES_PER_FLUSH = 100  # a flood shows its last lines ten times a second; the rest is in the transcript
_LONGEST_LINE = 16_384  # characters of an unfinished line kept waiting for its end
_WHERE = "all output is in .adventure/transcript.log"


class OutputPanel(Vertical):
    """Shows what the running step prints, ANSI colours included, and asks for its input."""

    BINDINGS = [
        # priority: the answer line would take ctrl+d as "delete right" while a step waits for input
        Binding("ctrl+d", "end_of_input", "End of input", show=False, priority=True),
        Binding("escape", "leave_answer", "Leave the answer line", show=False),
    ]

    DEFAULT_CSS = (
        f"OutputPanel {{ {OUTPUT_BOX} }}"
        + """
    OutputPanel.collapsed { height: 3; }
    OutputPanel #output-title { height: 1; width: 1fr; color: $text-muted; }
    OutputPanel RichLog { height: 1fr; background: $surface; scrollbar-size-vertical: 1; }
    OutputPanel #answer-row { height: auto; max-height: 3; }
    OutputPanel #prompt { width: auto; max-width: 60%; height: auto; color: $warning; }
    /* one line, no border, even focused (a border would leave no room for the text) */
    OutputPanel Input, OutputPanel Input:focus {
        height: 1; border: none; padding: 0 1; width: 1fr; min-width: 16; background: $boost;
    }
    OutputPanel Input:focus { background: $primary 20%; }
    """
    )

    def __init__(self, buffer: OutputBuffer, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.buffer = buffer
        self._partial = ""
        self._started = 0.0
        self._timeout: float | None = None
        self._running_title = ""
        self.running = False
        self._declined: str | None = None  # the prompt the reader left with Escape: not focused again
        self._covered = False  # another screen was over the chapter at the last tick

    def compose(self) -> ComposeResult:
        yield Label(OUTPUT_TITLE, id="output-title")
        yield RichLog(max_lines=2000, wrap=True, markup=False, highlight=False, auto_scroll=True)
        with Horizontal(id="answer-row"):
            yield Label("", id="prompt")
            yield Input(placeholder="answer a prompt of the running step, then Enter", id="answer")

    def on_mount(self) -> None:
        self.set_interval(0.1, self._tick)

    @property
    def output_log(self) -> RichLog:
        return self.query_one(RichLog)

    @property
    def answer(self) -> Input:
        return self.query_one("#answer", Input)

    def begin(self, title: str, timeout: float | None) -> None:
        self.flush()
        self._partial = ""
        self._started = time.monotonic()
        self._timeout = timeout
        self._running_title = title
        self.running = True
        self.output_log.write(Text(f"━━ {title}", style="bold cyan"))
        self._title()

    def end(self, summary: Text) -> None:
        self.flush()
        if self._partial:
            self.output_log.write(Text.from_ansi(collapse(self._partial)))
            self._partial = ""
        self.output_log.write(summary)
        self.running = False
        self.query_one("#prompt", Label).update("")
        self.answer.password = False
        self.answer.placeholder = "answer a prompt of the running step, then Enter"
        self._title()

    def _title(self) -> None:
        label = self.query_one("#output-title", Label)
        if self.running:
            seconds = time.monotonic() - self._started
            limit = f" of {self._timeout:g} s" if self._timeout else ""
            label.update(f"▶ {self._running_title} · running {seconds:.0f} s{limit} · ctrl+c to interrupt")
        else:
            label.update("Output (all of it is in .adventure/transcript.log)")

    def _tick(self) -> None:
        """A few redraws a second, whatever the flood; none while another screen (the help, the
        map) is over the chapter: a flood would keep re-rendering the page under it, and the
        reader's keys there would wait for that work. The output waits in the buffer (its last
        lines) and comes once the chapter is back on the screen."""
        if not self.screen.is_active:
            self._covered = True
        elif self._covered:  # uncovered: the page comes back first, in its own frame; the output after it
            self._covered = False
            self.call_after_refresh(self._tick)
        else:
            self.flush()

    def flush(self) -> None:
        """Move what the worker wrote into the log."""
        if self.running:
            self._title()
        text, dropped = self.buffer.drain()
        if not text and not dropped:
            return
        if dropped:
            self.output_log.write(Text(f"… {dropped} lines not shown here ({_WHERE})", style="dim"))
        text = self._partial + text
        head, newline, self._partial = text.rpartition("\n")
        if len(self._partial) > _LONGEST_LINE:  # a line without an end (binary output): show its end only
            cut = len(self._partial) - _LONGEST_LINE // 4
            self.output_log.write(Text(f"… {cut} characters of a long line not shown here ({_WHERE})", style="dim"))
            self._partial = self._partial[cut:]
        if newline:
            # only the last lines are split off: a drain of 2 MB costs no more than one of 2 KB
            lines = head.rsplit("\n", _MAX_LINES_PER_FLUSH)
            if len(lines) > _MAX_LINES_PER_FLUSH:
                skipped = lines[0].count("\n") + 1
                self.output_log.write(Text(f"… {skipped} lines not shown here ({_WHERE})", style="dim"))
                del lines[0]
            lines = [collapse(line) if "\r" in line else line for line in lines]
            # one write for the whole batch: the log re-measures, trims and scrolls once, not per line
            self.output_log.write(Text.from_ansi("\n".join(lines)))
        self._prompted(collapse(self._partial))

    def _prompted(self, partial: str) -> None:
        """An unfinished last line that looks like a question: show it beside the answer box."""
        prompt = self.query_one("#prompt", Label)
        plain = Text.from_ansi(partial).plain
        if self.running and looks_like_prompt(plain):
            prompt.update(plain.strip()[-60:] + " ")
            secret = asks_for_secret(plain)
            self.answer.password = secret
            self.answer.placeholder = (
                "type it (hidden, never logged), then Enter · ctrl+c interrupts"
                if secret
                else "type, then Enter · ctrl+d ends input · ctrl+c interrupts"
            )
            if not self.answer.has_focus and self._declined != partial:
                self.answer.focus()
        else:
            prompt.update("")

    def action_end_of_input(self) -> None:
        """Ctrl+D in the answer line: end of input for the running step (``cat``, ``read`` loops)."""
        if not self.running:
            raise SkipAction()
        self.post_message(AnswerTyped("", secret=False, end_of_input=True))

    def action_leave_answer(self) -> None:
        """Escape: give the keys back to the page (x interrupts), until the step asks again."""
        if self.answer.has_focus:
            self._declined = collapse(self._partial)
            self.screen.set_focus(None)
            self.post_message(AnswerLeft())  # the screen gives the focus back to the step

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        secret = self.answer.password
        text = event.value
        self.answer.value = ""
        if not self.running:
            self.app.bell()
            return
        shown = "••••••" if secret else text
        self.output_log.write(Text(f"{collapse(self._partial)}{shown}", style="italic"))
        self._partial = ""
        self.query_one("#prompt", Label).update("")
        self.post_message(AnswerTyped(text, secret))
