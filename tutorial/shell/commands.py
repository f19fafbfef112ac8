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
from dataclasses import field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from tutorial.manuscript.shellscan import scan
from tutorial.records import record
from tutorial.shell.script_prompts import SHELL, language

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
# (`time` here is /usr/bin/time: the parser takes bash's own `time` keyword off the command)
_PROBES = frozenset({"command", "type", "hash", "which"})  # `command -v X`: X is optional
_ASSIGNMENT = re.compile(r"^[A-Za-z_]\w*(?:\[[^]]*\])?\+?=")
_NAME = re.compile(r"^([A-Za-z_]\w*)(?:\[[^]]*\])?\+?(?:=|$)")
_SIMPLE = re.compile(r"\$'|\$\(|`|[()]|(?<!\$)\{|\[\[|\b(?:if|then|for|while|until|case|do|function|select)\b")
_COMPOUND = frozenset({"if", "for", "while", "until", "case", "function", "select", "{", "(", "[["})
_VARIABLE = re.compile(r"\$(?:\{([A-Za-z_]\w*)\}|([A-Za-z_]\w*))")
#: builtins whose arguments name variables: ``export A=1 B=2`` sets two
_DECLARERS = frozenset({"export", "declare", "typeset", "readonly", "local"})
#: options of ``read`` / ``mapfile`` that take a value (the value is not a variable name)
_READ_VALUES = frozenset({"-p", "-d", "-n", "-N", "-t", "-u", "-i"})
_MAPFILE_VALUES = frozenset({"-d", "-n", "-O", "-s", "-u", "-C", "-c"})


@record(frozen=True)
class Call:
    """One program a block (or a script it calls) runs."""

    name: str  # as written, variables expanded when they could be
    line: int  # 1-based line in the code it was found in
    via: str = ""  # the helper script it was found in, "" when in the block itself


@record(frozen=True)
class Command:
    """One simple command as the shell will run it: its words, and where it stands."""

    words: tuple[str, ...]  # the command word and its arguments, quotes removed, redirections left out
    line: int  # 1-based line of its first word in the code
    end_line: int  # 1-based line where it ends
    assigns: tuple[str, ...] = ()  # names of its leading ``NAME=value`` words
    condition: bool = False  # in the condition of an ``if`` / ``while`` / ``until``
    background: bool = False  # followed by ``&``
    stdin: bool = False  # its standard input is redirected or piped: it cannot read the terminal
    function: str = ""  # the function whose body it is in ("" at the top level)
    #: in a branch or a loop body (``if``/``case``/``for``/``while``): it may not run at all
    branch: bool = False
    #: in a subshell (``( … )``, ``$( … )``, a part of a pipeline): ``exit`` there ends only the subshell
    subshell: bool = False


@record(frozen=True)
class Analysis:
    """Everything one block of shell code says about itself, from one parse."""

    commands: tuple[Command, ...]
    functions: frozenset[str]

    @property
    def calls(self) -> list[Call]:
        found = []
        for command in self.commands:
            for name, _ in _command_words(list(command.words), [0] * len(command.words)):
                if name not in BUILTINS and not name.startswith(("-", "[")):
                    found.append(Call(name, command.line))
        return found

    @property
    def optional(self) -> set[str]:
        """Programs the code checks for before using them (``if command -v yq``, ``which gum``)."""
        found: set[str] = set()
        for command in self.commands:
            words = command.words
            if command.condition:
                found.update(name for name, _ in _command_words(list(words), [0] * len(words)))
            if words and words[0] in _PROBES and len(words) > 2 and words[1] in ("-v", "-V", "-P", "-p", "-t"):
                found.update(words[2:])
            elif words and words[0] in ("which", "hash", "type") and len(words) > 1:
                found.update(w for w in words[1:] if not w.startswith("-"))
        return found

    @property
    def assigned(self) -> list[str]:
        """Variables the code sets, in order, once each."""
        names: dict[str, None] = {}
        for command in self.commands:
            if not command.words:
                names.update(dict.fromkeys(command.assigns))
                continue
            for name in _assigned_by(command.words):
                names.setdefault(name)
        return [n for n in names if not n.startswith("__adv_")]


