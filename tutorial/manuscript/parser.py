"""Build a :class:`Page` from markdown-it-py tokens.

One pass over the block tokens: headings open sections, fences become steps, list items and
paragraphs in "next" sections become options, prose before a block lends it its intro and
conditions, HTML comments after a block add checks. Everything the reader can get wrong is
recorded as a :class:`Problem` with its line instead of raising.
"""

from __future__ import annotations

from dataclasses import field, replace
from pathlib import Path

from markdown_it.token import Token

from tutorial.manuscript import choices, directives, headings, prerequisites, ways_on
from tutorial.manuscript.blocks import SHELL_LANGUAGES, Fence, is_closed, steps_for
from tutorial.manuscript.conditions import Marked, find_conditions, marked, may_state
from tutorial.manuscript.links import LinkContext, resolve
from tutorial.manuscript.model import (
    NEXT_SECTIONS,
    Condition,
    ConditionKind,
    Link,
    LinkKind,
    Option,
    OptionKind,
    Page,
    Prerequisite,
    Problem,
    Section,
    SectionKind,
    Step,
)
from tutorial.manuscript.prerequisites import Named
from tutorial.manuscript.shellscan import comment_items
from tutorial.manuscript.terminals import terminal_need
from tutorial.manuscript.titles import page_title
from tutorial.manuscript.tokenizer import markdown
from tutorial.records import record

_INTERESTING = frozenset(
    {
        "inline",
        "heading_open",
        "bullet_list_open",
        "ordered_list_open",
        "bullet_list_close",
        "ordered_list_close",
        "list_item_open",
        "fence",
        "html_block",
    }
)


class _Inline:
    """The text of a paragraph or heading as a reader sees it, and its links."""

    __slots__ = ("around", "codes", "links", "marked", "plain")

    def __init__(
        self,
        marked: Marked,
        links: list[tuple[str, str, int]],
        around: list[tuple[str, str]] | None = None,
        codes: tuple[str, ...] = (),
    ) -> None:
        self.marked = marked  # the words, with where the emphasised and code spans are
        self.links = links  # (label, href, line)
        self.around = around or []  # for each link, the plain text before and after it
        self.codes = codes  # every code span's text, also those inside emphasis
        self.plain = marked.text.strip()


def _inline(token: Token, line: int) -> _Inline:
    content = token.content
    if (
        "[" not in content
        and "*" not in content
        and "_" not in content
        and "`" not in content
        and "&" not in content
        and "<" not in content
        and "\\" not in content
    ):
        return _Inline(Marked(" ".join(content.split())), [])  # nothing inline to interpret
    children = token.children or []
    links: list[tuple[str, str, int]] = []
    around: list[tuple[str, str]] = []
    opened: list[tuple[str, int, int]] = []  # (href, line, index into children)
    for index, child in enumerate(children):
        kind = child.type
        if kind == "softbreak" or kind == "hardbreak":
            line += 1
        elif kind == "link_open":
            opened.append((str(child.attrGet("href") or ""), line, index))
        elif kind == "link_close" and opened:
            href, at, start = opened.pop()
            label = " ".join(marked(children[start:index]).text.split())
            links.append((label, href, at))
            around.append((marked(children[:start]).text, marked(children[index + 1 :]).text))
    codes = tuple(child.content for child in children if child.type == "code_inline")
    return _Inline(marked(children), links, around, codes)


