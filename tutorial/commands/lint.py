"""``cncf-adventure lint``: problems a reader would trip over, with file and line.

Exit status 1 when there is an error; warnings (a step that needs a real terminal) are shown
but do not fail the lint.
"""

from __future__ import annotations

import argparse
import json
import sys

from tutorial.commands.common import manuscript_from
from tutorial.manuscript.lint import lint


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")


def execute(args: argparse.Namespace) -> int:
    manuscript = manuscript_from(args)  # a CommandError ends the command with status 2
    report = lint(manuscript)
    if args.format == "json":
        print(json.dumps(report.as_json(), indent=2))
    else:
        root = manuscript.root
        for problem in report.problems:
            label = "warning: " if problem.severity == "warning" else ""
            print(f"{root / problem.page}:{problem.line}: {label}{problem.kind}: {problem.message}")
        count = len(report.errors)
        warnings = len(report.problems) - count
        summary = f"{report.pages} pages, {report.steps} steps: "
        summary += "no problems" if not count else f"{count} problem{'s' if count != 1 else ''}"
        if warnings:
            summary += f", {warnings} warning{'s' if warnings != 1 else ''}"
        print(summary, file=sys.stderr if count else sys.stdout)
    return 1 if report.errors else 0
