"""The adventure as a tree: the path taken highlighted, the current page marked; jump anywhere.

The reader's path is drawn where they walked it: a page reached by the option they chose is
expanded there (not where the tree happens to meet it first), and "you are here" sits under
that branch. ``✔`` means the page's steps are done, not merely that it was opened.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Header, Label, Tree
from textual.widgets.tree import TreeNode

from tutorial.manuscript import graph
from tutorial.manuscript.model import Manuscript, PageKind
from tutorial.ui.widgets.footer import SteadyFooter


class MapScreen(Screen[None]):
    BINDINGS = [Binding("escape,m", "close", "Close the map")]
    DEFAULT_CSS = """
    MapScreen Tree { padding: 0 1; }
    MapScreen #legend { color: $text-muted; padding: 0 1; height: auto; }
    """

    def __init__(
        self,
        manuscript: Manuscript,
        path: list[dict[str, str]],
        current: str | None,
        passed: set[str] | frozenset[str] = frozenset(),
    ) -> None:
        super().__init__()
        self.manuscript = manuscript
        self.path = path
        self.visited = {entry["page"] for entry in path if entry.get("page")}
        self.current = current
        self.passed = passed
        self.title = f"Map of {manuscript.title}"
        self._here: TreeNode[str | None] | None = None  # the row of "you are here" in the widget
        self._here_node: graph.TreeNode | None = None  # ... and in the adventure's tree

    def compose(self) -> ComposeResult:
        yield Header()
        yield Label(
            Text.assemble(
                ("◉", "bold yellow"),
                " you are here  ",
                ("✔", "green"),
                " passed  ",
                ("○", "green"),
                " opened, steps left  ",
                ("✗", "dim"),
                " not available  · Enter opens a page",
            ),
            id="legend",
        )
        tree: Tree[str | None] = Tree(self.manuscript.title, id="map")
        tree.show_root = False
        tree.auto_expand = False  # Enter opens the page; it must not fold the branch away (space does)
        roots = graph.tree(self.manuscript, self.path)
        self._here_node = self._where_you_are(roots)
        for root in roots:
            self._add(tree.root, root)
        yield tree
        yield SteadyFooter()

    def _where_you_are(self, roots: list[graph.TreeNode]) -> graph.TreeNode | None:
        """The row of the current page on the reader's path (else its first row)."""
        first: graph.TreeNode | None = None
        stack = list(reversed(roots))
        while stack:
            node = stack.pop()
            if node.path is not None and node.path == self.current:
                if node.taken:
                    return node
                first = first or node
            stack.extend(reversed(node.children))
        return first

    def _label(self, node: graph.TreeNode) -> Text:
        if node.path is None:
            return Text(f"✗ {node.label} · {node.reason}", style="dim")
        text = Text()
        on_path = node.taken or (node.path in self.visited and not node.seen)
        if node is self._here_node:
            text.append("◉ ", style="bold yellow")
        elif on_path and node.path in self.passed:
            text.append("✔ ", style="green")
        elif on_path:
            text.append("○ ", style="green")
        else:
            text.append("  ")
        name = node.label or node.title
        text.append(name, style="bold green" if on_path or node is self._here_node else "bold")
        if node.tag:  # "go back", "from the text": not one of the page's listed choices
            text.append(f" · {node.tag}", style="italic")
        if node.kind in (PageKind.CHOICE, PageKind.ROUTE, PageKind.END):
            text.append(f" · {node.kind.value}", style="dim")
        if node.steps:
            text.append(f" · {node.steps} steps", style="dim")
        if node.seen:
            text.append(" ↺", style="yellow")
        return text

    def _add(self, parent: TreeNode[str | None], node: graph.TreeNode) -> None:
        branch = parent.add(self._label(node), data=node.path, expand=not node.seen)
        if node is self._here_node:
            self._here = branch
        for child in node.children:
            self._add(branch, child)
        if not node.children:
            branch.allow_expand = False

    def on_mount(self) -> None:
        tree = self.query_one(Tree)
        tree.focus()
        if self._here is not None:
            tree.move_cursor(self._here)

    def on_screen_resume(self) -> None:
        """Back from the jump dialog (cancelled): the tree has the keys again."""
        self.query_one(Tree).focus()

    @on(Tree.NodeSelected)
    def _selected(self, event: Tree.NodeSelected[str | None]) -> None:
        path = event.node.data
        if path is None:
            return
        self.app.jump(path)  # type: ignore[attr-defined]

    def action_close(self) -> None:
        self.app.pop_screen()
