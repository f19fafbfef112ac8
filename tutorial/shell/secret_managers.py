"""Steps that load a secret manager's output into the shell, or print it on the terminal.

``eval $(teller env --config teller/aws.yaml)`` sets variables whose names come from the
secret manager: nothing in the step's text says which, and none of them need look secret
(``PRODUCTION_POSTGRESQL``). Such a step *loads secrets*: the shell itself then finds the
variables it added or changed, and they are kept as secrets (see ``Session.run``). A step
that runs ``teller env`` with its output on the terminal *prints secrets* whose values
nobody can know: its output is kept out of every file.

The table is small on purpose: only commands whose documented output holds secret values,
in a form a shell can evaluate or a reader can see. A tool not in it is not guessed at
(``eval $(ssh-agent)`` loads an agent's socket, not a secret manager's values). Vault is left
out: none of its commands prints shell assignments. ``sops exec-env`` is left out too: it
hands the secrets to the command it runs, not to the shell or the terminal.
"""

from __future__ import annotations

import enum
import re
import shlex
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from tutorial.records import record
from tutorial.shell.bashlex_tables import load as _load_bashlex
from tutorial.shell.commands import program_words


@record(frozen=True)
class Manager:
    """One command of a secret manager that writes secret values to its standard output."""

    program: str
    subcommand: tuple[str, ...] = ()  # its first words that are not options (``secrets download``)
    any_of: tuple[str, ...] = ()  # one of these options must be given (``sops -d``)
    all_of: tuple[str, ...] = ()  # every one of these must be (``doppler ... --no-file``: not to a file)

    def matches(self, words: tuple[str, ...]) -> bool:
        """Whether the program words ``words`` (``teller env --config x``) run this command."""
        if not words or words[0].rsplit("/", 1)[-1] != self.program:
            return False
        arguments = words[1:]
        if self.subcommand and not _leads(arguments, self.subcommand):
            return False
        options = {w.split("=", 1)[0] for w in arguments if w.startswith("-")}
        return (not self.any_of or bool(options & set(self.any_of))) and set(self.all_of) <= options


def _leads(arguments: tuple[str, ...], subcommand: tuple[str, ...]) -> bool:
    """Whether ``subcommand`` comes first among ``arguments``' words, past global options and their values.

    ``teller -c teller.yml env`` runs ``env``: a word right after an option may be its value,
    and which options take one is not known here, so such a word is passed over (the safe side).
    """
    plain: list[tuple[str, bool]] = []  # each word, and whether it may be the value of the option before it
    after_option = False
    for word in arguments:
        if word.startswith("-"):
            after_option = "=" not in word
            continue
        plain.append((word, after_option))
        after_option = False
    size = len(subcommand)
    for start in range(len(plain) - size + 1):
        if tuple(w for w, _ in plain[start : start + size]) == subcommand:
            return True
        if not plain[start][1]:  # a word no option can own: the subcommand is not further on
            return False
    return False


MANAGERS = (
    # teller: `env` and `sh` print `export NAME=value` lines, `export` the same in other formats,
    # `show` the values (partly hidden, partly not)
    Manager("teller", ("env",)),
    Manager("teller", ("sh",)),
    Manager("teller", ("export",)),
    Manager("teller", ("show",)),
    Manager("doppler", ("secrets", "download"), all_of=("--no-file",)),
    Manager("doppler", ("secrets", "get")),
    Manager("chamber", ("env",)),
    Manager("chamber", ("export",)),
    Manager("chamber", ("read",)),
    Manager("infisical", ("export",)),
    Manager("infisical", ("secrets",)),
    Manager("sops", any_of=("-d", "--decrypt")),
    Manager("sops", ("decrypt",)),
)
_PROGRAMS = frozenset(m.program for m in MANAGERS)


@record(frozen=True)
class SecretUse:
    """What a step does with a secret manager's output (both empty for almost every step)."""

    loads: tuple[str, ...] = ()  # the commands whose output the shell evaluates, as written
    #: the commands whose output reaches the terminal, and that no load in the step repeats word
    #: for word (``teller env --config a.yaml`` beside ``eval $(teller env --config a.yaml)``
    #: prints the values the load makes known, which are masked then)
    prints: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.loads or self.prints)

    @property
    def loads_reason(self) -> str:
        return f"it loads secrets into the shell (`{self.loads[0]}`)" if self.loads else ""

    @property
    def prints_reason(self) -> str:
        """Why the step's output is not kept ("" when it may be)."""
        return f"the step prints secrets (`{self.prints[0]}`) whose values cannot be known" if self.prints else ""


NOTHING = SecretUse()


class _Sink(enum.Enum):
    """Where a command's standard output goes."""

    TERMINAL = "terminal"
    SHELL = "shell"  # evaluated by the shell: eval, source, export, an assignment
    ELSEWHERE = "elsewhere"  # a file, another program's arguments or environment


