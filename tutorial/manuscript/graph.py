"""The adventure as a graph: reachability, dead ends, loops a reader cannot leave, and the views of ``map``.

The graph is the pages and their options, the ways on the app offers at the end of a page.
Reachability, dead ends and traps are computed on that graph, never on every link a page
mentions: a page the reader can only reach through a "see also" link is unreachable by choosing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import field
from typing import Any

from tutorial.manuscript import headings
from tutorial.manuscript.model import Condition, Manuscript, Option, OptionKind, Page, PageKind
from tutorial.records import record


def next_pages(manuscript: Manuscript, path: str) -> list[str]:
    """The pages a reader can go to from ``path`` by the adventure's own ways on."""
    page = manuscript.pages.get(path)
    if page is None:
        return []
    return [o.target for o in page.options if o.target and o.target in manuscript.pages]


def reachable(manuscript: Manuscript, starts: Iterable[str] | None = None) -> set[str]:
    """Pages a reader can reach from the entry points by choosing options, as the app lets them."""
    seen: set[str] = set()
    todo = [p for p in (manuscript.entry_points if starts is None else starts) if p in manuscript.pages]
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        todo.extend(t for t in next_pages(manuscript, path) if t not in seen)
    return seen


def unreachable_roots(manuscript: Manuscript) -> dict[str, int]:
    """Pages no way leads to from the start, each with how many more pages only it leads to.

    A whole arc nobody can reach is one problem (its first pages), not one per page.
    """
    seen = reachable(manuscript)
    left = [path for path in manuscript.pages if path not in seen]
    entered = {t for path in left for t in next_pages(manuscript, path) if t != path}
    roots: dict[str, int] = {}
    # pages nothing leads to come first; a loop of unreachable pages is then entered at its first page
    for path in [p for p in left if p not in entered] + [p for p in left if p in entered]:
        if path in seen:
            continue
        before = len(seen)
        seen |= reachable(manuscript, [path]) - seen
        roots[path] = len(seen) - before - 1
    return roots


_PLACEHOLDER = re.compile(r"^\W*(?:TODO|FIXME|TBD)\b")


def meant_to_end(manuscript: Manuscript, page: Page) -> bool:
    """A page with no way on that ends on purpose, rather than stranding its reader.

    Three signs, the first two read from the page itself: its ways-on section says in words
    why it goes no further ("This is as far as the adventure goes for now", not a bare
    ``TODO:``); its title names a
    teardown ("Destroy", "... Destruction"); or ``adventure.yaml`` lists it under ``ends:``.
    """
    if page.path in manuscript.ends:
        return True
    says_why = page.next_kind is not None and any(not _PLACEHOLDER.match(note) for note in page.notes)
    return says_why or headings.is_teardown(page.title)


def dead_ends(manuscript: Manuscript) -> list[str]:
    """Reachable pages that offer no way on at all and are not meant to end the adventure.

    Pages whose ways on exist but cannot be taken yet are reported where those are written
    (``no-available-option``, ``broken-link``); pages no way leads to are reported once as
    unreachable, so their dead ends wait until a reader can get there.
    """
    seen = reachable(manuscript)
    return [
        path
        for path, page in manuscript.pages.items()
        if path in seen and not page.options and not meant_to_end(manuscript, page)
    ]