def _assigned_by(words: tuple[str, ...]) -> Iterator[str]:
    """The variables a builtin such as ``export``, ``read`` or ``printf -v`` sets."""
    program, arguments = words[0], words[1:]
    if program in _DECLARERS:
        for word in arguments:
            if word.startswith(("-", "+")):
                continue
            match = _NAME.match(word)
            if match:
                yield match.group(1)
    elif program in ("read", "mapfile", "readarray"):
        takes_value = _READ_VALUES if program == "read" else _MAPFILE_VALUES
        skip = False
        named = False
        for index, word in enumerate(arguments):
            if skip:
                skip = False
                continue
            if word == "-a" and program == "read" and index + 1 < len(arguments):
                yield arguments[index + 1]
                named, skip = True, True
            elif word in takes_value:
                skip = True
            elif word.startswith("-"):
                continue
            elif _NAME.fullmatch(word):
                named = True
                yield word
        if not named:
            yield "REPLY" if program == "read" else "MAPFILE"
    elif program == "printf" and len(arguments) > 1 and arguments[0] == "-v" and _NAME.fullmatch(arguments[1]):
        yield _NAME.match(arguments[1]).group(1)  # type: ignore[union-attr]


def analyse(code: str, focus: re.Pattern[str] | None = None) -> Analysis:
    """The commands of ``code``: bashlex where it can parse, the small tokenizer where it cannot.

    With ``focus``, only the complete commands whose text it matches are read: a cheap way
    to look for a few kinds of command in long scripts.
    """
    return _analyse(code, focus)


def calls(code: str) -> tuple[list[Call], set[str], set[str]]:
    """(programs called, programs only probed for, functions defined) in ``code``."""
    found = _analyse(code)
    return found.calls, found.optional, set(found.functions)


def assigned_names(code: str) -> list[str]:
    """Variables a block sets (``export A=1 B=2``, ``A=(x y)``, ``local``, ``read X``), in order, once each."""
    return _analyse(code).assigned


#: builtins that change nothing in the shell that runs them (``printf -v`` aside)
_INERT = frozenset({"echo", "printf", "true", "false", ":", "test", "[", "pwd"})
#: every bash builtin and keyword (``compgen -b -k``): one of them may change the shell itself
_SHELL_WORDS = BUILTINS
#: ``A[i]=v``: bash evaluates the subscript (arithmetic, which may assign) and may drop the assignment
_SUBSCRIPT_ASSIGNMENT = r"[A-Za-z_]\w*\[[^]]*\]\+?="
_OLD_ARITHMETIC = r"\$\["  # ``$[1+1]``, arithmetic as bash's oldest form writes it
#: text that may assign or declare beyond what the words show: ``${X:=v}``, ``$((X=1))``, ``{fd}>file``,
#: arithmetic in a subscript or an offset (``${A[i++]}``, ``A[i++]=x``), an indirection or a prompt
#: expansion (``${!REF}``, ``${X@P}``, which read one), a coprocess (``COPROC``)
_HIDDEN_CHANGE = re.compile(
    r"\$\{[^}]*(?:=|\+\+|--|@P)|\$\{!|\$\(\(|\{\w+\}[<>]|\bcoproc\b|" + _OLD_ARITHMETIC + "|" + _SUBSCRIPT_ASSIGNMENT
)
#: variables whose value turns shell options on or off, or makes aliases or hashed programs: the
#: options and aliases written with the last whole state would be wrong after them
_OPTION_VARIABLES = frozenset({"GLOBIGNORE", "POSIXLY_CORRECT", "BASH_COMPAT", "BASH_ALIASES", "BASH_CMDS"})
_PROGRAM_NAME = re.compile(r"[\w./+@%,-]+")


def only_assigns(code: str) -> list[str] | None:
    """The variables ``code`` sets, when setting them is all it can change in the shell that runs it; else None.

    Such a block runs only programs (each in a process of its own, whatever it does), the
    builtins that change nothing (``echo``, ``printf`` without ``-v``, ``test``...), and
    assignments or ``export NAME=value`` of names written out in full. The session then
    writes down only those variables after it, not its whole state again (see
    ``__adv_write_delta`` in session_init.sh). Anything else (``cd``, ``source``, ``read``,
    a compound command, a command substitution, ``${X:=v}``, a name that is not a plain
    word) is None: the whole state is written, as always. A program's name may be a
    function or an alias of the reader's: the shell itself looks for those before it
    takes this answer.
    """
    if _SIMPLE.search(code) is not None or _HIDDEN_CHANGE.search(code) is not None:
        return None
    names: dict[str, None] = {}
    for command in _analyse(code).commands:
        words = command.words
        if command.function:
            return None
        if not words:
            names.update(dict.fromkeys(command.assigns))
            continue
        program = words[0]
        if program == "export" and not command.assigns:
            for word in words[1:]:
                match = _NAME.match(word)
                if match is None or "=" not in word:  # a flag, or a name alone (an attribute changes)
                    return None
                names[match.group(1)] = None
        elif program in _INERT:
            # (a special builtin keeps its NAME=value prefix in POSIX mode)
            if command.assigns or (program == "printf" and any(w.startswith("-v") for w in words[1:])):
                return None
        elif program in _SHELL_WORDS or _PROGRAM_NAME.fullmatch(program) is None:
            return None
    if any(name.startswith("__adv_") or name in ("status", "current") for name in names):
        return None  # the session's own, and the prompt hook's locals, which hide the reader's
    if not _OPTION_VARIABLES.isdisjoint(names):
        return None
    return list(names)


