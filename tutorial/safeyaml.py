"""YAML that cannot eat the machine: a document with more aliases than any real file needs is refused.

A handful of anchors and aliases (``&a`` / ``*a``) can describe a structure billions of nodes
big ("billion laughs"). PyYAML shares aliased nodes, so loading is cheap, but everything that
walks the result afterwards (copying, comparing, printing) expands it, and every command
hangs. Real settings and manuscript configs use a few aliases at most, so past
:data:`MAX_ALIASES` the document is refused with its file and line, before anything walks it.
"""

from __future__ import annotations

from typing import Any

import yaml

MAX_ALIASES = 64
MAX_VALUES = 250_000  # values once every alias is expanded: a settings file with 5,000 steps has ~40,000
LOADER: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when the wheel has it


class TooManyAliases(yaml.YAMLError):
    """The document's aliases go beyond what a real file needs; ``line`` is 1-based."""

    def __init__(self, line: int, problem: str) -> None:
        super().__init__(f"{problem}: refused, it could expand without bound")
        self.line = line


def compose(text: str) -> yaml.Node | None:
    """The document's node graph, checked for aliases (raises yaml.YAMLError)."""
    loader = LOADER(text)
    try:
        node: yaml.Node | None = loader.get_single_node()
    finally:
        loader.dispose()
    if node is not None:
        check_aliases(node)
    return node


def load(text: str) -> Any:
    """Like ``yaml.safe_load`` (libyaml when available), refusing alias bombs (raises yaml.YAMLError)."""
    return load_with_node(text)[0]


def load_with_node(text: str) -> tuple[Any, yaml.Node | None]:
    """The document's data and its node graph (for line numbers); alias bombs refused."""
    loader = LOADER(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, None
        check_aliases(node)
        return loader.construct_document(node), node
    finally:
        loader.dispose()


def line_of(root: yaml.Node | None, keys: tuple[str, ...]) -> int | None:
    """The 1-based line of the value at ``keys`` (mapping keys from the root), or of its nearest parent."""
    node = root
    line = None
    for key in keys:
        if not isinstance(node, yaml.MappingNode):
            break
        found = next(
            (pair for pair in node.value if isinstance(pair[0], yaml.ScalarNode) and pair[0].value == key),
            None,
        )
        if found is None:
            break
        line = found[0].start_mark.line + 1
        node = found[1]
    return line


def check_aliases(root: yaml.Node, *, aliases: int = MAX_ALIASES, values: int = MAX_VALUES) -> None:
    """Raise TooManyAliases past ``aliases`` aliases, past ``values`` values once expanded, or for a cycle.

    The graph is walked once per node, never expanded, so a bomb costs as little as its text.
    """
    sizes: dict[int, int] = {}  # node -> how many values it expands to
    open_: set[int] = set()  # nodes whose children are being sized: meeting one again is a cycle
    count = 0
    stack: list[tuple[yaml.Node, yaml.Node, bool]] = [(root, root, False)]
    while stack:
        node, parent, finished = stack.pop()
        key = id(node)
        if finished:
            open_.discard(key)
            sizes[key] = 1 + sum(sizes[id(child)] for child in _children(node))
            if sizes[key] > values:
                raise TooManyAliases(_line(node), f"aliases that expand to more than {values:,} values")
            continue
        if key in sizes or key in open_:
            count += 1
            if key in open_:
                raise TooManyAliases(_line(parent), "an alias inside the value it names (a cycle)")
            if count > aliases:
                raise TooManyAliases(_line(parent), f"more than {aliases} aliases (*name)")
            continue
        open_.add(key)
        stack.append((node, parent, True))
        if isinstance(node, yaml.MappingNode):
            for name, value in node.value:
                stack.append((name, name, False))
                stack.append((value, name, False))  # an alias as a value: report the line of its key
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, node, False) for item in node.value)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1 if node.start_mark is not None else 1


def problem_line(error: yaml.YAMLError) -> int | None:
    """The 1-based line a YAML error points at, when it points at one."""
    if isinstance(error, TooManyAliases):
        return error.line
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    return mark.line + 1 if mark is not None else None