@record
class _State:
    """What the walk knows at the current token."""

    page: str
    ctx: LinkContext
    lines: list[str]
    title: str = ""
    h2: str = ""
    h2_kind: SectionKind = SectionKind.INTRO
    sub: str = ""
    setup_depth: int = 0  # level of the heading that opened a setup scope (0 = none)
    setup_page: bool = False
    #: "the section that follows only if ...": (level of the heading it was stated under, conditions)
    section_conditions: tuple[int, list[Condition]] | None = None
    heading_level: int = 1
    prose: list[str] = field(default_factory=list)
    prose_conditions: list[Condition] = field(default_factory=list)  # for the next block only
    page_rules: list[Condition] = field(default_factory=list)  # whether the page is for the reader at all
    list_depth: int = 0
    item_fresh: bool = False  # the next paragraph is the first of a top-level list item
    headings: list[tuple[str, int, SectionKind, int]] = field(default_factory=list)  # (title, level, kind, line)
    steps: list[Step] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    options: list[Option] = field(default_factory=list)
    next_kind: SectionKind | None = None
    #: "First you need to install:" was just read: the list that follows names prerequisites
    install_lead: bool = False
    install_list: int = 0  # the list depth whose items are prerequisites (0: none)
    listed: bool = False  # in a final list of page links: its items are ways on whatever the heading
    notes: list[str] = field(default_factory=list)
    note_codes: dict[str, tuple[str, ...]] = field(default_factory=dict)  # a note's code spans
    prerequisites: list[Prerequisite] = field(default_factory=list)
    named: list[Named] = field(default_factory=list)  # "Install X": a program if the steps agree
    problems: list[Problem] = field(default_factory=list)
    secrets: set[str] = field(default_factory=set)

    def problem(self, line: int, kind: str, message: str) -> None:
        self.problems.append(Problem(self.page, line, kind, message))

    @property
    def in_setup(self) -> bool:
        return (
            self.h2_kind is SectionKind.SETUP
            or self.setup_depth > 0
            or (self.setup_page and self.h2_kind is SectionKind.INTRO)
        )


def _heading(state: _State, level: int, text: str, line: int, *, asks_way_on: bool = False) -> None:
    """A heading opens a section; ``asks_way_on`` marks a closing "Which ...?" question answered by links."""
    state.prose.clear()
    state.prose_conditions.clear()
    if state.section_conditions is not None and level <= state.section_conditions[0]:
        state.section_conditions = None  # a section condition ends with its section (subsections keep it)
    state.heading_level = level
    if state.setup_depth and level <= state.setup_depth:
        state.setup_depth = 0
    if level == 1 and not state.title:
        state.title = text
        state.setup_page = headings.is_setup_heading(text)
        state.headings.append((text, level, SectionKind.INTRO, line))
        return
    if level <= 2 or asks_way_on:
        state.h2, state.sub = text, ""
        state.h2_kind = headings.classify(text)
        if asks_way_on and state.h2_kind not in NEXT_SECTIONS:
            state.h2_kind = SectionKind.CHOICE
        kind = state.h2_kind
    else:
        state.sub = text
        kind = state.h2_kind
    if headings.is_setup_heading(text) and not state.setup_depth and state.h2_kind is not SectionKind.SETUP:
        state.setup_depth = level
    state.headings.append((text, level, kind, line))


def _link(state: _State, label: str, href: str, line: int) -> Link:
    resolved = resolve(href, state.page, state.ctx)
    link = Link(label, href, line, resolved.kind, resolved.target, resolved.exists, state.h2, state.h2_kind)
    state.links.append(link)
    if not resolved.exists:
        what = "page" if resolved.kind is LinkKind.PAGE else "file"
        state.problem(line, "broken-link", f"link [{label}]({href}) points to a missing {what}")
    return link


def _add_way_on(state: _State, link: Link, kind: OptionKind) -> None:
    """One option per target page; a page listed in a ways-on section outranks a sentence that names it."""
    target: str | None = link.target if link.exists else None
    reason = "" if link.exists else f"the page {link.href} does not exist"
    option = Option(link.label, target, link.line, link.exists, reason, kind=kind)
    for position, known in enumerate(state.options):
        if target and known.target == target:
            listed = kind in (OptionKind.CHOICE, OptionKind.ROUTE)
            if listed and known.kind is OptionKind.PROSE:
                state.options[position] = option
            return
    state.options.append(option)


