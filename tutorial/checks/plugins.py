"""Prerequisites that are not programs on PATH: kubectl plugins, and the manuscript's helper scripts.

"Install `krew`" names a kubectl plugin: kubectl runs ``kubectl krew`` from an executable
``kubectl-krew`` on PATH (krew installs itself in ``~/.krew/bin``), so looking for a program
``krew`` says it is missing when it is installed. A prerequisite is taken for a plugin only
when the page's steps (or the helper scripts they run) call it as ``kubectl NAME``.

``./manuscript/db-schema/schemahero.sh`` (or ``./dot.nu`` beside the ``manuscript`` folder) is
a file of the manuscript's repository: the steps run it from a clone of that repository, so
outside one it is not "missing".
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
from pathlib import Path

from tutorial.checks.prerequisites import Report
from tutorial.manuscript.model import PrerequisiteKind
from tutorial.shell.commands import analyse, program_words
from tutorial.shell.interactive import HelperScripts, script_words

#: what kubectl itself does: a word after ``kubectl`` that names no plugin
_KUBECTL_VERBS = frozenset(
    {
        "annotate", "api-resources", "api-versions", "apply", "attach", "auth", "autoscale", "certificate",
        "cluster-info", "completion", "config", "cordon", "cp", "create", "debug", "delete", "describe", "diff",
        "drain", "edit", "events", "exec", "explain", "expose", "get", "help", "kustomize", "label", "logs",
        "options", "patch", "plugin", "port-forward", "proxy", "replace", "rollout", "run", "scale", "set",
        "taint", "top", "uncordon", "version", "wait",
    }
)  # fmt: skip


def kubectl_plugins(code: str, scripts: HelperScripts | None = None, *, depth: int = 0) -> set[str]:
    """The names ``code`` (and the helper scripts it runs) calls as ``kubectl NAME`` that kubectl does not know."""
    found: set[str] = set()
    if "kubectl" not in code and (scripts is None or (".sh" not in code and "/" not in code)):
        return found
    for command in analyse(code).commands:
        words = program_words(command.words) or command.words
        if words and os.path.basename(words[0]) == "kubectl":
            # kubectl runs a plugin only when it is its first word: after an option (`-n argocd get`)
            # the word is the option's value, and kubectl refuses a plugin's name there
            verb = words[1] if len(words) > 1 and not words[1].startswith("-") else ""
            if verb and verb not in _KUBECTL_VERBS and "$" not in verb:
                found.add(verb)
            continue
        if scripts is None or depth >= 3:
            continue
        for script in script_words(command):
            read = scripts(script)
            if read is not None:
                found |= kubectl_plugins(read[1], scripts, depth=depth + 1)
    return found


def kubectl_plugin(name: str, link: str = "", env: Mapping[str, str] | None = None) -> Report:
    """Whether kubectl finds its plugin ``name``: an executable ``kubectl-NAME`` on PATH.

    Installed where krew puts plugins but not on PATH, it is reported as such: kubectl would
    not find it, and the fix is a PATH entry, not an install.
    """
    env = os.environ if env is None else env
    executable = f"kubectl-{name.replace('-', '_')}"
    found = shutil.which(executable, path=env.get("PATH"))
    if found:
        return Report(PrerequisiteKind.TOOL, name, True, f"kubectl plugin `kubectl {name}`: {found}", link)
    home = env.get("HOME") or os.path.expanduser("~")
    krew = Path(env.get("KREW_ROOT") or Path(home) / ".krew") / "bin"
    aside = krew / executable
    if os.access(aside, os.X_OK) and aside.is_file():
        return Report(
            PrerequisiteKind.TOOL,
            name,
            False,
            f"kubectl plugin `kubectl {name}` is installed at {aside}, but {krew} is not on PATH",
            link,
            f'Add it to PATH: export PATH="{krew}:$PATH" (krew\'s setup says so too).',
        )
    return Report(
        PrerequisiteKind.TOOL,
        name,
        False,
        f"kubectl plugin `kubectl {name}` is not installed (no `{executable}` on PATH)",
        link,
        f"Install the kubectl plugin {name}" + (f": {link}" if link else "") + ".",
    )


def helper_script(name: str, place: str) -> Report:
    """A file of the manuscript's repository the steps run from a clone of it (and this directory is not one)."""
    return Report(
        PrerequisiteKind.TOOL,
        name,
        False,
        f"runs from a clone of the manuscript's repository (it is {place} there); this directory is not one",
        required=False,
    )
