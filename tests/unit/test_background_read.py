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


def test_the_child_answers_ahead_first_then_the_manuscript() -> None:
    parent = os.getpid()
    where: list[int] = []

    def read() -> Manuscript:
        where.append(os.getpid())
        return _bundled()

    background = BackgroundRead(read, ahead=lambda: ("start page", os.getpid()))
    answer = background.ahead()
    assert isinstance(answer, tuple) and answer[0] == "start page"
    assert answer[1] != parent  # worked out in the child
    assert background.ahead() is None  # answered once
    assert "setup.md" in background.result().pages
    assert where == []  # the manuscript too: read by the child, not here


def test_an_answer_ahead_that_fails_is_none_and_the_manuscript_still_comes() -> None:
    parent = os.getpid()
    where: list[int] = []

    def read() -> Manuscript:
        where.append(os.getpid())
        return _bundled()

    def broken() -> object:
        raise ValueError("no first look")

    background = BackgroundRead(read, ahead=broken)
    assert background.ahead() is None
    assert "setup.md" in background.result().pages
    assert where == []  # read by the child, not here
    assert os.getpid() == parent


def test_an_answer_ahead_not_asked_for_is_passed_over() -> None:
    parent = os.getpid()
    where: list[int] = []

    def read() -> Manuscript:
        where.append(os.getpid())
        return _bundled()

    background = BackgroundRead(read, ahead=lambda: "start page")
    assert "setup.md" in background.result().pages
    assert where == []  # the child's manuscript, the answer before it passed over: not read again here
    assert os.getpid() == parent


def test_a_child_that_dies_after_its_first_answer_means_reading_here() -> None:
    parent = os.getpid()
    where: list[int] = []

    def read() -> Manuscript:
        if os.getpid() != parent:
            os._exit(3)
        where.append(os.getpid())
        return _bundled()

    background = BackgroundRead(read, ahead=lambda: "start page")
    assert background.ahead() == "start page"
    assert "setup.md" in background.result().pages
    assert where == [parent]


def test_no_child_means_no_answer_ahead(monkeypatch: pytest.MonkeyPatch) -> None:
    def refused(*_args: object) -> object:
        raise BlockingIOError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", refused)
    background = BackgroundRead(_bundled, ahead=lambda: "start page")
    assert background.ahead() is None  # the caller works it out itself
    assert "setup.md" in background.result().pages
