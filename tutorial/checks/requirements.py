"""Everything a page needs before its first step, declared or inferred, and its state now.

Declared: the Setup section's "Install X" bullets and "Make sure Docker is running".
Inferred from the steps themselves: a Docker engine when a step calls ``docker``, a cluster
when one calls ``kubectl`` or ``helm``, any program a step calls that is not installed, and a
program with a namesake (``yq``) a step calls, so the wrong one is told from the right one.
Shared by ``cncf-adventure doctor`` and the app's prerequisites panel.
"""

from __future__ import annotations

import os
import shlex
from collections.abc import Iterable, Mapping
from dataclasses import field, replace
from pathlib import Path

from tutorial.checks.plugins import helper_script, kubectl_plugin, kubectl_plugins
from tutorial.checks.prerequisites import DOCKER_INSTALL, FLAVOURS, KUBECTL_INSTALL, Report, check
from tutorial.manuscript.model import Manuscript, Page, Prerequisite, PrerequisiteKind, Step
from tutorial.manuscript.terminals import helper_scripts
from tutorial.records import record
from tutorial.shell.commands import Missing, analyse, calls, missing_programs
from tutorial.shell.interactive import HelperScripts, outer_code

_CLUSTER_TOOLS = frozenset({"kubectl", "helm", "kustomize", "k9s", "argocd", "flux"})
#: programs that always talk to a cluster
_CLUSTER_CLIENTS = frozenset({"k9s", "argocd", "flux"})
#: subcommands that read charts, manifests or the local configuration only: no cluster needed
_OFFLINE = {
    "kubectl": frozenset({"kustomize", "completion", "config", "plugin", "help"}),
    "helm": frozenset(
        {
            "template", "repo", "search", "show", "inspect", "pull", "fetch", "package", "lint", "create",
            "dependency", "dep", "env", "plugin", "completion", "help", "verify", "push", "registry",
        }
    ),
}  # fmt: skip


@record
class Requirement:
    prerequisite: Prerequisite
    pages: list[str] = field(default_factory=list)  # the pages that need it
    #: a cluster is only reported for pages that merely render with helm or kustomize, and
    #: required when a step talks to one (``kubectl apply``, ``helm install``)
    required: bool = False
    plugin: bool = False  # a kubectl plugin the steps call as ``kubectl NAME``: looked for as kubectl does
    script: str = ""  # a helper script of the manuscript (its manuscript-relative path), run from a clone


@record
class Finding:
    requirement: Requirement
    report: Report


def session_code(step: Step) -> str:
    """The code of ``step`` the session itself runs: not the lines typed into a nested shell it opens.

    What those lines call is needed inside that shell (a container, a remote host), not here.
    """
    return outer_code(step.code) if step.needs_terminal else step.code


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

    defined: set[str] = set()  # functions earlier steps define are no programs to install
    scripts = helper_scripts(manuscript.root)
    for page in pages:
        for item in page.prerequisites:
            need(item, page.path)
        programs: set[str] = set()
        cluster = False
        links = {p.name: p.link for p in page.prerequisites if p.link}
        plugins: set[str] = set()
        for step in page.runnable_steps:
            code = session_code(step)
            called, _, functions = calls(code)
            programs.update(call.name for call in called if call.name not in defined | functions)
            cluster = cluster or talks_to_cluster(code)
            plugins |= kubectl_plugins(code, scripts)
            for missing in _missing(code, env, defined, manuscript.root):
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
                script = _helper_script(name, scripts)
                if script:
                    found[("tool", name.lower())].script = script
            defined |= functions
        for item in page.prerequisites:  # "Install `krew`", called as `kubectl krew`: a plugin of kubectl
            if item.kind is PrerequisiteKind.TOOL and item.name in plugins:
                found[("tool", item.name.lower())].plugin = True
        for name in sorted(programs & FLAVOURS.keys()):  # installed, but perhaps a namesake
            need(Prerequisite(PrerequisiteKind.TOOL, name, links.get(name, ""), inferred=True), page.path)
        if "docker" in programs:
            need(Prerequisite(PrerequisiteKind.DOCKER, "docker", DOCKER_INSTALL, inferred=True), page.path)
        if programs & _CLUSTER_TOOLS or cluster:
            need(Prerequisite(PrerequisiteKind.CLUSTER, "kubernetes", KUBECTL_INSTALL, inferred=True), page.path)
            if cluster:
                found[("cluster", "kubernetes")].required = True
    order = {PrerequisiteKind.TOOL: 0, PrerequisiteKind.DOCKER: 1, PrerequisiteKind.CLUSTER: 2}
    return sorted(found.values(), key=lambda r: (order[r.prerequisite.kind], r.prerequisite.name.lower()))


def _helper_script(name: str, scripts: HelperScripts) -> str:
    """Where in the manuscript's repository the file ``name`` names is ("" when it is not there).

    ``./manuscript/x.sh`` is a helper script of the manuscript; ``./dot.nu`` is a file beside
    a clone's ``manuscript`` folder, at the root of the repository the steps run from. Where
    such a word may lead is the steps' own rule (:meth:`HelperScripts.places`).
    """
    if "/" not in name:
        return ""
    for place in scripts.places(name):
        if place.is_file():
            return scripts.in_repository(place)
    return ""


