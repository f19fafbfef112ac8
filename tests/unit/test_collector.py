"""The garbage collector is held off for the app's start only, and a caller's own choice is kept."""

from __future__ import annotations

import gc
from collections.abc import Iterator

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


def test_paused_then_resumed_freezes_what_the_start_left() -> None:
    gc.enable()
    collector.pause()
    assert not gc.isenabled() and collector.paused()
    frozen = gc.get_freeze_count()
    kept = [object() for _ in range(10)]  # noqa: F841 - alive through the resume
    collector.resume()
    assert gc.isenabled() and not collector.paused()
    assert gc.get_freeze_count() > frozen
    collector.resume()  # once only
    assert gc.isenabled()


def test_a_collector_the_caller_turned_off_stays_off() -> None:
    gc.disable()
    collector.pause()
    assert not collector.paused()
    collector.resume()
    assert not gc.isenabled()