#: what in a block's text can make an interactive bash drop a command rather than fail it (see
#: __adv_debug in session_init.sh): ``${X:?}``, arithmetic (``1/0``, a subscript: ``A[-5]=x``), a
#: substitution it cannot read, and whatever may turn ``set -u`` on or run text that is not there
#: (a sourced file, eval)
#: builtins that can turn ``set -u`` on, run other text, or assign in ways bash may drop: as
#: words once quotes are removed (``"s"et -u`` is ``set -u``), and looked for in the raw text
_ABANDONING_WORDS = frozenset(
    {"set", "source", ".", "eval", "let", "declare", "typeset", "local", "readonly", "exec", "trap", "shopt", "alias"}
)
_ABANDONING = re.compile(
    r"\?|\(\(|(?:^|[\s;&|(])\.\s|\b(?:"
    + "|".join(sorted(_ABANDONING_WORDS - {"."}))
    + r")\b|"
    + _OLD_ARITHMETIC
    + "|"
    + _SUBSCRIPT_ASSIGNMENT
)
_PLAIN_BRACES = re.compile(r"\$\{[A-Za-z_]\w*\}")


def may_abandon(code: str) -> bool:
    """Whether the text of ``code`` could make an interactive bash abandon one of its commands.

    Such a bash does not stop a command at an unset variable under ``set -u``, at ``${X:?}``,
    at ``$((1/0))`` or at a substitution it cannot read: it drops it and goes on with the next,
    where a script would have stopped. The session watches for that with a DEBUG trap, which
    costs more than a one-line step: when this is False (no ``?``, no arithmetic, no ``${...}``
    other than ``${NAME}``, nothing that turns ``set -u`` on or runs other text, however it is
    quoted, and no command named by an expansion), the shell
    leaves the watch off unless ``set -u`` is already on, or a function or an alias of the
    reader's could turn it on.
    """
    if _ABANDONING.search(code) is not None or "${" in _PLAIN_BRACES.sub("", code):
        return True
    # a builtin spelled with quotes, or a command named by what it expands to (``${S}t -u``)
    return any(
        command.words
        and (
            (command.words[0] not in _INERT and _PROGRAM_NAME.fullmatch(command.words[0]) is None)
            or not _ABANDONING_WORDS.isdisjoint(command.words)
        )
        for command in _analyse(code).commands
    )


def assignment_statements(code: str) -> list[str]:
    """The names ``code`` assigns in statements of their own (``NAME=value``), in order, once each.

    Bash abandons such a statement when the variable is read-only, or an integer one given
    what is not a number: the shell looks at these names before it leaves the watch off.
    """
    names: dict[str, None] = {}
    for command in _analyse(code).commands:
        if not command.words:
            names.update(dict.fromkeys(command.assigns))
    return list(names)


@record
class _Found:
    """The commands and functions met while walking a block's syntax tree."""

    commands: list[Command] = field(default_factory=list)
    functions: set[str] = field(default_factory=set)


@lru_cache(maxsize=1024)
def _analyse(code: str, focus: re.Pattern[str] | None = None) -> Analysis:
    found = _Found()
    lines = code.splitlines()
    result = scan(lines)
    for group in result.groups:
        if not group.code_lines:
            continue
        first, last = group.code_lines[0], group.code_lines[-1]
        text = "\n".join(lines[first : last + 1])
        if focus is not None and focus.search(text) is None:
            continue
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
        walker = _Walker(text, first, found)
        for tree in trees:
            walker.walk(tree, _Context())
    return Analysis(tuple(found.commands), frozenset(found.functions))


