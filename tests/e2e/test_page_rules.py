"""A run leaves out a chapter that says it is not for what the reader chose, and says why; otherwise it runs."""

import textwrap

from tests.support.books import book
from tests.support.cli import run_cli

RULE = "If you chose Foo, this chapter is not supported yet; go back and choose another."
PAGES = {
    "format.md": "# Format\n\n## What Is Your Choice?\n\n* [Bar](bar.md)\n* [Baz](baz.md)\n",
    "bar.md": textwrap.dedent(
        f"""
        # Bar

        {RULE}

        ## Do

        ```bash
        echo bar > ran.txt
        ```
        """
    ),
    "baz.md": "# Baz\n",
}


def test_the_reader_who_assumed_foo_runs_nothing_of_it_and_is_told_why(tmp_path):
    root, work = book(tmp_path, PAGES)
    result = run_cli("run", "bar.md", "--manuscript", root, "--workdir", work, "--assume", "Foo", cwd=work)
    assert result.returncode == 0, result.stdout + result.stderr
    assert not (work / "ran.txt").exists()
    assert f"the page says “{RULE}” (skip if Foo: it applies to you)" in result.stdout
    assert "0 passed, 0 failed, 1 skipped" in result.stdout
    assert "bar.md: left out:" in result.stderr


def test_without_the_assumption_it_runs_and_says_what_nobody_said(tmp_path):
    root, work = book(tmp_path, PAGES)
    result = run_cli("run", "bar.md", "--manuscript", root, "--workdir", work, cwd=work)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (work / "ran.txt").read_text() == "bar\n"
    assert "bar.md: not known:" in result.stderr and "nobody said whether 'Foo' holds" in result.stderr
    quiet = run_cli("run", "bar.md", "--manuscript", root, "--workdir", work, "--assume", "not Foo", cwd=work)
    assert quiet.returncode == 0 and "the page says" not in quiet.stderr  # said it does not hold: nothing to say
