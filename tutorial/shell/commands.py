"""Which programs a block of shell code calls, so a missing one is reported before it runs.

bashlex gives an exact answer for most code; for what it cannot parse (``[[ ]]``, ``case``,
arithmetic) a small tokenizer over the lexed lines takes over. Builtins, keywords, functions
and aliases are not programs. Programs that a script only uses after checking for them
(``if command -v yq``) are optional. Helper scripts of the manuscript called by a step are
read too: a step that calls ``"$ADVENTURE_DIR/registry/dragonfly.sh"`` needs ``helm`` if
that script does.
"""

from __future__ import annotations

import os
import re
import shlex
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from tutorial.manuscript.shellscan import scan

BUILTINS = frozenset(
    [
        ".",
        ":",
        "[",
        "[[",
        "]]",
        "alias",
        "bg",
        "bind",
        "break",
        "builtin",
        "caller",
        "case",
        "cd",
        "command",
        "compgen",
        "complete",
        "compopt",
        "continue",
        "coproc",
        "declare",
        "dirs",
        "disown",
        "do",
        "done",
        "echo",
        "elif",
        "else",
        "enable",
        "esac",
        "eval",
        "exec",
        "exit",
        "export",
        "false",
        "fc",
        "fg",
        "fi",
        "for",
        "function",
        "getopts",
        "hash",
        "help",
        "history",
        "if",
        "in",
        "jobs",
        "kill",
        "let",
        "local",
        "logout",
        "mapfile",
        "popd",
        "printf",
        "pushd",
        "pwd",
        "read",
        "readarray",
        "readonly",
        "return",
        "select",
        "set",
        "shift",
        "shopt",
        "source",
        "suspend",
        "test",
        "then",
        "time",
        "times",
        "trap",
        "true",
        "type",
        "typeset",
        "ulimit",
        "umask",
        "unalias",
        "unset",
        "until",
        "wait",
        "while",
        "{",
        "}",
        "!",
        "((",
        "))",
    ]
)
# Programs that run another program given as their argument.
_WRAPPERS = frozenset({"sudo", "env", "nohup", "time", "exec", "command", "xargs", "watch", "timeout", "nice"})
_PROBES = frozenset({"command", "type", "hash", "which"})  # `command -v X`: X is optional
_ASSIGNMENT = re.compile(r"^[A-Za-z_]\w*(?:\[[^]]*\])?\+?=")
_SIMPLE = re.compile(r"\$\(|`|[()]|(?<!\$)\{|\[\[|\b(?:if|then|for|while|until|case|do|function|select)\b")
_COMPOUND = frozenset({"if", "for", "while", "until", "case", "function", "select", "{", "(", "[["})
_FUNCTION = re.compile(r"^\s*(?:function\s+)?([A-Za-z_][\w:.-]*)\s*\(\s*\)", re.M)
_VARIABLE = re.compile(r"\$(?:\{([A-Za-z_]\w*)\}|([A-Za-z_]\w*))")


@dataclass(frozen=True, slots=True)
class Call:
    """One program a block (or a script it calls) runs."""

    name: str  # as written, variables expanded when they could be
    line: int  # 1-based line in the code it was found in
    via: str = ""  # the helper script it was found in, "" when in the block itself


@dataclass(slots=True)
class _Found:
    calls: list[Call] = field(default_factory=list)
    optional: set[str] = field(default_factory=set)
    functions: set[str] = field(default_factory=set)


def calls(code: str) -> tuple[list[Call], set[str], set[str]]:
    """(programs called, programs only probed for, functions defined) in ``code``."""
    found = _analyse(code)
    return list(found.calls), set(found.optional), set(found.functions)


@lru_cache(maxsize=512)
def _analyse(code: str) -> _Found:
    found = _Found(functions=set(_FUNCTION.findall(code)))
    lines = code.splitlines()
    result = scan(lines)
    for group in result.groups:
        if not group.code_lines:
            continue
        first, last = group.code_lines[0], group.code_lines[-1]
        text = "\n".join(lines[first : last + 1])
        if _SIMPLE.search(text) is None and text.split(None, 1)[0] not in _COMPOUND:
            # plain commands (the common case): the tokenizer answers as bashlex would, 100x faster
            _fallback(lines, group.code_lines, result.code_end, result.heredoc_lines, found)
            continue
        bashlex = _bashlex()
        try:
            trees = bashlex.parse(text)
        except (bashlex.errors.ParsingError, NotImplementedError, AttributeError, IndexError, TypeError, ValueError):
            _fallback(lines, group.code_lines, result.code_end, result.heredoc_lines, found)
            continue
        visitor = _visitor_class()(text, first, found)
        for tree in trees:
            visitor.visit(tree)
    return found


@lru_cache(maxsize=1)
def _bashlex() -> Any:
    """bashlex builds its parser tables when imported (~150 ms): only pay for it when needed."""
    import bashlex
    import bashlex.ast
    import bashlex.errors

    return bashlex


