"""Output throughput and peak memory of a step printing 30 MB, next to a plain pseudo-terminal.

    python bench/throughput.py [--megabytes 30] [--repeat 3]

The floor for anything that runs a command in a pseudo-terminal is `script -q -c CMD /dev/null`
(util-linux): it only copies bytes from the terminal to its output. `cncf-adventure run` on a
page with the same command also decodes, masks, keeps a tail, writes the transcript and
prints the output. Both write to /dev/null; wall time is best of --repeat, peak memory is the
maximum resident set size of the runner process (GNU time's %M).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def measure(command: list[str], cwd: Path) -> tuple[float, int]:
    timer = shutil.which("time") or "/usr/bin/time"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}  # this checkout, not an installed copy
    started = time.perf_counter()
    done = subprocess.run(
        [timer, "-f", "%M", *command],
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=True,
    )
    elapsed = time.perf_counter() - started
    peak_kb = int(done.stderr.strip().splitlines()[-1])
    return elapsed, peak_kb


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--megabytes", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    size = args.megabytes * 1_000_000
    command = f"head -c {size} /dev/zero | tr '\\0' x | fold -w 100"
    ours = [sys.executable, "-m", "tutorial"]
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        (work / "flood.md").write_text(f"# Flood\n\n```bash\n{command}\n```\n")
        runners = {
            "script -q -c CMD /dev/null": ["script", "-q", "-c", command, "/dev/null"],
            "cncf-adventure run": [*ours, "run", "flood.md"],
        }
        results: dict[str, list[tuple[float, int]]] = {name: [] for name in runners}
        for _ in range(args.repeat):
            for name, argv in runners.items():
                shutil.rmtree(work / ".adventure", ignore_errors=True)
                results[name].append(measure(argv, work))
    floor = min(t for t, _ in results["script -q -c CMD /dev/null"])
    print(f"{args.megabytes} MB of output, best of {args.repeat}\n")
    print("| runner | wall time | vs script | throughput | peak RSS |")
    print("|---|---:|---:|---:|---:|")
    for name, samples in results.items():
        best = min(t for t, _ in samples)
        peak = max(m for _, m in samples)
        print(
            f"| {name} | {best:.2f} s | {best / floor:.2f}x | {args.megabytes / best:.0f} MB/s | {peak / 1024:.0f} MB |"
        )


if __name__ == "__main__":
    main()
