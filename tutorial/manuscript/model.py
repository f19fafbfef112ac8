"""The manuscript as plain data: what the parser produces and everything else consumes.

Nothing here does I/O or knows about Textual. The objects are frozen where they can be so that
one parsed manuscript can be shared by the engine, the CLI renderers and the TUI without
anyone mutating it behind the others' backs.
"""

from __future__ import annotations

import enum
from dataclasses import field
from pathlib import Path

from tutorial.records import record


class SectionKind(enum.StrEnum):
    """What a heading means in the adventure's conventions."""

    INTRO = "intro"  # text (and code) before the first H2
    SETUP = "setup"  # "## Setup": prerequisites and preparation
    DO = "do"  # "## Do": the chapter's work
    CONTINUE = "continue"  # "## Continue The Adventure", "## Start The Chapter", ...
    CHOICE = "choice"  # "## What Is Your Choice?"
    ROUTE = "route"  # "## Which ... Did You Choose?": the next page depends on an earlier choice
    OPTION = "option"  # "## Choice N: X": the description of option X
    UNDO = "undo"  # "## Undo The Changes": only run on request
    OTHER = "other"


class StepStatus(enum.StrEnum):
    """Where a step stands: the one vocabulary of the engine, ``run``, the app and settings.yaml."""

    PENDING = "pending"
    RUNNING = "running"
    PASSED = "passed"
    FAILED = "failed"
    SKIPPED = "skipped"
    OVERRIDDEN = "overridden"  # failed, and the reader chose to go on anyway

    @property
    def done(self) -> bool:
        """Nothing is left to do for the step: it passed, was skipped, or the reader marked it done."""
        return self in _DONE

    @classmethod
    def read(cls, word: str) -> StepStatus:
        """The status a saved word stands for; a word this version does not know counts as pending."""
        try:
            return cls(word)
        except ValueError:
            return cls.PENDING


_DONE = frozenset({StepStatus.PASSED, StepStatus.SKIPPED, StepStatus.OVERRIDDEN})


#: Sections whose links lead to the next page of the adventure.
NEXT_SECTIONS = frozenset({SectionKind.CONTINUE, SectionKind.CHOICE, SectionKind.ROUTE})


class PageKind(enum.StrEnum):
    CHAPTER = "chapter"  # one way on
    CHOICE = "choice"  # the reader picks among options
    ROUTE = "route"  # the way on follows from a choice made earlier
    END = "end"  # no way on: the end of the adventure (for now)


class OptionKind(enum.StrEnum):
    """How a page offers a way on, so the reader is told when it is not a plain choice."""

    CHOICE = "choice"  # listed where the page offers its ways on: a choice, "Continue", a final list of links
    ROUTE = "route"  # listed under "Which ... Did You Choose?": it follows from an earlier choice
    GO_BACK = "go-back"  # "Go back to [X] and try again": return to an earlier page
    PROSE = "prose"  # written in a sentence: "Follow the [X] instructions", "skip ... by jumping to [X]"

    @property
    def tag(self) -> str:
        """What the app and ``map`` show next to the option ("" for a plain choice or route)."""
        return {OptionKind.GO_BACK: "go back", OptionKind.PROSE: "from the text"}.get(self, "")

    def tag_for(self, label: str) -> str:
        """The tag to show beside ``label``: none when the label says it already ("Go back to the trailhead")."""
        return "" if label.lower().startswith(self.tag) else self.tag


class LinkKind(enum.StrEnum):
    PAGE = "page"  # a Markdown page of this manuscript
    FILE = "file"  # a local file that is not a page (a script, a YAML file, a folder)
    EXTERNAL = "external"  # a URL outside the manuscript
    ANCHOR = "anchor"  # a fragment of the same page


class ConditionKind(enum.StrEnum):
    ONLY_IF = "only_if"  # run the step only when the subject holds
    SKIP_IF = "skip_if"  # skip the step when the subject holds
    PROCEED_IF = "proceed_if"  # the step's output must contain something before going on


class PrerequisiteKind(enum.StrEnum):
    TOOL = "tool"  # a command on PATH
    DOCKER = "docker"  # a reachable Docker engine
    CLUSTER = "cluster"  # a current Kubernetes context


@record(frozen=True)
class Link:
    """A Markdown link, resolved against the manuscript."""

    label: str
    href: str
    line: int
    kind: LinkKind
    #: PAGE: manuscript-relative POSIX path; FILE: absolute path; EXTERNAL: the URL; ANCHOR: the fragment.
    target: str
    exists: bool = True
    section: str = ""
    section_kind: SectionKind = SectionKind.OTHER


@record(frozen=True)
class Placeholder:
    """A ``[...]`` the reader must replace before a line can run."""

    #: the variable it sets, or ``@`` and a name derived from the command around it (``@REGION``)
    name: str
    prompt: str  # what to ask the reader ("" when the manuscript gives no hint)
    secret: bool
    line: int  # 1-based line in the page
    #: True when the name is the variable the line assigns (``export NAME=[...]``): only such a
    #: placeholder may take its value from the reader's environment or the session.
    assigned: bool = True
    column: int = 0  # where the ``[...]`` starts in its line
    #: how the shell reads it there: "" (a word), '"', "'", "heredoc" or "heredoc-literal"
    context: str = ""