@lru_cache(maxsize=1)
def _bashlex() -> Any:
    """bashlex, imported when first needed, its parser tables read from a file (see bashlex_tables)."""
    from tutorial.shell import bashlex_tables

    return bashlex_tables.load()


@record(frozen=True)
class _Context:
    """Where a command stands in its block: a condition, the background, a redirect, a function, a branch."""

    condition: bool = False
    background: bool = False
    stdin: bool = False
    function: str = ""
    branch: bool = False
    subshell: bool = False


_STDIN_REDIRECTS = frozenset({"<", "<<", "<<-", "<<<", "<&", "<>"})


class _Walker:
    """Turns a bashlex tree into :class:`Command` records."""

    def __init__(self, text: str, first_line: int, found: _Found) -> None:
        self._text = text
        self._first = first_line
        self._found = found

    def _line(self, position: int) -> int:
        return self._first + self._text.count("\n", 0, position) + 1

    def walk(self, node: Any, ctx: _Context) -> None:
        kind = node.kind
        if kind == "command":
            self._command(node, ctx)
        elif kind == "list":
            parts = node.parts
            for index, part in enumerate(parts):
                if part.kind == "operator":
                    continue
                following = parts[index + 1] if index + 1 < len(parts) else None
                background = following is not None and following.kind == "operator" and following.op == "&"
                self.walk(part, replace(ctx, background=ctx.background or background))
        elif kind == "pipeline":
            commands = [p for p in node.parts if p.kind != "pipe"]
            apart = ctx.subshell or len(commands) > 1  # each part of a pipeline runs in a subshell of its own
            for index, part in enumerate(commands):
                self.walk(part, replace(ctx, stdin=ctx.stdin or index > 0, subshell=apart))
        elif kind == "compound":
            redirected = any(_reads_stdin(r) for r in node.redirects)
            opened = node.list[0] if node.list else None
            apart = ctx.subshell or (opened is not None and opened.kind == "reservedword" and opened.word == "(")
            for part in node.list:
                if part.kind != "reservedword":
                    self.walk(part, replace(ctx, stdin=ctx.stdin or redirected, subshell=apart))
            for redirect in node.redirects:
                self._nested(redirect, ctx)
        elif kind in ("if", "while", "until"):
            condition = False
            first = True  # the first condition always runs; what follows it may not
            for part in node.parts:
                if part.kind == "reservedword":
                    condition = part.word in ("if", "elif", "while", "until")
                    first = part.word in ("if", "while", "until")
                    continue
                inner = replace(ctx, condition=ctx.condition or condition, branch=ctx.branch or not first)
                self.walk(part, inner)
        elif kind == "for":
            for part in node.parts:
                if part.kind == "word":
                    self._nested(part, ctx)  # `for x in $(ls)`: the words may hold commands
                elif part.kind != "reservedword":
                    self.walk(part, replace(ctx, branch=True))
        elif kind == "function":
            self._found.functions.add(node.name.word)
            self.walk(node.body, replace(ctx, function=node.name.word, branch=True))
        elif kind in ("commandsubstitution", "processsubstitution"):
            self.walk(node.command, replace(ctx, background=False, stdin=False, subshell=True))
        else:
            self._nested(node, ctx)

    def _nested(self, node: Any, ctx: _Context) -> None:
        """Commands inside words and redirections (``$(...)``, ``<(...)``)."""
        for child in getattr(node, "parts", None) or ():
            self.walk(child, ctx)
        output = getattr(node, "output", None)
        if output is not None and not isinstance(output, int) and hasattr(output, "kind"):
            self.walk(output, ctx)

    def _command(self, node: Any, ctx: _Context) -> None:
        assigns: list[str] = []
        words: list[str] = []
        stdin = ctx.stdin
        for part in node.parts:
            if part.kind == "assignment" and not words:
                match = _NAME.match(part.word)
                if match:
                    assigns.append(match.group(1))
            elif part.kind in ("word", "assignment"):
                words.append(part.word)
            elif part.kind == "redirect":
                stdin = stdin or _reads_stdin(part)
        self._found.commands.append(
            Command(
                tuple(words),
                self._line(node.pos[0]),
                self._line(max(node.pos[1] - 1, node.pos[0])),
                tuple(assigns),
                ctx.condition,
                ctx.background,
                stdin,
                ctx.function,
                ctx.branch,
                ctx.subshell,
            )
        )
        for part in node.parts:
            self._nested(part, ctx)


