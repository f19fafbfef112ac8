"""Helper scripts written in a language other than the shell's, and the prompts found in them.

A step may run ``./dot.nu setup idp``, a Nushell script, or ``python3 tools/ask.py``. Read as
bash, such a script says nothing true (or worse, something false), so its language is told
first, from its ``#!`` line or its suffix. Then the prompts that are certain are found: a
Nushell ``input`` (in the script and the files it ``source``s or ``use``s), a Python
``input()`` or ``getpass()``. Node, Ruby, PowerShell and Perl scripts are not read: their
prompts take too many forms to find with certainty, and nothing is claimed about them.
"""

from __future__ import annotations

import ast
import os
import re
from collections.abc import Callable, Sequence
from pathlib import Path

from tutorial.records import record
from tutorial.shell.nushell import NuPrompt, read_nushell

#: interpreters named on a ``#!`` line or called to run a script, and the language each reads
_INTERPRETERS = {
    "nu": "nu",
    "python": "python",
    "python3": "python",
    "node": "node",
    "nodejs": "node",
    "ruby": "ruby",
    "pwsh": "pwsh",
    "powershell": "pwsh",
    "perl": "perl",
}
_SUFFIXES = {
    ".nu": "nu",
    ".py": "python",
    ".js": "node",
    ".mjs": "node",
    ".cjs": "node",
    ".rb": "ruby",
    ".ps1": "pwsh",
    ".pl": "perl",
}
SHELL = "shell"
_VERSIONED = re.compile(r"^(python|ruby|perl|node)[\d.]*$")
#: how deep ``source`` inside ``source`` is followed, and how many files one script may read in
_DEPTH = 4
_FILES = 64


#: options of an interpreter whose value is the next word: ``python3 -W ignore x.py``, ``node -r dotenv/config app.js``
_VALUED = frozenset(
    {"-W", "-X", "--check-hash-based-pycs", "-r", "--require", "--import", "--loader", "--experimental-loader", "-C"}
)
#: options that run code given on the command line, or a module, and no script file of the repository
_NO_FILE = frozenset({"-c", "-m", "-e", "--eval", "-p", "--print", "--commands", "-Command"})


def operand(args: Sequence[str]) -> str | None:
    """The first of an interpreter's arguments that is neither an option nor an option's value (None: there is none).

    ``-W ignore x.py`` → ``x.py``; ``-W ignore`` alone names nothing (the interpreter's prompt opens).
    """
    valued = False
    for arg in args:
        if valued:
            valued = False
        elif arg.startswith("-"):
            valued = arg in _VALUED
        else:
            return arg
    return None


def script_file(args: Sequence[str]) -> str | None:
    """The script file an interpreter's arguments run: ``-u tools/ask.py --yes`` → ``tools/ask.py``.

    None for ``-c '…'`` and ``-m tool`` (no file), and when there is no script; the options
    after the script are its own (``ask.py -c config.yaml``).
    """
    valued = False
    for arg in args:
        if valued:
            valued = False
        elif arg in _NO_FILE:
            return None
        elif arg.startswith("-"):
            valued = arg in _VALUED
        else:
            return arg
    return None


def interpreter(word: str) -> str:
    """The language the program ``word`` runs scripts in (``python3.12`` → python), or ""."""
    name = os.path.basename(word.strip("\"'"))
    versioned = _VERSIONED.match(name)
    return _INTERPRETERS.get(versioned.group(1) if versioned else name, "")


def language(path: Path, text: str) -> str:
    """The language of a helper script: its ``#!`` line's interpreter, else its suffix, else the shell's.

    ``#!/usr/bin/env -S nu --stdin`` is Nushell; a ``#!`` naming a program that is neither a
    shell nor a known interpreter (``fish``, ``awk -f``) is that program's, never bash's.
    """
    if text.startswith("#!"):
        words = text[2:].split("\n", 1)[0].split()
        if words and os.path.basename(words[0]) == "env":
            words = [w for w in words[1:] if not w.startswith("-") and "=" not in w]
        if words:
            name = os.path.basename(words[0])
            if name in ("sh", "bash", "zsh", "dash", "ksh", "ash", "busybox"):
                return SHELL
            return interpreter(name) or name
    return _SUFFIXES.get(path.suffix, SHELL)


