"""A step with a nested shell, run in the reader's terminal: what is typed inside never runs outside."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tutorial.engine.journey import Journey, JourneyOptions
from tutorial.engine.results import StepStatus

PAGE = """
# Nested

```bash
export OUTER=kept
```

```bash
echo "before the shell" > before.txt
bash
export INSIDE=typed
touch typed-inside.txt
exit
echo "after the shell" > after.txt
```

```bash
echo "outer: ${INSIDE:-no INSIDE} $OUTER"
```
"""


@pytest.fixture
def reader_gives_no_input() -> Iterator[None]:
    """The reader's terminal, as a nested shell sees it here: input at its end (nothing typed)."""
    saved = os.dup(0)
    nothing = os.open(os.devnull, os.O_RDONLY)
    os.dup2(nothing, 0)
    try:
        yield
    finally:
        os.dup2(saved, 0)
        os.close(saved)
        os.close(nothing)


def test_the_lines_of_a_nested_shell_are_left_to_the_reader(write_manuscript, tmp_path, reader_gives_no_input):
    manuscript = write_manuscript({"nested.md": PAGE})
    work = tmp_path / "work"
    work.mkdir()
    journey = Journey(manuscript, work, JourneyOptions(save_progress=False))
    try:
        first, nested, last = manuscript.pages["nested.md"].steps
        assert nested.needs_terminal == "`bash` starts an interactive shell"
        assert "    touch typed-inside.txt" in journey.terminal_guide(nested)[0]
        assert journey.run_step(first).status is StepStatus.PASSED

        outcome = journey.run_step(nested, in_terminal=True)
        assert outcome.status is StepStatus.PASSED, outcome.message
        assert (work / "before.txt").is_file() and (work / "after.txt").is_file()  # the outer lines ran
        assert not (work / "typed-inside.txt").exists()  # the reader typed nothing: nothing ran for them

        after = journey.run_step(last)  # the session is alive: the `exit` was not run by it
        assert after.status is StepStatus.PASSED
        assert "outer: no INSIDE kept" in after.output_tail
    finally:
        journey.close()


SECOND_TERMINAL = """
# Two terminals

```bash
export OUTER=kept

odo dev &

# In the second terminal
exit

echo "after: $OUTER" > after.txt
```

```bash
echo "still: $OUTER"
```
"""


@pytest.mark.parametrize("in_terminal", [False, True])
def test_a_command_a_comment_sends_to_another_terminal_never_runs_in_this_one(
    write_manuscript, tmp_path, reader_gives_no_input, in_terminal
):
    # the `exit` closes the reader's second terminal: run here, it would end the session (or the
    # script in the reader's terminal) and the lines after it would never run
    manuscript = write_manuscript({"two.md": SECOND_TERMINAL})
    work = tmp_path / "work"
    work.mkdir()
    journey = Journey(manuscript, work, JourneyOptions(save_progress=False))
    try:
        step, last = manuscript.pages["two.md"].steps
        assert "another terminal" in step.needs_terminal
        assert "Line 6 is for another terminal (In the second terminal)" in journey.terminal_guide(step)[0]
        odo = work / "bin"
        odo.mkdir()
        (odo / "odo").write_text("#!/bin/sh\nexit 0\n")
        (odo / "odo").chmod(0o755)
        journey.session.run(f'export PATH="{odo}:$PATH"')
        outcome = journey.run_step(step, in_terminal=in_terminal, here_anyway=not in_terminal)
        assert outcome.status is StepStatus.PASSED, outcome.message
        assert (work / "after.txt").read_text() == "after: kept\n"
        if not in_terminal:
            assert any("line 9 (`exit`) not run: the text sends it to another terminal" in n for n in outcome.notes)
            after = journey.run_step(last)  # the session lived on: nothing restarted it
            assert after.status is StepStatus.PASSED and "still: kept" in after.output_tail
    finally:
        journey.close()


LEAVE_DEVBOX = """
# Destroy

> Skip executing `devbox shell` if you are already inside the Shell.

```bash
devbox shell

export KEPT=yes
```

```sh
echo destroyed > destroyed.txt

exit
```

```bash
echo "still: $KEPT"
```
"""


def test_a_bare_exit_leaving_an_earlier_blocks_shell_never_ends_the_session(write_manuscript, tmp_path):
    manuscript = write_manuscript({"destroy.md": LEAVE_DEVBOX})
    work = tmp_path / "work"
    work.mkdir()
    journey = Journey(manuscript, work, JourneyOptions(save_progress=False))
    try:
        opener, kept, destroy, last = manuscript.pages["destroy.md"].steps
        assert journey.run_step(kept).status is StepStatus.PASSED
        outcome = journey.run_step(destroy)
        assert outcome.status is StepStatus.PASSED, outcome.message
        assert (work / "destroyed.txt").is_file()  # the step's other lines ran
        assert any(
            f"line {destroy.line + 2} (`exit`) not run: it leaves `devbox shell` (opened at line {opener.line}" in n
            for n in outcome.notes
        ), outcome.notes
        after = journey.run_step(last)  # the same shell: nothing ended or restarted it
        assert after.status is StepStatus.PASSED and "still: yes" in after.output_tail
    finally:
        journey.close()
