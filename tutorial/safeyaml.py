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
LOADER: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when the wheel has it


class TooManyAliases(yaml.YAMLError):
    """The document uses more aliases than :data:`MAX_ALIASES`; ``line`` is 1-based."""

    def __init__(self, line: int, count: int) -> None:
        super().__init__(f"more than {count} aliases (*name): refused, it could expand without bound")
        self.line = line


def compose(text: str) -> yaml.Node | None:
    """The document's node graph, checked for aliases (raises yaml.YAMLError)."""
    loader = LOADER(text)
    try:
        node: yaml.Node | None = loader.get_single_node()
    finally:
        loader.dispose()
    if node is not None:
        count_aliases(node)
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
        count_aliases(node)
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


def count_aliases(root: yaml.Node, limit: int = MAX_ALIASES) -> int:
    """How many references point at a node seen before (an alias); TooManyAliases past ``limit``.

    The graph is walked once per node, never expanded, so a bomb costs as little as its text.
    """
    seen: set[int] = set()
    count = 0
    stack: list[tuple[yaml.Node, yaml.Node | None]] = [(root, None)]
    while stack:
        node, parent = stack.pop()
        if id(node) in seen:
            count += 1
            if count > limit:
                mark = (parent or node).start_mark
                raise TooManyAliases(mark.line + 1, limit)
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.append((key, key))
                stack.append((value, key))  # an alias as a value: report the line of its key
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, node) for item in node.value)
    return count


def problem_line(error: yaml.YAMLError) -> int | None:
    """The 1-based line a YAML error points at, when it points at one."""
    if isinstance(error, TooManyAliases):
        return error.line
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    return mark.line + 1 if mark is not None else None
