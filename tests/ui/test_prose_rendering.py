"""Prose is rendered once per width and kept: the same segments as Rich's own Markdown, reused."""

from __future__ import annotations

from rich.console import Console
from rich.markdown import Markdown

from tutorial.ui.widgets.prose import ProseBlock, rendered

PROSE = "# Title\n\nSome *prose* with a [link](https://example.com) and a table:\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"


def lines(console: Console, renderable: object, width: int) -> list[str]:
    options = console.options.update_width(width)
    return ["".join(s.text for s in line) for line in console.render_lines(renderable, options, pad=False)]  # type: ignore[arg-type]


def test_rendering_matches_rich_markdown_at_every_width() -> None:
    console = Console(width=100, color_system="truecolor", record=False)
    kept = rendered(PROSE)
    plain = Markdown(PROSE, code_theme="ansi_dark", hyperlinks=True)
    for width in (30, 60, 30):
        assert lines(console, kept, width) == lines(console, plain, width)


def test_the_same_width_reuses_the_rendering_and_a_new_width_renders_again() -> None:
    console = Console(width=100, color_system="truecolor")
    kept = rendered(PROSE + "\nreuse\n")
    options = console.options.update_width(50)
    first = list(console.render(kept, options))
    again = list(console.render(kept, options))
    assert all(a is b for a, b in zip(first, again, strict=True))
    wider = list(console.render(kept, console.options.update_width(80)))
    assert not all(a is b for a, b in zip(first, wider, strict=False))


def test_the_same_prose_shares_one_rendering() -> None:
    assert ProseBlock(PROSE).content is ProseBlock(PROSE).content is rendered(PROSE)
    assert ProseBlock(PROSE).markdown == PROSE


def test_shapes_asked_for_in_turn_are_each_rendered_once() -> None:
    """Textual asks for the height (min = max width), then for the lines (min width 1): both are kept."""
    console = Console(width=100, color_system="truecolor")
    kept = rendered(PROSE + "\nin turn\n")
    exact = console.options.update_width(70)
    loose = console.options.update(width=70, min_width=1)
    first = [list(console.render(kept, o)) for o in (exact, loose)]
    again = [list(console.render(kept, o)) for o in (exact, loose, exact, loose)]
    for before, after in zip(first * 2, again, strict=True):
        assert all(a is b for a, b in zip(before, after, strict=True))
