"""bashlex, imported with its parser tables read from a file instead of built again.

bashlex builds the LALR tables of its grammar every time it is imported (its copy of PLY
writes and reads no table cache): 85 to 150 ms on a small machine, the largest single cost of
starting ``run``, ``lint`` or the app on a page with commands. The tables depend only on the
grammar, so they are built once and kept beside this module, in ``bashlex_tables.json``, and
used only while the installed grammar's signature (PLY's own: start symbol, precedence, tokens
and the text of every rule, in order) is the one they were built from. Anything else (another
bashlex, a damaged file, a rule that cannot be bound) imports bashlex the usual way: slower,
never different. After a bashlex upgrade, write the file again::

    python -m tutorial.shell.bashlex_tables
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import json
import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

TABLES = Path(__file__).with_name("bashlex_tables.json")
_loading = threading.Lock()

#: how the last import was made: "tables" (read from TABLES), "built" (bashlex's own way), or
#: "" before any; tests and the benchmarks read it
source = ""


class _Rule:
    """One grammar rule, as the parser reads it while parsing (PLY's ``MiniProduction``)."""

    __slots__ = ("callable", "func", "len", "name", "str")

    def __init__(self, name: str, length: int, func: str | None, text: str) -> None:
        self.name, self.len, self.func, self.str = name, length, func, text
        self.callable: Callable[..., Any] | None = None

    def __str__(self) -> str:
        return self.str


class _Tables:
    """What PLY's ``LRParser`` takes from an ``LRTable``: actions, gotos and rules, bound to functions."""

    def __init__(self, data: dict[str, Any], functions: dict[str, Any]) -> None:
        self.lr_action = {int(state): dict(row) for state, row in data["action"]}
        self.lr_goto = {int(state): dict(row) for state, row in data["goto"]}
        self.lr_productions = [_Rule(*rule) for rule in data["rules"]]
        for rule in self.lr_productions:
            if rule.func:
                rule.callable = functions[rule.func]  # KeyError: not the grammar the tables were built from


def _signature(reflected: Any) -> str:
    return hashlib.sha256(reflected.signature().encode()).hexdigest()


def load() -> ModuleType:
    """``import bashlex`` (with ``bashlex.ast`` and ``bashlex.errors``), its tables read from TABLES."""
    with _loading:  # the import below registers modules by hand, outside the import system's own lock
        return _load()


def _load() -> ModuleType:
    global source
    if "bashlex.parser" in sys.modules:
        return sys.modules["bashlex"]
    try:
        module = _import(_from_file)
        source = "tables"
    except Exception:  # noqa: BLE001 - whatever went wrong, bashlex's own import is the answer
        for name in [n for n in sys.modules if n == "bashlex" or n.startswith("bashlex.")]:
            del sys.modules[name]
        module = importlib.import_module("bashlex")
        source = "built"
    importlib.import_module("bashlex.ast")
    importlib.import_module("bashlex.errors")
    return module


def _import(make_parser: Callable[[ModuleType, dict[str, Any], Callable[..., Any]], Any]) -> ModuleType:
    """Import bashlex with ``make_parser(yacc, rules, build)`` standing in for PLY's ``yacc.yacc()``.

    bashlex's package ``__init__`` imports its parser, which calls ``yacc.yacc()`` at import
    time: the package is registered first without running it, its ``yacc`` module is imported
    and patched, and only then does the package's own code run.
    """
    spec = importlib.util.find_spec("bashlex")
    if spec is None or spec.loader is None:
        raise ImportError("bashlex is not installed")
    package = importlib.util.module_from_spec(spec)
    sys.modules["bashlex"] = package
    yacc = importlib.import_module("bashlex.yacc")
    original = yacc.yacc

    def stand_in(**_options: Any) -> Any:
        rules = yacc.get_caller_module_dict(2)  # the module calling yacc(): bashlex.parser, half imported
        return make_parser(yacc, rules, original)

    setattr(yacc, "yacc", stand_in)  # noqa: B010 - a module attribute the type checker cannot see
    try:
        spec.loader.exec_module(package)
    finally:
        setattr(yacc, "yacc", original)  # noqa: B010
    return package


def _from_file(yacc: ModuleType, rules: dict[str, Any], _build: Callable[..., Any]) -> Any:
    reflected = yacc.ParserReflect(rules, log=yacc.NullLogger())
    reflected.get_all()
    data = json.loads(TABLES.read_text(encoding="utf-8"))
    if reflected.error or data.get("signature") != _signature(reflected):
        raise LookupError(f"{TABLES.name} was built from another bashlex grammar")
    return yacc.LRParser(_Tables(data, reflected.pdict), reflected.error_func)


def build() -> dict[str, Any]:
    """Build the tables the way bashlex does, in a fresh interpreter's import, and return them."""
    found: dict[str, Any] = {}

    def built(yacc: ModuleType, rules: dict[str, Any], build: Callable[..., Any]) -> Any:
        reflected = yacc.ParserReflect(rules, log=yacc.NullLogger())
        reflected.get_all()
        parser = build(module=sys.modules[rules["__name__"]], debug=False)
        found.update(  # read before bashlex.parser corrects a few entries in place: it does so again on load
            signature=_signature(reflected),
            rules=[[p.name, p.len, p.func, p.str] for p in parser.productions],
            action=sorted([state, dict(row)] for state, row in parser.action.items()),
            goto=sorted([state, dict(row)] for state, row in parser.goto.items()),
        )
        return parser

    if "bashlex" in sys.modules:
        raise RuntimeError("build() needs an interpreter that has not imported bashlex yet")
    _import(built)
    return found


def write(path: Path = TABLES) -> None:
    """Write the tables atomically: a half-written file would only be ignored, but never leave one."""
    import tempfile

    text = json.dumps(build(), sort_keys=True, separators=(",", ":"))
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text + "\n")
        os.chmod(temporary, 0o644)  # a file of the package, read by everyone
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


if __name__ == "__main__":
    write()
    print(f"wrote {TABLES}")
