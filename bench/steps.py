"""Per-step overhead of `cncf-adventure run`, next to rundoc on the same files, in the same run.

    python bench/steps.py [--steps 200] [--repeat 5]

Two kinds of one-line steps: `echo step-N` (nothing to remember) and `export VALUE_N=step-N`
(the runner reads the variable back and keeps it with the progress). Each runner runs a file
of one such step and a file of N; the difference divided by N-1 is what every further step
costs (start-up cancels out). Runs are interleaved (every runner, every kind, in turn), so
all see the same machine; the figures are medians of --repeat, the ratio is taken against
rundoc on the same kind of step.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.checkout import COMMAND, environment, warm

KINDS = {"echo": "echo step-{n}", "export": "export VALUE_{n}=step-{n}"}


def page(kind: str, steps: int) -> str:
    blocks = "\n".join(f"```bash\n{KINDS[kind].format(n=i)}\n```\n" for i in range(steps))
    return f"# Many steps\n\n{blocks}"


def timed(command: list[str], cwd: Path, env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - started


def fresh(work: Path) -> None:
    """Every run starts from nothing: no progress, no state folder."""
    shutil.rmtree(work / ".adventure", ignore_errors=True)
    (work / "settings.yaml").unlink(missing_ok=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    rundoc = shutil.which("rundoc") or str(Path(sys.executable).with_name("rundoc"))
    runners: dict[str, Callable[[Path], list[str]]] = {
        # the work directory named: without it, a folder with no `.adventure` is not one, and
        # the run would go to the reader's default (~/cncf-adventure), with whatever is there
        "cncf-adventure run": lambda f: [*COMMAND, "run", "--workdir", str(f.parent), str(f)],
    }
    if Path(rundoc).exists():
        runners["rundoc run"] = lambda f: [rundoc, "run", str(f)]
    else:
        print("rundoc is not installed (pip install rundoc): showing cncf-adventure alone", file=sys.stderr)
    samples: dict[tuple[str, str], tuple[list[float], list[float]]] = {
        (kind, name): ([], []) for kind in KINDS for name in runners
    }
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        env = environment(work / "bytecode")
        warm(work / "bytecode")
        for kind in KINDS:
            (work / f"{kind}-1.md").write_text(page(kind, 1))
            (work / f"{kind}-{args.steps}.md").write_text(page(kind, args.steps))
        for _ in range(args.repeat):  # interleaved, so every runner sees the same machine
            for kind in KINDS:
                for name, command in runners.items():
                    fresh(work)
                    samples[kind, name][0].append(timed(command(work / f"{kind}-1.md"), work, env))
                    fresh(work)
                    samples[kind, name][1].append(timed(command(work / f"{kind}-{args.steps}.md"), work, env))
    print(f"median of {args.repeat} interleaved runs, {args.steps} one-line steps\n")
    print(f"| step | runner | 1 step | {args.steps} steps | per extra step | vs rundoc |")
    print("|---|---|---:|---:|---:|---:|")
    for kind in KINDS:
        rows = []
        for name in runners:
            single = statistics.median(samples[kind, name][0])
            multiple = statistics.median(samples[kind, name][1])
            rows.append((name, single, multiple, (multiple - single) / (args.steps - 1)))
        baseline = next((per_step for name, _, _, per_step in rows if name == "rundoc run"), None)
        for name, single, multiple, per_step in rows:
            versus = f"{per_step / baseline:.2f}x" if baseline else "-"
            print(
                f"| `{KINDS[kind].format(n='N')}` | {name} | {single * 1000:.0f} ms | {multiple * 1000:.0f} ms "
                f"| {per_step * 1000:.2f} ms | {versus} |"
            )


if __name__ == "__main__":
    main()
