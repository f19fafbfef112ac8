"""``cncf-adventure doctor``: is this machine ready for the pages? Tools, Docker, a cluster.

Exit status 1 when something required is missing, 2 when the manuscript cannot be read. A
cluster is required by a page whose steps talk to one (``kubectl apply``, ``helm install``);
for pages that only render (``helm template``) it is reported, not required.
"""

from __future__ import annotations

import argparse
import json

from tutorial.commands.common import fail, manuscript_from

_LABELS = {"docker": "Docker engine", "cluster": "Kubernetes cluster"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("pages", nargs="*", metavar="PAGE", help="pages to check (default: every page)")
    parser.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")


def execute(args: argparse.Namespace) -> int:
    from tutorial.checks.requirements import evaluate, requirements

    manuscript = manuscript_from(args)  # a CommandError ends the command with status 2
    unknown = [p for p in args.pages if p not in manuscript.pages]
    if unknown:
        return fail(f"{manuscript.root}: no page {unknown[0]!r} ({len(manuscript.pages)} pages)")
    pages = [manuscript.pages[p] for p in args.pages] if args.pages else list(manuscript.pages.values())
    findings = evaluate(requirements(manuscript, pages))
    missing = [f for f in findings if not f.report.ok and f.report.required]
    if args.format == "json":
        print(
            json.dumps(
                {
                    "prerequisites": [
                        {
                            "kind": f.report.kind.value,
                            "name": f.report.name,
                            "ok": f.report.ok,
                            "required": f.report.required,
                            "detail": f.report.detail,
                            "link": f.report.link or f.requirement.prerequisite.link,
                            "fix": f.report.fix,
                            "pages": f.requirement.pages,
                        }
                        for f in findings
                    ],
                    "missing": len(missing),
                },
                indent=2,
            )
        )
        return 1 if missing else 0
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = Console(highlight=False)
    table = Table(
        title=f"Prerequisites of {len(pages)} page{'s' if len(pages) != 1 else ''} of {manuscript.title}",
        title_justify="left",
        expand=False,
        show_lines=False,
    )
    table.add_column("", width=1)
    table.add_column("prerequisite", style="bold")
    table.add_column("status", overflow="fold")
    table.add_column("needed by", style="dim", overflow="fold")
    for finding in findings:
        report = finding.report
        mark = "[green]✔[/]" if report.ok else ("[red]✘[/]" if report.required else "[yellow]![/]")
        link = report.link or finding.requirement.prerequisite.link
        status = escape(report.detail)
        if not report.ok and link:
            status += f"\n[cyan]{escape(link)}[/]"
        pages_text = ", ".join(finding.requirement.pages[:3])
        if len(finding.requirement.pages) > 3:
            pages_text += f" (+{len(finding.requirement.pages) - 3})"
        table.add_row(mark, escape(_LABELS.get(report.kind.value, report.name)), status, escape(pages_text))
    console.print(table)
    if missing:
        console.print(f"[red]{len(missing)} missing[/]: install them, or skip the steps that need them.")
    else:
        console.print("[green]Everything required is here.[/]")
    return 1 if missing else 0
