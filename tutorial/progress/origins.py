"""Where each value the journey knows came from, and the question it answered.

Saved beside the values under ``origins:`` in settings.yaml (for a secret: its origin, never
its value)::

    origins:
      GREETING: {from: typed, prompt: "a greeting for the trail"}
      TAG: {from: step, page: setup.md, step: 2}
      REGISTRY: {from: var}

The prompt is kept so the reader can see which question a value answered (the engine asks
again where the manuscript asks for the same name with another question).
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from tutorial.progress.settings import Stored
from tutorial.records import record

#: how a value reached the journey, in the words the Values screen uses
SOURCES = {
    "typed": "typed in the app",
    "var": "given with --var",
    "environment": "from your environment",
    "step": "set by a step",
}


@record(frozen=True)
class Origin:
    """Where a saved value came from: typed, given, the environment, or a step (which one)."""

    source: str  # one of SOURCES
    prompt: str = ""  # the question the value answered (typed values)
    page: str = ""  # the page of the step that set it (source "step")
    step: int = 0  # that step's number, 1-based

    def describe(self) -> str:
        words = SOURCES.get(self.source, self.source)
        if self.source == "step" and self.page:
            words += f" ({self.page} step {self.step})" if self.step else f" ({self.page})"
        return words

    def as_data(self) -> dict[str, Any]:
        return _as_data(self)

    @classmethod
    def from_data(cls, data: object) -> Origin | None:
        """An origin as saved; None for anything that is not one (a hand-edited file)."""
        if not isinstance(data, Mapping) or not isinstance(data.get("from"), str):
            return None
        step = data.get("step", 0)
        return cls(
            data["from"],
            str(data.get("prompt", "") or ""),
            str(data.get("page", "") or ""),
            step if isinstance(step, int) and not isinstance(step, bool) else 0,
        )


@lru_cache(maxsize=4096)
def _as_data(origin: Origin) -> dict[str, Any]:
    """As stored; built once per origin (every save writes every value's origin, and they seldom change).

    Callers must not change the mapping they get.
    """
    pairs = (("from", origin.source), ("prompt", origin.prompt), ("page", origin.page), ("step", origin.step))
    return Stored({k: v for k, v in pairs if v not in ("", 0)})


def origins_from(data: object) -> dict[str, Origin]:
    if not isinstance(data, Mapping):
        return {}
    found = {str(name): Origin.from_data(value) for name, value in data.items()}
    return {name: origin for name, origin in found.items() if origin is not None}
