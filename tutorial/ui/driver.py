"""Textual's terminal driver, handing each frame to the thread that writes it at once."""

from __future__ import annotations

import functools
import os
import time
from typing import TYPE_CHECKING

from textual import events

if TYPE_CHECKING:
    from textual.driver import Driver
    from textual.message import Message

#: a write at least this long is a frame (the app's smaller writes are cursor and mode changes)
FRAME = 1024
#: seconds the main thread steps aside after handing over a frame
HAND_OVER = 0.0005


@functools.cache
def handing_over(base: type[Driver]) -> type[Driver]:
    """``base`` (a driver that writes through a thread of its own), stepping aside after each frame.

    Textual's Linux driver queues what the app paints for a writer thread, so that a slow
    terminal never blocks the app. That thread needs Python's interpreter lock to write, and the
    main thread, which had just queued the frame, usually goes on with more work (the next frame,
    a screen's keys, a step's output): the lock changes hands only when the main thread waits or
    after Python's switch interval (5 ms). Measured, a closed help or an opened one reached the
    terminal 5 to 20 ms after it was queued. Sleeping half a millisecond after queueing a frame
    lets the writer take the lock and start writing (it lets go of it again while the terminal
    takes the bytes).
    """

    class HandingOver(base):  # type: ignore[valid-type,misc]
        def write(self, data: str) -> None:
            super().write(data)
            if len(data) >= FRAME:
                time.sleep(HAND_OVER)

        def process_message(self, message: Message) -> None:
            """A key goes to the app; the app hears of it first, on this (the input) thread.

            So that the running step's output can wait while the screen answers it (see the
            app's ``key_arrived``): by the time the key reaches the app's own thread, the reading
            of a flood has already stepped aside.
            """
            if isinstance(message, events.Key):
                arrived = getattr(self._app, "key_arrived", None)
                if arrived is not None:
                    arrived()
            super().process_message(message)

        def terminal_gone(self) -> bool:
            """Whether the terminal the app reads went away (its window closed, its connection dropped).

            The kernel tells the terminal's session with a hangup signal, which the app answers by
            leaving; an app that is not that session's (started by a program that kept the terminal
            for itself, or in a session of its own) is not told. Its input thread would then read an
            end of file again and again, at half a core, for as long as the machine runs, and the
            shell's processes with it. A terminal that hung up is no longer a terminal.
            """
            fileno = getattr(self, "fileno", None)
            return isinstance(fileno, int) and not os.isatty(fileno)

    HandingOver.__name__ = HandingOver.__qualname__ = f"HandingOver{base.__name__}"
    return HandingOver
