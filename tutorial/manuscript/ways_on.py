"""Where a page offers its ways on when it has no "Continue" or "What Is Your Choice?" heading.

Two shapes of the manuscript end a page with a list of links to pages and no conventional
heading: a closing question (``## Which cloud provider do you use?`` and its list) and a final
bulleted list (``## Destroy`` then ``* [Destroy](../destroy/idp.md)``). Both are found here on
the page's block tokens before the parser walks them, because whether a heading opens a way-on
section depends on what comes after it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from markdown_it.token import Token

from tutorial.manuscript import headings

IsPageLink = Callable[[str], bool]

_LISTS = frozenset({"bullet_list_open", "ordered_list_open"})
# Blocks that may sit between a closing question and the end of the page: its list, a sentence, a `</br>`.
_QUIET = _LISTS | {"paragraph_open", "html_block"}


def _blocks(tokens: Sequence[Token]) -> list[int]:
    """Indexes of the page's top-level blocks (their opening token)."""
    return [i for i, t in enumerate(tokens) if t.level == 0 and t.nesting != -1]


def _closing(tokens: Sequence[Token], start: int) -> int:
    """The index of the token that closes the block opened at ``start``."""
    depth = 0
    for index in range(start, len(tokens)):
        depth += tokens[index].nesting
        if depth == 0:
            return index
    return len(tokens) - 1


def _links_to_page(tokens: Sequence[Token], is_page: IsPageLink) -> bool:
    return any(
        child.type == "link_open" and is_page(str(child.attrGet("href") or ""))
        for token in tokens
        if token.type == "inline"
        for child in token.children or ()
    )


def _heading_text(tokens: Sequence[Token], index: int) -> str:
    inline = tokens[index + 1]
    return "".join(c.content for c in inline.children or () if c.type in ("text", "code_inline")) or inline.content


def closing_question(tokens: Sequence[Token], is_page: IsPageLink) -> int | None:
    """The index of a last heading that asks "Which/What ...?" and is answered by a list of page links.

    Everything after the heading must be lists (and short paragraphs), one of them linking to a
    page; a question followed by prose or code (``### What is HTTPS?``) explains, it does not ask.
    """
    blocks = _blocks(tokens)
    headings_at = [i for i in blocks if tokens[i].type == "heading_open"]
    if not headings_at:
        return None
    last = headings_at[-1]
    if not headings.is_question(_heading_text(tokens, last)):
        return None
    after = [i for i in blocks if i > last + 2]
    if not any(tokens[i].type in _LISTS for i in after) or any(tokens[i].type not in _QUIET for i in after):
        return None
    return last if _links_to_page(tokens[last + 3 :], is_page) else None


def final_link_list(tokens: Sequence[Token], is_page: IsPageLink) -> tuple[int, int] | None:
    """The token range of a list that ends the page and whose every item links to a page."""
    blocks = [i for i in _blocks(tokens) if tokens[i].type != "html_block"]
    if not blocks or tokens[blocks[-1]].type not in _LISTS:
        return None
    start = blocks[-1]
    end = _closing(tokens, start)
    items = [i for i in range(start + 1, end) if tokens[i].type == "list_item_open" and tokens[i].level == 1]
    for item in items:
        if not _links_to_page(tokens[item : _closing(tokens, item)], is_page):
            return None
    return (start, end) if items else None
