"""Split a shell block into comment groups and complete commands, without running anything.

Tutorial blocks mix commands with comments that carry meaning ("# If NOT EKS",
"# Replace `[...]` with your email"). To attach that meaning to the right command we must
know where a command really ends: a blank line inside a heredoc, a quoted string or a
``for ... done`` loop does not end it, and a ``#`` inside quotes or a heredoc body is not a
comment. This is a small, forgiving lexer for exactly that; it never raises. Full parsing
(which commands a block calls) is done later with bashlex, only when a step is about to run.
"""

from __future__ import annotations

import re
from dataclasses import field

from tutorial.records import record

PLACEHOLDER = "[...]"

# Characters that can change the lexer's state. A line without any of them (and without a
# keyword) is plain code and skips the character loop: most tutorial lines are like that.
_SPECIAL = re.compile(r"""['"`$(){}<\\#;&|\[]""")
_OPENERS = frozenset({"if", "case", "for", "while", "until", "select", "{"})
_CLOSERS = frozenset({"fi", "esac", "done", "}"})
_PREFIXES = frozenset({"then", "do", "else", "elif", "!", "time", "function"})
_KEYWORDS = _OPENERS | _CLOSERS | _PREFIXES
#: a here-document's word, quoted in whole or in part (``<<'EOF'``, ``<<E"O"F``, ``<<\\EOF``): it ends
#: at the word without its quotes, and a quote anywhere in it leaves the body unexpanded
_HEREDOC = re.compile(r"""<<(-?)\s*((?:'[^']*'|"[^"]*"|\\.|[A-Za-z0-9_.-])+)""")
_HEREDOC_PART = re.compile(r"""'([^']*)'|"([^"]*)"|\\(.)|([^'"\\]+)""")
_SEPARATORS = re.compile(r"[;&|()\n]")
_UNQUOTED = re.compile(r"""\\.|\[\.\.\.\]|\$\(|\$\{|\$'|<<-?|[#'"`()]""")
#: inside ``$'...'`` a backslash escapes the next character (``$'it\'s'``)
_IN_ANSI = re.compile(r"""\\.|'""")
_IN_DOUBLE = re.compile(r"""\\.|\[\.\.\.\]|\$\(|\$\{|["`]""")
_IN_PARAM = re.compile(r"""\\.|[}'"]""")


@record
class PlaceholderSpot:
    """Where a ``[...]`` sits in executable text and how the shell will read it there."""

    line: int  # 0-based line within the block
    column: int
    context: str  # "" (bare word), '"' (inside double quotes), "'" (single quotes), "heredoc"


@record
class Group:
    """Comments followed by the complete commands they introduce (either part may be empty)."""

    comment_lines: list[int] = field(default_factory=list)  # 0-based line indexes
    code_lines: list[int] = field(default_factory=list)
    blank_between: bool = False  # a blank line separates the comments from the code

    @property
    def first(self) -> int:
        return (self.comment_lines or self.code_lines)[0]

    @property
    def last(self) -> int:
        return (self.code_lines or self.comment_lines)[-1]


@record
class ScanResult:
    """What a quick, quote-aware scan of a block finds: its groups, its placeholders, where its code ends."""

    groups: list[Group]
    placeholders: list[PlaceholderSpot]
    complete: bool  # False when the block ends inside a quote, heredoc or compound command
    #: for each line, where its code ends (a trailing comment or the line's end); -1 = comment/blank
    code_end: list[int]
    heredoc_lines: set[int] = field(default_factory=set)  # bodies and closing delimiters of heredocs


