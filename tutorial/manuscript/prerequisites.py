"""Find the prerequisites a page states in prose: "Install `kbld`", "Make sure Docker is running".

A sentence that says "Install X" names something; it is a *program* the reader needs only
when there is evidence for it, because a program on the list is looked up on PATH and a wrong
name ("traefik." from "Install Traefik.", "visual" from "Install [Visual Studio Code]") stays
"missing" forever. The evidence is one of:

* the page's steps, or the manuscript's helper scripts they call, call a program of that name;
* the sentence's link says so: the link's text is the tool ("[gum](…)", "[Install `helm`](…)"),
  or the link (or a URL written out) points to its install page or names it.

The sentence is read from markdown-it's inline tokens: a code span is one name, a link gives
its label and href, so nothing is rebuilt into text and guessed at again.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import field
from pathlib import Path

from markdown_it.token import Token

from tutorial.manuscript.model import Prerequisite, PrerequisiteKind
from tutorial.manuscript.shellscan import scan
from tutorial.records import record

_DOCKER_RUNNING = re.compile(
    r"\bmake\s+sure\s+(?:that\s+)?(?:the\s+)?docker(?:\s+engine|\s+desktop)?\s+is\s+"
    r"(?:up\s+and\s+)?running",
    re.I,
)
DOCKER_INSTALL = "https://docs.docker.com/get-docker/"
_URL = re.compile(r"https?://[^\s)>\]`'\"]+")
_WORD = re.compile(r"[A-Za-z0-9][\w.+-]*[A-Za-z0-9_+]|[A-Za-z0-9]|[^\w\s]")
_COMMAND_NAME = re.compile(r"^[A-Za-z0-9][\w.+-]*$")
#: Words between "install" and the thing installed ("Install and configure [Go]").
_LEAD = frozenset({"the", "a", "an", "and", "configure", "set", "up"})
#: Words that end the name of the thing installed ("Install `gum` by following ...").
_CLAUSE_END = frozenset({"by", "from", "for", "in", "into", "on", "with", "to", "using", "via", "if", "as", "so"})
_PUNCTUATION_END = frozenset({".", ",", ";", ":", "(", "!", "?"})
#: Openers allowed before "install": "If needed, install …", "First, install …".
_POLITE = frozenset({"please", "also", "then", "first", "now"})
#: Nouns after a name that describe the kind of tool, not part of its name.
_GENERIC = frozenset({"cli", "command", "command-line", "tool", "binary", "client"})
#: Nouns after a name that make it something installed *into* another program: not on PATH.
_NOT_A_PROGRAM = frozenset(
    {"extension", "plugin", "plug-in", "provider", "chart", "operator", "add-on", "addon", "module", "package"}
)
#: Pronouns and the like: "Install it", "Install everything".
_NOTHING = frozenset({"it", "this", "that", "them", "all", "everything", "dependencies", "tools"})
#: Tools whose usual name differs from the command they install.
ALIASES = {
    "github": "gh",
    "docker desktop": "docker",
    "rancher desktop": "rdctl",
    "google cloud": "gcloud",
    "google cloud sdk": "gcloud",
    "azure": "az",
    "visual studio code": "code",
    "vs code": "code",
    "vscode": "code",
}


@record(frozen=True)
class _Piece:
    kind: str  # "word", "code", "punct" or "url"
    text: str
    link: int = -1  # index into the sentence's links, -1 outside any link


@record
class _Sentence:
    pieces: list[_Piece] = field(default_factory=list)
    links: list[str] = field(default_factory=list)  # hrefs, in order
    visible: list[str] = field(default_factory=list)  # the text a reader sees, in parts

    @property
    def plain(self) -> str:
        return " ".join("".join(self.visible).split())


@record(frozen=True)
class Named:
    """A tool an "Install X" sentence names, before we know whether it is a program."""

    name: str  # a code span as written, other words in lower case; aliases applied ("rancher desktop" -> "rdctl")
    link: str  # where to get it ("" when the sentence gives none)
    line: int
    text: str  # the sentence
    vouched: bool  # the link says it is this tool (see the module's docstring)
    program: bool = True  # False for "the `X` extension", "X plugin": never on PATH

    @property
    def single(self) -> bool:
        return bool(_COMMAND_NAME.match(self.name))


def _sentence(children: Sequence[Token]) -> _Sentence:
    sentence = _Sentence()
    opened: list[int] = []
    for child in children:
        kind = child.type
        link = opened[-1] if opened else -1
        if kind == "text":
            _words(child.content, link, sentence.pieces)
            sentence.visible.append(child.content)
        elif kind == "code_inline":
            sentence.pieces.append(_Piece("code", child.content.strip(), link))
            sentence.visible.append(child.content)
        elif kind in ("softbreak", "hardbreak"):
            sentence.visible.append(" ")
        elif kind == "link_open":
            sentence.links.append(str(child.attrGet("href") or ""))
            opened.append(len(sentence.links) - 1)
        elif kind == "link_close" and opened:
            opened.pop()
    return sentence


def _words(text: str, link: int, into: list[_Piece]) -> None:
    position = 0
    for url in _URL.finditer(text):
        _plain_words(text[position : url.start()], link, into)
        into.append(_Piece("url", url.group(0).rstrip(".,;:"), link))
        position = url.end()
    _plain_words(text[position:], link, into)


def _plain_words(text: str, link: int, into: list[_Piece]) -> None:
    for word in _WORD.findall(text):
        into.append(_Piece("word" if word[0].isalnum() else "punct", word, link))


def _install_verb(pieces: list[_Piece]) -> int:
    """Where "install" opens the sentence (after "If needed," and the like), else -1."""
    for index, piece in enumerate(pieces):
        if piece.kind == "word" and piece.text.lower() == "install":
            before = [p for p in pieces[:index] if not (p.kind == "word" and p.text.lower() in _POLITE)]
            if not before:
                return index
            # a short opening clause ending with a comma: "If needed, install ..."
            words = [p for p in before[:-1] if p.kind == "word"]
            if before[-1].text == "," and len(words) == len(before) - 1 and len(words) <= 4:
                return index
            return -1
    return -1


def _object(pieces: list[_Piece], verb: int) -> list[_Piece]:
    """The pieces naming what is installed: a link's label, a code span, or the words up to the clause's end."""
    rest = pieces[verb + 1 :]
    while rest and rest[0].kind == "word" and rest[0].text.lower() in _LEAD:
        rest = rest[1:]
    if not rest:
        return []
    first = rest[0]
    if first.link >= 0:  # the link's label is the thing: "[gum](…)", "[Install `kbld` CLI](…)"
        return [p for p in rest if p.link == first.link and p.kind != "url"]
    found: list[_Piece] = []
    for piece in rest:
        if piece.kind in ("punct", "url") and (piece.kind == "url" or piece.text in _PUNCTUATION_END):
            break
        if piece.kind == "word" and piece.text.lower() in _CLAUSE_END:
            break
        if piece.link >= 0:
            break
        found.append(piece)
    return found


def _name(pieces: list[_Piece]) -> tuple[str, bool]:
    """The name the object pieces give, and whether it can be a program at all."""
    words = [p.text.lower() for p in pieces if p.kind == "word"]
    program = not any(word in _NOT_A_PROGRAM for word in words)
    codes = [p.text for p in pieces if p.kind == "code" and p.text]
    if codes:
        return codes[0], program  # as written: `Open Browser Preview` is a name, but not a command
    while words and words[-1] in (_GENERIC | _NOT_A_PROGRAM):
        words.pop()
    return " ".join(words), program


def _points_at(href: str, name: str) -> bool:
    """Whether a URL is an install or download page, or names the tool."""
    lowered = href.lower()
    if "install" in lowered or "download" in lowered:
        return True
    return name.lower() in re.split(r"[/.#?=_-]+", lowered.split("://", 1)[-1])


def named(children: Sequence[Token], line: int) -> list[Named]:
    """The tool an "Install X" bullet, paragraph or comment names (none, or one)."""
    sentence = _sentence(children)
    verb = _install_verb(sentence.pieces)
    if verb < 0:
        return []
    return _found(sentence, _object(sentence.pieces, verb), line)


#: Words between "install" and the colon of a sentence that introduces a list ("install the following:").
_LIST_LEAD = frozenset({"the", "following", "these", "tools", "programs", "first"})


def install_lead(children: Sequence[Token]) -> bool:
    """A sentence that introduces a list of tools to install: "First you need to install:"."""
    pieces = _sentence(children).pieces
    if len(pieces) < 2 or pieces[-1].text != ":":
        return False
    for piece in reversed(pieces[:-1]):
        word = piece.text.lower() if piece.kind == "word" else ""
        if word in ("install", "installed"):
            return True
        if word not in _LIST_LEAD:
            return False
    return False


def listed(children: Sequence[Token], line: int) -> list[Named]:
    """The tool a list item under an install lead names: the link it opens with ("1. [Kind](…)").

    An item that does not open with a link ("The [book](…) …") names nothing: only a link's
    label is taken for a tool's name here, as there is no "Install" to read the name after.
    """
    sentence = _sentence(children)
    pieces = sentence.pieces
    if not pieces or pieces[0].link < 0:
        return []
    return _found(sentence, [p for p in pieces if p.link == pieces[0].link and p.kind != "url"], line)


def _found(sentence: _Sentence, pieces: list[_Piece], line: int) -> list[Named]:
    """The tool ``pieces`` (what is installed) name, with the link that gives it."""
    name, program = _name(pieces)
    if not name or name.lower() in _NOTHING:
        return []
    name = ALIASES.get(name.lower(), name)
    text = sentence.plain
    label_link = pieces[0].link if pieces and pieces[0].link >= 0 else -1
    if label_link >= 0 and sentence.links[label_link].startswith(("http://", "https://")):
        return [Named(name, sentence.links[label_link], line, text, True, program)]
    hrefs = [href for href in sentence.links if href.startswith(("http://", "https://"))]
    hrefs += [p.text for p in sentence.pieces if p.kind == "url"]
    link = hrefs[0] if hrefs else ""
    return [Named(name, link, line, text, bool(link) and _points_at(link, name), program)]


def docker_running(children: Sequence[Token], line: int) -> list[Prerequisite]:
    """ "Make sure Docker is running": a reachable engine, not only the docker program."""
    text = " ".join("".join(c.content if c.type in ("text", "code_inline") else " " for c in children).split())
    if "running" in text.lower() and _DOCKER_RUNNING.search(text):
        return [Prerequisite(PrerequisiteKind.DOCKER, "docker", DOCKER_INSTALL, line, text)]
    return []


def resolve(candidates: Iterable[Named], calls_program: Callable[[str], str | None]) -> list[Prerequisite]:
    """The named tools that are programs: vouched for by their link, or called by the steps.

    ``calls_program(name)`` answers whether the page's steps (or the helper scripts they
    call) run a program of that name, and how they spell it; it is asked only for a one-word
    name the link does not vouch for, since reading the steps costs more than the prose.
    """
    found: list[Prerequisite] = []
    for item in candidates:
        if not item.single or not item.program:
            continue  # "Core ClusterAPI", "the `Nocalhost` extension": no program is called that
        if item.vouched:
            found.append(Prerequisite(PrerequisiteKind.TOOL, item.name, item.link, item.line, item.text))
            continue
        program = calls_program(item.name)
        if program is not None:
            found.append(Prerequisite(PrerequisiteKind.TOOL, program, item.link, item.line, item.text))
    return found


class StepPrograms:
    """Which programs a page's steps call, read only as far as a question needs.

    A step is analysed only when its code (comments left out) mentions the name asked about,
    or when it may call a helper script of the manuscript (``*.sh``, ``$ADVENTURE_DIR``),
    whose programs count too. Most "Install X" sentences are vouched for by their link and
    never ask, so loading a manuscript rarely pays for a shell analysis.
    """

    def __init__(self, codes: Iterable[str], root: Path) -> None:
        self._given = list(codes)
        self._codes: list[tuple[str, str]] | None = None  # (code, its code without comments, lower case)
        self._root = root

    def spelling(self, name: str) -> str | None:
        """How the steps spell the program ``name`` (any case), or None when none calls it."""
        wanted = name.lower()
        if self._codes is None:
            self._codes = [(code, _without_comments(code)) for code in self._given]
        relevant = [code for code, bare in self._codes if wanted in bare or ".sh" in bare or "adventure_dir" in bare]
        if not relevant:
            return None
        for program in called_programs(relevant, self._root):
            if program.lower() == wanted:
                return program
        return None


def _without_comments(code: str) -> str:
    lines = code.splitlines()
    ends = scan(lines).code_end
    return "\n".join(line[:end] for line, end in zip(lines, ends, strict=True) if end > 0).lower()


def called_programs(codes: Iterable[str], root: Path) -> set[str]:
    """The programs ``codes`` call, with those of the manuscript's helper scripts they call.

    A step runs ``./manuscript/registry/dragonfly.sh`` (from the repository, the manuscript
    folder's parent) or ``"$ADVENTURE_DIR/registry/dragonfly.sh"``; a script outside the
    repository is not read.
    """
    from tutorial.shell.commands import calls, expand

    repository = root.resolve().parent
    env = {"ADVENTURE_DIR": str(root)}
    found: set[str] = set()
    pending = [(code, 0) for code in codes]
    read: set[Path] = set()
    while pending:
        code, depth = pending.pop()
        for call in calls(code)[0]:
            name = call.name
            target = expand(name, env) if ("$" in name or "`" in name) else name.strip("\"'")
            if target is None:
                continue
            if "/" not in target:
                found.add(target)
                continue
            script = _script(target, root, repository)
            if script is None or script in read or depth >= 2:
                continue
            read.add(script)
            try:
                pending.append((script.read_text(encoding="utf-8", errors="replace")[:_SCRIPT_LIMIT], depth + 1))
            except OSError:
                continue
    return found


_SCRIPT_LIMIT = 200_000  # characters of a helper script read for the programs it calls


def _script(target: str, root: Path, repository: Path) -> Path | None:
    """The helper script a step calls, when it is a file of the manuscript's repository."""
    candidates = [Path(target)] if Path(target).is_absolute() else [repository / target, root / target]
    for candidate in candidates:
        try:
            resolved = candidate.resolve()
        except OSError:
            continue
        if resolved.is_relative_to(repository) and resolved.is_file():
            return resolved
    return None