@record(frozen=True)
class Condition:
    """A rule written in prose or a comment that says when a step applies.

    ``subjects`` must all hold ("Argo Rollouts **and** Flux"), or one of them when ``any_of``
    ("EKS, AKS, or GKE"); ``negated`` turns the whole around ("NOT planning to use EKS, AKS, or
    GKE" holds when none of them does). A sentence that reads like a condition but whose
    subject the parser cannot name is kept with ``readable=False``: the engine then never
    guesses toward running, and lint reports it.
    """

    kind: ConditionKind
    text: str  # the sentence as written
    #: what it depends on: ("KubeVela",), ("Argo Rollouts", "Flux"), or the output to look for
    #: (none for a PROCEED_IF: any output that is not blank)
    subjects: tuple[str, ...] = ()
    negated: bool = False  # "If NOT EKS"
    line: int = 0
    #: what it governs: "step" (the next block), "section" (until a heading of its level or the next
    #: condition), "page" (whether to read the page: no step), "text" (only the sentence it is in)
    scope: str = "step"
    any_of: bool = False  # one of the subjects is enough ("EKS, AKS, or GKE")
    readable: bool = True
    #: a ``skip if`` that tells the reader to change the command, not to leave it out ("If you
    #: chose `nip.io`, replace `https` with `http`"): as written, it is not for them
    edit: bool = False
    written: str = ""  # the sentence with its code spans in backticks, as the manuscript shows it

    @property
    def quoted(self) -> str:
        """The sentence to quote to the reader: with its code spans, so `https` reads as code."""
        return self.written or self.text

    @property
    def about_the_past(self) -> bool:
        """ "if you already used Crossplane with AWS", "if you did NOT already install Istio".

        What the reader did before this page: a choice made on the way here, or a page's title,
        cannot tell when something happened, so only the reader's own answer decides it.
        """
        return "already" in self.text.lower().split()

    @property
    def subject(self) -> str:
        """The subjects as one phrase: ``Argo Rollouts and Flux``, ``EKS, AKS or GKE``."""
        if not self.readable:
            return self.text
        if len(self.subjects) <= 1:
            return "".join(self.subjects)
        joiner = " or " if self.any_of else " and "
        return ", ".join(self.subjects[:-1]) + joiner + self.subjects[-1]

    @property
    def badge(self) -> str:
        """A short label for the UI: ``only if KubeVela``, ``skip if nip.io``, ``only if not EKS``."""
        if self.kind is ConditionKind.PROCEED_IF:
            return f"expects {self.subject or 'some output'}"
        verb = "skip if" if self.kind is ConditionKind.SKIP_IF else "only if"
        if self.edit:
            verb = "edit if"
        if not self.readable:
            return f"{verb} … (unclear condition)"
        negation = "not " if self.negated else ""
        return f"{verb} {negation}{self.subject}"


@record(frozen=True)
class Check:
    """A validation declared in the Markdown: a command that must succeed after a step.

    An empty ``command`` checks the step's own output against ``expect`` (this is how
    "Proceed further ONLY if the output contains ..." becomes a check).
    """

    command: str
    expect: str = ""  # a regular expression the command's output must match ("" = any)
    line: int = 0
    description: str = ""


@record(frozen=True)
class Prerequisite:
    """What a page needs before its steps run: a program on PATH, the Docker engine or a cluster."""

    kind: PrerequisiteKind
    name: str  # the tool, or "docker" / "kubernetes"
    link: str = ""  # where to get it
    line: int = 0
    text: str = ""  # the sentence it came from
    inferred: bool = False  # found by reading prose, not declared


def first_line(code: str) -> str:
    """The first line of ``code`` that is not a comment (the first line when all are)."""
    for raw in code.splitlines():
        text = raw.strip()
        if text and not text.startswith("#"):
            return text
    return code.strip().splitlines()[0] if code.strip() else ""


@record(frozen=True)
class Step:
    """One runnable unit: a code block, or the part of one that a condition governs."""

    page: str
    index: int  # 0-based position among the page's steps
    line: int  # 1-based page line where the step's text starts (its leading comments included)
    end_line: int  # 1-based page line of the step's last line
    fence_line: int  # 1-based line of the fence that opens the block
    language: str
    code: str  # the text to show and, when runnable, to run
    section: str  # the H2 heading the step is under
    section_kind: SectionKind
    subsection: str = ""  # the nearest deeper heading, if any
    intro: str = ""  # the prose that introduces the block
    runnable: bool = True
    not_runnable_reason: str = ""
    conditions: tuple[Condition, ...] = ()
    placeholders: tuple[Placeholder, ...] = ()
    checks: tuple[Check, ...] = ()
    secrets: tuple[str, ...] = ()  # names marked secret in the Markdown
    part: int = 0  # which part of its block (a block is split where a condition starts)
    parts: int = 1
    #: why the step needs the reader's real terminal ("" when a captured session can run it):
    #: "`devbox shell` starts an interactive shell"
    needs_terminal: str = ""
    #: it runs until someone stops it (a watcher, a port-forward): Ctrl+C / x ends it
    runs_until_stopped: bool = False

    @property
    def first_line(self) -> str:
        """The first line of code that is not a comment, for headers and lists."""
        return first_line(self.code)

    @property
    def optional(self) -> bool:
        """Steps of an "Undo" section run only when asked for."""
        return self.section_kind is SectionKind.UNDO

    @property
    def ref(self) -> str:
        """A stable identifier such as ``registry/local.md#3`` (1-based, as readers count)."""
        return f"{self.page}#{self.index + 1}"