class _Lexer:
    """Carries quoting, nesting and heredoc state from one line to the next."""

    __slots__ = ("continued", "depth", "heredoc", "pending", "stack")

    def __init__(self) -> None:
        self.stack: list[str] = []  # open contexts: ' $' " ` $( ( ${
        self.depth = 0  # open compound commands: if/case/loops/brace groups
        self.pending: list[tuple[str, bool, bool]] = []  # heredocs announced on this line
        self.heredoc: tuple[str, bool, bool] | None = None  # (delimiter, strip tabs, quoted)
        self.continued = False

    @property
    def at_top(self) -> bool:
        return not (self.stack or self.depth or self.heredoc or self.continued)

    def feed(self, text: str, index: int, spots: list[PlaceholderSpot]) -> int:
        """Lex one line of code; return where its code ends (start of a trailing comment)."""
        if self.heredoc is not None:
            delimiter, strip_tabs, quoted = self.heredoc
            candidate = text.lstrip("\t") if strip_tabs else text
            if candidate == delimiter:
                self.heredoc = self.pending.pop(0) if self.pending else None
            else:
                _find_spots(text, 0, len(text), index, "heredoc-literal" if quoted else "heredoc", spots)
            return len(text)
        self.continued = False
        end = len(text)
        if not self.stack and _SPECIAL.search(text, 0, len(text) - 1 if text.endswith("\\") else len(text)) is None:
            # no quotes, separators or expansions: only the first word can be a keyword
            first = text.split(None, 1)
            if first and first[0] in _KEYWORDS:
                self._count_keywords(text)
        else:
            end = self._scan(text, index, spots)
        if end == len(text) and text.endswith("\\") and (not self.stack or self.stack[-1] != "'"):
            # an odd number of trailing backslashes continues the line
            trailing = len(text) - len(text.rstrip("\\"))
            self.continued = trailing % 2 == 1
        if self.pending and not self.continued and not self.stack:
            self.heredoc = self.pending.pop(0)
        return end

    def _scan(self, text: str, index: int, spots: list[PlaceholderSpot]) -> int:
        """Lex a line that has special characters; jumps from one interesting lexeme to the next."""
        stack = self.stack
        residue: list[str] = []  # the unquoted text, to find keywords in command position
        i, n = 0, len(text)
        while i < n:
            top = stack[-1] if stack else ""
            if top in ("'", "$'"):
                if top == "'":
                    close = text.find("'", i)
                else:  # $'...': a backslash escapes the quote (`$'it\'s'`)
                    match = _IN_ANSI.search(text, i)
                    while match is not None and match.group() != "'":
                        match = _IN_ANSI.search(text, match.end())
                    close = -1 if match is None else match.start()
                _find_spots(text, i, n if close == -1 else close, index, "'", spots)
                if close == -1:
                    return n
                stack.pop()
                i = close + 1
                continue
            if top == '"' or top == "${":
                match = (_IN_DOUBLE if top == '"' else _IN_PARAM).search(text, i)
                if match is None:
                    return n
                lexeme, i = match.group(), match.end()
                if lexeme == "[...]":
                    spots.append(PlaceholderSpot(index, match.start(), '"'))
                elif lexeme == top or (lexeme == "}" and top == "${"):
                    stack.pop()
                elif lexeme[0] != "\\":
                    stack.append(lexeme)
                continue
            match = _UNQUOTED.search(text, i)
            if match is None:
                residue.append(text[i:])
                break
            start = match.start()
            residue.append(text[i:start])
            lexeme, i = match.group(), match.end()
            first = lexeme[0]
            if first == "\\" or lexeme == "${":
                residue.append("_")
                if lexeme == "${":
                    stack.append(lexeme)
            elif lexeme == "[...]":
                spots.append(PlaceholderSpot(index, start, ""))
                residue.append("_")
            elif first == "#":
                if start == 0 or text[start - 1] in " \t;&|()":
                    n = start  # a comment: the code of this line ends here
                    break
                residue.append("#")
            elif first == "'" or first == '"' or lexeme == "$'":
                stack.append(lexeme)
                residue.append("_")
            elif first == "`":
                if top == "`":
                    stack.pop()
                else:
                    stack.append("`")
            elif lexeme == "$(" or first == "(":
                stack.append(lexeme)
                residue.append(";" if lexeme == "$(" else "(")
            elif first == ")":
                if top == "$(" or top == "(":
                    stack.pop()
                residue.append(")")  # an unmatched ")" ends a case pattern
            elif text.startswith("<<<", start):
                residue.append("_")
                i = start + 3
            else:
                heredoc = _HEREDOC.match(text, start)
                if heredoc is None:
                    residue.append(lexeme)
                    continue
                written = heredoc.group(2)
                quoted = any(c in written for c in "'\"\\")
                word = "".join("".join(p) for p in _HEREDOC_PART.findall(written)) if quoted else written
                self.pending.append((word, heredoc.group(1) == "-", quoted))
                residue.append("_")
                i = heredoc.end()
        if not stack:
            self._count_keywords("".join(residue))
        return n

    def _count_keywords(self, residue: str) -> None:
        for segment in _SEPARATORS.split(residue):
            for word in segment.split():
                if word in _OPENERS:
                    self.depth += 1
                elif word in _CLOSERS:
                    self.depth = max(0, self.depth - 1)
                if word not in _PREFIXES and word != "{":
                    break  # only the command word (after then/do/else/...) can be a keyword


