"""What the page needs, checked before its first step: missing tools with their install links."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from tutorial.checks.requirements import Finding
from tutorial.engine.marks import requirement_mark


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
        """One line per item, what is missing first; each with one link, code names without backticks."""
        self.checked = True
        if not findings:
            self.add_class("-hidden")
            return
        missing = [f for f in findings if not f.report.ok]
        self.set_class(bool(missing), "-missing")
        text = Text()
        text.append("Before you start" if missing else "This page needs: ", style="bold")
        if not missing:
            there = requirement_mark(True, True)
            text.append(", ".join(f"{_name(f)} {there.icon}" for f in findings), style=there.style)
            self.update(text)
            return
        ordered = sorted(findings, key=lambda f: (f.report.ok, not f.report.required))
        for finding in ordered:
            text.append("\n")
            text.append_text(_line(finding))
        self.update(text)


def _line(finding: Finding) -> Text:
    report = finding.report
    mark = requirement_mark(report.ok, report.required)
    if report.ok:
        return Text(f"{mark.icon} {_name(finding)}", style=mark.style)
    line = Text(f"{mark.icon} {_name(finding)}: ", style=mark.style)
    line.append_text(_plain(report.detail))
    link = report.link or finding.requirement.prerequisite.link
    if report.fix and report.fix not in report.detail:
        line.append(" ")
        line.append_text(_plain(report.fix, "dim"))
    if link and link not in report.fix:
        line.append(f" {link}", style="underline cyan")
    return line


def _plain(words: str, style: str = "") -> Text:
    """A sentence whose `code` spans are shown bold, without their backticks."""
    text = Text(style=style)
    for number, part in enumerate(words.split("`")):
        text.append(part, style="bold" if number % 2 else "")
    return text


def _name(finding: Finding) -> str:
    kind = finding.report.kind.value
    return {"docker": "Docker engine", "cluster": "Kubernetes cluster"}.get(kind, finding.report.name)
