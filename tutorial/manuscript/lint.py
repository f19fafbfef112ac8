"""Everything wrong with a manuscript that a reader would trip over, with file and line."""

from __future__ import annotations

from dataclasses import dataclass

from tutorial.manuscript.graph import reachable, traps
from tutorial.manuscript.model import Manuscript, Problem


@dataclass(frozen=True, slots=True)
class Report:
    pages: int
    steps: int
    problems: tuple[Problem, ...]

    def as_json(self) -> dict[str, object]:
        return {
            "pages": self.pages,
            "steps": self.steps,
            "problems": [{"page": p.page, "line": p.line, "kind": p.kind, "message": p.message} for p in self.problems],
        }


def lint(manuscript: Manuscript) -> Report:
    problems = manuscript.all_problems()
    seen = reachable(manuscript)
    for path in manuscript.pages:
        if path not in seen:
            problems.append(
                Problem(
                    path,
                    1,
                    "unreachable",
                    "no way leads here from the start of the adventure "
                    f"({', '.join(manuscript.entry_points) or 'no entry point'})",
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
    problems.sort(key=lambda p: (p.page, p.line, p.kind))
    return Report(len(manuscript.pages), manuscript.step_count(), tuple(problems))
