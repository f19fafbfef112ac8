"""``run --junit FILE``: the outcome of a run as a JUnit XML report.

CI systems (GitLab, GitHub Actions' test reporters, Jenkins) already know how to show JUnit
XML, so a manuscript's health appears there like any test suite: one ``<testsuite>`` per page,
one ``<testcase>`` per step. A skipped step says why; a failed one gives the line that failed
and the last lines of its output. Output is masked before it gets here (secrets never reach
the report), and characters XML cannot carry are replaced.
"""

from __future__ import annotations

import argparse
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING

from tutorial.commands.common import CommandError
from tutorial.engine.results import StepOutcome, StepStatus
from tutorial.shell.output import strip_ansi

if TYPE_CHECKING:  # (the XML writer is loaded when a report is written: `run` starts without it)
    import xml.etree.ElementTree as ET

#: characters XML 1.0 cannot hold, even escaped (most C0 controls, surrogates, U+FFFE/FFFF)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_TAIL_CHARS = 8000


def add_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--junit",
        metavar="FILE",
        type=Path,
        help="also write a JUnit XML report to FILE: one testsuite per page, one testcase per step",
    )


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", strip_ansi(text))


def failing_line(outcome: StepOutcome) -> str:
    """The text of the command that failed, as written in the page (no values, so no secrets)."""
    if not outcome.failed_line:
        return ""
    lines = outcome.step.code.splitlines()
    index = outcome.failed_line - outcome.step.line
    return lines[index].strip() if 0 <= index < len(lines) else ""


def _testcase(outcome: StepOutcome) -> ET.Element:
    import xml.etree.ElementTree as ET

    step = outcome.step
    first = step.first_line
    case = ET.Element(
        "testcase",
        {
            "classname": step.page,
            "name": _clean(f"step {step.index + 1} (line {step.line}): {first}" if first else f"step {step.index + 1}"),
            "file": step.page,
            "line": str(step.line),
            "time": f"{outcome.duration:.3f}",
        },
    )
    tail = _clean(outcome.output_tail)[-_TAIL_CHARS:]
    if outcome.status is StepStatus.SKIPPED:
        ET.SubElement(case, "skipped", {"message": _clean(outcome.message or "skipped")})
    elif outcome.status is StepStatus.FAILED:
        message = _clean(outcome.message or "failed")
        kind = "timeout" if outcome.timed_out else "failed"
        failure = ET.SubElement(case, "failure", {"message": message, "type": kind})
        where = f"{step.page}:{outcome.failed_line or step.line}"
        line = failing_line(outcome)
        parts = [f"{where}: {message}"]
        if line:
            parts.append(f"failing line: {_clean(line)}")
        parts.extend(f"check: {_clean(c.message)}" for c in outcome.checks if not c.passed)
        if tail:
            parts.append(f"output (last lines):\n{tail}")
        failure.text = "\n".join(parts)
    if tail and outcome.status is not StepStatus.SKIPPED:
        ET.SubElement(case, "system-out").text = tail
    notes = [_clean(n) for n in outcome.notes]
    if notes:
        ET.SubElement(case, "system-err").text = "\n".join(notes)
    return case


def report(outcomes: list[StepOutcome], name: str = "cncf-adventure") -> ET.ElementTree[ET.Element | None]:
    """The report of ``outcomes``, pages in the order they first ran."""
    import xml.etree.ElementTree as ET

    pages: dict[str, list[StepOutcome]] = {}
    for outcome in outcomes:
        pages.setdefault(outcome.step.page, []).append(outcome)
    root = ET.Element("testsuites", {"name": _clean(name)})
    totals = {"tests": 0, "failures": 0, "skipped": 0}
    total_time = 0.0
    for page, cases in pages.items():
        failures = sum(1 for o in cases if o.status is StepStatus.FAILED)
        skipped = sum(1 for o in cases if o.status is StepStatus.SKIPPED)
        seconds = sum(o.duration for o in cases)
        suite = ET.SubElement(
            root,
            "testsuite",
            {
                "name": page,
                "tests": str(len(cases)),
                "failures": str(failures),
                "errors": "0",
                "skipped": str(skipped),
                "time": f"{seconds:.3f}",
            },
        )
        suite.extend(_testcase(o) for o in cases)
        totals["tests"] += len(cases)
        totals["failures"] += failures
        totals["skipped"] += skipped
        total_time += seconds
    root.attrib.update({key: str(value) for key, value in totals.items()})
    root.set("errors", "0")
    root.set("time", f"{total_time:.3f}")
    tree = ET.ElementTree(root)
    ET.indent(tree)
    return tree


def write(path: Path, outcomes: list[StepOutcome], name: str = "cncf-adventure") -> None:
    """Write the report atomically: a CI job that reads it never sees half a file."""
    import tempfile

    path = path.expanduser()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    except OSError as error:
        raise CommandError(f"{path}: cannot write the JUnit report: {error.strerror or error}") from error
    try:
        with os.fdopen(handle, "wb") as stream:
            report(outcomes, name).write(stream, encoding="utf-8", xml_declaration=True)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