def _reads_stdin(redirect: Any) -> bool:
    if redirect.kind != "redirect" or redirect.type not in _STDIN_REDIRECTS:
        return False
    return redirect.input in (None, 0)


#: the options of a wrapper that take the next word as their value (``sudo -u postgres psql``,
#: ``watch -n 5 kubectl get pods``, ``nice -n 19 make``): its short letters, its long names. The
#: value is not the program the wrapper runs; options written ``-upostgres`` or ``--user=postgres``
#: carry their value in the same word.
_WRAPPER_VALUES: dict[str, tuple[str, frozenset[str]]] = {
    "sudo": (
        "CDRTUacghprtu",
        frozenset(
            {"--auth-type", "--close-from", "--chdir", "--chroot", "--command-timeout", "--other-user", "--group"}
            | {"--host", "--login-class", "--prompt", "--role", "--type", "--user"}
        ),
    ),
    "env": ("Cu", frozenset({"--chdir", "--unset"})),  # (and -S, whose value is the command line)
    "nice": ("n", frozenset({"--adjustment"})),
    "timeout": ("ks", frozenset({"--kill-after", "--signal"})),
    "watch": ("nq", frozenset({"--interval", "--equexit"})),
    "xargs": (
        "EILPadns",
        frozenset({"--arg-file", "--delimiter", "--max-args", "--max-chars", "--max-procs", "--process-slot-var"}),
    ),
    "time": ("fo", frozenset({"--format", "--output"})),
    "exec": ("a", frozenset()),
}
#: a wrapper's options that make it run no program: ``command -v x`` asks about x, ``sudo -e x``
#: edits the file x, ``sudo -l x`` tells whether x may be run
_RUNS_NONE = {"command": "vV", "sudo": "el"}
#: wrappers that take one word of their own after their options: ``timeout 30 kubectl wait``
_WRAPPER_OPERANDS = {"timeout": 1}


def _command_words(words: list[str], positions: list[int]) -> Iterator[tuple[str, int]]:
    """The program of a simple command, and the program a wrapper (sudo, env, ...) runs.

    The wrapper's options are stepped over with their values (``sudo -u postgres psql`` runs
    ``psql``, not a program named ``postgres``): a value taken for the program would be reported
    missing, and the program it hides would go unexamined (``psql`` waits for typed input).
    """
    index = 1 if words[:1] == ["-p"] else 0  # `time -p make`: the parser kept the keyword's option
    while index < len(words) and _ASSIGNMENT.match(words[index]):
        index += 1
    line = False  # the word is a command line of its own: `watch 'kubectl get pods'`, `env -S 'a b'`
    while index < len(words):
        word = words[index]
        if line:
            word = _command_line(word)
        if line and _SHELL_TEXT.search(word):
            word = _first_program(word)
        yield word, positions[index]
        wrapper = word.rsplit("/", 1)[-1]  # `/usr/bin/env python3 app.py` too
        if wrapper not in _WRAPPERS:
            return
        after = _after_options(wrapper, words, index + 1)
        if after is None:
            return  # it runs no program (`command -v x`, `sudo -e x`), or none it names in a word of its own
        index, line = after
        index += _WRAPPER_OPERANDS.get(wrapper, 0)  # (the duration of `timeout 30 ...`)


#: a word that is shell code rather than a program's name: ``watch 'date; kubectl get pods'``
_SHELL_TEXT = re.compile(r"[\s;&|()]")
#: env's ``-S`` with its value in the same word: ``-S'psql -h db'``, ``-iS'bash -i'``, ``--split-string=…``
_ATTACHED_LINE = re.compile(r"^(?:-[A-Za-z0-9]*S|--split-string=)")


def _command_line(word: str) -> str:
    """The command line a word holds: itself, or the value of an ``env -S`` written in the same word."""
    attached = _ATTACHED_LINE.match(word)
    return word[attached.end() :] if attached else word


def _first_program(text: str) -> str:
    """The program a command line given as one word starts with (``FOO=1 kubectl get`` runs ``kubectl``)."""
    for token in _tokens(text):
        if token not in _BREAKS and token not in _KEYWORDS and not _ASSIGNMENT.match(token):
            return token
    return text


