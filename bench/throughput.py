"""Output throughput and peak memory of a step printing 40 MB, next to a plain pseudo-terminal.

    python bench/throughput.py [--megabytes 40] [--repeat 5]

The floor for anything that runs a command in a pseudo-terminal is `script -q -c CMD /dev/null`
(util-linux): it only copies bytes from the terminal to its output. `cncf-adventure run` on a
page with the same command also decodes, masks, keeps a tail, writes the transcript and
prints the output. Both write to /dev/null; wall times are the best and the median of --repeat
interleaved runs (start-up included: what a reader waits for), and the median of each run's
ratio to the `script` run beside it; peak memory is the maximum resident set size of the
runner process (GNU time's %M).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.checkout import COMMAND, environment, warm

QUIET = "cncf-adventure run, a step printing nothing"


def measure(command: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, int]:
    timer = shutil.which("time") or "/usr/bin/time"
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
    parser.add_argument("--megabytes", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    size = args.megabytes * 1_000_000
    command = f"head -c {size} /dev/zero | tr '\\0' x | fold -w 100"
    floor = "script -q -c CMD /dev/null"
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        env = environment(work / "bytecode")
        warm(work / "bytecode")
        (work / "flood.md").write_text(f"# Flood\n\n```bash\n{command}\n```\n")
        (work / "quiet.md").write_text("# Quiet\n\n```bash\ntrue\n```\n")
        runners = {
            floor: ["script", "-q", "-c", command, "/dev/null"],
            # (the work directory named, as a CI job does: else the reader's default one is used)
            "cncf-adventure run": [*COMMAND, "run", "--workdir", ".", "flood.md"],
            QUIET: [*COMMAND, "run", "--workdir", ".", "quiet.md"],  # start-up and shutdown alone
        }
        results: dict[str, list[tuple[float, int]]] = {name: [] for name in runners}
        for _ in range(args.repeat):  # interleaved, so both see the same machine
            for name, argv in runners.items():
                shutil.rmtree(work / ".adventure", ignore_errors=True)
                (work / "settings.yaml").unlink(missing_ok=True)
                results[name].append(measure(argv, work, env))
    best_floor = min(t for t, _ in results[floor])
    median_floor = statistics.median(t for t, _ in results[floor])
    print(f"{args.megabytes} MB of output, {args.repeat} interleaved runs: best (median)\n")
    print("| runner | wall time | vs script | throughput | peak RSS |")
    print("|---|---:|---:|---:|---:|")
    for name, samples in results.items():
        best = min(t for t, _ in samples)
        median = statistics.median(t for t, _ in samples)
        peak = max(m for _, m in samples)
        versus = f"{best / best_floor:.2f}x ({median / median_floor:.2f}x)" if name != QUIET else "-"
        rate = f"{args.megabytes / best:.0f} MB/s" if name != QUIET else "-"
        print(f"| {name} | {best:.2f} s ({median:.2f} s) | {versus} | {rate} | {peak / 1024:.0f} MB |")
    # each run next to the `script` run beside it: on a shared machine, whose speed drifts from
    # one run to the next, the ratios of pairs taken together are steadier than best or median
    floods, quiets = _times(results, "cncf-adventure run"), _times(results, QUIET)
    pairs = sorted(flood / floor_time for flood, floor_time in zip(floods, _times(results, floor), strict=True))
    print(
        f"\neach run vs the script run beside it: median {statistics.median(pairs):.2f}x "
        f"({', '.join(f'{ratio:.2f}' for ratio in pairs)})"
    )
    # the output alone: the flood without what any run costs (Python's start, the shell, shutdown)
    alone = [flood - quiet for flood, quiet in zip(floods, quiets, strict=True)]
    print(
        f"\nthe output alone (each flood run minus the step-less run beside it): {min(alone):.2f} s "
        f"({statistics.median(alone):.2f} s), {min(alone) / best_floor:.2f}x "
        f"({statistics.median(alone) / median_floor:.2f}x) the floor"
    )


def _times(results: dict[str, list[tuple[float, int]]], name: str) -> list[float]:
    return [t for t, _ in results[name]]


if __name__ == "__main__":
    main()
