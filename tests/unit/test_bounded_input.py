"""Bounded input: alias bombs, pages that are not files, huge pages, runaway patterns, wrong types."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest

from tests.support.cli import run_cli
from tutorial import safeyaml
from tutorial.manuscript.expect import PatternError, matches
from tutorial.manuscript.loader import MAX_PAGE_BYTES, ManuscriptError, load, read_config

BOMB = """\
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
"""


def cli(*args: object, cwd: Path, timeout: float = 30) -> subprocess.CompletedProcess[str]:
    return run_cli(*args, cwd=cwd, timeout=timeout)


@pytest.fixture
def book(tmp_path: Path) -> tuple[Path, Path]:
    root = tmp_path / "manuscript"
    root.mkdir()
    (root / "page.md").write_text("# Page\n\n```bash\necho ran > ran.txt\n```\n")
    work = tmp_path / "work"
    work.mkdir()
    return root, work


# -- YAML aliases ------------------------------------------------------------------------------


def test_a_few_aliases_load_and_a_bomb_is_refused_with_its_line() -> None:
    assert safeyaml.load("base: &b {x: 1}\none: *b\ntwo: *b\n") == {"base": {"x": 1}, "one": {"x": 1}, "two": {"x": 1}}
    started = time.monotonic()
    with pytest.raises(safeyaml.TooManyAliases) as refused:
        safeyaml.load(BOMB)
    assert time.monotonic() - started < 1
    assert refused.value.line in range(2, 10) and "aliases" in str(refused.value)


def test_few_aliases_that_expand_to_millions_of_values_are_refused() -> None:
    few = "\n".join(BOMB.splitlines()[:8]) + "\nadventure:\n  path: *h\n"  # 64 aliases, 9^8 values
    with pytest.raises(safeyaml.TooManyAliases) as refused:
        safeyaml.load(few)
    assert "more than 250,000 values" in str(refused.value)


@pytest.mark.parametrize("text", ["a: &a [*a]\n", "a: &a\n  b: *a\n"])
def test_an_alias_inside_the_value_it_names_is_refused(text: str) -> None:
    with pytest.raises(safeyaml.TooManyAliases) as refused:
        safeyaml.load(text)
    assert "cycle" in str(refused.value)


@pytest.mark.parametrize("bomb", [BOMB, BOMB.replace("i: &i", "adventure:\n  path: *h\ni: &i")])
def test_an_alias_bomb_in_settings_stops_run_and_reset_with_file_and_line(book, bomb: str) -> None:
    root, work = book
    (work / "settings.yaml").write_text(bomb)
    for args in (("run", "page.md", "--manuscript", root), ("reset",)):
        result = cli(*args, cwd=work)
        assert result.returncode == 2, result.stderr
        assert f"{work / 'settings.yaml'}:" in result.stderr and "aliases" in result.stderr
    assert not (work / "ran.txt").exists()
    assert (work / "settings.yaml").read_text() == bomb


def test_an_alias_bomb_in_the_manuscript_config_stops_lint_with_file_and_line(book) -> None:
    root, work = book
    (root / "adventure.yaml").write_text(BOMB)
    result = cli("lint", "--manuscript", root, cwd=work)
    assert result.returncode == 2
    assert f"{root / 'adventure.yaml'}:" in result.stderr and "aliases" in result.stderr


# -- the manuscript config's types ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "key"),
    [("title: T\nstart: 5\n", 2, "start"), ("repository: {a: 1}\n", 1, "repository"), ("title: [x]\n", 1, "title")],
)
def test_a_config_value_of_the_wrong_type_names_file_line_and_key(tmp_path: Path, text: str, line: int, key: str):
    (tmp_path / "adventure.yaml").write_text(text)
    with pytest.raises(ManuscriptError) as error:
        read_config(tmp_path)
    assert f"adventure.yaml:{line}: '{key}'" in str(error.value)


def test_start_5_exits_2_without_a_traceback(book) -> None:
    root, work = book
    (root / "adventure.yaml").write_text("start: 5\n")
    result = cli("lint", "--manuscript", root, cwd=work)
    assert result.returncode == 2 and "adventure.yaml:1" in result.stderr and "Traceback" not in result.stderr


# -- only regular files inside the manuscript are pages ------------------------------------------


def test_fifos_devices_links_outside_and_huge_files_are_not_pages(tmp_path: Path) -> None:
    root = tmp_path / "manuscript"
    root.mkdir()
    (root / "real.md").write_text("# Real\n")
    os.mkfifo(root / "pipe.md")
    (root / "zero.md").symlink_to("/dev/zero")
    (root / "passwd.md").symlink_to("/etc/passwd")
    (tmp_path / "outside.md").write_text("# Outside\n")
    (root / "escape.md").symlink_to("../outside.md")
    (root / "inside.md").symlink_to("real.md")  # a link inside the manuscript is fine
    with (root / "huge.md").open("wb") as stream:
        stream.truncate(MAX_PAGE_BYTES + 1)  # sparse: big, not slow
    started = time.monotonic()
    manuscript = load(root)
    assert time.monotonic() - started < 5
    assert sorted(manuscript.pages) == ["inside.md", "real.md"]
    kinds = {p.page: p.kind for p in manuscript.problems}
    assert kinds == {
        "pipe.md": "not-a-file",
        "zero.md": "outside-manuscript",
        "passwd.md": "outside-manuscript",
        "escape.md": "outside-manuscript",
        "huge.md": "too-large",
    }
    by_page = {p.page: p.message for p in manuscript.problems}
    assert "/etc/passwd" in by_page["passwd.md"] and "named pipe" in by_page["pipe.md"]


def test_lint_reports_a_fifo_page_instead_of_hanging(book) -> None:
    root, work = book
    os.mkfifo(root / "pipe.md")
    result = cli("lint", "--manuscript", root, cwd=work, timeout=20)
    assert result.returncode == 1
    assert f"{root / 'pipe.md'}:1: not-a-file" in result.stdout


# -- expect: patterns ---------------------------------------------------------------------------


def test_a_catastrophic_pattern_is_matched_in_linear_time() -> None:
    started = time.monotonic()
    assert not matches(r"(a+)+$", "a" * 50_000 + "b")
    assert matches(r"^ready$", "starting\nready\n")  # ^ and $ at every line, as before
    assert time.monotonic() - started < 1


def test_a_pattern_re2_cannot_compile_is_a_bad_directive_with_its_line(write_manuscript) -> None:
    manuscript = write_manuscript(
        {
            "page.md": """
                # Page

                ```bash
                echo abab
                ```
                <!-- check: echo abab
                     expect: (ab)\\1 -->
                """
        }
    )
    problems = [p for p in manuscript.pages["page.md"].problems if p.kind == "bad-directive"]
    assert len(problems) == 1 and problems[0].line == 7 and "RE2" in problems[0].message
    with pytest.raises(PatternError):
        matches(r"(ab)\1", "abab")


def test_a_check_with_a_catastrophic_pattern_fails_fast_instead_of_hanging(book) -> None:
    root, work = book
    output = "a" * 40 + "b"  # (a+)+$ backtracks 2^40 times over it in Python's re
    (root / "slow.md").write_text(
        f"# Slow\n\n```bash\necho start\n```\n<!-- check: echo {output}\n     expect: ^(a+)+$ -->\n"
    )
    started = time.monotonic()
    result = cli("run", "slow.md", "--manuscript", root, "--timeout", "5", cwd=work, timeout=60)
    assert result.returncode == 1 and "expected output matching" in result.stdout
    assert time.monotonic() - started < 20
