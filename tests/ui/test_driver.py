"""The app's terminal driver: Textual's own, stepping aside after each frame it queues."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from textual.drivers.linux_driver import LinuxDriver

from tests.ui.conftest import FIXTURE
from tutorial.manuscript.loader import load
from tutorial.ui.app import AdventureApp
from tutorial.ui.driver import FRAME, HAND_OVER, handing_over


def test_the_app_in_a_linux_terminal_gets_the_driver_that_hands_frames_over(tmp_path: Path) -> None:
    driver = AdventureApp(load(FIXTURE), tmp_path).get_driver_class()
    assert issubclass(driver, LinuxDriver) and driver is not LinuxDriver
    assert driver is handing_over(LinuxDriver)  # made once


def test_a_driver_named_from_outside_is_left_as_it_is(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from textual import constants

    monkeypatch.setattr(constants, "DRIVER", "textual.drivers.headless_driver:HeadlessDriver")
    from textual.drivers.headless_driver import HeadlessDriver

    assert AdventureApp(load(FIXTURE), tmp_path).get_driver_class() is HeadlessDriver


class _Queueing:
    """A driver's writing half, as Textual's: writes go to a thread through a queue."""

    def __init__(self) -> None:
        self.written: list[str] = []

    def write(self, data: str) -> None:
        self.written.append(data)


def test_a_frame_is_written_as_it_is_and_the_main_thread_steps_aside_after_it(monkeypatch) -> None:
    import tutorial.ui.driver as module

    slept: list[tuple[float, str]] = []
    monkeypatch.setattr(module.time, "sleep", lambda seconds: slept.append((seconds, threading.current_thread().name)))
    driver = handing_over(_Queueing)()  # type: ignore[arg-type]
    driver.write("\x1b[?25l")  # a mode change: not a frame
    assert slept == []
    frame = "x" * FRAME
    driver.write(frame)
    assert driver.written == ["\x1b[?25l", frame]  # unchanged, in order
    assert slept == [(HAND_OVER, threading.current_thread().name)]


class _Receiving:
    """A driver's receiving half, as Textual's: messages from its input thread go on to the app."""

    def __init__(self, app: object) -> None:
        self._app = app
        self.passed: list[object] = []

    def process_message(self, message: object) -> None:
        self.passed.append(message)


def test_a_key_is_told_to_the_app_before_it_goes_on_to_it() -> None:
    """So that a flooding step's output waits while the key is answered (see the app's ``key_arrived``)."""
    from textual import events

    told: list[int] = []

    class App:
        def key_arrived(self) -> None:
            told.append(len(driver.passed))  # how many messages had gone on by then

    driver = handing_over(_Receiving)(App())  # type: ignore[arg-type,call-arg]
    key = events.Key("question_mark", "?")
    driver.process_message(events.Focus())
    assert told == []  # not a key
    driver.process_message(key)
    assert told == [1] and driver.passed[-1] is key
