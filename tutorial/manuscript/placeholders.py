"""Turn ``[...]`` spots in a block into named placeholders with the prompt the manuscript gives.

Two kinds of placeholder, told apart by their names:

* ``export DOCKERHUB_USERNAME=[...]`` sets a variable the reader may already have: its name is
  that variable, and a value may come from the reader's environment.
* Any other spot (``cat [...]``, ``--region [...]``) is a question of the page alone. Its name
  starts with ``@`` (``@GCP_CREDENTIALS_PATH``), which no shell or environment variable can
  have: it is never filled from ``$PATH`` or from a variable a step happened to set, only by
  the reader's answer.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from tutorial.manuscript.model import Placeholder
from tutorial.manuscript.shellscan import PLACEHOLDER, Group, PlaceholderSpot, ScanResult, comment_items, scan
from tutorial.records import record

#: The first character of the name of a placeholder that is not a variable the block assigns.
INLINE = "@"

_ASSIGNMENT = re.compile(
    r"(?:^|[\s;&|(])(?:export\s+|local\s+|readonly\s+|declare\s+(?:-\w+\s+)*)?(?P<name>[A-Za-z_]\w*)\+?=[\"']?$"
)
_FLAG = re.compile(r"--?(?P<flag>[A-Za-z][\w-]*)(?:=|\s+)[\"']?$")
_REPLACE = re.compile(r"^replace\s+`?\[\.\.\.\]`?\s+(?:with|by)\s+", re.I)
_SECRET_WORDS = frozenset(
    {
        "PASSWORD",
        "PASSWD",
        "PASS",
        "PWD",
        "SECRET",
        "SECRETS",
        "TOKEN",
        "KEY",
        "CREDENTIAL",
        "CREDENTIALS",
        "APIKEY",
        "PAT",
        "PASSPHRASE",
        "PRIVATE",
    }
)
_SECRET_ENDINGS = ("PASSWORD", "TOKEN", "SECRET", "APIKEY", "CREDENTIAL", "CREDENTIALS")
#: Words by which a prompt says its value is in what earlier commands printed.
_OUTPUT_WORDS = frozenset({"output", "outputs", "printed", "prints", "returned", "returns", "displayed", "shown"})
#: A field of a command's output named in backticks: ``the `password` ``, ``the `appId` ``.
_FIELD = re.compile(r"[a-z][A-Za-z0-9_.-]*")


def looks_secret(name: str) -> bool:
    """Whether a variable's name says it holds a secret (``AWS_SECRET_ACCESS_KEY``, ``GITHUB_TOKEN``)."""
    if name == "PWD":  # the working directory, not a password
        return False
    for word in re.split(r"[^A-Z0-9]+", name.upper()):
        if word in _SECRET_WORDS or word.endswith(_SECRET_ENDINGS):
            return True
    return False


def secret_name_globs() -> list[str]:
    """:func:`looks_secret` as shell glob patterns over ``_NAME_`` (upper-cased; ``_`` parts words).

    The session's shell judges names itself, when it writes its snapshot at every prompt.
    """
    return [f"*_{word}_*" for word in sorted(_SECRET_WORDS)] + [f"*{end}_*" for end in _SECRET_ENDINGS]


def is_inline(name: str) -> bool:
    """Whether ``name`` is a question of the page (``@NAME``) rather than a variable's name."""
    return name.startswith(INLINE)


def question_lines(lines: list[str], groups: list[Group], index: int) -> list[int]:
    """The comment lines that ask for the placeholders in ``groups[index]``.

    Its own comments, and the stand-alone comment groups just above it that speak of
    ``[...]`` too: an author may set the question apart from its alternatives with a blank
    line ("# Replace `[...]` with the domain" / blank / "# If you have none, replace ...").
    """
    found = list(groups[index].comment_lines)
    before = index - 1
    while (
        before >= 0
        and not groups[before].code_lines
        and any(PLACEHOLDER in lines[i] for i in groups[before].comment_lines)
    ):
        found = groups[before].comment_lines + found
        before -= 1
    return found


