"""Carry a page's own rules about who it is for onto the options that lead to it.

"If you chose Foo, this chapter is not supported yet; go back and choose another" is written
on the page itself, so a reader who chose Foo learns it only once they are there. The option
that leads to the page is where the warning is useful: the choice screen and ``map`` show it.
"""

from __future__ import annotations

from dataclasses import replace

from tutorial.manuscript.model import Option, Page


def _carried(option: Option, pages: dict[str, Page]) -> Option:
    target = pages.get(option.target) if option.target else None
    rules = tuple(r for r in target.rules if r.readable) if target is not None else ()
    if not rules or option.page_rules == rules:
        return option
    return replace(option, page_rules=rules)


def carry_rules(pages: dict[str, Page]) -> dict[str, Page]:
    """The pages, each option given the rules of the page it leads to (pages unchanged otherwise).

    Only a rule whose subject can be named travels ("If you chose Foo"): "skip this chapter if
    you are in a hurry" says nothing a choice screen could mark, and lint already reports it.
    """
    if not any(page.rules for page in pages.values()):
        return pages
    result: dict[str, Page] = {}
    for path, page in pages.items():
        options = tuple(_carried(option, pages) for option in page.options)
        result[path] = page if options == page.options else replace(page, options=options)
    return result
