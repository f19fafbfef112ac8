"""Checks and secrets declared in the Markdown, in both forms."""

from tutorial.manuscript.directives import from_comment, from_info


def test_comment_after_a_block(write_manuscript):
    m = write_manuscript(
        {
            "a.md": """
        # A

        ```bash
        docker push x
        ```
        <!-- check: registry.sh has-tags x latest
        expect: is in the registry
        description: both tags are in the registry
        check: test -f done
        -->

        <!-- an ordinary comment -->
        """
        }
    )
    (step,) = m.page("a.md").steps
    first, second = step.checks
    assert (first.command, first.expect, first.description) == (
        "registry.sh has-tags x latest",
        "is in the registry",
        "both tags are in the registry",
    )
    assert (second.command, second.expect) == ("test -f done", "")
    assert m.page("a.md").problems == ()


def test_fence_attributes():
    found = from_info('bash check="test -f demo-app/Dockerfile" expect="^ok$" secret=TOKEN', 3)
    (check,) = found.checks
    assert (check.command, check.expect, check.line) == ("test -f demo-app/Dockerfile", "^ok$", 3)
    assert found.secrets == ["TOKEN"]
    assert from_info("bash", 1).checks == []


def test_bad_directives_are_problems_with_lines(write_manuscript):
    m = write_manuscript(
        {
            "a.md": """
        # A

        <!-- check: not after a block -->

        ```bash
        echo x
        ```
        <!-- check: true
        expect: [unclosed -->
        """
        }
    )
    kinds = [(p.kind, p.line) for p in m.page("a.md").problems]
    assert kinds == [("bad-directive", 3), ("bad-directive", 9)]


def test_multi_line_check_command():
    found = from_comment("<!-- check: curl -s x \\\n  | grep y\nexpect: z -->", 1)
    assert found is not None
    (check,) = found.checks
    assert check.command == "curl -s x \\\n| grep y" and check.expect == "z"


def test_failed_check_says_what_it_expected(tmp_path):
    import subprocess
    import sys

    root = tmp_path / "m"
    root.mkdir()
    (root / "c.md").write_text(
        "# C\n\n```bash\necho version 1\n```\n<!-- check: echo version 1\nexpect: version 2 -->\n"
    )
    result = subprocess.run(
        [sys.executable, "-m", "tutorial", "run", "c.md", "--manuscript", str(root)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "expected output matching /version 2/" in result.stdout
