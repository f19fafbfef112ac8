"""Turn ``[...]`` spots in a block into named placeholders with the prompt the manuscript gives."""

from __future__ import annotations

import re

from tutorial.manuscript.model import Placeholder
from tutorial.manuscript.shellscan import Group, PlaceholderSpot, comment_items

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


def looks_secret(name: str) -> bool:
    """Whether a variable's name says it holds a secret (``AWS_SECRET_ACCESS_KEY``, ``GITHUB_TOKEN``)."""
    if name == "PWD":  # the working directory, not a password
        return False
    for word in re.split(r"[^A-Z0-9]+", name.upper()):
        if word in _SECRET_WORDS or word.endswith(_SECRET_ENDINGS):
            return True
    return False


def prompt_for(lines: list[str], group: Group | None) -> str:
    """The question to ask: the group's comments that mention ``[...]``, or all of them."""
    if group is None or not group.comment_lines:
        return ""
    items = [text for _, text in comment_items(lines, group.comment_lines)]
    relevant = [text for text in items if "[...]" in text] or items
    text = " ".join(_REPLACE.sub("", item, count=1) if i == 0 else item for i, item in enumerate(relevant))
    text = text.strip()
    if text.count("`") % 2:  # a stray backtick ("your access key ID`") would garble the rendering
        text = text[::-1].replace("`", "", 1)[::-1]
    return text[:1].upper() + text[1:]


_LEADING = frozenset({"a", "an", "the", "your", "you", "my", "our", "some", "any", "valid", "new"})
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


def name_from_prompt(prompt: str) -> str:
    """``A valid GitHub user name from the output`` → ``GITHUB_USER_NAME``: a name a reader can type."""
    words = re.findall(r"[A-Za-z][A-Za-z0-9]*", prompt.split(".")[0])
    while words and words[0].lower() in _LEADING:
        words = words[1:]
    kept: list[str] = []
    for word in words:
        if word.lower() in _STOP or len(kept) == 3:
            break
        kept.append(word.upper())
    return "_".join(kept)


def name_for(code_line: str, column: int, line_number: int, prompt: str = "") -> tuple[str, bool]:
    """The variable a placeholder sets, or a name derived from its option or its prompt."""
    before = code_line[:column]
    match = _ASSIGNMENT.search(before)
    if match:
        return match.group("name"), True
    match = _FLAG.search(before)
    if match:
        return re.sub(r"\W", "_", match.group("flag")).upper(), False
    return name_from_prompt(prompt) or f"VALUE_LINE_{line_number}", False


def build(
    lines: list[str],
    spots: list[PlaceholderSpot],
    groups: list[Group],
    line_numbers: list[int],
    marked_secret: frozenset[str],
) -> list[Placeholder]:
    """Placeholders for ``spots`` (indexes into ``lines``), with page line numbers."""
    group_of: dict[int, Group] = {}
    for group in groups:
        for index in group.code_lines:
            group_of[index] = group
    found: list[Placeholder] = []
    seen: set[str] = set()
    for spot in spots:
        number = line_numbers[spot.line]
        prompt = prompt_for(lines, group_of.get(spot.line))
        name, assigned = name_for(lines[spot.line], spot.column, number, prompt)
        base, suffix = name, 2
        while name in seen and not assigned:
            name, suffix = f"{base}_{suffix}", suffix + 1
        seen.add(name)
        secret = name in marked_secret or looks_secret(name)
        found.append(Placeholder(name, prompt, secret, number, assigned, spot.column, spot.context))
    return found