#: builtins whose arguments, once expanded, the shell takes as assignments or code
_EVALUATORS = frozenset({"eval", "export", "declare", "typeset", "readonly", "local"})
_SOURCES = frozenset({"source", "."})
_PRINTERS = frozenset({"echo", "printf"})
_READERS = frozenset({"read", "mapfile", "readarray"})  # builtins that keep what they read in the shell
_INPUTS = frozenset({"<", "<<<", "<<", "<<-", "<>"})
_TERMINAL_FILES = frozenset({"/dev/stdout", "/dev/stderr", "/dev/tty"})


def secret_use(code: str) -> SecretUse:
    """What ``code`` does with a secret manager's output. Costs a substring test when it names none."""
    if not any(program in code for program in _PROGRAMS):
        return NOTHING
    return _secret_use(code)


@lru_cache(maxsize=256)
def _secret_use(code: str) -> SecretUse:
    bashlex = _load_bashlex()
    found: list[tuple[_Sink, tuple[str, ...], str]] = []
    try:
        trees = bashlex.parse(code)
    except (bashlex.errors.ParsingError, NotImplementedError, AttributeError, IndexError, TypeError, ValueError):
        return _unparsed(code)
    for tree in trees:
        found.extend(_walk(tree, _Sink.TERMINAL, code))
    loads = [(words, text) for sink, words, text in found if sink is _Sink.SHELL]
    loaded = {words for words, _ in loads}
    prints = [text for sink, words, text in found if sink is _Sink.TERMINAL and words not in loaded]
    return SecretUse(tuple(dict.fromkeys(t for _, t in loads)), tuple(dict.fromkeys(prints)))


def _unparsed(code: str) -> SecretUse:
    """Code bashlex cannot read: a manager's command named in it counts as printing, and as loading
    when the code evaluates anything (the safe side of both: its output is kept nowhere)."""
    tokens = _tokens(code)
    named = []
    for start, token in enumerate(tokens):
        if token.rsplit("/", 1)[-1] not in _PROGRAMS:
            continue
        words: list[str] = []
        for word in tokens[start:]:
            if word and all(c in ";&|()<>" for c in word):
                break
            words.append(word)
        if any(m.matches(tuple(words)) for m in MANAGERS):
            named.append(" ".join(words))
    if not named:
        return NOTHING
    evaluates = any(t in _EVALUATORS or t in _SOURCES for t in tokens)
    return SecretUse(tuple(named[:1]) if evaluates else (), tuple(named[:1]))


def _tokens(code: str) -> list[str]:
    """The words and operators of ``code``; those of a substitution inside quotes (``eval "$(teller env)"``) too."""
    lexer = shlex.shlex(code.replace("\n", " ; "), posix=True, punctuation_chars=";&|()<>")
    lexer.whitespace_split = True
    try:
        tokens = list(lexer)
    except ValueError:  # an unclosed quote: the words as they stand
        tokens = code.split()
    found = []
    for token in tokens:
        if _OPENERS.search(token):  # (each pass takes an opener away: it ends)
            found.extend(_tokens(_OPENERS.sub(" ( ", token)))
        else:
            found.append(token)
    return found


_OPENERS = re.compile(r"\$\(|[<>]\(|`")


def _walk(node: Any, sink: _Sink, code: str) -> Iterator[tuple[_Sink, tuple[str, ...], str]]:
    """Every manager's command under ``node``, with where its output goes."""
    kind = node.kind
    if kind == "command":
        yield from _command(node, sink, code)
    elif kind == "compound":
        inner = _redirected(node.redirects, sink)
        for part in node.list:
            yield from _walk(part, inner, code)
        # what the block reads (`while read -r l; do export "$l"; done < <(sops -d .env)`): into the
        # shell when a command in it reads or evaluates, else to where the block writes
        loads = _Sink.SHELL if _names(node) & (_EVALUATORS | _SOURCES | _READERS) else inner
        for redirect in node.redirects:
            if redirect.kind == "redirect" and redirect.type in _INPUTS:
                yield from _heredoc(redirect, loads)
                for substitution in _substitutions(redirect):
                    yield from _walk(substitution, loads, code)
    elif kind in ("commandsubstitution", "processsubstitution"):
        yield from _walk(node.command, sink, code)
    else:  # lists, pipelines (what a pipeline carries reaches its end), if, for, while, functions
        for part in getattr(node, "parts", None) or ():
            if part.kind not in ("operator", "pipe", "reservedword"):
                yield from _walk(part, sink, code)