@lru_cache(maxsize=1)
def _visitor_class() -> type:
    bashlex = _bashlex()

    class _Visitor(bashlex.ast.nodevisitor):  # type: ignore[misc,name-defined]
        def __init__(self, text: str, first_line: int, found: _Found) -> None:
            self._text = text
            self._first = first_line
            self._found = found
            self._in_condition = 0

        def _line(self, position: int) -> int:
            return self._first + self._text.count("\n", 0, position) + 1

        def visitfunction(self, node: Any, name: Any, body: object, parts: object) -> None:
            self._found.functions.add(name.word)

        def visitif(self, node: Any, parts: list[Any]) -> bool:
            # the words after `if`/`elif` up to `then` are the condition
            condition = False
            for part in parts:
                if part.kind == "reservedword":
                    condition = part.word in ("if", "elif")
                    continue
                if condition:
                    self._in_condition += 1
                    self.visit(part)
                    self._in_condition -= 1
                else:
                    self.visit(part)
            return False  # children handled here

        def visitcommand(self, node: Any, parts: list[Any]) -> None:
            words = [p.word for p in parts if p.kind == "word"]
            positions = [p.pos[0] for p in parts if p.kind == "word"]
            for name, position in _command_words(words, positions):
                if self._in_condition:
                    self._found.optional.add(name)
                if name not in BUILTINS:
                    self._found.calls.append(Call(name, self._line(position)))
            if words and words[0] in _PROBES and len(words) > 2 and words[1] in ("-v", "-V", "-P", "-p", "-t"):
                self._found.optional.update(words[2:])
            elif words and words[0] in ("which", "hash", "type") and len(words) > 1:
                self._found.optional.update(w for w in words[1:] if not w.startswith("-"))

    return _Visitor


def _command_words(words: list[str], positions: list[int]) -> Iterator[tuple[str, int]]:
    """The program of a simple command, and the program a wrapper (sudo, env, ...) runs."""
    index = 0
    while index < len(words) and _ASSIGNMENT.match(words[index]):
        index += 1
    while index < len(words):
        word = words[index]
        yield word, positions[index]
        if word not in _WRAPPERS:
            return
        if word == "command" and index + 1 < len(words) and words[index + 1].startswith("-"):
            return  # `command -v x` asks, it does not run x
        index += 1
        while index < len(words) and (words[index].startswith("-") or _ASSIGNMENT.match(words[index])):
            index += 1
        if word == "timeout" and index < len(words):
            index += 1  # the duration


_KEYWORDS = frozenset({"if", "then", "else", "elif", "do", "while", "until", "!", "{", "time", "coproc"})
_CLOSERS = frozenset({"fi", "done", "}", "esac"})
_BREAKS = frozenset({";", ";;", ";&", ";;&", "&&", "||", "|", "|&", "&", "(", ")", "\n", "`"})
_OPERATOR = re.compile(r"\(\(|\)\)|;;&|;;|;&|&&|\|\||\|&|&>>|&>|>>|<<<|<<|>&|<&|[;&|()<>]")
_REDIRECTS = re.compile(r"^\d*(?:[<>]+&?|&>>?)$")


def _tokens(text: str) -> list[str]:
    lexer = shlex.shlex(text.replace("\n", " \n "), posix=True, punctuation_chars=";&|()<>")
    lexer.whitespace = " \t\r"
    lexer.commenters = ""
    lexer.wordchars += "$:{}[]=+-./*?~%,@^#!"
    tokens: list[str] = []
    try:
        for token in lexer:
            if token and all(ch in ";&|()<>" for ch in token):
                tokens.extend(_OPERATOR.findall(token))  # shlex glues "));" together: split it
            else:
                tokens.append(token)
    except ValueError:  # an unbalanced quote: keep what came before it
        pass
    return tokens


def _fallback(lines: list[str], indexes: list[int], code_end: list[int], heredocs: set[int], found: _Found) -> None:
    """Command words by tokenising the lexed lines, for code bashlex cannot parse."""
    kept = [lines[i][: code_end[i]] for i in indexes if i not in heredocs and code_end[i] > 0]
    numbers = [i + 1 for i in indexes if i not in heredocs and code_end[i] > 0]
    text = "\n".join(kept).replace("\\\n", " ")
    tokens = _tokens(text)
    line_of = iter(numbers)
    line = next(line_of, 0)
    position = True  # the next word is in command position
    arithmetic = 0
    pattern = False  # after `case WORD in` or `;;`: a pattern up to `)` comes next
    cases = 0
    header = ""  # inside `for x in ...` / `case x in` headers
    index = 0
    while index < len(tokens):
        token = tokens[index]
        index += 1
        if token == "\n":
            line = next(line_of, line)
        if token in ("((", "$(("):
            arithmetic += 1
            continue
        if arithmetic:
            arithmetic -= token == "))"
            continue
        if pattern and cases:
            if token == ")":
                pattern, position = False, True
            continue
        if token in _BREAKS:
            if token in (";;", ";&", ";;&") and cases:
                pattern = True
            if header == "case" and token == "\n":
                continue
            position = True
            if header == "for":
                header = ""
            continue
        if _REDIRECTS.match(token):
            index += 1  # the file name
            continue
        if header:
            if header == "case" and token == "in":
                header, pattern = "", True
            continue
        if not position:
            continue
        if token in _KEYWORDS or _ASSIGNMENT.match(token):
            continue
        if token in ("for", "select"):
            header, position = "for", False
            continue
        if token == "case":
            header, position, cases = "case", False, cases + 1
            continue
        if token in _CLOSERS:
            cases -= token == "esac"
            continue
        position = False
        words = [token, *_words_until_break(tokens, index)]
        for name, _ in _command_words(words, [0] * len(words)):
            if name not in BUILTINS and not name.startswith(("-", "[")):
                found.calls.append(Call(name, line))
        if token in _PROBES and len(words) > 2 and words[1].startswith("-"):
            found.optional.update(words[2:])


