"""Find the prerequisites a page states in prose: "Install `kbld`", "Make sure Docker is running"."""

from __future__ import annotations

import re

from tutorial.manuscript.model import Prerequisite, PrerequisiteKind

_INSTALL = re.compile(
    r"^\W*install(?:ed)?\s+(?:the\s+|a\s+|an\s+)?(?:`(?P<code>[^`]+)`|(?P<word>[A-Za-z][\w.+-]*))(?P<rest>.*)$",
    re.I,
)
_DOCKER_RUNNING = re.compile(
    r"\bmake\s+sure\s+(?:that\s+)?(?:the\s+)?docker(?:\s+engine|\s+desktop)?\s+is\s+"
    r"(?:up\s+and\s+)?running",
    re.I,
)
_URL = re.compile(r"https?://[^\s)>\]`'\"]+")
_GENERIC = frozenset({"it", "this", "that", "them", "all", "everything", "dependencies", "the", "tools"})
# Tools whose usual name differs from the command they install.
_ALIASES = {
    "github": "gh",
    "docker desktop": "docker",
    "rancher": "rdctl",
    "google": "gcloud",
    "azure": "az",
    "aws": "aws",
}


def _tool_name(code: str | None, word: str | None, rest: str) -> str | None:
    if code:
        name = code.split()[0].strip()
        return name or None
    if not word or word.lower() in _GENERIC:
        return None
    lower = word.lower()
    if lower in _ALIASES and re.match(r"\s*(?:cli|desktop)\b", rest, re.I):
        return _ALIASES[lower]
    return lower


def find(text: str, line: int, links: tuple[str, ...] = (), *, installs: bool = True) -> list[Prerequisite]:
    """Prerequisites stated in one bullet, paragraph or comment item.

    ``links`` are the hrefs of links in the same text; the first external one is taken as
    the install link, else the first URL written out in the text. ``installs`` is False
    outside Setup sections, where "Install the chart" is a step, not a prerequisite.
    """
    found: list[Prerequisite] = []
    lowered = text.lower()
    if "docker" not in lowered and not (installs and "install" in lowered):
        return found
    compact = " ".join(text.split())
    if _DOCKER_RUNNING.search(compact):
        found.append(
            Prerequisite(PrerequisiteKind.DOCKER, "docker", "https://docs.docker.com/get-docker/", line, compact)
        )
    match = _INSTALL.match(compact) if installs else None
    if match:
        name = _tool_name(match.group("code"), match.group("word"), match.group("rest"))
        if name:
            external = [href for href in links if href.startswith(("http://", "https://"))]
            url = _URL.search(compact)
            link = external[0] if external else (url.group(0).rstrip(".,;:") if url else "")
            found.append(Prerequisite(PrerequisiteKind.TOOL, name, link, line, compact))
    return found
