"""The adventure as a tree: the path taken highlighted, the current page marked; jump anywhere."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer, Header, Label, Tree

from tutorial.manuscript import graph
from tutorial.manuscript.model import Manuscript, PageKind


class MapScreen(Screen[None]):
    BINDINGS = [Binding("escape,m", "close", "Close the map")]
    DEFAULT_CSS = """
    MapScreen Tree { padding: 0 1; }
    MapScreen #legend { color: $text-muted; padding: 0 1; height: auto; }
    """

    def __init__(self, manuscript: Manuscript, visited: list[str], current: str | None) -> None:
        super().__init__()
        self.manuscript = manuscript
        self.visited = visited
        self.current = current
        self.title = f"Map of {manuscript.title}"

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label(
            Text.assemble(
                ("◉", "bold yellow"),
                " you are here  ",
                ("✔", "green"),
                " on your path  ",
                ("✗", "dim"),
                " not available  · Enter opens a page",
            ),
            id="legend",
        )
        tree: Tree[str | None] = Tree(self.manuscript.title, id="map")
        tree.show_root = False
        for root in graph.tree(self.manuscript):
            self._add(tree.root, root)
        yield tree
        yield Footer()

    def _label(self, node: graph.TreeNode) -> Text:
        if node.path is None:
            return Text(f"✗ {node.label} · {node.reason}", style="dim")
        text = Text()
        if node.path == self.current:
            text.append("◉ ", style="bold yellow")
        elif node.path in self.visited:
            text.append("✔ ", style="green")
        else:
            text.append("  ")
        name = node.label or node.title
        on_path = node.path in self.visited or node.path == self.current
        text.append(name, style="bold green" if on_path else "bold")
        if node.tag:  # "go back", "from the text": not one of the page's listed choices
            text.append(f" · {node.tag}", style="italic")
        if node.kind in (PageKind.CHOICE, PageKind.ROUTE, PageKind.END):
            text.append(f" · {node.kind.value}", style="dim")
        if node.steps:
            text.append(f" · {node.steps} steps", style="dim")
        if node.seen:
            text.append(" ↺", style="yellow")
        return text

    def _add(self, parent: object, node: graph.TreeNode) -> None:
        branch = parent.add(self._label(node), data=node.path, expand=not node.seen)  # type: ignore[attr-defined]
        for child in node.children:
            self._add(branch, child)
        if not node.children:
            branch.allow_expand = False

    def on_mount(self) -> None:
        tree = self.query_one(Tree)
        tree.focus()
        for line in range(tree.last_line + 1):
            found = tree.get_node_at_line(line)
            if found is not None and found.data == self.current:
                tree.move_cursor(found)
                break

    @on(Tree.NodeSelected)
    def _selected(self, event: Tree.NodeSelected[str | None]) -> None:
        path = event.node.data
        if path is None:
            return
        self.app.jump(path)  # type: ignore[attr-defined]

    def action_close(self) -> None:
        self.app.pop_screen()
