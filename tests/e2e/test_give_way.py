"""The running step's output waits while the reader's key is answered, and none of it is lost."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from tutorial.shell.session import Session

LINES = 2_000_000  # about 15 MB: still flooding when the key comes


def test_a_flood_waits_while_the_reader_presses_a_key_and_loses_nothing(tmp_path: Path) -> None:
    arrivals: list[tuple[float, int]] = []
    pressed: list[float] = []

    def output(text: str) -> None:
        arrivals.append((time.monotonic(), text.count("\n")))
        if len(arrivals) == 5 and not pressed:  # well into the flood: a key
            pressed.append(time.monotonic())
            threading.Thread(target=session.give_way, args=(0.5,)).start()

    with Session(tmp_path) as session:
        result = session.run(f"seq 1 {LINES}", on_output=output)
    assert result.exit_code == 0 and pressed
    assert sum(lines for _, lines in arrivals) >= LINES  # every line came (the end of the last may follow)
    assert result.output_tail.rstrip().endswith(str(LINES))
    key = pressed[0]
    after = [at for at, _ in arrivals if at > key + 0.05]  # (a batch read as the key came may still land)
    assert after, "the flood ended before the key: nothing to wait"
    assert after[0] >= key + 0.4, f"output went on {after[0] - key:.3f} s after the key"


def test_a_key_before_any_step_starts_no_shell(tmp_path: Path, write_manuscript) -> None:
    """The app hears of every key; before the first step there is no shell, and none is started for it."""
    from tutorial.engine.journey import Journey

    manuscript = write_manuscript({"a.md": "# A\n\n```bash\necho hi\n```\n"})
    journey = Journey(manuscript, tmp_path / "work")
    try:
        journey.give_way(0.1)
        assert journey._session is None
    finally:
        journey.close()


def test_a_step_that_does_not_flood_is_read_as_ever(tmp_path: Path) -> None:
    """The key that starts a step, or answers its prompt, waits for that step's answer: it is not held back."""
    with Session(tmp_path) as session:
        session.give_way(30)  # (a wait this long would be unmistakable)
        result = session.run("echo quick")
    assert result.exit_code == 0 and result.output_tail.strip() == "quick"
    assert result.duration < 15


def test_a_key_the_app_hears_of_makes_the_running_steps_output_wait(tmp_path: Path, write_manuscript) -> None:
    """The app's part: a key reported by the driver reaches the journey's shell as a wait of a frame's time."""
    from tutorial.engine.journey import Journey
    from tutorial.ui.app import _KEY_FIRST, AdventureApp

    manuscript = write_manuscript({"a.md": "# A\n\n```bash\necho hi\n```\n"})
    app = AdventureApp(manuscript, tmp_path / "work")
    app.key_arrived()  # (no journey yet: nothing to do, nothing fails)
    app.journey = journey = Journey(manuscript, tmp_path / "work")
    try:
        session = journey.session
        before = time.monotonic()
        app.key_arrived()
        assert before + _KEY_FIRST <= session._give_way_until <= time.monotonic() + _KEY_FIRST
    finally:
        journey.close()
