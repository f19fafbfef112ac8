"""``lint``: every kind of problem with file and line, and a clean bundled adventure."""

import json
import subprocess
import sys

from tutorial.manuscript.lint import lint


def _kinds(report):
    return [(p.page, p.line, p.kind) for p in report.problems]


def test_each_problem_kind(write_manuscript):
    m = write_manuscript(
        {
            "adventure.yaml": "start: [start.md]\n",
            "start.md": """
            # Start

            ```bash
            TODO:
            ```

            ```bash
            export REGION=[...]
            ```

            ## What Is Your Choice?

            * [Gone](gone.md)
            * Flux (has not yet been implemented)
            """,
            "orphan.md": "# Orphan\n",
            "open.md": "# Open\n\n```bash\necho never closed\n",
        }
    )
    report = lint(m)
    assert _kinds(report) == [
        ("open.md", 1, "unreachable"),
        ("open.md", 3, "unclosed-fence"),
        ("orphan.md", 1, "unreachable"),
        ("start.md", 3, "not-runnable"),
        ("start.md", 8, "placeholder-no-prompt"),
        ("start.md", 13, "broken-link"),
        ("start.md", 13, "no-available-option"),
    ]
    assert report.pages == 3


def test_loop_nobody_can_leave_is_reported_but_go_back_pages_are_not(write_manuscript):
    m = write_manuscript(
        {
            "adventure.yaml": "start: [a.md]\n",
            "a.md": "# A\n\n## What Is Your Choice?\n\n* [Lima](b.md)\n* [Docker](c.md)\n",
            "b.md": "# B\n\n## Continue The Adventure\n\n* [Back](a.md)\n",
            "c.md": "# C\n\n## Continue The Adventure\n\n* [D](d.md)\n",
            "d.md": "# D\n\n## Continue The Adventure\n\n* [C](c.md)\n",
        }
    )
    problems = [(p.page, p.line, p.kind) for p in lint(m).problems]
    assert problems == [("c.md", 5, "link-loop")]


def test_bundled_adventure_is_clean():
    result = subprocess.run(
        [sys.executable, "-m", "tutorial", "lint", "--format", "json"], capture_output=True, text=True, cwd="/"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert report["problems"] == []
    assert report["pages"] >= 10 and report["steps"] >= 20


def test_lint_exit_codes_and_text_output(write_manuscript, tmp_path):
    write_manuscript({"a.md": "# A\n\n[gone](gone.md)\n"})
    run = [sys.executable, "-m", "tutorial", "lint", "--manuscript"]
    broken = subprocess.run([*run, str(tmp_path / "manuscript")], capture_output=True, text=True)
    assert broken.returncode == 1
    assert f"{tmp_path / 'manuscript' / 'a.md'}:3: broken-link:" in broken.stdout
    assert "1 problem" in broken.stderr
    missing = subprocess.run([*run, str(tmp_path / "nope")], capture_output=True, text=True)
    assert missing.returncode == 2 and "nope: no such manuscript folder" in missing.stderr
