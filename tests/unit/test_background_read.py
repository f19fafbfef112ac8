"""The manuscript read in a forked child comes back whole, or read here, and errors come back as errors."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import CHAPTERS
from tutorial.manuscript.background import BackgroundRead
from tutorial.manuscript.loader import load
from tutorial.manuscript.locate import ManuscriptError
from tutorial.manuscript.model import Manuscript

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="a child process is forked")


def _bundled() -> Manuscript:
    return load(CHAPTERS, bundled=True)


def test_the_child_hands_back_the_manuscript_it_read() -> None:
    here = _bundled()
    read = BackgroundRead(_bundled).result()
    assert read.pages.keys() == here.pages.keys()
    assert read.pages["setup.md"] == here.pages["setup.md"]
    assert (read.title, read.entry_points, read.root) == (here.title, here.entry_points, here.root)


def test_a_manuscript_error_in_the_child_is_raised_here() -> None:
    def broken() -> Manuscript:
        raise ManuscriptError("adventure.yaml:3: 'start' must be a name or a list of names")

    background = BackgroundRead(broken)
    with pytest.raises(ManuscriptError, match=r"adventure\.yaml:3"):
        background.result()


def test_a_child_that_dies_means_reading_here(tmp_path: Path) -> None:
    parent = os.getpid()
    where: list[int] = []

    def read() -> Manuscript:
        if os.getpid() != parent:
            os._exit(3)  # the child dies without an answer
        where.append(os.getpid())
        return _bundled()

    manuscript = BackgroundRead(read).result()
    assert where == [parent] and "setup.md" in manuscript.pages


def test_the_child_writes_nothing_on_the_terminal(capfd: pytest.CaptureFixture[str]) -> None:
    def noisy() -> Manuscript:
        print("from the child")
        os.write(2, b"child stderr\n")
        return _bundled()

    BackgroundRead(noisy).result()
    out, err = capfd.readouterr()
    assert "from the child" not in out and "child stderr" not in err


def test_no_child_is_left_behind() -> None:
    background = BackgroundRead(_bundled)
    background.result()
    with pytest.raises(ChildProcessError):
        os.waitpid(background._pid, os.WNOHANG)


@pytest.mark.parametrize("call", ["fork", "pipe"])
def test_no_child_to_be_had_means_reading_here(monkeypatch: pytest.MonkeyPatch, call: str) -> None:
    def refused(*_args: object) -> object:
        raise BlockingIOError(11, "Resource temporarily unavailable")  # EAGAIN: the process limit

    monkeypatch.setattr(os, call, refused)
    background = BackgroundRead(_bundled)  # not a traceback at the app's start
    assert "setup.md" in background.result().pages
