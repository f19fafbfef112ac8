"""Per-step overhead of `cncf-adventure run`, next to rundoc on the same file, in the same run.

    python bench/steps.py [--steps 200] [--repeat 5]

Each runner runs a file of one one-line step and a file of N one-line steps; the difference
divided by N-1 is what every further step costs (start-up cancels out). Best of --repeat.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def page(steps: int) -> str:
    blocks = "\n".join(f"```bash\necho step-{i}\n```\n" for i in range(steps))
    return f"# Many steps\n\n{blocks}"


def timed(command: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--steps", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    ours = shutil.which("cncf-adventure") or str(Path(sys.executable).with_name("cncf-adventure"))
    rundoc = shutil.which("rundoc") or str(Path(sys.executable).with_name("rundoc"))
    runners = {"cncf-adventure run": lambda f: [ours, "run", str(f)]}
    if Path(rundoc).exists():
        runners["rundoc run"] = lambda f: [rundoc, "run", str(f)]
    else:
        print("rundoc is not installed (pip install rundoc): showing cncf-adventure alone", file=sys.stderr)
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        one, many = work / "one.md", work / "many.md"
        one.write_text(page(1))
        many.write_text(page(args.steps))
        rows = []
        results: dict[str, tuple[list[float], list[float]]] = {name: ([], []) for name in runners}
        for _ in range(args.repeat):  # interleaved, so every runner sees the same machine
            for name, command in runners.items():
                shutil.rmtree(work / ".adventure", ignore_errors=True)
                (work / "settings.yaml").unlink(missing_ok=True)
                results[name][0].append(timed(command(one), work))
                shutil.rmtree(work / ".adventure", ignore_errors=True)
                (work / "settings.yaml").unlink(missing_ok=True)
                results[name][1].append(timed(command(many), work))
        for name, (singles, multiples) in results.items():
            single, multiple = min(singles), min(multiples)
            per_step = (multiple - single) / (args.steps - 1)
            rows.append((name, single, multiple, per_step))
    print(f"best of {args.repeat} interleaved runs\n")
    print(f"| runner | 1 step | {args.steps} steps | per extra step |")
    print("|---|---:|---:|---:|")
    for name, single, multiple, per_step in rows:
        print(f"| {name} | {single * 1000:.0f} ms | {multiple * 1000:.0f} ms | {per_step * 1000:.2f} ms |")


if __name__ == "__main__":
    main()
