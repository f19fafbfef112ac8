"""``cncf-adventure map``: the adventure's pages and choices."""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

from tutorial.commands.common import manuscript_from
from tutorial.manuscript import graph
from tutorial.manuscript.model import Manuscript, PageKind

if TYPE_CHECKING:
    from rich.console import Console

_UNWRAPPED = 100_000  # columns: wide enough that no line of a map is ever cut

_KIND_STYLE = {
    PageKind.CHOICE: "bold cyan",
    PageKind.ROUTE: "bold magenta",
    PageKind.END: "bold green",
    PageKind.CHAPTER: "bold",
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format", choices=("tree", "mermaid", "json"), default="tree", help="output format (default: tree)"
    )


def _tree(manuscript: Manuscript) -> None:
    from rich.markup import escape
    from rich.tree import Tree

    def label(node: graph.TreeNode) -> str:
        if node.path is None:
            reason = node.reason.replace(node.label, "", 1).strip(" ()-–—:.") or "not available"
            return f"[dim]✗ {escape(node.label)} · {escape(reason)}[/]"
        style = _KIND_STYLE.get(node.kind or PageKind.CHAPTER, "bold")
        name = node.label or node.title
        details = [node.tag] if node.tag else []  # "go back", "from the text"
        if node.kind and node.kind is not PageKind.CHAPTER:
            details.append(node.kind.value)
        if node.steps:
            details.append(f"{node.steps} step{'s' if node.steps != 1 else ''}")
        extra = f" [dim]· {' · '.join(details)}[/]" if details else ""
        seen = " [yellow]↺ see above[/]" if node.seen else ""
        note = f" [yellow]⚠ {escape(node.note)}[/]" if node.note else ""
        return f"[{style}]{escape(name)}[/]{extra}  [dim]{escape(node.path)}[/]{seen}{note}"

    def add(parent: Tree, node: graph.TreeNode) -> None:
        branch = parent.add(label(node))
        for child in node.children:
            add(branch, child)

    console = _console()
    console.print(f"[bold]{escape(manuscript.title)}[/] [dim]{escape(str(manuscript.root))}[/]")
    for root in graph.tree(manuscript):
        top = Tree(label(root), guide_style="dim")
        for child in root.children:
            add(top, child)
        console.print(top)


def _console() -> Console:
    """The terminal's real width on a terminal; no wrapping at all when piped or redirected.

    Rich assumes 80 columns when it cannot ask a terminal, which cuts long page paths in two
    in ``map > map.txt`` or ``map | less``.
    """
    from rich.console import Console

    if sys.stdout.isatty():
        return Console(highlight=False)
    return Console(highlight=False, width=_UNWRAPPED, soft_wrap=True)


def execute(args: argparse.Namespace) -> int:
    manuscript = manuscript_from(args)  # a CommandError ends the command with status 2
    if args.format == "json":
        print(json.dumps(graph.as_json(manuscript), indent=2))
    elif args.format == "mermaid":
        print(graph.as_mermaid(manuscript))
    else:
        _tree(manuscript)
    return 0
