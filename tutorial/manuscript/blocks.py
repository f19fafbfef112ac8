"""Turn one fenced code block into the steps a reader runs.

A block is usually one step. When comments inside it say that only part of it applies
("# If NOT EKS", "# Skip this step if you chose nip.io"), the block is split there so each
governed part is a step of its own that can be run or skipped on its own.
"""

from __future__ import annotations

import re
from dataclasses import field, replace

from markdown_it.token import Token

from tutorial.manuscript import placeholders
from tutorial.manuscript.conditions import (
    executed_script,
    find_conditions,
    marked_comment,
    may_state,
    skipped_command,
)
from tutorial.manuscript.model import Check, Condition, ConditionKind, SectionKind, Step
from tutorial.manuscript.shellscan import PLACEHOLDER, Group, ScanResult, comment_items, scan
from tutorial.records import record

SHELL_LANGUAGES = frozenset({"bash", "sh", "shell", "zsh", "console", "shell-session", "shellsession", "terminal", ""})
CONSOLE_LANGUAGES = frozenset({"console", "shell-session", "shellsession", "terminal"})
_TODO = re.compile(r"^\s*(?:#\s*)?TODO\b.*$", re.I | re.S)
_TREE = re.compile(r"[├└│]──|^\s*│", re.M)
_YAMLISH = re.compile(r"^\s*(?:-\s+)?[\w.\"'-]+:(?:\s|$)")
_PROMPT = re.compile(r"^(?:\S*[$#%]|>)\s")


@record
class Fence:
    """A fenced block as the parser found it."""

    info: str
    content: str
    fence_line: int  # 1-based line of the opening fence
    closed: bool
    section: str
    subsection: str
    section_kind: SectionKind
    intro: str = ""
    conditions: list[Condition] = field(default_factory=list)  # from the prose around the block
    checks: list[Check] = field(default_factory=list)
    secrets: frozenset[str] = frozenset()
    language: str = field(init=False)

    def __post_init__(self) -> None:
        word = self.info.split(None, 1)[0] if self.info.strip() else ""
        self.language = word.strip("{}.").lower()


def is_closed(token: Token) -> bool:
    """Whether markdown-it found the closing fence of ``token`` (a ``fence`` token).

    markdown-it ends an unclosed fence at the end of its container (the blockquote, the list
    item, the document) and then counts no closing line in ``token.map``: the map spans the
    opening line, the content lines, and the closing line only when there was one. This holds
    however deeply the fence is nested, where the raw lines carry ``>`` and indentation.
    """
    if token.map is None:
        return False
    start, end = token.map
    content = token.content
    lines = content.count("\n") + (1 if content and not content.endswith("\n") else 0)
    return end - start - 1 > lines


def not_runnable_reason(fence: Fence) -> str:
    """Why a shell-looking block must not be run, or "" when it can be."""
    text = fence.content.strip()
    if not fence.closed:
        return "the code block is never closed (add the closing ``` fence)"
    if not text:
        return "the code block is empty"
    if _TODO.match(text) and len(text.splitlines()) <= 2:
        return "the block is a placeholder (TODO:), not a command"
    if _TREE.search(text):
        return "the block shows a directory tree, not commands"
    if fence.language == "":
        lines = [line for line in text.splitlines() if line.strip()]
        if (
            lines
            and all(_YAMLISH.match(line) or line.startswith((" ", "\t", "-")) for line in lines)
            and _YAMLISH.match(lines[0])
        ):
            return "the block looks like YAML, not shell commands"
        if text[0] in "{[" and text[-1] in "}]":
            return "the block looks like JSON, not shell commands"
    return ""


def console_commands(content: str, first_line: int) -> tuple[list[str], list[int]]:
    """The commands of a console transcript (``$ cmd`` lines and their continuations)."""
    lines: list[str] = []
    numbers: list[int] = []
    continuing = False
    for offset, raw in enumerate(content.splitlines()):
        match = _PROMPT.match(raw)
        if match and not continuing:
            command = raw[match.end() :]
        elif continuing:
            command = raw
        else:
            continue
        lines.append(command)
        numbers.append(first_line + offset)
        continuing = command.endswith("\\")
    return lines, numbers


@record
class _Part:
    start: int
    end: int
    conditions: tuple[Condition, ...] = ()
    extra: list[Condition] = field(default_factory=list)  # proceed-if checks on its output
    sealed: bool = False  # nothing more may join this part


def _key(conditions: tuple[Condition, ...]) -> tuple[tuple[str, str, bool], ...]:
    return tuple((c.kind.value, c.subject.casefold(), c.negated) for c in conditions)


def _expected(condition: Condition) -> str:
    """The pattern a proceed-if check looks for: the text it names, or anything but blanks."""
    return re.escape(condition.subject) if condition.subject else r"\S"