def _missing(code: str, env: Mapping[str, str], defined: set[str], root: Path) -> list[Missing]:
    """Programs ``code`` calls that are not here, and those of the helper scripts it runs wherever they are.

    ``./manuscript/x.sh`` resolves from a clone of the manuscript's repository; run elsewhere,
    the programs it calls are still looked for, in the manuscript's own copy of it.
    """
    found = missing_programs(code, env=env, cwd=Path.cwd(), defined=defined, scripts_root=root)
    scripts = helper_scripts(root)
    inside: list[Missing] = []
    for item in found:
        script = _helper_script(item.name, scripts) if not item.via else ""
        if script:  # (one outside the manuscript is not read: only the manuscript's own files are)
            inside += missing_programs(
                shlex.quote(str(scripts.root.parent / script)),
                env=env,
                cwd=Path.cwd(),
                defined=defined,
                scripts_root=root,
            )
    return found + inside


def talks_to_cluster(code: str) -> bool:
    """Whether a step talks to a Kubernetes cluster (``kubectl get``, ``helm install``).

    Rendering (``helm template``, ``kubectl kustomize``), a client-side dry run and
    ``--client`` questions need no cluster; anything else kubectl or helm does is taken to.
    """
    for command in analyse(code).commands:
        if not command.words:
            continue
        program = command.words[0].rsplit("/", 1)[-1]
        if program in _CLUSTER_CLIENTS:
            return True
        if program not in _OFFLINE:
            continue
        arguments = command.words[1:]
        if any(a in ("--client", "--dry-run=client") for a in arguments):
            continue
        subcommand = next((a for a in arguments if not a.startswith("-")), "")
        if subcommand and subcommand not in _OFFLINE[program]:
            return True
    return False


def evaluate(items: Iterable[Requirement], env: Mapping[str, str] | None = None) -> list[Finding]:
    """Check each requirement once; a cluster is required where a page talks to one."""
    cache: dict[tuple[str, str], Report] = {}
    findings = []
    for item in items:
        key = (item.prerequisite.kind.value, item.prerequisite.name)
        if key not in cache:
            if item.plugin:
                cache[key] = kubectl_plugin(item.prerequisite.name, item.prerequisite.link, env)
            elif item.script:
                cache[key] = helper_script(item.prerequisite.name, item.script)
            else:
                cache[key] = check(item.prerequisite, env)
        report = cache[key]
        if item.required and not report.required:
            report = replace(report, required=True)
        findings.append(Finding(item, report))
    return findings


@record
class MissingProgram:
    """A program some of the steps about to run call, and that is not installed."""

    name: str
    link: str  # where to install it ("" when no page says)
    steps: list[Step] = field(default_factory=list)  # the steps that call it, in run order
    via: list[str] = field(default_factory=list)  # helper scripts that call it

    def describe(self) -> str:
        """``helm (install: https://…) used by registry/dragonfly.md steps 2, 3``."""
        install = f" (install: {self.link})" if self.link else ""
        pages: dict[str, list[str]] = {}
        for step in self.steps:
            pages.setdefault(step.page, []).append(str(step.index + 1))
        users = "; ".join(
            f"{page} step{'s' if len(numbers) > 1 else ''} {', '.join(numbers)}" for page, numbers in pages.items()
        )
        via = f" (called by {', '.join(self.via)})" if self.via else ""
        return f"{self.name}{install} used by {users}{via}"

    def as_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "link": self.link,
            "steps": [{"page": s.page, "index": s.index + 1, "line": s.line} for s in self.steps],
            "via": self.via,
        }


def missing_for_steps(
    manuscript: Manuscript, steps: Iterable[Step], env: Mapping[str, str], cwd: Path
) -> list[MissingProgram]:
    """Every program the runnable ``steps`` call that is not installed, before any of them runs.

    Judged as the session would judge it at the start: PATH and files as they are now, and
    functions defined by earlier steps of the same run. A step that installs a program
    cannot be foreseen, so this is a warning; the check before each step stays the rule.
    """
    env = {**env, "ADVENTURE_DIR": str(manuscript.root)}
    links = _install_links(manuscript)
    found: dict[str, MissingProgram] = {}
    defined: set[str] = set()
    for step in steps:
        if not step.runnable:
            continue
        page = manuscript.pages.get(step.page)
        page_links = {p.name: p.link for p in page.prerequisites if p.link} if page else {}
        code = session_code(step)
        for item in missing_programs(code, env=env, cwd=cwd, defined=defined, scripts_root=manuscript.root):
            entry = found.setdefault(item.name, MissingProgram(item.name, ""))
            entry.link = entry.link or page_links.get(item.name, "") or links.get(item.name, "")
            if step not in entry.steps:
                entry.steps.append(step)
            if item.via and item.via not in entry.via:
                entry.via.append(item.via)
        defined |= calls(step.code)[2]
    return list(found.values())


def _install_links(manuscript: Manuscript) -> dict[str, str]:
    """Where any page of the manuscript says to get each tool (the first page that gives a link)."""
    links: dict[str, str] = {}
    for page in manuscript.pages.values():
        for item in page.prerequisites:
            if item.kind is PrerequisiteKind.TOOL and item.link:
                links.setdefault(item.name, item.link)
    return links