def _command(node: Any, sink: _Sink, code: str) -> Iterator[tuple[_Sink, tuple[str, ...], str]]:
    words = tuple(p.word for p in node.parts if p.kind == "word")
    own = _redirected([p for p in node.parts if p.kind == "redirect"], sink)
    program = program_words(words) if words else ()
    if program and program[0].rsplit("/", 1)[-1] in _PROGRAMS and any(m.matches(program) for m in MANAGERS):
        yield own, program, code[node.pos[0] : node.pos[1]]
    name = program[0] if program else ""
    for part in node.parts:
        if part.kind == "assignment":
            # `NAME=$(...)` alone keeps the output in the shell; before a program, in its environment
            inner = _Sink.SHELL if not words or name in _EVALUATORS else _Sink.ELSEWHERE
        elif part.kind == "word":
            if name in _EVALUATORS:
                inner = _Sink.SHELL
            elif name in _SOURCES:
                inner = _Sink.SHELL if _substitutions(part, "processsubstitution") else _Sink.ELSEWHERE
            elif name in _PRINTERS:
                inner = own
            else:  # `$(...)`: the program's arguments; `<(...)`: a file it reads, and may print (`cat <(teller env)`)
                for substitution in _substitutions(part, "processsubstitution"):
                    yield from _walk(substitution, own, code)
                inner = _Sink.ELSEWHERE
                for substitution in _substitutions(part, "commandsubstitution"):
                    yield from _walk(substitution, inner, code)
                continue
        elif part.kind == "redirect" and part.type in _INPUTS:
            # read by the command: into the shell (`read X < <(...)`, `source /dev/stdin <<< "$(...)"`),
            # else to where it writes (`grep -v '^#' < <(sops -d .env)`)
            inner = _Sink.SHELL if name in _EVALUATORS | _SOURCES | _READERS else own
            yield from _heredoc(part, inner)
        else:
            inner = _Sink.ELSEWHERE
        for substitution in _substitutions(part):
            yield from _walk(substitution, inner, code)


def _heredoc(redirect: Any, sink: _Sink) -> Iterator[tuple[_Sink, tuple[str, ...], str]]:
    """A manager's command in a here-document's text, which bashlex leaves unread (on the safe side)."""
    heredoc = getattr(redirect, "heredoc", None)
    for body in _bodies(heredoc.value if heredoc is not None else ""):
        for text in _secret_use(body).prints if any(program in body for program in _PROGRAMS) else ():
            yield sink, tuple(text.split()), text


def _bodies(text: str) -> list[str]:
    """The code of the command substitutions in ``text`` (``$(...)``, backquotes), parentheses counted."""
    found = re.findall(r"`([^`]*)`", text)
    for start in (m.end() for m in re.finditer(r"\$\((?!\()", text)):
        depth, end = 1, start
        while end < len(text) and depth:
            depth += {"(": 1, ")": -1}.get(text[end], 0)
            end += 1
        found.append(text[start : end - 1 if depth == 0 else end])
    return found


def _names(node: Any) -> set[str]:
    """The names of the commands under ``node``."""
    found: set[str] = set()
    if getattr(node, "kind", "") == "command":
        words = tuple(p.word for p in node.parts if p.kind == "word")
        program = program_words(words) if words else ()
        if program:
            found.add(program[0])
    for child in (getattr(node, "parts", None) or []) + (getattr(node, "list", None) or []):
        if hasattr(child, "kind"):
            found |= _names(child)
    for attribute in ("command", "body"):
        child = getattr(node, attribute, None)
        if child is not None and hasattr(child, "kind"):
            found |= _names(child)
    return found


def _substitutions(node: Any, only: str = "") -> list[Any]:
    """The command and process substitutions in a word, however deep (``"${X:-$(teller env)}"``)."""
    found = []
    for child in getattr(node, "parts", None) or ():
        if child.kind in ("commandsubstitution", "processsubstitution"):
            if not only or child.kind == only:
                found.append(child)
        else:
            found.extend(_substitutions(child, only))
    output = getattr(node, "output", None)
    if output is not None and hasattr(output, "kind"):
        found.extend(_substitutions(output, only))
    return found


def _redirected(redirects: list[Any], sink: _Sink) -> _Sink:
    """Where output bound for ``sink`` goes after ``redirects`` (``> file``: not the terminal)."""
    for redirect in redirects:
        if redirect.kind != "redirect" or redirect.type not in (">", ">>", ">|", "&>", "&>>"):
            continue
        if redirect.input not in (None, 1) and redirect.type not in ("&>", "&>>"):
            continue  # `2> errors.log`: standard output goes on where it went
        target = redirect.output
        if isinstance(target, int) or (hasattr(target, "word") and target.word in _TERMINAL_FILES):
            continue  # `>&2`, `> /dev/stderr`: still the terminal
        return _Sink.ELSEWHERE
    return sink