def _after_options(wrapper: str, words: list[str], index: int) -> tuple[int, bool] | None:
    """The index of the first word after ``wrapper``'s options and their values, and whether that
    word is a command line rather than a program (None: it runs nothing).

    watch gives its words to ``sh -c``; ``env -S 'psql -h db'`` splits its value into the program
    and its arguments, written after it or in the same word (``-S'psql -h db'``).
    """
    letters, long_names = _WRAPPER_VALUES.get(wrapper, ("", frozenset()))
    while index < len(words):
        word = words[index]
        if word == "--":
            index += 1
            while wrapper == "env" and index < len(words) and _ASSIGNMENT.match(words[index]):
                index += 1
            return index, wrapper == "watch"
        if wrapper in ("env", "sudo") and _ASSIGNMENT.match(word):  # `env NAME=value program`
            index += 1
            continue
        if not word.startswith("-") or word == "-":
            return index, wrapper == "watch"
        index += 1
        if word.startswith("--"):
            if wrapper == "sudo" and word in ("--edit", "--list"):
                return None
            if wrapper == "env" and word.startswith("--split-string"):
                return (index, True) if word == "--split-string" else (index - 1, True)
            if "=" not in word and word in long_names:
                index += 1  # `--user postgres`
            continue
        for position, letter in enumerate(word[1:], 1):
            if letter in _RUNS_NONE.get(wrapper, ""):
                return None
            if wrapper == "env" and letter == "S":  # the command line: the next word, or the rest of this one
                return (index, True) if position == len(word) - 1 else (index - 1, True)
            if letter in letters:
                if position == len(word) - 1:
                    index += 1  # `-u postgres`; `-upostgres` holds its value
                break
    return index, wrapper == "watch"


def wrappers(words: tuple[str, ...]) -> list[str]:
    """The programs that run the real one: ``sudo``, ``env``, ``watch`` in ``watch -n 5 kubectl get``."""
    return [name for name, _ in _command_words(list(words), [0] * len(words))][:-1]


def program_words(words: tuple[str, ...]) -> tuple[str, ...]:
    """The words from the program a command really runs: ``sudo -E kubectl get`` → ``kubectl get``."""
    programs = list(_command_words(list(words), list(range(len(words)))))
    if not programs:
        return ()
    name, at = programs[-1]
    if name != words[at]:  # a command line in one word: `env -S 'psql -h db'` → ``psql -h db``
        tokens = _tokens(_command_line(words[at]))
        return (*tokens[tokens.index(name) :], *words[at + 1 :]) if name in tokens else words[at:]
    return words[at:]


_KEYWORDS = frozenset({"if", "then", "else", "elif", "do", "while", "until", "!", "{", "time", "coproc"})
_CONDITION_OPENERS = frozenset({"if", "elif", "while", "until"})
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


class _Tokens:
    """The tokens of the lexed lines, with the line each one is on.

    A line continued with a backslash is one logical line: ``line`` is where it starts,
    ``end`` where it ends.
    """

    def __init__(self, tokens: list[str], spans: list[tuple[int, int]]) -> None:
        self.tokens = tokens
        self.index = 0
        self._spans = iter(spans)
        self.line, self.end = next(self._spans, (0, 0))

    def next(self) -> str | None:
        if self.index >= len(self.tokens):
            return None
        token = self.tokens[self.index]
        self.index += 1
        if token == "\n":
            self.line, self.end = next(self._spans, (self.line, self.end))
        return token

    def peek(self, offset: int = 0) -> str | None:
        at = self.index + offset
        return self.tokens[at] if at < len(self.tokens) else None


