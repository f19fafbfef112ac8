"""A chapter's page as widgets: its prose, each step as a card in its place, and the way on."""

from __future__ import annotations

from textual.widget import Widget

from tutorial.engine.chapter import Chapter
from tutorial.manuscript.layout import Prose, segments
from tutorial.ui.widgets.next_panel import NextPanel
from tutorial.ui.widgets.prerequisites import PrerequisitesPanel
from tutorial.ui.widgets.prose import ProseBlock
from tutorial.ui.widgets.step_card import StepCard


def page_widgets(chapter: Chapter) -> tuple[list[Widget], dict[int, StepCard]]:
    """The page's widgets in reading order, and its step cards by step index.

    "Before you start" (what the page needs) comes after the heading and the introduction,
    just before the first step: the reader learns what the chapter is about first.
    """
    widgets: list[Widget] = []
    cards: dict[int, StepCard] = {}
    for segment in segments(chapter.page):
        if isinstance(segment, Prose):
            widgets.append(ProseBlock(segment.markdown))
        else:
            card = cards[segment.step.index] = StepCard(chapter.view(segment.step))
            widgets.append(card)
    widgets.insert(1 if widgets and isinstance(widgets[0], ProseBlock) else 0, PrerequisitesPanel())
    widgets.append(NextPanel(chapter.page))
    return widgets, cards


def first_screenful(widgets: list[Widget]) -> int:
    """How many widgets fill the first screen: those are mounted before the first paint."""
    cards = 0
    for count, widget in enumerate(widgets, 1):
        cards += isinstance(widget, StepCard)
        if cards >= 2 or count >= 6:
            return count
    return len(widgets)
