"""The garbage collector is held off for the app's start only, and a caller's own choice is kept."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tutorial import collector


@pytest.fixture(autouse=True)
def _collector_as_it_was() -> Iterator[None]:
    was = gc.isenabled()
    yield
    collector.resume()
    gc.unfreeze()
    if was:
        gc.enable()
    else:
        gc.disable()


def test_paused_frozen_and_resumed() -> None:
    gc.enable()
    collector.pause()
    assert not gc.isenabled() and collector.paused()
    frozen = gc.get_freeze_count()
    kept = [object() for _ in range(10)]  # noqa: F841 - alive at the freeze
    collector.freeze()
    assert gc.get_freeze_count() > frozen
    made_after = gc.get_freeze_count()
    collector.resume()
    assert gc.isenabled() and not collector.paused()
    assert gc.get_freeze_count() == made_after  # resuming freezes nothing more: what the app makes is collected
    collector.resume()  # once only
    assert gc.isenabled()


def test_a_screen_left_after_the_start_is_collected() -> None:
    """What the app makes once it runs (a chapter screen and its widgets, in cycles) is not kept for good."""
    import weakref

    class Screen:
        def __init__(self) -> None:
            self.me = self  # a cycle, as a widget tree has

    gc.enable()
    collector.pause()
    collector.freeze()
    screen = Screen()
    gone = weakref.ref(screen)
    collector.resume()
    del screen
    gc.collect()
    assert gone() is None


def test_a_collector_the_caller_turned_off_stays_off() -> None:
    gc.disable()
    frozen = gc.get_freeze_count()
    collector.pause()
    assert not collector.paused()
    collector.freeze()
    collector.resume()
    assert not gc.isenabled() and gc.get_freeze_count() == frozen


@pytest.mark.parametrize(
    "words",
    [
        ["run", "page.md", "--manuscript", "{root}", "--workdir", "{work}"],
        ["run", "page.md", "--manuscript", "{root}", "--workdir", "{work}", "--dry-run"],
        ["run", "missing.md", "--manuscript", "{root}", "--workdir", "{work}"],
        ["lint", "--manuscript", "{root}"],
        ["run"],  # a usage error: argparse exits
    ],
    ids=["run", "dry-run", "missing-page", "lint", "usage"],
)
def test_every_command_leaves_the_collector_running(
    write_manuscript: Callable[..., object], tmp_path: Path, words: list[str]
) -> None:
    """`run` holds the collector off until its first step and every command ends with it running."""
    from tutorial.cli import main

    manuscript = write_manuscript({"page.md": "# Page\n\n```bash\ntrue\n```\n"})
    root = manuscript.root  # type: ignore[attr-defined]
    work = tmp_path / "work"
    work.mkdir()
    gc.enable()
    with contextlib.suppress(SystemExit):
        main([word.format(root=root, work=work) for word in words])
    assert gc.isenabled() and not collector.paused()