def _next_section_text(state: _State, inline: _Inline, line: int, *, in_list: bool, section: SectionKind) -> None:
    """A bullet or paragraph of a Continue / Choice / Route section, or of a page's final list of links."""
    links = [(_link(state, *spec), around) for spec, around in zip(inline.links, inline.around, strict=True)]
    pages = [(link, around) for link, around in links if link.kind is LinkKind.PAGE]
    if state.next_kind is None or (section is SectionKind.CHOICE and state.next_kind is not SectionKind.CHOICE):
        state.next_kind = section
    if pages:
        listed = OptionKind.ROUTE if section is SectionKind.ROUTE else OptionKind.CHOICE
        for link, (before, _) in pages[: 1 if in_list else None]:
            _add_way_on(state, link, OptionKind.GO_BACK if choices.go_back(before, link.label) else listed)
        return
    not_ready = choices.not_ready_reason(inline.plain)
    if in_list and not_ready:
        state.options.append(Option(choices.unavailable_label(inline.plain), None, line, False, not_ready))
    elif inline.plain:
        state.notes.append(inline.plain)
        state.note_codes[inline.plain] = inline.codes


def _sentence_links(state: _State, inline: _Inline) -> None:
    """Links of ordinary prose; "Go back to [X]" and "skip this chapter by jumping to [X]" are ways on."""
    offers = state.h2_kind is not SectionKind.OPTION  # "## Choice N: X" describes an option, it offers none
    for spec, (before, after) in zip(inline.links, inline.around, strict=True):
        link = _link(state, *spec)
        if offers and link.kind is LinkKind.PAGE:
            kind = choices.sentence_way_on(before, link.label, after)
            if kind is not None:
                _add_way_on(state, link, kind)


def _prose(
    state: _State, inline: _Inline, children: list[Token], line: int, *, in_list: bool, item_start: bool
) -> None:
    if (state.h2_kind in NEXT_SECTIONS or state.listed) and (item_start or not in_list):
        # a final list of page links reads as "Continue": one link goes on, several make a choice
        section = state.h2_kind if state.h2_kind in NEXT_SECTIONS else SectionKind.CONTINUE
        _next_section_text(state, inline, line, in_list=in_list, section=section)
    else:
        _sentence_links(state, inline)
    plain = inline.plain
    lowered = plain.lower()
    if "docker" in lowered or "install" in lowered:
        _stated_prerequisites(state, children, line)
    if state.in_setup and item_start and state.install_list and state.list_depth == state.install_list:
        state.named.extend(prerequisites.listed(children, line))
    state.install_lead = state.in_setup and "install" in lowered and prerequisites.install_lead(children)
    if state.h2_kind in NEXT_SECTIONS or state.h2_kind is SectionKind.OPTION:
        return
    state.prose.append(plain)
    if may_state(lowered, comment=False):
        _prose_conditions(state, find_conditions(inline.marked, line, comment=False))


def _prose_conditions(state: _State, found: list[Condition]) -> None:
    """Conditions stated in prose: each replaces the one before it (never both at once).

    "The command that follows" governs the next block; "the section that follows" / "this
    section" governs every block until a heading of its level or the next condition. "Go
    through this document only if ..." is about whether to read the page at all: a reader who
    opened it has decided, so it governs none of its steps (lint still reports it unreadable); it
    is kept as one of the page's ``rules``, which the options leading here show.
    """
    for condition in found:
        if not condition.readable:
            state.problem(condition.line, "unknown-condition", _unknown(condition))
    # "proceed only if the output ..." checks a block's output; an aside governs its own sentence
    found = [c for c in found if c.kind is not ConditionKind.PROCEED_IF and c.scope != "text"]
    state.page_rules.extend(c for c in found if c.scope == "page")
    governing = [c for c in found if c.scope != "page"]
    if not governing:
        return
    section = [c for c in governing if c.scope == "section"]
    state.section_conditions = (state.heading_level, section) if section else None
    state.prose_conditions = [c for c in governing if c.scope == "step"]


def _unknown(condition: Condition) -> str:
    return (
        f"cannot tell when this applies: \u201c{condition.quoted}\u201d "
        "(name what must hold, e.g. \u201conly if you chose **Flux**\u201d, \u201cIf NOT EKS\u201d)"
    )


