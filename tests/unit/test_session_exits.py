"""A bare top-level ``exit`` is the reader's: found by the shell analyser, left out of the session, explained."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import WriteManuscript
from tutorial.engine.journey import Journey
from tutorial.engine.left_out import left_out
from tutorial.shell.exits import session_exits, shells_left_open


@pytest.mark.parametrize(
    ("code", "lines"),
    [
        ("./dot.nu destroy idp\n\nexit", [3]),
        ("echo done\nexit 0", [2]),
        ("logout", [1]),
        ("exit  # back to your shell", [1]),
        ("echo a\nexit\necho b", [2]),
    ],
)
def test_a_bare_exit_at_the_top_level_is_found(code: str, lines: list[int]) -> None:
    assert session_exits(code) == lines


@pytest.mark.parametrize(
    "code",
    [
        'if [ -z "$X" ]; then\n  exit\nfi',  # the block's own logic
        "check() {\n  exit\n}",
        "(\n  cd /tmp\n  exit\n)",  # a subshell: only it ends
        "(\n  [[ -f x ]] && echo hi\n  exit\n)",  # the same, read without bashlex (`[[`)
        "echo a | (\n  exit\n)",
        "echo $(exit)",
        "cd missing || exit",
        "cd x; exit",
        "exit 1",  # a failure the block means to report, not "leave this shell"
        "kubectl exec -it pod -- sh\napk add curl\nexit",  # closes the shell the block opened
        "devbox shell\nexit",
    ],
)
def test_an_exit_that_is_not_the_sessions_end_is_not_found(code: str) -> None:
    assert session_exits(code) == []


def test_a_shell_a_block_opens_and_leaves_open_is_known() -> None:
    assert [use.line for use in shells_left_open("devbox shell\n\nsource .env")] == [1]
    assert shells_left_open("kubectl exec -it pod -- sh\nls\nexit") == []
    assert shells_left_open("echo plain") == []


DEVBOX_PAGE = """
# Destroy

> Skip executing `devbox shell` if you are already inside the Shell.

```bash
devbox shell

source .env
```

```sh
./dot.nu destroy idp

exit
```
"""


def test_the_exit_of_a_later_block_leaves_the_shell_an_earlier_block_opened(
    write_manuscript: WriteManuscript,
) -> None:
    manuscript = write_manuscript({"destroy.md": DEVBOX_PAGE})
    page = manuscript.pages["destroy.md"]
    opener, _source, destroy = page.steps
    code, left = left_out(page, destroy, destroy.code)
    assert code.split("\n") == ["./dot.nu destroy idp", "", ""]  # line numbers still match the page
    (item,) = left
    assert (item.first, item.last, item.code) == (destroy.line + 2, destroy.line + 2, "exit")
    assert f"leaves `devbox shell` (opened at line {opener.line}, step 1)" in item.describe()
    assert item.describe().startswith(f"line {destroy.line + 2} (`exit`) not run:")


def test_an_exit_with_no_shell_opened_before_is_still_left_out(write_manuscript: WriteManuscript) -> None:
    manuscript = write_manuscript({"plain.md": "# Plain\n\n```bash\necho hi\nexit\n```\n"})
    page = manuscript.pages["plain.md"]
    (step,) = page.steps
    code, (item,) = left_out(page, step, step.code)
    assert code == "echo hi\n"
    assert "would end the shell every step runs in" in item.reason and "devbox" not in item.reason


def test_an_earlier_exit_leaves_the_earlier_shell(write_manuscript: WriteManuscript) -> None:
    """Two blocks each ending with `exit`: the second has no shell left to leave."""
    page_text = DEVBOX_PAGE + "\n```bash\necho again\nexit\n```\n"
    manuscript = write_manuscript({"twice.md": page_text})
    page = manuscript.pages["twice.md"]
    _code, (item,) = left_out(page, page.steps[-1], page.steps[-1].code)
    assert "devbox" not in item.reason


def test_the_step_view_lists_the_lines_a_run_leaves_out(write_manuscript: WriteManuscript, tmp_path: Path) -> None:
    manuscript = write_manuscript({"destroy.md": DEVBOX_PAGE})
    journey = Journey(manuscript, tmp_path)
    try:
        page = manuscript.pages["destroy.md"]
        view = journey.chapter(page).view(page.steps[2])
        assert len(view.left_out) == 1 and "leaves `devbox shell`" in view.left_out[0]
        assert journey.chapter(page).view(page.steps[1]).left_out == ()
    finally:
        journey.close()


@pytest.mark.parametrize(
    "code",
    [
        "test -f settings.yaml ||\n  exit",
        "make build &&\nexit",
        "kubectl get ns prod ||\n\n# not there: stop\nexit\nkubectl delete ns staging",
        "test -f x || \\\n\nexit",
        "echo a |\nexit",
    ],
)
def test_an_exit_that_ends_a_list_begun_on_a_line_above_is_the_blocks_own(code: str) -> None:
    """Blanked, it would leave the list to the next line (`kubectl get ns prod || kubectl delete ns staging`)."""
    assert session_exits(code) == []


def test_an_exit_under_a_comment_or_a_finished_command_is_still_the_readers() -> None:
    assert session_exits("echo done  # a || b\nexit") == [2]
    assert session_exits("# cd x ||\nexit") == [2]
    assert session_exits("echo a \\\n  b\n\nexit") == [4]
