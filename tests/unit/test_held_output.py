"""A step's output held back from the files until its secrets are known."""

from __future__ import annotations

from tutorial.shell.held import Held
from tutorial.shell.output import Masker


def test_what_is_held_is_written_masked_as_a_whole() -> None:
    held = Held()
    for piece in ("token: sec", "ret-val", "ue\nnext line\n"):  # the secret split across pieces
        held.write(piece)
    written: list[str] = []
    held.release(Masker(["secret-value"]).mask, [written.append, written.append])
    assert written[0] == written[1]
    assert "secret-value" not in written[0] and "sec" not in written[0].split("\n")[0]
    assert written[0].endswith("next line\n")


def test_nothing_held_writes_nothing_and_a_release_empties_it() -> None:
    held = Held()
    written: list[str] = []
    held.release(str, [written.append])
    assert written == []
    held.write("once")
    held.release(str, [written.append])
    held.release(str, [written.append])
    assert written == ["once"]


def test_a_long_output_keeps_its_first_and_last_part_and_says_how_much_was_left_out() -> None:
    held = Held(limit=100)
    held.write("H" * 30)
    for _ in range(10):
        held.write("m" * 25)
    held.write("T" * 70)  # longer than the tail's room: only its end stays
    text = held.text()
    assert text.startswith("H" * 30 + "m" * 20)  # the head is exactly 50 characters
    assert text.endswith("T" * 50)
    left_out = 30 + 250 + 70 - 100
    assert f"[... {left_out} characters of output left out here ...]" in text
    assert len(text.replace(f"\n[... {left_out} characters of output left out here ...]\n", "")) == 100
