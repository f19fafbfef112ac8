"""Everything wrong with a manuscript that a reader would trip over, with file and line."""

from __future__ import annotations

from pathlib import Path

from tutorial.manuscript.graph import dead_ends, traps, unreachable_roots
from tutorial.manuscript.model import Manuscript, Page, Problem
from tutorial.records import record


@record(frozen=True)
class Report:
    pages: int
    steps: int
    problems: tuple[Problem, ...]

    @property
    def errors(self) -> tuple[Problem, ...]:
        """The problems that fail lint (warnings do not)."""
        return tuple(p for p in self.problems if p.severity == "error")

    def as_json(self) -> dict[str, object]:
        return {
            "pages": self.pages,
            "steps": self.steps,
            "problems": [
                {"page": p.page, "line": p.line, "kind": p.kind, "severity": p.severity, "message": p.message}
                for p in self.problems
            ],
        }


def _last_line(page: Page) -> int:
    """Where a way on is missing: the page's last line with text."""
    return len(page.text.rstrip().splitlines()) or 1


def lint(manuscript: Manuscript) -> Report:
    problems = manuscript.all_problems()
    for path, behind in unreachable_roots(manuscript).items():
        more = f"; {behind} more page{'s' if behind != 1 else ''} can only be reached through it" if behind else ""
        problems.append(
            Problem(
                path,
                1,
                "unreachable",
                "no choice leads here from the start of the adventure "
                f"({', '.join(manuscript.entry_points) or 'no entry point'}){more}",
            )
        )
    for path in dead_ends(manuscript):
        problems.append(
            Problem(
                path,
                _last_line(manuscript.pages[path]),
                "dead-end",
                "a reader who gets here has no way on: add a Continue or choice section, "
                "or say that the adventure ends here (or list the page under 'ends:' in adventure.yaml)",
            )
        )
    for loop in traps(manuscript):
        first = manuscript.pages[loop[0]]
        back = next((o for o in first.options if o.target in loop), None)
        problems.append(
            Problem(
                loop[0],
                back.line if back else 1,
                "link-loop",
                "readers who reach these pages can never leave them: " + " → ".join(loop),
            )
        )
    problems.extend(_terminal_steps(manuscript))
    problems.extend(_missing_scripts(manuscript))
    problems.sort(key=lambda p: (p.page, p.line, p.kind))
    return Report(len(manuscript.pages), manuscript.step_count(), tuple(problems))


def _terminal_steps(manuscript: Manuscript) -> list[Problem]:
    """Steps that need a real terminal: a warning, since `run` fails them and the app hands them over."""
    return [
        Problem(
            page.path,
            step.line,
            "needs-terminal",
            f"step {step.index + 1} needs a terminal: {step.needs_terminal}",
            "warning",
        )
        for page in manuscript.pages.values()
        for step in page.steps
        if step.needs_terminal
    ]


_RUNNERS = frozenset({"bash", "sh", "zsh", "source", "."})


def _missing_scripts(manuscript: Manuscript) -> list[Problem]:
    """Steps that run a helper script of the manuscript's folder that is not there (a moved or renamed file).

    ``./manuscript/logging/x.sh`` (from the clone's root) and ``"$ADVENTURE_DIR/x.sh"`` name the
    manuscript's own files; a step that runs one that does not exist can only fail. Where such a
    word leads is found as the steps' helper scripts are (:class:`HelperScripts`).
    """
    from tutorial.manuscript.terminals import helper_scripts
    from tutorial.shell.commands import analyse, program_words

    scripts = helper_scripts(manuscript.root)
    named = (f"{scripts.root.name}/", f"./{scripts.root.name}/", "$ADVENTURE_DIR", "${ADVENTURE_DIR}")
    found: list[Problem] = []
    for page in manuscript.pages.values():
        for step in page.steps:
            if not step.runnable or (named[0] not in step.code and "ADVENTURE_DIR" not in step.code):
                continue
            for command in analyse(step.code).commands:
                words = program_words(command.words) or command.words
                if words and Path(words[0]).name in _RUNNERS:
                    words = tuple(w for w in words[1:] if not w.startswith("-"))
                if not words or not words[0].strip("\"'").startswith(named):
                    continue  # (a word that does not name the manuscript may be the reader's own file)
                places = scripts.places(words[0])
                if places and not any(place.exists() for place in places):
                    message = f"step {step.index + 1} runs `{words[0]}`, which is not in the manuscript: it would fail"
                    found.append(Problem(page.path, step.line + command.line - 1, "missing-script", message))
    return found
