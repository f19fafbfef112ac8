"""How fast is a whole manuscript parsed, next to markdown-it-py tokenising the same files?

    python bench/parse.py [--pages 1000] [--repeat 5]

Both sides read every file from disk; the baseline only tokenises it with markdown-it-py,
we build the whole model (pages, steps, placeholders, conditions, links resolved). The
ratio is what parsing costs on top of the tokeniser it is built on; the target is 1.5x.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.generate import generate
from tutorial.manuscript.loader import bundled_root, load
from tutorial.manuscript.tokenizer import markdown


def tokenise_only(root: Path) -> int:
    md = markdown()
    count = 0
    for path in sorted(root.rglob("*.md")):
        md.parse(path.read_text(encoding="utf-8"))
        count += 1
    return count


def parse_whole(root: Path) -> int:
    return len(load(root).pages)


def timed(function: Callable[[Path], int], root: Path) -> tuple[float, int]:
    gc.collect()
    start = time.perf_counter()
    count = function(root)
    return time.perf_counter() - start, count


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()
    markdown()  # build the parser once, outside the timings, as a long-running app does
    with tempfile.TemporaryDirectory() as folder:
        generated = generate(Path(folder) / "manuscript", args.pages)
        rows = []
        for name, root in ((f"generated ({args.pages} pages)", generated), ("bundled chapters", bundled_root())):
            bases, ours = [], []
            for _ in range(args.repeat):  # interleaved, so both sides see the same machine
                base, pages = timed(tokenise_only, root)
                whole, parsed = timed(parse_whole, root)
                assert pages == parsed, (pages, parsed)
                bases.append(base)
                ours.append(whole)
            rows.append((name, pages, min(bases), min(ours), statistics.median(bases), statistics.median(ours)))
    print(f"best of {args.repeat} interleaved runs (median in brackets)\n")
    print("| manuscript | pages | markdown-it-py tokenise only | cncf-adventure full parse | ratio |")
    print("|---|---:|---:|---:|---:|")
    for name, pages, base, ours, base_median, ours_median in rows:
        print(
            f"| {name} | {pages} | {base * 1000:.1f} ms, {pages / base:,.0f} pages/s ({base_median * 1000:.0f} ms) "
            f"| {ours * 1000:.1f} ms, {pages / ours:,.0f} pages/s ({ours_median * 1000:.0f} ms) "
            f"| {ours / base:.2f}x ({ours_median / base_median:.2f}x) |"
        )


if __name__ == "__main__":
    main()