def _split(lines: list[str], numbers: list[int], groups: list[Group]) -> list[_Part]:
    parts: list[_Part] = []
    plain: _Part | None = None  # the unconditioned part being extended
    lead: int | None = None  # first line of stand-alone comments waiting for the next part
    for group in groups:
        items = comment_items(lines, group.comment_lines)
        code = "\n".join(lines[i] for i in group.code_lines) if items else ""
        conditions = [
            c
            for index, text in items
            for c in find_conditions(marked_comment(text), numbers[index], comment=True, code=code)
        ]
        proceeds = [c for c in conditions if c.kind is ConditionKind.PROCEED_IF]
        governing = tuple(c for c in conditions if c.kind is not ConditionKind.PROCEED_IF)
        if proceeds and parts:
            # "Proceed further ONLY if the output contains ..." is about what ran before it
            parts[-1].extra.extend(proceeds)
            parts[-1].end = max(parts[-1].end, group.comment_lines[-1])
            parts[-1].sealed = True
            plain = None
            if not group.code_lines:
                continue
        if not group.code_lines:
            lead = group.first if lead is None else lead
            continue
        start = group.first if lead is None else lead
        lead = None
        if governing:
            previous = parts[-1] if parts else None
            if (
                previous
                and not previous.sealed
                and previous.conditions
                and _key(previous.conditions) == _key(governing)
            ):
                previous.end = group.last
            else:
                parts.append(_Part(start, group.last, governing))
            plain = None
        elif plain is not None and not plain.sealed:
            plain.end = group.last
        else:
            plain = _Part(start, group.last)
            parts.append(plain)
    if lead is not None and parts:
        parts[-1].end = len(lines) - 1
    return parts


def _split_before_questions(parts: list[_Part], cuts: list[int], code_end: list[int]) -> list[_Part]:
    """Start a new part at each of ``cuts`` that has commands before it in its part.

    A placeholder whose answer is in what earlier lines of the block print ("the version from
    the previous output") must be asked after those lines ran: its question opens a step of
    its own. Both halves keep the part's conditions; a check on the output stays with the end.
    """
    for cut in cuts:
        for position, part in enumerate(parts):
            if part.start < cut <= part.end and any(code_end[i] > 0 for i in range(part.start, cut)):
                rest = _Part(cut, part.end, part.conditions, part.extra, part.sealed)
                part.end, part.extra = cut - 1, []
                parts.insert(position + 1, rest)
                break
    return parts


#: "Open the URL from the output and enable the Kubernetes API": the reader acts outside the shell
_ACT_ELSEWHERE = re.compile(r"^(?:open|go\s+to|visit|use)\b.*\benable\b", re.I)


def _reader_acts(lines: list[str], result: ScanResult) -> list[int]:
    """Where the block tells the reader to enable something in a browser before the commands after it.

    The commands after it need what the reader enables (``gcloud container clusters create``
    after enabling the API): they form a step of their own, so running them again once it is
    enabled does not run again what came before (``gcloud projects create`` with a new name).
    """
    cuts: list[int] = []
    for position, group in enumerate(result.groups):
        if not group.comment_lines or not any(g.code_lines for g in result.groups[position:]):
            continue  # nothing after it waits for the reader
        for index, text in comment_items(lines, group.comment_lines):
            if _ACT_ELSEWHERE.search(text.replace("*", "").replace("_", " ")):
                cuts.append(index)
                break
    return cuts


def _trim(lines: list[str], start: int, end: int) -> tuple[int, int]:
    while start < end and not lines[start].strip():
        start += 1
    while end > start and not lines[end].strip():
        end -= 1
    return start, end


def _skipped_commands(fence: Fence, lines: list[str]) -> dict[Condition, int]:
    """Prose about one command of the block: the line where the commands it governs end.

    "Skip executing `devbox shell` if ...": that command, when it opens the block. "Execute
    `istio.sh` script only if ...": the lines from the block's start that name that script
    (`chmod +x manuscript/mtls/istio.sh`, `./manuscript/mtls/istio.sh`). Only when more commands
    follow them: the rule is about those alone, and the rest of the block is everyone's.
    """
    found: dict[Condition, int] = {}
    first = next((i for i, text in enumerate(lines) if _is_code(text)), None)
    if first is None:
        return found
    for condition in fence.conditions:
        named = skipped_command(condition)
        script = "" if named else executed_script(condition)
        if named and " ".join(lines[first].split()) == named:
            end = _command_end(lines, first)
        elif script and _runs(lines[first], script):
            end = _command_end(lines, first)
            following = next((i for i in range(end + 1, len(lines)) if _is_code(lines[i])), None)
            while following is not None and _runs(lines[following], script):
                end = _command_end(lines, following)
                following = next((i for i in range(end + 1, len(lines)) if _is_code(lines[i])), None)
        else:
            continue
        if any(_is_code(text) for text in lines[end + 1 :]):
            found[condition] = end
    return found