def _fallback(lines: list[str], indexes: list[int], code_end: list[int], heredocs: set[int], found: _Found) -> None:
    """Commands by tokenising the lexed lines, for code bashlex cannot parse (``[[``, ``case``, arrays)."""
    kept = [lines[i][: code_end[i]] for i in indexes if i not in heredocs and code_end[i] > 0]
    numbers = [i + 1 for i in indexes if i not in heredocs and code_end[i] > 0]
    spans: list[tuple[int, int]] = []
    start = 0
    for text, number in zip(kept, numbers, strict=True):
        start = start or number
        if not text.endswith("\\"):
            spans.append((start, number))
            start = 0
    if start:
        spans.append((start, numbers[-1]))
    stream = _Tokens(_tokens("\n".join(kept).replace("\\\n", " ")), spans)
    position = True  # the next word is in command position
    arithmetic = 0
    pattern = False  # after `case WORD in` or `;;`: a pattern up to `)` comes next
    cases = 0
    header = ""  # inside `for x in ...` / `case x in` headers
    condition = False
    nesting = 0  # open if/case/loops: what runs inside may not run at all
    piped = False
    function = ""
    depth = 0  # braces opened since the function started
    subshells = 0  # `(` opened in command position and not closed yet
    assigns: list[str] = []
    assigned_at = 0
    while (token := stream.next()) is not None:
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
            if token == "(" and position:
                subshells += 1
            elif token == ")" and subshells:
                subshells -= 1
            if token in (";;", ";&", ";;&") and cases:
                pattern = True
            if header == "case" and token == "\n":
                continue
            if assigns:
                found.commands.append(Command((), assigned_at, assigned_at, tuple(assigns), condition))
                assigns = []
            position = True
            piped = token in ("|", "|&")
            if header == "for":
                header = ""
            continue
        if _REDIRECTS.match(token):
            stream.next()  # the file name
            continue
        if header:
            if header == "case" and token == "in":
                header, pattern = "", True
            continue
        if not position:
            continue
        if token.isdigit() and _REDIRECTS.match(stream.peek() or ""):
            continue  # `2>file`: the descriptor of a redirection, which the lexer splits from it
        if token in _KEYWORDS:
            nesting += token in ("if", "while", "until")
            if token in _CONDITION_OPENERS:
                condition = True
            elif token in ("then", "do"):
                condition = False
            if token == "{" and function:
                depth += 1
            continue
        if _ASSIGNMENT.match(token):
            match = _NAME.match(token)
            if match:
                assigned_at = stream.line if not assigns else assigned_at
                assigns.append(match.group(1))
            if token.endswith("=") and stream.peek() == "(":
                _skip_array(stream)
            continue
        if token in ("for", "select"):
            if token == "select":  # a menu: it reads the reader's pick from standard input, as `read` does
                variable = stream.peek() or ""
                inside = bool(function) or nesting > 0
                at = stream.line
                found.commands.append(
                    Command(("select", variable), at, at, (), condition, False, piped, function, inside)
                )
            header, position, nesting = "for", False, nesting + 1
            continue
        if token == "case":
            header, position, cases, nesting = "case", False, cases + 1, nesting + 1
            continue
        if token in _CLOSERS:
            cases -= token == "esac"
            nesting -= token in ("fi", "done", "esac") and nesting > 0
            if token == "}" and function:
                depth -= 1
                if depth <= 0:
                    function, depth = "", 0
            continue
        if token == "function" or (stream.peek() == "(" and stream.peek(1) == ")"):
            name = stream.next() if token == "function" else token
            if name:
                found.functions.add(name)
                function, depth = name, 0
            while stream.peek() in ("(", ")"):
                stream.next()
            continue
        position = False
        line = stream.line
        words, stdin, background = _words_until_break(stream, token)
        branch = bool(function) or nesting > 1 or (nesting == 1 and not condition)
        found.commands.append(
            Command(
                tuple(words),
                line,
                stream.end,
                tuple(assigns),
                condition,
                background,
                stdin or piped,
                function,
                branch,
                subshells > 0,
            )
        )
        assigns = []
        piped = False
    if assigns:
        found.commands.append(Command((), assigned_at, assigned_at, tuple(assigns), condition))


def _skip_array(stream: _Tokens) -> None:
    """``NAME=(a b c)``: the elements are words, not commands."""
    stream.next()
    while (token := stream.next()) is not None and token != ")":
        pass


def _words_until_break(stream: _Tokens, first: str) -> tuple[list[str], bool, bool]:
    """The words of a simple command (redirections left out), whether it reads a file, whether it is in `&`."""
    words = [first]
    stdin = False
    while (token := stream.peek()) is not None and token not in _BREAKS:
        stream.next()
        if _REDIRECTS.match(token):
            if words and words[-1].isdigit() and len(words) > 1:
                fd = words.pop()
                stdin = stdin or (fd == "0" and token.startswith("<"))
            else:
                stdin = stdin or token.startswith("<")
            stream.next()  # the file name
            continue
        if token.endswith("=") and stream.peek() == "(":
            _skip_array(stream)
            words.append(token)
            continue
        words.append(token)
    return words, stdin, stream.peek() == "&"


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


@record(frozen=True)
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
                if language(file, script) != SHELL:
                    continue  # (a Nushell or Python script read as bash would name programs it never calls)
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
