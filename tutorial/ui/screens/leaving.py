"""The words of the confirmations a chapter asks for: leaving it unfinished, running an Undo step."""

from __future__ import annotations

from tutorial.engine.chapter import Chapter
from tutorial.manuscript.model import Step, StepStatus


def leaving_text(chapter: Chapter, left: list[Step]) -> tuple[str, str]:
    """Title and text of "leave this chapter?": which Do steps failed, which were not run."""
    failed = [s for s in left if chapter.status(s) is StepStatus.FAILED]
    pending = [s for s in left if s not in failed]
    parts = []
    if failed:
        parts.append(f"failed: {_numbers(failed)}")
    if pending:
        parts.append(f"not run yet: {_numbers(pending)}")
    text = (
        f"Steps of this chapter are not done ({'; '.join(parts)}). Later chapters may need what they make. "
        "You can come back with the map at any time."
    )
    return "Leave this chapter?", text


def undo_text(steps: list[Step]) -> str:
    """What running these steps removes ("" when none is an Undo step)."""
    return Chapter.removes(steps)


def _numbers(steps: list[Step]) -> str:
    return ", ".join(f"step {s.index + 1}" for s in steps)