def _is_code(text: str) -> bool:
    return bool(text.strip()) and not text.lstrip().startswith("#")


def _command_end(lines: list[str], start: int) -> int:
    """The last line of the command starting at ``start`` (its continuation lines included)."""
    end = start
    while end < len(lines) - 1 and lines[end].rstrip().endswith("\\"):
        end += 1
    return end


def _runs(line: str, script: str) -> bool:
    """Whether a command line names ``script`` as a path (``./manuscript/mtls/istio.sh``, ``chmod +x istio.sh``)."""
    return any(word == script or word.endswith("/" + script) for word in line.split())


def steps_for(fence: Fence, page: str, first_index: int) -> list[Step]:
    """The steps of one shell block (empty for languages that are shown, not run)."""
    if fence.language not in SHELL_LANGUAGES:
        return []
    reason = not_runnable_reason(fence)
    code_first_line = fence.fence_line + 1
    if fence.language in CONSOLE_LANGUAGES and not reason:
        lines, numbers = console_commands(fence.content, code_first_line)
        if not lines:
            reason = "the console block shows output only (no `$ ` prompt lines)"
            lines = fence.content.splitlines()
            numbers = list(range(code_first_line, code_first_line + len(lines)))
    else:
        lines = fence.content.splitlines()
        numbers = list(range(code_first_line, code_first_line + len(lines)))
    start, end = _trim(lines, 0, len(lines) - 1) if lines else (0, -1)
    lines, numbers = lines[start : end + 1], numbers[start : end + 1]
    if not lines:
        lines, numbers = [""], [code_first_line]
    base = Step(
        page=page,
        index=first_index,
        line=numbers[0],
        end_line=numbers[-1],
        fence_line=fence.fence_line,
        language=fence.language or "sh",
        code="\n".join(lines),
        section=fence.section,
        section_kind=fence.section_kind,
        subsection=fence.subsection,
        intro=fence.intro,
        conditions=tuple(fence.conditions),
        checks=tuple(fence.checks),
        secrets=tuple(sorted(fence.secrets)),
    )
    if reason:
        return [replace(base, runnable=False, not_runnable_reason=reason)]
    lowered = fence.content.lower()
    governed = may_state(lowered, comment=True)  # no condition stated: the block is one step
    paused = "enable" in lowered and "#" in lowered  # "# Open the URL and *ENABLE* the API"
    skipped = _skipped_commands(fence, lines) if fence.conditions else {}
    if not governed and not paused and not skipped and PLACEHOLDER not in fence.content:
        # nothing to attach to commands: skip the lexer, which is most of the cost of a block
        has_code = any(line.strip() and not line.lstrip().startswith("#") for line in lines)
        if not has_code:
            return [replace(base, runnable=False, not_runnable_reason="the block holds only comments")]
        return [base]
    result = scan(lines)
    parts = _split(lines, numbers, result.groups) if governed and result.complete else []
    if len(parts) <= 1 and not (parts and parts[0].extra):
        parts = [_Part(0, len(lines) - 1, parts[0].conditions if parts else ())]
    else:
        parts[0].start = 0
        parts[-1].end = len(lines) - 1
    if result.complete and result.placeholders:
        cuts = placeholders.output_questions(lines, result)
        parts = _split_before_questions(parts, cuts, result.code_end)
    if result.complete and paused:
        parts = _split_before_questions(parts, _reader_acts(lines, result), result.code_end)
    if result.complete and skipped:
        parts = _split_before_questions(parts, sorted({end + 1 for end in skipped.values()}), result.code_end)
    steps: list[Step] = []
    for number, part in enumerate(parts):
        start, end = _trim(lines, part.start, part.end)
        spots = [spot for spot in result.placeholders if start <= spot.line <= end]
        found = placeholders.build(lines, spots, result.groups, numbers, fence.secrets) if spots else ()
        checks = fence.checks if number == len(parts) - 1 else []
        if part.extra:
            checks = [*checks, *(Check("", _expected(c), c.line, c.text) for c in part.extra)]
        code_end = result.code_end
        has_code = any(code_end[i] > 0 and not lines[i].isspace() for i in range(start, end + 1))
        steps.append(
            Step(
                page=page,
                index=first_index + number,
                line=numbers[start],
                end_line=numbers[end],
                fence_line=base.fence_line,
                language=base.language,
                code="\n".join(lines[start : end + 1]),
                section=base.section,
                section_kind=base.section_kind,
                subsection=base.subsection,
                intro=base.intro,
                runnable=has_code,
                not_runnable_reason="" if has_code else "the block holds only comments",
                # each rule once; one that skips the command opening the block governs that command only
                conditions=tuple(
                    dict.fromkeys(c for c in base.conditions + part.conditions if skipped.get(c, end) >= start)
                ),
                placeholders=tuple(found),
                checks=tuple(checks),
                secrets=base.secrets,
                part=number,
                parts=len(parts),
            )
        )
    return steps
