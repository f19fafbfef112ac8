"""What a step prints reaches the reader's terminal or log without harming either."""

from __future__ import annotations

import io

import pytest

from tutorial.commands.terminal import LiveOutput
from tutorial.shell.output import Masker, OutputStream


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


DANGEROUS = {
    "cursor position query": "\x1b[6n",
    "device attributes query": "\x1b[c",
    "secondary device attributes query": "\x1b[>c",
    "window title query": "\x1b[21t",
    "window resize": "\x1b[8;5;20t",
    "alternate screen": "\x1b[?1049h",
    "mouse reporting": "\x1b[?1000h",
    "hidden cursor": "\x1b[?25l",
    "clear screen": "\x1b[2J",
    "title": "\x1b]0;owned\x07",
    "character set": "\x1b(0",
}


@pytest.mark.parametrize("sequence", DANGEROUS.values(), ids=DANGEROUS.keys())
def test_queries_and_mode_switches_never_reach_the_terminal(sequence):
    terminal = Terminal()
    live = LiveOutput(terminal)
    live(f"before{sequence}after\n")
    live.finish()
    assert terminal.getvalue() == "beforeafter\n"


def test_colours_and_progress_bar_movements_reach_the_terminal():
    terminal = Terminal()
    live = LiveOutput(terminal)
    kept = "\x1b[1;31mred\x1b[0m \x1b[38;5;196mx\x1b[m\r\x1b[2K50%\x1b[1A\x1b[3G\n"
    live(kept)
    assert terminal.getvalue() == kept


def test_a_sequence_cut_between_two_chunks_is_still_dropped():
    terminal = Terminal()
    live = LiveOutput(terminal)
    for chunk in ("a\x1b[?10", "49h", "b\x1b", "[6n", "c\x1b[3", "1mred\n"):
        live(chunk)
    live.finish()
    assert terminal.getvalue() == "ab" + "c\x1b[31mred\n"


def test_c1_controls_are_dropped_before_anyone_sees_the_text():
    shown: list[str] = []
    stream = OutputStream(Masker(), [shown.append])
    stream.feed("a\u009d0;title\u0007b\u009b6nc é\n".encode())
    stream.close()
    assert "".join(shown) == "a0;titleb6nc é\n"


def test_a_long_line_without_newline_is_written_out_with_bounded_memory():
    log = io.StringIO()
    live = LiveOutput(log)
    chunk = "x" * 100_000
    for _ in range(50):
        live(chunk)
        assert len(live._line) <= 1 << 16
    live("\n")
    live.finish()
    assert log.getvalue() == "x" * 5_000_000 + "\n"


def test_a_long_progress_line_still_ends_as_it_ended_up():
    log = io.StringIO()
    live = LiveOutput(log)
    for percent in range(0, 100_000):
        live(f"\r{percent:>6}%")
    live(" done\n")
    assert log.getvalue() == " 99999% done\n"


def test_the_text_and_the_tail_do_not_depend_on_where_the_output_was_cut() -> None:
    """Line ends (\\r\\n) are taken out with the control bytes when a chunk allows it: the same text either way."""
    import random

    rng = random.Random(3)
    pieces = [b"line\r\n", b"10%\r50%\r100%\r\n", b"bell\x07\r\n", b"\r\n", b"caf\xc3\xa9\r\n", b"lone\rcr", b"x" * 50]
    data = b"".join(rng.choice(pieces) for _ in range(600)) + b"end\r\n"
    expected = data.translate(None, bytes([7])).decode().replace("\r\n", "\n")

    def fed(cuts: list[int]) -> tuple[str, str]:
        seen: list[str] = []
        stream = OutputStream(Masker(), [seen.append], max_lines=50, max_line_chars=40)
        start = 0
        for cut in [*cuts, len(data)]:
            stream.feed(data[start:cut])
            start = cut
        stream.close()
        return "".join(seen), stream.tail()

    whole = fed([])
    assert whole[0] == expected
    for size in (1, 2, 3, 7, 64, 1000):
        assert fed(list(range(size, len(data), size))) == whole, size
    assert fed(sorted(rng.sample(range(1, len(data)), 80))) == whole


def test_the_tail_of_megabytes_is_the_last_lines_wherever_the_output_was_cut() -> None:
    """The tail splits a flood into lines a quarter megabyte at a time: the same lines as one at a time."""
    import random

    from tutorial.shell.output import collapse

    rng = random.Random(5)
    lines = []
    for number in range(40_000):
        shape = rng.random()
        if shape < 0.05:
            lines.append(f"{number}: 10%\r50%\r100%")  # a progress bar, redrawn
        elif shape < 0.08:
            lines.append("y" * rng.randrange(50, 300))  # longer than a line is kept
        elif shape < 0.1:
            lines.append("")
        else:
            lines.append(f"{number}: " + "x" * rng.randrange(0, 60))
    data = "\r\n".join(lines).encode() + b"\r\nthe end, unfinished\r50%"
    shown = data.decode().replace("\r\n", "\n")
    *complete, unfinished = [collapse(line)[:40] for line in shown.split("\n")]
    expected = [*complete[-50:], unfinished]  # the last 50 lines, and the one still being written

    def tail(cuts: list[int]) -> str:
        stream = OutputStream(Masker(), max_lines=50, max_line_chars=40)
        start = 0
        for cut in [*cuts, len(data)]:
            stream.feed(data[start:cut])
            start = cut
        return stream.tail()

    assert len(data) > 4 * (1 << 18)  # (several times what is gathered before it is split into lines)
    assert tail([]) == "\n".join(expected)
    for size in (4096, 65_536, 1 << 18):
        assert tail(list(range(size, len(data), size))) == tail([]), size
    assert tail(sorted(rng.sample(range(1, len(data)), 300))) == tail([])


def test_output_a_character_at_a_time_is_not_gathered_without_bound() -> None:
    stream = OutputStream(Masker(), max_lines=5)
    text = "".join(f"{number % 10}" + ("\r\n" if number % 7 == 6 else "") for number in range(20_000))
    for character in text:
        stream.feed(character.encode())
        assert len(stream._recent) <= 1024
    lines = text.replace("\r\n", "\n").split("\n")
    assert stream.tail() == "\n".join(lines[-6:])
