"""The page's sections and steps with their status: where am I, what is left."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from tutorial.engine.chapter import StepView
from tutorial.engine.marks import MARKS
from tutorial.manuscript.model import Page, Step, StepStatus, first_line
from tutorial.ui.frame import OUTLINE_BOX


class Outline(Tree[Step | None]):
    """Renders the engine's view of each step; the screen moves its cursor to the focused step."""

    DEFAULT_CSS = f"Outline {{ {OUTLINE_BOX} }}"

    def __init__(self, page: Page) -> None:
        super().__init__(page.title, id="outline")
        self.page = page
        self.show_root = False
        self._step_nodes: dict[int, TreeNode[Step | None]] = {}
        self._views: dict[int, StepView] = {}
        self._current: int | None = None
        self._labelled_for = 0  # the width the labels were cut for

    def on_mount(self) -> None:
        # in the chapter's first frame: the steps are the news (the page's top may be on the screen
        # already, from the app's first look); labels are cut again once the width is known
        self._populate()

    def _populate(self) -> None:
        self._labelled_for = self.content_size.width
        sections: dict[str, TreeNode[Step | None]] = {}
        for step in self.page.steps:
            title = step.subsection or step.section or "Introduction"
            key = f"{step.section}/{step.subsection}"
            if key not in sections:
                sections[key] = self.root.add(title, expand=True, data=None)
            node = sections[key].add_leaf(self._label(step), data=step)
            self._step_nodes[step.index] = node
        if not self.page.steps:
            self.root.add_leaf(Text("no steps on this page", style="dim"))
        if self._current is not None:
            self.follow(self._current)

    def _label(self, step: Step) -> Text:
        view = self._views.get(step.index)
        mark = MARKS[view.status] if view is not None else MARKS[StepStatus.PENDING]
        first = first_line(view.code) if view is not None else step.first_line
        number = f"{step.index + 1}. "
        room = max(8, self.content_size.width - 6 - len(number)) if self.content_size.width else 22
        if len(first) > room:
            first = first[: room - 1] + "…"
        return Text.assemble((f"{mark.icon} ", mark.style), (number, "bold"), first)

    def show(self, view: StepView) -> None:
        """The engine's view of a step changed: its icon, and its first line after an edit."""
        self._views[view.step.index] = view
        node = self._step_nodes.get(view.step.index)
        if node is not None:
            node.set_label(self._label(view.step))

    def follow(self, index: int) -> None:
        """Highlight the step the reader is on (the cursor follows j/k and focus)."""
        self._current = index
        node = self._step_nodes.get(index)
        if node is not None:
            self.move_cursor(node)

    def on_resize(self, event: events.Resize) -> None:
        if not self._step_nodes or self._labelled_for == self.content_size.width:
            return  # not populated yet (it will cut its labels then), or the width did not change
        self._labelled_for = self.content_size.width
        for step in self.page.steps:
            node = self._step_nodes.get(step.index)
            if node is not None:
                node.set_label(self._label(step))