def _fence(state: _State, token: Token, after: list[Token]) -> None:
    """A fenced block, with the directive comments (``after``) that directly follow it."""
    assert token.map is not None
    start = token.map[0]
    closed = is_closed(token)
    if not closed:
        state.problem(
            start + 1,
            "unclosed-fence",
            f"the {token.markup} block opened here is never closed: everything after it is code",
        )
    info = token.info.strip()
    fence = Fence(
        info=info,
        content=token.content,
        fence_line=start + 1,
        closed=closed,
        section=state.h2,
        subsection=state.sub,
        section_kind=state.h2_kind,
        intro=" ".join(state.prose[-2:])[-600:],
        conditions=[*(state.section_conditions or (0, []))[1], *state.prose_conditions],
        secrets=frozenset(state.secrets),
    )
    declared = [directives.from_info(info, start + 1)]
    for comment in after:
        found = directives.from_comment(comment.content, (comment.map or [0])[0] + 1)
        if found is not None:
            declared.append(found)
    for found in declared:
        fence.checks.extend(found.checks)
        fence.secrets = fence.secrets | set(found.secrets)
        state.secrets.update(found.secrets if found is not declared[0] else ())
        for line, message in found.errors:
            state.problem(line, "bad-directive", message)
    steps = steps_for(fence, state.page, len(state.steps))
    steps = [_with_terminal_need(step, state.ctx.root) for step in steps]
    for step in steps:
        if not step.runnable and step.not_runnable_reason.startswith("the block is a placeholder"):
            state.problem(
                step.fence_line, "not-runnable", f"shell block {step.not_runnable_reason.removeprefix('the block ')}"
            )
        for placeholder in step.placeholders:
            if not placeholder.prompt:
                state.problem(
                    placeholder.line,
                    "placeholder-no-prompt",
                    f"[...] for {placeholder.name} has no comment saying what to put there",
                )
    state.steps.extend(steps)
    stated = {(c.line, c.text) for step in steps for c in step.conditions if not c.readable and c.line > start}
    for line, text in sorted(stated):
        state.problem(line, "unknown-condition", _unknown(Condition(ConditionKind.ONLY_IF, text, line=line)))
    content = token.content
    lowered = content.lower()
    if fence.language in SHELL_LANGUAGES and ((state.in_setup and "install" in lowered) or "docker is" in lowered):
        lines = content.splitlines()
        indexes = [i for i, text in enumerate(lines) if text.lstrip().startswith("#")]
        for index, text in comment_items(lines, indexes):
            (inline,) = markdown().parseInline(text)
            _stated_prerequisites(state, inline.children or [], start + 2 + index)
    state.prose.clear()
    state.prose_conditions.clear()


def _stated_prerequisites(state: _State, children: list[Token], line: int) -> None:
    """ "Make sure Docker is running" anywhere; "Install X" in Setup sections, where it is not a step."""
    state.prerequisites.extend(prerequisites.docker_running(children, line))
    if state.in_setup:
        state.named.extend(prerequisites.named(children, line))


def _with_terminal_need(step: Step, root: Path) -> Step:
    """The step, marked when it cannot work in a captured session (and why)."""
    if not step.runnable:
        return step
    reason, until_stopped = terminal_need(step.code, step.intro, root)
    return replace(step, needs_terminal=reason, runs_until_stopped=until_stopped) if reason else step


def _html(state: _State, token: Token) -> None:
    """An HTML comment that does not follow a block: page-wide secrets, or a misplaced check."""
    assert token.map is not None
    line = token.map[0] + 1
    found = directives.from_comment(token.content, line)
    if found is None:
        return
    for at, message in found.errors:
        state.problem(at, "bad-directive", message)
    state.secrets.update(found.secrets)
    if found.checks:
        state.problem(line, "bad-directive", "a check must come right after the code block it checks")


def _sections(state: _State, total: int) -> tuple[Section, ...]:
    result = []
    items = state.headings
    for position, (title, level, kind, line) in enumerate(items):
        end = total
        for _, later_level, _, later_line in items[position + 1 :]:
            if later_level <= level:
                end = later_line - 1
                break
        result.append(Section(title, level, kind, line, end))
    return tuple(result)


def _dedupe(found: list[Prerequisite]) -> tuple[Prerequisite, ...]:
    chosen: dict[tuple[str, str], Prerequisite] = {}
    for item in found:
        key = (item.kind.value, item.name.lower())
        if key not in chosen or (item.link and not chosen[key].link):
            chosen[key] = item
    return tuple(chosen.values())


