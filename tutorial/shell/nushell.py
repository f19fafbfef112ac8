"""What a Nushell script asks the reader, and which files it reads in, without running Nushell.

``./dot.nu setup idp`` runs a Nushell script whose ``input`` waits for a line typed by the
reader (an AWS key, an email). Bash's analyser cannot read Nushell, so this small lexer does
just enough: it skips comments and strings (reading the code inside ``$"…(…)…"``), tracks
brackets to know where a command starts (a newline ends a command in a block, not inside
``( … )``), and reports each ``input`` in command position, and each ``source``/``use`` of a
file. It never says a script asks nothing when it is unsure what a word is: every ``input``
it sees in command position counts, whether or not the subcommand a step calls reaches it.
"""

from __future__ import annotations

from collections.abc import Iterator

from tutorial.records import record


@record(frozen=True)
class NuPrompt:
    """One ``input`` of a Nushell script."""

    line: int  # 1-based
    reason: str  # "`input` waits for a line you type"
    secret: bool = False  # ``input --suppress-output``: what is typed is not shown


@record(frozen=True)
class NuSource:
    """A file a Nushell script reads in: ``source scripts/x.nu``, ``use lib.nu *``."""

    line: int
    path: str  # as written, quotes removed


@record(frozen=True)
class _Token:
    kind: str  # "word", "string", "open", "close", "sep" (| ; = =>), "newline"
    text: str
    line: int


_OPENING = {"(": ")", "{": "}", "[": "]"}
_ASSIGN = frozenset({"=", "+=", "-=", "*=", "/=", "++=", "=>"})
_WORD_END = frozenset(" \t\r\n|;(){}[]\"'`")


class _Lexer:
    """Nushell's tokens, with the code inside interpolated strings lexed as code (``$"(input)"``)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.at = 0
        self.line = 1
        self.tokens: list[_Token] = []

    def run(self) -> list[_Token]:
        self._code(closing="")
        return self.tokens

    def _add(self, kind: str, text: str, line: int) -> None:
        self.tokens.append(_Token(kind, text, line))

    def _code(self, closing: str) -> None:
        """Read code up to ``closing`` (a ``)`` ending an interpolation; "" for the whole text)."""
        text = self.text
        depth = 0
        while self.at < len(text):
            char = text[self.at]
            if char == "\n":
                self._add("newline", "\n", self.line)
                self.line += 1
                self.at += 1
            elif char in " \t\r":
                self.at += 1
            elif char == "#":
                end = text.find("\n", self.at)
                self.at = len(text) if end < 0 else end
            elif char in _OPENING:
                depth += 1
                self._add("open", char, self.line)
                self.at += 1
            elif char in ")}]":
                if closing and depth == 0 and char == closing:
                    self.at += 1
                    return
                depth -= 1
                self._add("close", char, self.line)
                self.at += 1
            elif char in "|;":
                self._add("sep", char, self.line)
                self.at += 1
            elif char in "\"'`":
                self._quoted(char, interpolated=False)
            elif char == "$" and text[self.at + 1 : self.at + 2] in ('"', "'"):
                self.at += 1
                self._quoted(text[self.at], interpolated=True)
            elif char == "r" and text[self.at + 1 : self.at + 2] == "#":
                self._raw()
            else:
                self._word()

    def _word(self) -> None:
        start, line = self.at, self.line
        while self.at < len(self.text) and self.text[self.at] not in _WORD_END:
            self.at += 1
        word = self.text[start : self.at]
        self._add("sep" if word in _ASSIGN else "word", word, line)

    def _quoted(self, quote: str, *, interpolated: bool) -> None:
        """A string: ``"…"`` (backslash escapes), ``'…'`` and `` `…` `` (none); ``$"…"`` with code in ``( )``."""
        line = self.line
        self.at += 1
        parts: list[str] = []
        text = self.text
        while self.at < len(text):
            char = text[self.at]
            if char == "\\" and quote == '"':
                parts.append(text[self.at : self.at + 2])
                self.line += text[self.at : self.at + 2].count("\n")
                self.at += 2
                continue
            if char == quote:
                self.at += 1
                break
            if interpolated and char == "(":  # code: its first word is a command (`$"(input)"`)
                self._add("open", "(", self.line)
                self.at += 1
                self._code(closing=")")
                self._add("close", ")", self.line)
                continue
            if char == "\n":
                self.line += 1
            parts.append(char)
            self.at += 1
        self._add("string", "".join(parts), line)

    def _raw(self) -> None:
        """``r#'…'#``: a raw string, ended by a quote and as many ``#`` as it opened with."""
        start, line = self.at, self.line
        hashes = 0
        probe = self.at + 1
        while self.text[probe : probe + 1] == "#":
            hashes += 1
            probe += 1
        if self.text[probe : probe + 1] != "'":
            self._word()
            return
        end = self.text.find("'" + "#" * hashes, probe + 1)
        stop = len(self.text) if end < 0 else end + 1 + hashes
        self.line += self.text.count("\n", start, stop)
        self.at = stop
        self._add("string", self.text[probe + 1 : max(end, probe + 1)], line)