def _find_spots(text: str, start: int, end: int, index: int, ctx: str, out: list[PlaceholderSpot]) -> None:
    at = text.find(PLACEHOLDER, start, end)
    while at != -1:
        out.append(PlaceholderSpot(index, at, ctx))
        at = text.find(PLACEHOLDER, at + len(PLACEHOLDER), end)


def scan(lines: list[str]) -> ScanResult:
    """Group ``lines`` into comments + complete commands and find the placeholders in code."""
    lexer = _Lexer()
    groups: list[Group] = []
    spots: list[PlaceholderSpot] = []
    code_end = [-1] * len(lines)
    heredoc_lines: set[int] = set()
    current = Group()
    blank_after_comments = False

    def close() -> None:
        nonlocal current, blank_after_comments
        if current.comment_lines or current.code_lines:
            groups.append(current)
        current = Group()
        blank_after_comments = False

    simple = _SPECIAL.search
    for index, raw in enumerate(lines):
        if (
            lexer.at_top
            and not blank_after_comments
            and raw
            and not raw[0].isspace()
            and raw[0] != "#"
            and simple(raw, 0, len(raw) - 1 if raw[-1] == "\\" else len(raw)) is None
            and raw.split(None, 1)[0] not in _KEYWORDS
        ):
            # the common case: a plain command line, possibly continued with a trailing backslash
            code_end[index] = len(raw)
            current.code_lines.append(index)
            lexer.continued = raw[-1] == "\\"
            continue
        if not lexer.at_top:
            if lexer.heredoc is not None:
                heredoc_lines.add(index)
            code_end[index] = lexer.feed(raw, index, spots)
            current.code_lines.append(index)
            continue
        stripped = raw.strip()
        if not stripped:
            if current.code_lines:
                close()
            elif current.comment_lines:
                if blank_after_comments:  # a second blank line: the comments stand alone
                    close()
                else:
                    blank_after_comments = True
            continue
        if stripped.startswith("#"):
            if current.code_lines or blank_after_comments:
                close()
            current.comment_lines.append(index)
            continue
        if blank_after_comments and not current.code_lines:
            current.blank_between = True
        code_end[index] = lexer.feed(raw, index, spots)
        current.code_lines.append(index)
    close()
    return ScanResult(groups, spots, lexer.at_top and not lexer.pending, code_end, heredoc_lines)


def comment_items(lines: list[str], indexes: list[int]) -> list[tuple[int, str]]:
    """Join a comment group into items: ``# Foo`` starts one, ``#   bar`` continues it.

    Returns (first line index, text) pairs with the ``#`` and the wrapping removed. Shebangs
    are not prose and are left out.
    """
    items: list[tuple[int, str]] = []
    for index in indexes:
        body = lines[index].strip()[1:]
        text = body.strip()
        if not text or body.startswith("!"):
            continue
        if items and body.startswith(("  ", "\t")):
            first, previous = items[-1]
            items[-1] = (first, f"{previous} {text}")
        else:
            items.append((index, text))
    return items
