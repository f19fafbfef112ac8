"""What a journey picks up when the reader comes back: the shell as it was, and their answers.

A relaunch starts a new bash. The last shell's snapshot gives back its working directory,
functions, aliases and variables; saved answers are exported again. What cannot come back is
said by name: a directory that is gone, secrets (never written down: asked again, or made again
by running the step that made them), jobs that ran in the background.
"""

from __future__ import annotations

from dataclasses import field

from tutorial.records import record
from tutorial.shell.session import ShellRestore


@record
class Resumed:
    """What a journey resumed here got back: the shell's state, the answers exported again, the secrets to ask."""

    shell: ShellRestore
    variables: list[str] = field(default_factory=list)  # saved answers exported again
    secrets: list[str] = field(default_factory=list)  # secrets' names: asked again when a step needs them

    @property
    def lost(self) -> bool:
        """Something the reader had is not back (a directory, secrets)."""
        return bool(self.shell.missing_directory or self.secrets)

    def restored(self) -> list[str]:
        shell = self.shell
        parts = []
        if shell.directory and shell.found:
            parts.append(f"directory {shell.directory}")
        for what, names in (("functions", shell.functions), ("aliases", shell.aliases)):
            if names:
                parts.append(f"{what} {', '.join(names)}")
        variables = sorted({*shell.variables, *self.variables})
        if variables:
            parts.append(f"variables {', '.join(variables)}")
        return parts

    def not_restored(self) -> list[str]:
        parts = []
        if not self.shell.found:
            parts.append("no shell of an earlier journey here (only saved answers)")
        if self.shell.missing_directory:
            parts.append(f"directory {self.shell.missing_directory} (it no longer exists)")
        if self.secrets:
            parts.append(
                f"secrets {', '.join(self.secrets)} (never saved: a step that needs one asks for it, "
                "or says which step to run again)"
            )
        if self.shell.found:
            parts.append("background jobs")
        return parts

    def summary(self) -> str:
        got = "; ".join(self.restored()) or "nothing"
        missed = "; ".join(self.not_restored())
        return f"Restored {got}." + (f"\nNot restored: {missed}." if missed else "")
