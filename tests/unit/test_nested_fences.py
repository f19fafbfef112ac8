"""Fences inside blockquotes and list items: closed or not as markdown-it reads them, placed in the page."""

from __future__ import annotations

import pytest

from tests.conftest import WriteManuscript
from tutorial.manuscript.layout import Prose, StepSlot, segments
from tutorial.manuscript.model import Page

IN_BLOCKQUOTE = """
# A

> Run this:
>
> ```bash
> echo quoted
> ```

After the quote.
"""

IN_LIST_ITEM = """
# A

1. Install it:

   ```bash
   echo listed
   ```
2. Then read on.
"""

IN_NESTED_LIST = """
# A

- outer
  - inner:

    ```bash
    echo nested
    ```
- next
"""

UNCLOSED_IN_BLOCKQUOTE = """
# A

> ```bash
> echo never closed

Outside the quote.
"""


def _page(write_manuscript: WriteManuscript, text: str) -> Page:
    return write_manuscript({"a.md": text}).page("a.md")


def _kinds(page: Page) -> list[str]:
    return [problem.kind for problem in page.problems]


@pytest.mark.parametrize(
    ("text", "code", "line"),
    [(IN_BLOCKQUOTE, "echo quoted", 6), (IN_LIST_ITEM, "echo listed", 6), (IN_NESTED_LIST, "echo nested", 7)],
    ids=["blockquote", "list-item", "nested-list"],
)
def test_a_closed_nested_fence_is_one_runnable_step(
    write_manuscript: WriteManuscript, text: str, code: str, line: int
) -> None:
    page = _page(write_manuscript, text)
    (step,) = page.steps
    assert step.code == code
    assert step.line == line
    assert step.runnable, step.not_runnable_reason
    assert "unclosed-fence" not in _kinds(page)


def test_a_fence_left_open_at_the_end_of_a_blockquote_is_reported_and_not_run(
    write_manuscript: WriteManuscript,
) -> None:
    page = _page(write_manuscript, UNCLOSED_IN_BLOCKQUOTE)
    (step,) = page.steps
    assert not step.runnable
    assert "never closed" in step.not_runnable_reason
    assert [(p.kind, p.line) for p in page.problems] == [("unclosed-fence", 3)]


def test_a_fence_closed_on_the_last_line_without_a_newline_is_closed(write_manuscript: WriteManuscript) -> None:
    closed = write_manuscript({"a.md": b"# A\n\n```bash\necho end\n```"}).page("a.md")
    assert closed.steps[0].runnable and "unclosed-fence" not in _kinds(closed)
    left_open = write_manuscript({"b.md": b"# B\n\n```bash\necho end"}).page("b.md")
    assert not left_open.steps[0].runnable and "unclosed-fence" in _kinds(left_open)


def _shape(page: Page) -> list[str]:
    return [f"prose:{s.markdown}" if isinstance(s, Prose) else f"step:{s.step.code}" for s in segments(page)]


def test_layout_puts_the_card_where_a_quoted_fence_was(write_manuscript: WriteManuscript) -> None:
    page = _page(write_manuscript, IN_BLOCKQUOTE)
    assert _shape(page) == ["prose:# A\n\n> Run this:\n>", "step:echo quoted", "prose:After the quote."]


def test_layout_puts_the_card_inside_the_list_between_its_items(write_manuscript: WriteManuscript) -> None:
    page = _page(write_manuscript, IN_LIST_ITEM)
    assert _shape(page) == ["prose:# A\n\n1. Install it:", "step:echo listed", "prose:2. Then read on."]
    nested = _page(write_manuscript, IN_NESTED_LIST)
    assert _shape(nested) == ["prose:# A\n\n- outer\n  - inner:", "step:echo nested", "prose:- next"]


def test_layout_of_an_unclosed_quoted_fence_ends_with_the_quote(write_manuscript: WriteManuscript) -> None:
    page = _page(write_manuscript, UNCLOSED_IN_BLOCKQUOTE)
    shape = _shape(page)
    assert shape[:2] == ["prose:# A", "step:echo never closed"]
    # the lines after the quote are prose again (markdown-it ends the fence with its blockquote)
    assert shape[2:] == ["prose:Outside the quote."]
    assert isinstance(segments(page)[1], StepSlot)


def test_layout_hides_directive_comments_at_any_depth(write_manuscript: WriteManuscript) -> None:
    page = _page(
        write_manuscript,
        """
        # A

        ```bash
        echo hi
        ```
        <!-- check: test -n "$HOME" -->

        Text.
        """,
    )
    assert _shape(page) == ["prose:# A", "step:echo hi", "prose:Text."]
