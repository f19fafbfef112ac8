"""Python's cyclic garbage collector, held off while the app starts.

Starting the app allocates a great many objects that live as long as the program: modules,
classes, the parsed stylesheets, the widgets of the first screen, the manuscript. Each
allocation counts towards the collector's next pass, and a pass over the oldest generation
walks every one of them: 15 to 20 ms, spent once or twice before the first frame and again
when the chapter arrives, for no garbage (nothing started up is yet unreachable).

So the app pauses the collector before it starts, and resumes it once the first chapter is
shown: the survivors are then frozen (``gc.freeze``: kept out of every later pass; reference
counting still frees what loses its last reference) and collection goes on as usual. Memory
cannot run away meanwhile: the pause lasts for the start only, and :func:`resume` is also
called on a timer, whatever the start did.
"""

from __future__ import annotations

import gc

_paused = False


def pause() -> None:
    """Hold the collector off until :func:`resume` (if it was running: a caller's own choice is kept)."""
    global _paused
    if gc.isenabled():
        gc.disable()
        _paused = True


def resume() -> None:
    """Freeze what the start left alive and let the collector run again; once, and only after :func:`pause`."""
    global _paused
    if _paused:
        _paused = False
        gc.freeze()
        gc.enable()


def paused() -> bool:
    """Whether the collector is held off by :func:`pause`."""
    return _paused
