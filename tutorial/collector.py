"""Python's cyclic garbage collector, held off while the app starts.

Starting the app allocates a great many objects: modules and classes (Textual's, ours), the
parsed stylesheets, the widgets of the first screen, the manuscript. Each allocation counts
towards the collector's next pass, and a pass over the oldest generation walks every object
alive: 15 to 20 ms, spent once or twice before the first frame and again when the chapter
arrives, for next to no garbage.

So the app pauses the collector before it starts. Just before the app runs, what exists then
(the imported modules and classes above all, which live as long as the program) is frozen
(:func:`freeze`, ``gc.freeze``): kept out of every later pass. The collector resumes once the
first chapter is shown; what the app made since (screens, widgets, a manuscript read on the
side) is collected as usual, so a screen the reader leaves is freed. Freezing later, at the
first chapter, would have kept that chapter and the garbage of the start (an argument parser,
the first layout's leftovers) for good. Memory cannot run away meanwhile: the pause lasts for
the start only, and :func:`resume` is also called on a timer, whatever the start did.
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


def freeze() -> None:
    """Keep what exists now out of every later pass (while paused: what the program is made of)."""
    if _paused:
        gc.freeze()


def resume() -> None:
    """Let the collector run again; once, and only after :func:`pause`."""
    global _paused
    if _paused:
        _paused = False
        gc.enable()


def paused() -> bool:
    """Whether the collector is held off by :func:`pause`."""
    return _paused
