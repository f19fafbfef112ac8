"""Which steps of a page a run covers."""

from __future__ import annotations

from collections.abc import Iterable

from tutorial.manuscript.model import Page, Step


def select_steps(page: Page, sections: Iterable[str] = (), *, include_optional: bool = False) -> list[Step]:
    """The steps under the given headings (all when none), "Undo" steps only when asked for."""
    wanted = {s.strip().lower() for s in sections}
    chosen = []
    for step in page.steps:
        if wanted and step.section.lower() not in wanted and step.subsection.lower() not in wanted:
            continue
        if step.optional and not include_optional and not wanted:
            continue
        chosen.append(step)
    return chosen