@record(frozen=True)
class Option:
    """A way on from a page: a choice option, a route, the "continue" link, a go-back or a sentence's link."""

    label: str
    target: str | None  # manuscript-relative page path; None for an option with no page
    line: int
    available: bool = True
    reason: str = ""  # why it is unavailable
    description: str = ""  # from the page's "## Choice N: X" section
    note: str = ""  # a caveat the page gives about this option
    #: what must hold for the caveat to rule the option out ("nip.io" for "If you chose `nip.io`, you
    #: cannot choose Harbor"); () when the caveat names no condition the engine can read
    caveat_if: tuple[str, ...] = ()
    kind: OptionKind = OptionKind.CHOICE
    #: what the page it leads to says about who it is not for ("If you chose Foo, this chapter is
    #: not supported yet; go back"): shown where the reader chooses, not only once they are there
    page_rules: tuple[Condition, ...] = ()

    @property
    def tag(self) -> str:
        """The words beside the label ("go back", "from the text"); "" for a listed choice or route."""
        return self.kind.tag_for(self.label)


@record(frozen=True)
class Section:
    """A heading of a page and the lines under it: Setup, Do, Undo and the choice are told apart by it."""

    title: str
    level: int
    kind: SectionKind
    line: int
    end_line: int  # last line of the section (inclusive)


@record(frozen=True)
class Problem:
    """Something wrong with the manuscript, tied to a file and line."""

    page: str
    line: int
    kind: str
    message: str
    #: "error" (a reader would trip over it: lint fails) or "warning" (worth knowing: lint passes)
    severity: str = "error"

    def __str__(self) -> str:
        return f"{self.page}:{self.line}: {self.kind}: {self.message}"


@record(frozen=True)
class Page:
    """One chapter as read from its Markdown: its prose, sections, steps, links, ways on and needs."""

    path: str  # manuscript-relative POSIX path
    title: str
    text: str  # the whole source, for rendering the prose around the steps
    sections: tuple[Section, ...]
    steps: tuple[Step, ...]
    links: tuple[Link, ...]
    options: tuple[Option, ...]  # the ways on, in the order the page lists them
    prerequisites: tuple[Prerequisite, ...]
    problems: tuple[Problem, ...]
    next_kind: SectionKind | None = None  # the section the options came from
    notes: tuple[str, ...] = ()  # prose in the choice section that is not an option
    #: whether the page is for this reader at all ("skip this chapter if you chose `nip.io`", "If you
    #: chose Foo, this chapter is not supported; go back"): rules that govern none of its steps
    rules: tuple[Condition, ...] = ()

    @property
    def kind(self) -> PageKind:
        if self.next_kind is SectionKind.ROUTE:
            return PageKind.ROUTE
        reachable = [o for o in self.options if o.target]
        if not self.options:
            return PageKind.END
        if self.next_kind is SectionKind.CHOICE or len(self.options) > 1:
            return PageKind.CHOICE
        return PageKind.CHAPTER if reachable else PageKind.END

    @property
    def runnable_steps(self) -> tuple[Step, ...]:
        return tuple(s for s in self.steps if s.runnable)


@record
class Manuscript:
    """Every page of an adventure, and where it starts."""

    root: Path  # the folder holding the pages
    pages: dict[str, Page]
    entry_points: list[str]
    title: str = ""
    bundled: bool = False
    problems: list[Problem] = field(default_factory=list)  # problems that belong to no single page
    ends: frozenset[str] = frozenset()  # pages ``adventure.yaml`` declares as ends (no way on on purpose)

    def page(self, path: str) -> Page:
        """The page at ``path``; raises KeyError with the known pages' count when missing."""
        try:
            return self.pages[path]
        except KeyError:
            raise KeyError(f"no page {path!r} in {self.root} ({len(self.pages)} pages)") from None

    @property
    def repo_root(self) -> Path:
        """The folder that ``/``-rooted links are relative to: the manuscript folder's parent."""
        return self.root.parent

    def all_problems(self) -> list[Problem]:
        found = list(self.problems)
        for page in self.pages.values():
            found.extend(page.problems)
        return found

    def step_count(self) -> int:
        return sum(len(p.steps) for p in self.pages.values())