def _words_until_break(tokens: list[str], index: int) -> list[str]:
    words = []
    while index < len(tokens) and tokens[index] not in _BREAKS:
        words.append(tokens[index])
        index += 1
    return words


def expand(word: str, env: Mapping[str, str]) -> str | None:
    """``"$ADVENTURE_DIR/x.sh"`` with the variables it uses, or None when one is unknown."""
    word = word.strip("\"'")
    missing = False

    def value(match: re.Match[str]) -> str:
        nonlocal missing
        name = match.group(1) or match.group(2)
        if name not in env:
            missing = True
            return ""
        return env[name]

    expanded = _VARIABLE.sub(value, word)
    if missing or "$" in expanded or "`" in expanded:
        return None
    return os.path.expanduser(expanded)


@dataclass(frozen=True, slots=True)
class Missing:
    """A program a step needs that is not there."""

    name: str
    line: int
    via: str = ""  # the helper script that calls it

    def describe(self) -> str:
        where = f" (called by {self.via})" if self.via else ""
        return f"`{self.name}`, which is not installed or not on PATH{where}"


def missing_programs(
    code: str,
    *,
    env: Mapping[str, str],
    cwd: Path,
    defined: set[str],
    scripts_root: Path | None = None,
    via: str = "",
    depth: int = 0,
) -> list[Missing]:
    """Programs ``code`` calls that cannot be found (PATH and files, as the session sees them)."""
    found, optional, functions = calls(code)
    skip = defined | functions | optional | BUILTINS
    path = env.get("PATH", os.defpath)
    missing: list[Missing] = []
    seen: set[str] = set()
    for call in found:
        name = call.name
        if name in skip or name in seen:
            continue
        seen.add(name)
        if "$" in name or "`" in name:
            target = expand(name, env)
            if target is None:
                continue  # a program chosen at run time: cannot be checked beforehand
        else:
            target = name.strip("\"'")
        if "/" in target:
            file = (cwd / target) if not os.path.isabs(target) else Path(target)
            if not file.exists():
                missing.append(Missing(target, call.line, via))
            elif scripts_root is not None and depth < 3 and _within(file, scripts_root) and file.is_file():
                try:
                    script = file.read_text(encoding="utf-8", errors="replace")
                except OSError:
                    continue
                relative = file.resolve().relative_to(scripts_root.resolve()).as_posix()
                missing.extend(
                    missing_programs(
                        script,
                        env=env,
                        cwd=cwd,
                        defined=defined,
                        scripts_root=scripts_root,
                        via=relative,
                        depth=depth + 1,
                    )
                )
            continue
        if _which(target, path) is None:
            missing.append(Missing(target, call.line, via))
    return missing


def _within(file: Path, root: Path) -> bool:
    try:
        file.resolve().relative_to(root.resolve())
    except ValueError:
        return False
    return True


def _which(name: str, path: str) -> str | None:
    for folder in path.split(os.pathsep):
        candidate = os.path.join(folder or ".", name)  # the hot path: no pathlib
        if os.access(candidate, os.X_OK) and not os.path.isdir(candidate):
            return candidate
    return None


_ASSIGNS = re.compile(
    r"(?:^|[;&|]\s*|\b(?:then|do|else)\s+)(?:export\s+|declare\s+(?:-\w+\s+)*|readonly\s+|typeset\s+)?"
    r"([A-Za-z_]\w*)\+?="
)
_EXPORT_NAMES = re.compile(r"^\s*export\s+((?:[A-Za-z_]\w*\s*)+)$")


def assigned_names(code: str) -> list[str]:
    """Variables a block sets (``export X=...``, ``X=...``, ``export X``), in order, once each."""
    names: dict[str, None] = {}
    for raw in code.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        for match in _ASSIGNS.finditer(line):
            names.setdefault(match.group(1))
        bare = _EXPORT_NAMES.match(line)
        if bare:
            for name in bare.group(1).split():
                names.setdefault(name)
    return [n for n in names if not n.startswith("__adv_")]
