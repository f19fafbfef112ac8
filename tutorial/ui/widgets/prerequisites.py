"""What the page needs, checked before its first step: missing tools with their install links."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from tutorial.checks.requirements import Finding


class PrerequisitesPanel(Static):
    DEFAULT_CSS = """
    PrerequisitesPanel { height: auto; padding: 0 1; margin: 0 0 1 0; border: round $panel; }
    PrerequisitesPanel.-missing { border: round $warning; }
    PrerequisitesPanel.-hidden { display: none; }
    """

    def __init__(self) -> None:
        super().__init__(Text("Checking what this page needs…", style="dim"), id="prerequisites")

    checked = False  # set once the findings are in (tests and the app wait on it)

    def show(self, findings: list[Finding]) -> None:
        self.checked = True
        if not findings:
            self.add_class("-hidden")
            return
        missing = [f for f in findings if not f.report.ok]
        self.set_class(bool(missing), "-missing")
        text = Text()
        text.append("Before you start: " if missing else "This page needs: ", style="bold")
        if not missing:
            text.append(", ".join(f"{_name(f)} ✔" for f in findings), style="green")
            self.update(text)
            return
        for finding in findings:
            report = finding.report
            link = report.link or finding.requirement.prerequisite.link
            text.append("\n")
            if report.ok:
                text.append(f"✔ {_name(finding)}", style="green")
                continue
            text.append(
                f"{'✘' if report.required else '!'} {_name(finding)}: ", style="red" if report.required else "yellow"
            )
            text.append(report.detail)
            if report.fix and report.fix not in report.detail:
                text.append(f" {report.fix}", style="dim")
            if link:
                text.append(f" {link}", style="underline cyan")
        self.update(text)


def _name(finding: Finding) -> str:
    kind = finding.report.kind.value
    return {"docker": "Docker engine", "cluster": "Kubernetes cluster"}.get(kind, finding.report.name)