def prompt_for(lines: list[str], comment_lines: list[int]) -> str:
    """The question to ask: the sentences of those comments that mention ``[...]``, or all of them.

    A sentence may run over several comment lines: a line continues the one before when it is
    indented ("#   previous output.") or starts in lower case or with a bracket ("# from the
    previous output", "# (everything after 'kbld:')"); a capital starts a new one.
    """
    sentences: list[str] = []
    for _, text in comment_items(lines, comment_lines):
        if sentences and (text[:1].islower() or text[:1] in "(["):
            sentences[-1] = f"{sentences[-1]} {text}"
        else:
            sentences.append(text)
    relevant = [text for text in sentences if PLACEHOLDER in text] or sentences
    text = " ".join(_REPLACE.sub("", item, count=1) if i == 0 else item for i, item in enumerate(relevant))
    text = text.strip()
    if text.count("`") % 2:  # a stray backtick ("your access key ID`") would garble the rendering
        text = text[::-1].replace("`", "", 1)[::-1]
    return text[:1].upper() + text[1:]


#: Words a phrase cannot end with: "Replace `[...]` with your desired" was cut short.
_DANGLING = frozenset({"desired", "preferred", "chosen", "your", "the", "a", "an", "with", "of", "for", "to", "new"})


def _completed(prompt: str, name: str) -> str:
    """``prompt`` completed from its variable when it stops short ("Your desired" -> "Your desired GCP region")."""
    words = prompt.rstrip(" .:").split()
    if not words or words[-1].lower() not in _DANGLING:
        return prompt
    said = [w if len(w) <= 3 and w.isupper() else w.lower() for w in name.split("_") if w]
    return " ".join([*words, *said]) if said else prompt


def asks_for_output(prompt: str) -> bool:
    """Whether the answer is in what earlier commands printed ("from the previous output", "the `password`").

    The prompt is read as Markdown inline text: a code span naming a lower-case field
    (```password```) is a field of a command's output; a ``$VARIABLE`` or ``[...]`` is not.
    """
    from tutorial.manuscript.tokenizer import markdown

    for block in markdown().parseInline(prompt):
        for child in block.children or []:
            if child.type == "code_inline" and _FIELD.fullmatch(child.content):
                return True
            if child.type == "text" and _OUTPUT_WORDS & set(re.findall(r"[a-z]+", child.content.lower())):
                return True
    return False


def output_questions(lines: list[str], result: ScanResult) -> list[int]:
    """Where the questions about earlier output start: the first line of each such question."""
    holding = {spot.line for spot in result.placeholders}
    cuts: list[int] = []
    for position, group in enumerate(result.groups):
        if not holding.intersection(group.code_lines):
            continue
        asked = question_lines(lines, result.groups, position)
        if asked and asks_for_output(prompt_for(lines, asked)):
            cuts.append(asked[0])
    return cuts


_LEADING = frozenset({"a", "an", "the", "your", "you", "my", "our", "some", "any", "valid", "new", "desired"})
_STOP = frozenset(
    {
        "from",
        "of",
        "for",
        "in",
        "to",
        "with",
        "that",
        "which",
        "as",
        "on",
        "at",
        "by",
        "and",
        "or",
        "e",
        "eg",
        "if",
        "you",
        "is",
        "are",
        "will",
        "where",
        "when",
    }
)
_BELONGS = frozenset({"of", "to", "for"})


def _words(words: list[str], limit: int) -> tuple[list[str], int]:
    """Up to ``limit`` leading content words (after articles), and where they stop."""
    start = 0
    while start < len(words) and words[start].lower() in _LEADING:
        start += 1
    end = start
    while end < len(words) and words[end].lower() not in _STOP and end - start < limit:
        end += 1
    return [w.upper() for w in words[start:end]], end


def name_from_prompt(prompt: str) -> str:
    """``A valid GitHub user name from the output`` → ``GITHUB_USER_NAME``: a name a reader can type.

    "the path to your gcp credentials" names what the path belongs to: ``GCP_CREDENTIALS_PATH``.
    """
    words = re.findall(r"[A-Za-z][A-Za-z0-9]*", prompt.split(".")[0])
    kept, end = _words(words, 3)
    if len(kept) == 1 and end < len(words) and words[end].lower() in _BELONGS:
        owner, _ = _words(words[end + 1 :], 2)
        kept = [*owner, *kept]
    return "_".join(kept)