def traps(manuscript: Manuscript) -> list[list[str]]:
    """Loops of pages with no way out: every way on leads back into the loop, and none ends.

    A go-back page that links to its choice page forms a loop, but the choice page has other
    options, so the reader can leave it. Only loops nobody can leave are traps.
    """
    graph = {path: next_pages(manuscript, path) for path in manuscript.pages}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    components: list[list[str]] = []
    counter = 0
    for root in graph:
        if root in index:
            continue
        work = [(root, 0)]
        while work:  # iterative Tarjan: a long chain of pages must not hit the recursion limit
            node, position = work.pop()
            if position == 0:
                index[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            children = graph[node]
            if position < len(children):
                work.append((node, position + 1))
                child = children[position]
                if child not in index:
                    work.append((child, 0))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                components.append(component)
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    found = []
    for component in components:
        members = set(component)
        looping = len(component) > 1 or component[0] in graph[component[0]]
        if not looping:
            continue
        leaves = any(t not in members for m in component for t in graph[m])
        ends = any(manuscript.pages[m].kind is PageKind.END for m in component)
        unavailable = any(not o.available for m in component for o in manuscript.pages[m].options)
        if not leaves and not ends and not unavailable:
            found.append(sorted(component))
    return found


def as_json(manuscript: Manuscript) -> dict[str, Any]:
    return {
        "title": manuscript.title,
        "root": str(manuscript.root),
        "entry_points": list(manuscript.entry_points),
        "pages": [
            {
                "path": page.path,
                "title": page.title,
                "kind": page.kind.value,
                "steps": len(page.steps),
                "links": [_link_json(o) for o in page.options],
            }
            for page in manuscript.pages.values()
        ],
    }


def _link_json(option: Option) -> dict[str, Any]:
    """One way on; ``note`` only when the page gives a caveat about it ("you cannot choose Harbor"),
    ``page_rules`` only when the page it leads to says who it is not for ("If you chose Foo, this
    chapter is not supported yet; go back")."""
    found: dict[str, Any] = {
        "target": option.target,
        "label": option.label,
        "available": option.available,
        "kind": option.kind.value,
    }
    if option.note:
        found["note"] = option.note
    if option.page_rules:
        found["page_rules"] = [_rule_json(rule) for rule in option.page_rules]
    return found


def _rule_json(rule: Condition) -> dict[str, Any]:
    """A page's rule about its readers: the sentence, its badge, and what the reader can say holds."""
    return {
        "text": rule.quoted,
        "kind": rule.kind.value,
        "badge": rule.badge,
        "subjects": list(rule.subjects),
        "negated": rule.negated,
        "readable": rule.readable,
        "line": rule.line,
    }


def as_mermaid(manuscript: Manuscript) -> str:
    ids = {path: f"p{number}" for number, path in enumerate(manuscript.pages)}

    def label(text: str) -> str:
        return text.replace('"', "#quot;")

    def edge(option_label: str, kind: OptionKind) -> str:
        tag = kind.tag_for(option_label)
        return label(f"{tag}: {option_label}" if tag else option_label)

    lines = ["flowchart TD"]
    for path, page in manuscript.pages.items():
        shape = (
            ('{{"', '"}}')
            if page.kind is PageKind.CHOICE
            else ('(["', '"])')
            if page.kind is PageKind.END
            else ('["', '"]')
        )
        lines.append(f"    {ids[path]}{shape[0]}{label(page.title)}{shape[1]}")
    missing = 0
    for path, page in manuscript.pages.items():
        for option in page.options:
            if option.target and option.target in ids:
                lines.append(f'    {ids[path]} -->|"{edge(option.label, option.kind)}"| {ids[option.target]}')
            else:
                missing += 1
                lines.append(
                    f'    {ids[path]} -.->|"{label(option.label)}"| x{missing}["{label(option.label)}: not available"]'
                )
    for entry in manuscript.entry_points:
        lines.append(f"    style {ids[entry]} stroke-width:3px")
    return "\n".join(lines)


@record
class TreeNode:
    """One row of the tree view: a page reached by an option, or an option with no page."""

    label: str  # the option's label that leads here ("" for an entry point)
    path: str | None = None
    title: str = ""
    kind: PageKind | None = None
    steps: int = 0
    seen: bool = False  # the page was expanded earlier in the tree: a loop or a join
    reason: str = ""  # why an option cannot be taken
    option: OptionKind = OptionKind.CHOICE  # how the parent page offers this way on
    #: the caveat the parent page gives about this option ("you cannot choose Harbor"), and what the
    #: page itself says about who it is not for ("If you chose Foo, this chapter is not supported")
    note: str = ""
    children: list[TreeNode] = field(default_factory=list)
    taken: bool = False  # the reader came this way (see ``tree``'s ``path``)

    @property
    def tag(self) -> str:
        """The words beside the label ("go back", "from the text"), unless the label says so already."""
        return self.option.tag_for(self.label)


def tree(manuscript: Manuscript, path: Sequence[Mapping[str, str]] = ()) -> list[TreeNode]:
    """The adventure from each entry point; every page is expanded once, so loops stay finite.

    ``path`` is the reader's way through (progress's ``{page, choice}`` entries): a page on it
    is expanded where the reader reached it, under the option they chose, and those rows are
    ``taken``; elsewhere it shows as seen. A page reached by a jump is taken where it first shows.
    """
    edges, jumped = _route(manuscript, path)
    reserved = set(edges.values())
    expanded: set[str] = set()

    def node(target: str, label: str, parent: str | None) -> TreeNode:
        page = manuscript.pages[target]
        taken = edges.get((parent, label)) == target or (target in jumped and target not in expanded)
        seen = target in expanded or (target in reserved and not taken)
        item = TreeNode(label, target, page.title, page.kind, len(page.steps), seen=seen, taken=taken)
        if item.seen:
            return item
        expanded.add(target)
        for option in page.options:
            if option.target and option.target in manuscript.pages:
                child = node(option.target, option.label, target)
                child.option = option.kind
                said = [f"the page says “{r.quoted}”" for r in option.page_rules]
                child.note = " ".join([option.note, *said]).strip()
                item.children.append(child)
            else:
                item.children.append(
                    TreeNode(option.label, reason=option.reason or "not available", option=option.kind)
                )
        return item

    return [node(entry, "", None) for entry in manuscript.entry_points if entry in manuscript.pages]


def _route(
    manuscript: Manuscript, path: Sequence[Mapping[str, str]]
) -> tuple[dict[tuple[str | None, str], str], set[str]]:
    """The options the reader took, as (page, label) -> target, and the pages they jumped to."""
    pages = [entry.get("page", "") for entry in path]
    edges: dict[tuple[str | None, str], str] = {}
    jumped: set[str] = set()
    if pages and pages[0] in manuscript.entry_points:
        edges[(None, "")] = pages[0]
    elif pages:
        jumped.add(pages[0])
    for entry, following in zip(path, pages[1:], strict=False):
        page = manuscript.pages.get(entry.get("page", ""))
        options = page.options if page is not None else []
        chosen = [o for o in options if o.target == following and o.label == entry.get("choice")]
        chosen = chosen or [o for o in options if o.target == following]
        if chosen and page is not None:
            edges[(page.path, chosen[0].label)] = following
        else:
            jumped.add(following)
    return edges, jumped
