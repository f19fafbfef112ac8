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
    # no errors; the one warning is Harbor's `docker login`, which asks for a password
    assert [(p["page"], p["kind"], p["severity"]) for p in report["problems"]] == [
        ("registry/harbor.md", "needs-terminal", "warning")
    ]
    assert report["pages"] >= 10 and report["steps"] >= 20


def test_lint_exit_codes_and_text_output(write_manuscript, tmp_path):
    write_manuscript({"adventure.yaml": "ends: [a.md]\n", "a.md": "# A\n\n[gone](gone.md)\n"})
    run = [sys.executable, "-m", "tutorial", "lint", "--manuscript"]
    broken = subprocess.run([*run, str(tmp_path / "manuscript")], capture_output=True, text=True)
    assert broken.returncode == 1
    assert f"{tmp_path / 'manuscript' / 'a.md'}:3: broken-link:" in broken.stdout
    assert "1 problem" in broken.stderr
    missing = subprocess.run([*run, str(tmp_path / "nope")], capture_output=True, text=True)
    assert missing.returncode == 2 and "nope: no such manuscript folder" in missing.stderr


def test_a_page_with_no_way_on_is_a_dead_end_with_its_last_line(write_manuscript, tmp_path):
    m = write_manuscript(
        {
            "adventure.yaml": "start: [a.md]\n",
            "a.md": "# A\n\n## Continue The Adventure\n\n* [Stuck](stuck.md)\n",
            "stuck.md": "# Stuck\n\n```bash\necho here\n```\n\nSome closing words.\n",
        }
    )
    assert _kinds(lint(m)) == [("stuck.md", 7, "dead-end")]
    result = subprocess.run(
        [sys.executable, "-m", "tutorial", "lint", "--format", "json", "--manuscript", str(tmp_path / "manuscript")],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    (problem,) = json.loads(result.stdout)["problems"]
    assert (problem["page"], problem["line"], problem["kind"]) == ("stuck.md", 7, "dead-end")
    assert "no way on" in problem["message"]


def test_pages_meant_to_end_are_not_dead_ends(write_manuscript):
    m = write_manuscript(
        {
            "adventure.yaml": "start: [a.md]\nends: [finale.md]\n",
            "a.md": """
            # A

            ## What Is Your Choice?

            * [Soon](soon.md)
            * [Destroy](destroy.md)
            * [Finale](finale.md)
            * [Teardown](cleanup.md)
            """,
            "soon.md": "# Soon\n\n## Continue The Adventure\n\nThis is as far as the adventure goes for now.\n",
            "destroy.md": "# Destroy\n\n```bash\necho gone\n```\n",
            "cleanup.md": "# Everything Torn Down: The Destruction\n",
            "finale.md": "# Finale\n\nWell done.\n",
        }
    )
    assert _kinds(lint(m)) == []


def test_a_bare_todo_does_not_say_the_adventure_ends(write_manuscript):
    m = write_manuscript({"todo.md": "# Todo\n\n## Continue The Adventure\n\nTODO: write the next chapter\n"})
    assert _kinds(lint(m)) == [("todo.md", 5, "dead-end")]


def test_ends_naming_a_missing_page_is_a_broken_link(write_manuscript):
    m = write_manuscript({"adventure.yaml": "ends: [gone.md]\n", "a.md": "# Destroy\n"})
    assert _kinds(lint(m)) == [("gone.md", 1, "broken-link")]
    assert m.ends == frozenset({"gone.md"})


def test_an_unreachable_arc_is_one_problem_and_its_dead_ends_wait(write_manuscript):
    m = write_manuscript(
        {
            "adventure.yaml": "start: [a.md]\n",
            "a.md": "# A\n\nSee [the draft](draft.md) for background.\n\n"
            "## Continue The Adventure\n\n* [Destroy](z.md)\n",
            "z.md": "# Destroy\n",
            "draft.md": "# Draft\n\n## What Is Your Choice?\n\n* [One](one.md)\n* [Two](two.md)\n",
            "one.md": "# One\n",  # a dead end, but nobody can get there yet
            "two.md": "# Two\n\n## Continue The Adventure\n\n* [Draft again](draft.md)\n",
        }
    )
    report = lint(m)
    assert _kinds(report) == [("draft.md", 1, "unreachable")]  # a "see" link is not a way on
    assert "2 more pages can only be reached through it" in report.problems[0].message


def test_an_unreachable_loop_is_reported_once(write_manuscript):
    m = write_manuscript(
        {
            "adventure.yaml": "start: [a.md]\nends: [a.md]\n",
            "a.md": "# A\n",
            "b.md": "# B\n\n## What Is Your Choice?\n\n* [C](c.md)\n* [A](a.md)\n",
            "c.md": "# C\n\n## Continue The Adventure\n\n* [B](b.md)\n",
        }
    )
    assert _kinds(lint(m)) == [("b.md", 1, "unreachable")]


def test_steps_that_need_a_terminal_are_warnings_that_do_not_fail_lint(write_manuscript, tmp_path):
    write_manuscript(
        {
            "adventure.yaml": "start: [a.md]\nends: [a.md]\n",
            "a.md": """
            # A

            ```sh
            kubectl --namespace production --tty --stdin exec sleep -- sh
            curl http://cncf-demo.production:8080
            exit
            ```
            """,
        }
    )
    run = [sys.executable, "-m", "tutorial", "lint", "--manuscript", str(tmp_path / "manuscript")]
    as_json = subprocess.run([*run, "--format", "json"], capture_output=True, text=True)
    assert as_json.returncode == 0, as_json.stdout + as_json.stderr
    (problem,) = json.loads(as_json.stdout)["problems"]
    assert (problem["line"], problem["kind"], problem["severity"]) == (4, "needs-terminal", "warning")
    assert problem["message"].startswith("step 1 needs a terminal: `kubectl exec -it … -- sh` opens a shell")
    as_text = subprocess.run(run, capture_output=True, text=True)
    assert as_text.returncode == 0
    assert "a.md:4: warning: needs-terminal:" in as_text.stdout
    assert "no problems, 1 warning" in as_text.stdout

    (tmp_path / "manuscript" / "adventure.yaml").write_text("start: [a.md, gone.md]\nends: [a.md]\n")
    both = subprocess.run(run, capture_output=True, text=True)
    assert both.returncode == 1 and "1 problem, 1 warning" in both.stderr  # an error still fails it


def test_a_step_that_runs_a_helper_script_the_manuscript_does_not_hold(write_manuscript):
    m = write_manuscript(
        {
            "adventure.yaml": "start: [a.md]\nends: [a.md]\n",
            "logs/operator.sh": "echo installed\n",
            "a.md": """
            # A

            ```bash
            chmod +x manuscript/logging/operator.sh

            ./manuscript/logging/operator.sh
            ```

            ```bash
            ./manuscript/logs/operator.sh

            bash "$ADVENTURE_DIR/logs/gone.sh"

            ./bin/tool.sh
            ```
            """,
        }
    )
    problems = [(p.page, p.line, p.kind) for p in lint(m).problems]
    # the moved script and the missing one; `chmod`'s argument and scripts outside the manuscript are not read
    assert problems == [("a.md", 6, "missing-script"), ("a.md", 12, "missing-script")]
    assert "`./manuscript/logging/operator.sh`, which is not in the manuscript" in lint(m).problems[0].message
