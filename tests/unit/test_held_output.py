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


def test_a_secret_the_cut_goes_through_is_left_out_whole_not_half_shown() -> None:
    secret = "s3cret-Value-77"
    for where in (40, 258):  # across the end of the head (50), and across the start of the tail (265)
        held = Held(limit=100)
        text = "x" * where + secret + "y" * (300 - where)
        for start in range(0, len(text), 7):
            held.write(text[start : start + 7])
        masker = Masker([secret])
        written: list[str] = []
        held.release(masker.mask, [written.append], reach=max(map(len, masker.forms)) - 1)
        for part in (secret[:6], secret[-6:]):
            assert part not in written[0], where
        assert written[0].startswith("x" * 10) and written[0].endswith("y" * 10)
