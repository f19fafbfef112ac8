"""Everything a page needs before its first step, declared or inferred, and its state now.

Declared: the Setup section's "Install X" bullets and "Make sure Docker is running".
Inferred from the steps themselves: a Docker engine when a step calls ``docker``, a cluster
when one calls ``kubectl`` or ``helm``, and any program a step calls that is not installed.
Shared by ``cncf-adventure doctor`` and the app's prerequisites panel.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from tutorial.checks.prerequisites import DOCKER_INSTALL, KUBECTL_INSTALL, Report, check
from tutorial.manuscript.model import Manuscript, Page, Prerequisite, PrerequisiteKind
from tutorial.shell.commands import calls, missing_programs
from tutorial.shell.interactive import outer_code

_CLUSTER_TOOLS = frozenset({"kubectl", "helm", "kustomize", "k9s", "argocd", "flux"})


@dataclass(slots=True)
class Requirement:
    prerequisite: Prerequisite
    pages: list[str] = field(default_factory=list)  # the pages that need it


@dataclass(slots=True)
class Finding:
    requirement: Requirement
    report: Report


def requirements(
    manuscript: Manuscript, pages: Iterable[Page], env: Mapping[str, str] | None = None
) -> list[Requirement]:
    """What ``pages`` need, in a stable order: tools, then the Docker engine, then a cluster."""
    env = dict(os.environ if env is None else env)
    env.setdefault("ADVENTURE_DIR", str(manuscript.root))
    found: dict[tuple[str, str], Requirement] = {}

    def need(item: Prerequisite, page: str) -> None:
        key = (item.kind.value, item.name.lower())
        if key not in found:
            found[key] = Requirement(item)
        elif item.link and not found[key].prerequisite.link:
            found[key].prerequisite = item
        if page not in found[key].pages:
            found[key].pages.append(page)

    for page in pages:
        for item in page.prerequisites:
            need(item, page.path)
        programs: set[str] = set()
        links = {p.name: p.link for p in page.prerequisites if p.link}
        for step in page.runnable_steps:
            code = outer_code(step.code) if step.needs_terminal else step.code  # not what is typed in a nested shell
            programs.update(call.name for call in calls(code)[0])
            for missing in missing_programs(code, env=env, cwd=Path.cwd(), defined=set(), scripts_root=manuscript.root):
                name = missing.name
                need(
                    Prerequisite(
                        PrerequisiteKind.TOOL,
                        name,
                        links.get(name, ""),
                        step.line,
                        f"called by step {step.index + 1}" + (f" ({missing.via})" if missing.via else ""),
                        inferred=True,
                    ),
                    page.path,
                )
        if "docker" in programs:
            need(Prerequisite(PrerequisiteKind.DOCKER, "docker", DOCKER_INSTALL, inferred=True), page.path)
        if programs & _CLUSTER_TOOLS:
            need(Prerequisite(PrerequisiteKind.CLUSTER, "kubernetes", KUBECTL_INSTALL, inferred=True), page.path)
    order = {PrerequisiteKind.TOOL: 0, PrerequisiteKind.DOCKER: 1, PrerequisiteKind.CLUSTER: 2}
    return sorted(found.values(), key=lambda r: (order[r.prerequisite.kind], r.prerequisite.name.lower()))


def evaluate(items: Iterable[Requirement], env: Mapping[str, str] | None = None) -> list[Finding]:
    cache: dict[tuple[str, str], Report] = {}
    findings = []
    for item in items:
        key = (item.prerequisite.kind.value, item.prerequisite.name)
        if key not in cache:
            cache[key] = check(item.prerequisite, env)
        findings.append(Finding(item, cache[key]))
    return findings
