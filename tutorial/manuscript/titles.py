"""A page's title, from its markdown-it tokens: the one definition the parser and the first look share.

Kept apart from the parser (and free of the manuscript model) because the app's first look
names the page it paints before the parser is imported.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from markdown_it.token import Token


def page_title(tokens: list[Token], page: str) -> str:
    """The first level-1 heading, else the first heading with words, else the file's name."""
    first = ""
    for index, token in enumerate(tokens):
        if token.type != "heading_open" or index + 1 >= len(tokens):
            continue
        text = heading_text(tokens[index + 1])
        if token.tag == "h1" and text:
            return text
        first = first or text
    return first or PurePosixPath(page).stem.replace("-", " ")


def heading_text(inline: Token) -> str:
    """A heading's words as a reader sees them: emphasis and code marks dropped, spaces folded."""
    words: list[str] = []
    for child in inline.children or []:
        if child.type in ("text", "code_inline", "html_inline"):
            words.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            words.append(" ")
    return " ".join("".join(words).split())