@record(frozen=True)
class Prompt:
    """A place where a helper script waits for the reader."""

    reason: str  # "`input` waits for a line you type"
    path: str  # the file holding it, as shown to the reader (scripts/crossplane.nu)
    line: int  # 1-based


#: reads a file a script names, when it may be read: (shown path, text), or None
FileReader = Callable[[Path], "tuple[str, str] | None"]


def prompts(file: Path, shown: str, text: str, kind: str, read: FileReader) -> list[Prompt]:
    """Where the script ``file`` (of language ``kind``) waits for the reader, in the order a reader meets them.

    A script that cannot be read is not said to ask nothing: it may, and the reader is told.
    That is one nested too deeply, and one in a language read nowhere here (Node, Ruby, Perl,
    PowerShell, awk...): `run` does not start it with no one to answer.
    """
    try:
        if kind == "nu":
            return _nushell(file, shown, text, read, depth=0, seen={file})
        if kind == "python":
            return _python(shown, text)
    except (RecursionError, MemoryError):
        return [_unreadable("it nests too deeply to be read", shown)]
    return [_unreadable(f"a {kind} script, which is not read here", shown)]


def _unreadable(why: str, shown: str) -> Prompt:
    return Prompt(f"nothing can be said of what it asks ({why}): it may wait for you", shown, 1)


def _nushell(file: Path, shown: str, text: str, read: FileReader, *, depth: int, seen: set[Path]) -> list[Prompt]:
    """``input`` in a Nushell script and, in place, in the files it reads in (each file once: cycles end)."""
    found: list[Prompt] = []
    for item in read_nushell(text):
        if isinstance(item, NuPrompt):
            found.append(Prompt(item.reason, shown, item.line))
            continue
        if depth >= _DEPTH or len(seen) >= _FILES:
            continue
        target = _nu_module(file.parent / item.path)
        if target is None or target in seen:
            continue
        seen.add(target)
        inner = read(target)
        if inner is not None:
            found += _nushell(target, inner[0], inner[1], read, depth=depth + 1, seen=seen)
    return found


def _nu_module(path: Path) -> Path | None:
    """The file ``source``/``use`` reads: the file itself, or a module folder's ``mod.nu``."""
    try:
        resolved = path.resolve()
    except OSError:
        return None
    if resolved.is_dir():
        resolved = resolved / "mod.nu"
    return resolved if resolved.is_file() else None


#: Python calls that wait for the reader, by the name their module gives them, and what each waits for
_PYTHON_PROMPTS = {
    "input": "`input()` waits for a line you type",
    "builtins.input": "`input()` waits for a line you type",
    "getpass": "`getpass()` waits for a secret you type",
    "getpass.getpass": "`getpass()` waits for a secret you type",
    "click.prompt": "`click.prompt()` waits for a line you type",
    "click.confirm": "`click.confirm()` waits for your answer",
    "typer.prompt": "`typer.prompt()` waits for a line you type",
    "typer.confirm": "`typer.confirm()` waits for your answer",
}
_PYTHON_MODULES = frozenset(name.split(".")[0] for name in _PYTHON_PROMPTS if "." in name)


def _python(shown: str, text: str) -> list[Prompt]:
    """The calls of a Python script that wait for the reader (nothing when it does not parse: it cannot run).

    ``input()``, ``getpass()``, ``click.prompt()``…, also under the names an import gives them
    (``from getpass import getpass as ask``, ``import builtins``).
    """
    if not any(word in text for word in ("input", "getpass", "prompt", "confirm")):
        return []
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return []
    known: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module in _PYTHON_MODULES:
            for alias in node.names:
                known[alias.asname or alias.name] = f"{node.module}.{alias.name}"
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in _PYTHON_MODULES:
                    known[alias.asname or alias.name] = alias.name
    found: list[Prompt] = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        function = node.func
        name = known.get(function.id, function.id) if isinstance(function, ast.Name) else ""
        if isinstance(function, ast.Attribute) and isinstance(function.value, ast.Name):
            name = f"{known.get(function.value.id, function.value.id)}.{function.attr}"
        reason = _PYTHON_PROMPTS.get(name)
        if reason is not None:
            found.append(Prompt(reason, shown, node.lineno))
    return sorted(found, key=lambda p: p.line)
