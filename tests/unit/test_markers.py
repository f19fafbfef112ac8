"""The session's markers are found exactly, wherever the terminal's reads cut the output."""

from __future__ import annotations

import random
import re

from tutorial.shell.markers import MarkerScanner

NONCE = b"0123456789abcdef"
START = b"\x1b]777;" + NONCE
PATTERN = re.compile(re.escape(START) + rb";([a-z]+)((?:;[^\x07]*)?)\x07")


def marker(kind: str, *fields: str) -> bytes:
    return START + f";{kind}".encode() + b"".join(f";{f}".encode() for f in fields) + b"\x07"


STREAM = b"".join(
    [
        b"prompt$ ",
        marker("begin"),
        b"\x1b[31mred\x1b[0m\r\n",
        b"\x1b]777;fedcba9876543210;ready;0;0\x07",  # another session's marker (a nested run): output
        b"x" * 5000 + b"\r\n",
        b"\x1b]777;" + NONCE[:5] + b"\r\n",  # the start of one, cut short by a line end: output
        START + b"x" * 600 + b"\r\n",  # too long to be one of ours: output
        b"a lone escape \x1b at the end of a line\r\n",
        marker("values"),
        b"NAME\x00value\x00",
        marker("ready", "0", "3", "1"),
        b"after\x1b",
    ]
)


def scanned(cuts: list[int]) -> list[bytes | tuple[bytes, bytes]]:
    """The stream fed in pieces cut at ``cuts``: output joined between markers, markers as (kind, fields)."""
    scanner = MarkerScanner(START, PATTERN)
    found: list[bytes | tuple[bytes, bytes]] = [b""]
    start = 0
    for cut in [*cuts, len(STREAM)]:
        for piece in scanner.split(STREAM[start:cut]):
            if isinstance(piece, bytes):
                found[-1] = bytes(found[-1]) + piece  # type: ignore[arg-type]
            else:
                found.extend([(piece.group(1), piece.group(2)), b""])
        start = cut
    found[-1] = bytes(found[-1]) + scanner.rest()  # type: ignore[arg-type]
    return found


def test_the_markers_and_the_output_between_them_are_told_apart() -> None:
    whole = scanned([])
    assert [item for item in whole if isinstance(item, tuple)] == [
        (b"begin", b""),
        (b"values", b""),
        (b"ready", b";0;3;1"),
    ]
    output = whole[2]
    assert isinstance(output, bytes)
    assert output.startswith(b"\x1b[31mred") and b"fedcba9876543210;ready" in output
    assert START + b"x" * 600 in output and b"a lone escape \x1b at" in output
    assert whole[-1] == b"after\x1b"  # held back as a possible marker, given back by rest()


def test_a_marker_cut_at_any_offset_is_found_the_same() -> None:
    whole = scanned([])
    for cut in range(1, len(STREAM)):
        assert scanned([cut]) == whole, cut


def test_a_stream_read_in_pieces_of_any_size_is_split_the_same() -> None:
    whole = scanned([])
    for size in (1, 2, 3, 5, 7, 16, 21, 64, 4096):
        assert scanned(list(range(size, len(STREAM), size))) == whole, size
    rng = random.Random(7)
    for _ in range(50):
        assert scanned(sorted(rng.sample(range(1, len(STREAM)), 12))) == whole


def test_output_without_an_escape_passes_in_one_piece() -> None:
    scanner = MarkerScanner(START, PATTERN)
    flood = b"x" * 100 + b"\r\n"
    assert scanner.split(flood * 1000) == [flood * 1000]
    assert scanner.rest() == b""
