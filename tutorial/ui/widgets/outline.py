"""The page's sections and steps with their status: where am I, what is left."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Tree

from tutorial.engine.results import StepStatus
from tutorial.manuscript.model import Page, Step
from tutorial.ui.widgets.step_card import ICONS

_STYLES = {
    StepStatus.PASSED: "green",
    StepStatus.FAILED: "red",
    StepStatus.RUNNING: "yellow",
    StepStatus.SKIPPED: "dim",
    StepStatus.OVERRIDDEN: "yellow",
    StepStatus.PENDING: "dim",
}


class Outline(Tree[Step | None]):
    DEFAULT_CSS = """
    Outline { width: 30; border-right: solid $panel; background: $surface; padding: 0 1; }
    """

    def __init__(self, page: Page) -> None:
        super().__init__(page.title, id="outline")
        self.page = page
        self.show_root = False
        self._step_nodes: dict[int, object] = {}
        self._statuses: dict[int, StepStatus] = {}

    def on_mount(self) -> None:
        self.call_after_refresh(self._populate)  # after the first paint: the page matters more

    def _populate(self) -> None:
        sections: dict[str, object] = {}
        for step in self.page.steps:
            title = step.subsection or step.section or "Introduction"
            key = f"{step.section}/{step.subsection}"
            if key not in sections:
                sections[key] = self.root.add(title, expand=True, data=None)
            status = self._statuses.get(step.index, StepStatus.PENDING)
            node = sections[key].add_leaf(self._label(step, status), data=step)  # type: ignore[attr-defined]
            self._step_nodes[step.index] = node
        if not self.page.steps:
            self.root.add_leaf(Text("no steps on this page", style="dim"))

    @staticmethod
    def _label(step: Step, status: StepStatus) -> Text:
        icon = ICONS[status][0]
        first = step.first_line if len(step.first_line) <= 22 else step.first_line[:21] + "…"
        return Text.assemble((f"{icon} ", _STYLES[status]), (f"{step.index + 1}. ", "bold"), first)

    def mark(self, step: Step, status: StepStatus) -> None:
        self._statuses[step.index] = status
        node = self._step_nodes.get(step.index)
        if node is not None:
            node.set_label(self._label(step, status))  # type: ignore[attr-defined]