def name_for(code_line: str, column: int, line_number: int, prompt: str = "") -> tuple[str, bool]:
    """The variable a placeholder sets, or an ``@`` name derived from its option or its prompt."""
    before = code_line[:column]
    match = _ASSIGNMENT.search(before)
    if match:
        return match.group("name"), True
    match = _FLAG.search(before)
    if match:
        return INLINE + re.sub(r"\W", "_", match.group("flag")).upper(), False
    return INLINE + (name_from_prompt(prompt) or f"VALUE_LINE_{line_number}"), False


def build(
    lines: list[str],
    spots: list[PlaceholderSpot],
    groups: list[Group],
    line_numbers: list[int],
    marked_secret: frozenset[str],
) -> list[Placeholder]:
    """Placeholders for ``spots`` (indexes into ``lines``), with page line numbers."""
    group_of: dict[int, int] = {}
    for position, group in enumerate(groups):
        for index in group.code_lines:
            group_of[index] = position
    found: list[Placeholder] = []
    seen: set[str] = set()
    for spot in spots:
        number = line_numbers[spot.line]
        held_by = group_of.get(spot.line)
        prompt = prompt_for(lines, question_lines(lines, groups, held_by)) if held_by is not None else ""
        name, assigned = name_for(lines[spot.line], spot.column, number, prompt)
        if assigned:
            prompt = _completed(prompt, name)
        base, suffix = name, 2
        while name in seen and not assigned:
            name, suffix = f"{base}_{suffix}", suffix + 1
        seen.add(name)
        secret = name in marked_secret or looks_secret(name)
        found.append(Placeholder(name, prompt, secret, number, assigned, spot.column, spot.context))
    return found


@record(frozen=True)
class Located:
    """A ``[...]`` in the code about to run, and the manuscript's placeholder it stands for."""

    placeholder: Placeholder | None  # None: nothing in the manuscript's step matches it
    line: int  # 0-based line in the code
    column: int
    context: str  # how the shell reads it there (see ``PlaceholderSpot``)


def _key(placeholder: Placeholder) -> str:
    """What stays the same when a step is edited: the variable, or the question without its ``_2``."""
    return placeholder.name if placeholder.assigned else re.sub(r"_\d+$", "", placeholder.name)


def locate(code: str, expected: Sequence[Placeholder]) -> list[Located]:
    """Find the placeholders in ``code`` (the step as written, or as the reader edited it).

    The code is read again with the same lexer as the manuscript, so a ``[...]`` in a comment
    is never one and a line added above moves nothing. Each spot is matched to the step's
    placeholders by name, in order (a reader's edit keeps ``export NAME=[...]``); spots left
    between two matches pair up one for one (but a variable the reader renamed is another
    variable: it never takes the old one's value); a spot moved elsewhere is matched by its name;
    any other spot stays unmatched (and must not run).
    """
    lines = code.splitlines()
    result = scan(lines)
    found = build(lines, result.placeholders, result.groups, list(range(1, len(lines) + 1)), frozenset())
    matched: list[Placeholder | None] = [None] * len(found)
    keys = [_key(p) for p in expected]
    unused = set(range(len(expected)))
    import difflib  # (only for a step the reader edited)

    matcher = difflib.SequenceMatcher(None, keys, [_key(p) for p in found], autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal" or (tag == "replace" and i2 - i1 == j2 - j1):
            for offset in range(j2 - j1):
                if tag == "replace" and expected[i1 + offset].assigned and found[j1 + offset].assigned:
                    continue  # ``export B=[...]`` where ``export A=[...]`` was: another variable, not A's value
                matched[j1 + offset] = expected[i1 + offset]
                unused.discard(i1 + offset)
    for position, placeholder in enumerate(found):  # lines the reader moved keep their names
        same = [i for i in sorted(unused) if keys[i] == _key(placeholder)]
        if matched[position] is None and same:
            matched[position] = expected[same[0]]
            unused.discard(same[0])
    return [
        Located(placeholder, spot.line, spot.column, spot.context)
        for placeholder, spot in zip(matched, result.placeholders, strict=True)
    ]