def _commands(tokens: list[_Token]) -> Iterator[list[_Token]]:
    """The words of each command, from its first word (in command position) to its end.

    A command starts at the beginning of the script, after ``|``, ``;``, an assignment's ``=``,
    an opening ``(`` or ``{``, and after a newline in a block (inside ``( … )`` or ``[ … ]`` a
    newline only separates words). A command nested in brackets is a command of its own.
    """
    stack: list[str] = []  # the brackets open around each token
    starts = True
    for index, token in enumerate(tokens):
        if token.kind == "open":
            stack.append(token.text)
            starts = token.text in "({"
            continue
        if token.kind == "close":
            if stack:
                stack.pop()
            starts = False
            continue
        if token.kind == "sep" or (token.kind == "newline" and (not stack or stack[-1] == "{")):
            starts = True
            continue
        if token.kind == "newline":
            continue
        if starts and token.kind == "word":
            yield _command_at(tokens, index, newline_ends=not stack or stack[-1] == "{")
        starts = False


def _command_at(tokens: list[_Token], first: int, *, newline_ends: bool) -> list[_Token]:
    """The words and strings of the command starting at ``first``, at its own bracket depth."""
    found: list[_Token] = []
    depth = 0
    for at in range(first, len(tokens)):  # (by index: never a walk or a copy from the start for each command)
        token = tokens[at]
        if token.kind == "open":
            depth += 1
        elif token.kind == "close":
            if depth == 0:
                break
            depth -= 1
        elif depth == 0 and (token.kind == "sep" or (token.kind == "newline" and newline_ends)):
            break
        elif depth == 0 and token.kind != "newline":
            found.append(token)
    return found


def _short_flags(words: list[str]) -> set[str]:
    return {letter for word in words if word.startswith("-") and not word.startswith("--") for letter in word[1:]}


def _prompt(words: list[_Token]) -> NuPrompt | None:
    """The prompt a command starting with ``input`` makes (None for any other command)."""
    if not words or words[0].kind != "word" or words[0].text != "input":
        return None
    line = words[0].line
    rest = [w.text for w in words[1:] if w.kind == "word"]
    if rest[:1] == ["list"]:
        return NuPrompt(line, "`input list` waits for you to pick an entry")
    if rest[:1] == ["listen"]:
        return NuPrompt(line, "`input listen` waits for a key you press")
    if "--suppress-output" in rest or "s" in _short_flags(rest):
        return NuPrompt(line, "`input --suppress-output` waits for a secret you type", secret=True)
    return NuPrompt(line, "`input` waits for a line you type")


def _source(words: list[_Token]) -> NuSource | None:
    """The file ``source x.nu``, ``source-env x.nu``, ``use x.nu *`` or ``overlay use x.nu`` reads in."""
    texts = [w.text for w in words]
    if texts[:2] == ["overlay", "use"]:
        words = words[1:]
        texts = texts[1:]
    if not texts or texts[0] not in ("source", "source-env", "use"):
        return None
    target = next((w for w in words[1:] if not (w.kind == "word" and w.text.startswith("-"))), None)
    if target is None or "$" in target.text:
        return None  # (Nushell reads a file named at parse time: a variable names none we can know)
    return NuSource(target.line, target.text)


def read_nushell(text: str) -> list[NuPrompt | NuSource]:
    """Every ``input`` of a Nushell script and every file it reads in, in the order they appear."""
    if "input" not in text and "source" not in text and "use" not in text:
        return []
    found: list[NuPrompt | NuSource] = []
    for words in _commands(_Lexer(text).run()):
        item = _prompt(words) or _source(words)
        if item is not None:
            found.append(item)
    return found