def _programs_named(state: _State) -> list[Prerequisite]:
    """The tools "Install X" names that are programs (see :mod:`tutorial.manuscript.prerequisites`)."""
    if not state.named:
        return []
    programs = prerequisites.StepPrograms((step.code for step in state.steps if step.runnable), state.ctx.root)
    return prerequisites.resolve(state.named, programs.spelling)


def parse_page(path: str, text: str, ctx: LinkContext) -> Page:
    """Parse the Markdown ``text`` of the page at manuscript-relative ``path``."""
    lines = text.splitlines()
    state = _State(path, ctx, lines)
    tokens = markdown().parse(text)

    def is_page(href: str) -> bool:
        return resolve(href, path, ctx).kind is LinkKind.PAGE

    question = ways_on.closing_question(tokens, is_page)
    final_list = ways_on.final_link_list(tokens, is_page)
    item_start = False
    consumed = 0  # html blocks before this index were read as the directives of a fence
    for index, token in enumerate(tokens):
        kind = token.type
        if kind not in _INTERESTING:
            continue
        if kind == "inline":
            opener = tokens[index - 1]
            if opener.type == "paragraph_open":
                line = (opener.map or [0])[0] + 1
                in_list = state.list_depth > 0
                _prose(
                    state,
                    _inline(token, line),
                    token.children or [],
                    line,
                    in_list=in_list,
                    item_start=item_start and state.list_depth == 1,
                )
                item_start = False
        elif kind == "heading_open":
            state.install_lead = False
            line = (token.map or [0])[0] + 1
            inline = _inline(tokens[index + 1], line)
            for spec in inline.links:
                _link(state, *spec)
            _heading(state, int(token.tag[1:]), inline.plain, line, asks_way_on=index == question)
        elif kind == "bullet_list_open" or kind == "ordered_list_open":
            state.list_depth += 1
            if state.install_lead:  # "First you need to install:" then "1. [Docker](…)"
                state.install_list, state.install_lead = state.list_depth, False
            state.listed = state.listed or (final_list is not None and index == final_list[0])
        elif kind == "bullet_list_close" or kind == "ordered_list_close":
            if state.list_depth == state.install_list:
                state.install_list = 0
            state.list_depth -= 1
            state.listed = state.listed and not (final_list is not None and index == final_list[1])
        elif kind == "list_item_open":
            item_start = True
        elif kind == "fence":  # indented code blocks are shown as written, never run
            state.install_lead = False
            after = index + 1
            while after < len(tokens) and tokens[after].type == "html_block":
                after += 1
            _fence(state, token, tokens[index + 1 : after])
            consumed = after
            item_start = False
        elif kind == "html_block" and index >= consumed:
            _html(state, token)
    title = page_title(tokens, path)  # (the app's first look names the page the same way)
    options = list(state.options)
    described = []
    sections = _sections(state, len(lines))
    for section in sections:
        if section.kind is SectionKind.OPTION and section.level == 2:
            body = "\n".join(lines[section.line : section.end_line]).strip()
            described.append((headings.option_name(section.title), body))
    if described:
        options = choices.attach_descriptions(options, described)
    if state.notes:
        options = choices.attach_notes(options, state.notes, state.note_codes)
    if options and not any(o.available for o in options):
        choice = state.next_kind is SectionKind.CHOICE
        broken = {line for line, kind in ((p.line, p.kind) for p in state.problems) if kind == "broken-link"}
        if choice or not all(o.line in broken for o in options):  # a broken link is reported where it is written
            what = "the options of this choice" if choice else "the ways on from this page"
            state.problem(options[0].line, "no-available-option", f"none of {what} can be taken yet")
    if not text.strip():
        state.problem(1, "empty-page", "the page is empty")
    return Page(
        path=path,
        title=title,
        text=text,
        sections=sections,
        steps=tuple(state.steps),
        links=tuple(state.links),
        options=tuple(options),
        prerequisites=_dedupe(state.prerequisites + _programs_named(state)),
        problems=tuple(state.problems),
        next_kind=state.next_kind,
        notes=tuple(state.notes),
        rules=tuple(state.page_rules),
    )
