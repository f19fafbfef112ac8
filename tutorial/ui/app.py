"""The app: a view over one journey. It opens pages, asks the engine, and shows what happened."""

from __future__ import annotations

import contextlib
import functools
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

from textual.app import App
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen

from tutorial import collector
from tutorial.manuscript.locate import ManuscriptError

if TYPE_CHECKING:  # the engine and the chapter screen load after the first frame (see _read_manuscript)
    from textual.driver import Driver
    from textual.worker import Worker

    from tutorial.engine.journey import Journey, JourneyOptions
    from tutorial.manuscript.first_look import FirstLook
    from tutorial.manuscript.model import Manuscript, Option, Page
    from tutorial.progress.worklock import WorkdirBusy
    from tutorial.ui.screens.chapter import ChapterScreen


class ManuscriptRead(Message):
    """The manuscript was read (off the app's thread), or could not be: ``error`` says why."""

    def __init__(self, manuscript: Manuscript | None, error: str = "") -> None:
        super().__init__()
        self.manuscript = manuscript
        self.error = error


_HELP_AHEAD = "help ahead"  # the worker's name
_START_SECONDS = 5.0  # the garbage collector is held off for the start at most this long (see tutorial.collector)
#: actions that need the journey: disabled while the manuscript is being read
_NEEDS_JOURNEY = frozenset({"help", "map", "assumptions", "values", "command_palette"})
_TERMINAL_LOOK = 1.0  # seconds between two looks at whether the terminal is still there
_KEY_FIRST = 0.08  # seconds a running step's output waits after a key, while the screen answers it


def _pages_provider() -> type:
    from tutorial.ui.commands import PagesProvider  # the palette module loads when the palette opens

    return PagesProvider


def _actions_provider() -> type:
    from tutorial.ui.commands import ActionsProvider

    return ActionsProvider


def _preload() -> None:
    """What opening a chapter needs (the engine, its screen, the Markdown renderer), imported on a
    thread while the reader reads the first screen: not on the main thread when they press a key."""
    import rich.markdown  # noqa: F401 - the first look's prose may have been rendered without it

    import tutorial.engine.journey
    import tutorial.ui.screens.chapter  # noqa: F401


class AdventureApp(App[None]):
    TITLE = "cncf-adventure"
    COMMANDS = App.COMMANDS | {_pages_provider, _actions_provider}
    BINDINGS = [
        Binding("ctrl+q", "quit", "Quit", priority=True),
        Binding("f1", "help", "Help", show=False),
        Binding("w", "assumptions", "What holds for you", show=False),
        Binding("v", "values", "Values", show=False),
    ]
    CSS = """
    Screen { background: $background; }
    """

    def __init__(
        self,
        manuscript: Manuscript | Callable[[], Manuscript],
        workdir: Path,
        *,
        start: list[str] | None = None,
        options: JourneyOptions | None = None,
        first_look: FirstLook | None = None,
    ) -> None:
        """``manuscript`` may be a function that reads it (raising ManuscriptError): it is then
        called after the first frame, off the main thread, while ``first_look`` (the top of the
        start page) is on the screen."""
        super().__init__()
        self._manuscript = manuscript if not callable(manuscript) else None
        self._read = manuscript if callable(manuscript) else None
        self._first_look = first_look
        self.workdir = workdir
        self.start_pages = start or []
        self._options = options
        self.journey: Journey | None = None
        self._signal_handlers: dict[int, Any] = {}

    @property
    def manuscript(self) -> Manuscript:
        if self._manuscript is None:
            raise RuntimeError("the manuscript is still being read")
        return self._manuscript

    @property
    def options(self) -> JourneyOptions:
        if self._options is None:
            from tutorial.engine.journey import JourneyOptions

            self._options = JourneyOptions()
        return self._options

    @options.setter
    def options(self, options: JourneyOptions) -> None:
        self._options = options

    def on_mount(self) -> None:
        import threading

        if threading.current_thread() is threading.main_thread():
            for number in (signal.SIGTERM, signal.SIGHUP):
                self._signal_handlers[number] = signal.signal(number, self._ended_from_outside)
        terminal_gone = getattr(self._driver, "terminal_gone", None)
        if terminal_gone is not None:  # (a terminal can go away without a hangup signal: see the driver)
            self.set_interval(_TERMINAL_LOOK, functools.partial(self._look_at_terminal, terminal_gone))
        self.set_timer(_START_SECONDS, collector.resume)  # whatever the start does, it is over by then
        if self._manuscript is not None:
            self._start()
            return
        self.call_after_refresh(self.run_worker, self._read_manuscript, name="read manuscript", thread=True)

    def get_driver_class(self) -> type[Driver]:
        """Textual's driver for this terminal; the Linux one hands each frame to its writer at once."""
        base = super().get_driver_class()
        if base.__name__ != "LinuxDriver":  # (the web's and the Windows driver, as they are)
            return base
        from tutorial.ui.driver import handing_over

        return handing_over(base)

    def get_default_screen(self) -> Screen[Any]:
        """The first look at the start page, if there is one, is the first screen: painted in the first frame.

        The chapter is pushed over it once the manuscript is read, as any first screen is.
        """
        if self._first_look is None or self._manuscript is not None:
            return super().get_default_screen()
        from tutorial.ui.screens.first_look import FirstLookScreen

        return FirstLookScreen(self._first_look)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if self.journey is None and action in _NEEDS_JOURNEY:
            return None  # shown disabled: the manuscript is still being read
        return True

    def _read_manuscript(self) -> None:
        """Read the manuscript (in a thread, after the first frame), then start the journey with it."""
        assert self._read is not None
        _preload()  # first: while a child reads a large manuscript on the other core, not after it
        try:
            manuscript = self._read()
        except ManuscriptError as error:
            self._post(ManuscriptRead(None, f"cncf-adventure: error: {error}"))
            return
        self._post(ManuscriptRead(manuscript))

    def _post(self, message: Message) -> None:
        """Tell the app's thread, never waiting for it: the reader may have quit meanwhile."""
        with contextlib.suppress(RuntimeError):  # the app's loop is closed: nothing is left to show
            self.post_message(message)

    def on_manuscript_read(self, message: ManuscriptRead) -> None:
        if message.manuscript is None:
            self.exit(return_code=2, message=message.error)
            return
        self._manuscript = message.manuscript
        self._start()

    def _start(self) -> None:
        from tutorial.shell.processes import stop_leftovers
        from tutorial.shell.statedir import STATE_DIR

        leftovers = stop_leftovers(self.workdir / STATE_DIR)
        if leftovers:
            self.notify(leftovers, title="Cleaned up", severity="warning", timeout=10)
        self._open()
        self.call_after_refresh(collector.resume)  # the first chapter (or the start screen) is on the screen
        self.call_after_refresh(self._after_first_frame)

    def _after_first_frame(self) -> None:
        """While the reader reads: what opening a chapter needs is imported, and the help rendered."""
        self.run_worker(_preload, name="preload", thread=True, exit_on_error=False)
        self._help_ahead()

    def _help_ahead(self) -> None:
        """Render the help's text for this terminal on a thread, while the reader reads: `?` then only lays it out."""
        from tutorial.ui.screens.help import render_help_ahead

        self.run_worker(
            functools.partial(render_help_ahead, *self.size), name=_HELP_AHEAD, thread=True, exit_on_error=False
        )

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The help rendered ahead is a speed-up only: if it fails, `?` renders it, and the traceback is logged."""
        from textual.worker import WorkerState

        worker = event.worker
        if worker.name == _HELP_AHEAD and event.state is WorkerState.ERROR and worker.error is not None:
            from tutorial.ui.failures import log_failure

            log_failure(self.workdir, _HELP_AHEAD, worker.error)

    def key_arrived(self) -> None:
        """A key reached the terminal driver (its input thread): the running step's output waits a moment.

        While a step floods, reading its output and the step's own programs take both cores; the
        key's answer (a screen opened or closed, a frame written) would wait for them. The
        output waits in the terminal instead, for a frame's time, and comes after it: nothing
        is lost. Measured in bench/launch.py.
        """
        journey = self.journey
        if journey is not None:
            journey.give_way(_KEY_FIRST)

    def _look_at_terminal(self, terminal_gone: Callable[[], bool]) -> None:
        """The terminal went away, and no hangup signal said so: leave as on one."""
        if terminal_gone():
            self._ended_from_outside(signal.SIGHUP, None)

    def _ended_from_outside(self, signum: int, frame: FrameType | None) -> None:
        """SIGTERM or SIGHUP (the terminal closed): stop the shell's processes now, then leave."""
        if self.journey is not None:
            self.journey.close()
        self.exit(return_code=128 + signum)

    def on_unmount(self) -> None:
        for number, previous in self._signal_handlers.items():
            signal.signal(number, previous)
        self._signal_handlers.clear()

    def _open(self) -> None:
        from tutorial.engine.journey import Journey
        from tutorial.progress.settings import SettingsError
        from tutorial.progress.worklock import WorkdirBusy

        try:
            self.journey = Journey(self.manuscript, self.workdir, self.options)
        except SettingsError as error:
            self._settings_problem(str(error))
            return
        except WorkdirBusy as error:
            self._busy(error)
            return
        if self.journey.read_only:
            self.notify(
                "Another cncf-adventure is using this work directory: nothing runs and nothing is saved here.",
                title="Read-only",
                severity="warning",
                timeout=30,
            )
        if self.start_pages:
            self.journey.start_at(self.start_pages[0])
            self.open_page(self.start_pages[0])
        else:
            from tutorial.ui.screens.start import StartScreen

            self.push_screen(StartScreen(self.journey))

    def _settings_problem(self, problem: str) -> None:
        from tutorial.engine.recovery import aside_name, set_aside_settings
        from tutorial.ui.screens.dialogs import SettingsProblemDialog

        aside = aside_name(self.workdir)

        def decided(fresh: bool | None) -> None:
            if not fresh:
                self.exit(message=f"{problem}\nFix it, or move it away, and start cncf-adventure again.")
                return
            moved = set_aside_settings(self.workdir, aside)  # never overwritten: set aside under a new name
            self.notify(f"Your old settings are in {moved.name}", title="Starting fresh")
            self._open()

        self.push_screen(SettingsProblemDialog(problem, aside.name), decided)

    def _busy(self, error: WorkdirBusy) -> None:
        """Another journey holds the work directory: say who, and offer to look without running."""
        from dataclasses import replace

        from tutorial.ui.screens.dialogs import ConfirmDialog

        def decided(view: bool | None) -> None:
            if not view:
                self.exit(return_code=2, message=f"cncf-adventure: error: {error}")
                return
            self.options = replace(self.options, read_only=True)
            self._open()

        self.push_screen(
            ConfirmDialog(
                "This work directory is in use",
                f"Another cncf-adventure is walking a journey in {error.workdir}: {error.holder.describe()}.\n\n"
                "Two journeys in one directory would run their steps over each other. You can read the pages "
                "here without running or saving anything, or quit and use another --workdir.",
                "View read-only",
            ),
            decided,
        )

    def _saved(self) -> None:
        """Say so when the progress could not be saved (the file was left as it was)."""
        if self.journey is not None and self.journey.save_error is not None:
            self.notify(str(self.journey.save_error), title="Progress not saved", severity="error", timeout=30)

    # -- navigation ----------------------------------------------------------------------------

    def open_page(self, path: str) -> None:
        from tutorial.ui.screens.chapter import ChapterScreen

        assert self.journey is not None
        page = self.manuscript.pages[path]
        self.journey.open_page(path)
        self._saved()
        screen = ChapterScreen(self.journey, page)
        if len(self.screen_stack) > 1:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)

    def go_on(self, page: Page) -> None:
        """The way on from ``page``: the next chapter, or the choice of it."""
        from tutorial.manuscript.model import PageKind
        from tutorial.ui.screens.choice import ChoiceScreen

        assert self.journey is not None
        if page.kind is PageKind.END:
            self.notify("This is the end of this path for now. Press m to see the map.", title="The end")
            return
        if page.kind is PageKind.CHAPTER:
            option = next(o for o in page.options if o.target)
            self.choose(page, option)
            return
        from tutorial.manuscript.layout import summary

        summaries = {
            o.target: summary(self.manuscript.pages[o.target], 240)
            for o in page.options
            if o.target in self.manuscript.pages
        }
        yours = frozenset(o.label for o in page.options if self.journey.caveat_holds(o))
        verdicts = {o.label: self.journey.option_verdict(o) for o in page.options if o.page_rules}
        rules = {label: v.rule for label, v in verdicts.items() if v.not_for_you and v.rule is not None}
        self.push_screen(ChoiceScreen(page, self.journey.route_option(page), summaries, yours, rules))

    def choose(self, page: Page, option: Option) -> None:
        assert self.journey is not None and option.target is not None
        self.journey.choose(page, option)
        self._saved()
        while len(self.screen_stack) > 2:  # leave the choice (and any map) behind
            self.pop_screen()
        self.open_page(option.target)

    def jump(self, path: str) -> None:
        """Open any page, after a warning that the steps before it may be needed."""
        from tutorial.ui.screens.dialogs import ConfirmDialog

        title = self.manuscript.pages[path].title

        def answer(yes: bool | None) -> None:
            if yes:
                while len(self.screen_stack) > 2:
                    self.pop_screen()
                self.open_page(path)

        self.push_screen(
            ConfirmDialog(
                f"Jump to {title}?",
                "Steps of earlier chapters may be needed for this one "
                "(variables they export, things they create). You can come back with the "
                "map at any time.",
                "Jump",
            ),
            answer,
        )

    def action_map(self) -> None:
        from tutorial.ui.screens.map import MapScreen

        if self.journey is None or isinstance(self.screen, MapScreen):
            return
        journey = self.journey
        state = journey.progress.state
        passed = {
            path
            for path in state.visited()
            if path in self.manuscript.pages and journey.resume_step(self.manuscript.pages[path]) is None
        }
        self.push_screen(MapScreen(self.manuscript, state.path, state.page or None, passed))

    def action_assumptions(self, focus: str = "") -> None:
        """Ask what holds for the reader; their answers are saved and every open page re-decides its steps."""
        from tutorial.engine.conditions import split_assumptions
        from tutorial.manuscript.conditions import manuscript_subjects
        from tutorial.ui.screens.assumptions import AssumptionsDialog

        journey = self.journey
        if journey is None or isinstance(self.screen, AssumptionsDialog):
            return
        holding, lacking = split_assumptions(journey.options.assume)
        answers = {**journey.answers(), **dict.fromkeys(lacking, False), **dict.fromkeys(holding, True)}

        def answered(result: dict[str, bool] | None) -> None:
            if result is None:
                return
            from tutorial.ui.screens.chapter import ChapterScreen

            journey.answer(result)
            for screen in self.screen_stack:
                if isinstance(screen, ChapterScreen):
                    screen.show_steps()  # the engine decides every step again
            said = [name for name, value in result.items() if value]
            self.notify(", ".join(said) or "nothing", title="What holds for you")

        self.push_screen(AssumptionsDialog(manuscript_subjects(self.manuscript), answers, focus), answered)

    def action_values(self) -> None:
        """The values the journey knows: see, change or forget them."""
        from tutorial.ui.screens.values import ValuesScreen

        if self.journey is not None and not isinstance(self.screen, ValuesScreen):
            self.push_screen(ValuesScreen(self.journey))

    def action_help(self) -> None:
        from tutorial.ui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            if not self.is_screen_installed("help"):  # made once: opened again, it is only shown
                self.install_screen(HelpScreen(), "help")
            made = self.get_screen("help")
            # open under another screen (the values, opened from the palette over the help): a
            # screen is never twice on the stack, so this one is made for the occasion
            self.push_screen(made if made not in self.screen_stack else HelpScreen())

    def _running_chapters(self) -> list[ChapterScreen]:
        # not imported here: quitting on the first look must not import the chapter screen while
        # the manuscript's reading thread imports it (and no chapter can exist before it is)
        module = sys.modules.get("tutorial.ui.screens.chapter")
        if module is None:
            return []
        return [s for s in self.screen_stack if isinstance(s, module.ChapterScreen) and s.busy]

    async def action_quit(self) -> None:
        """Quit; while a step runs, ask first, and stop it (its whole process group) before leaving."""
        running = self._running_chapters()
        if not running:
            await self._quit_now()
            return
        from tutorial.ui.screens.dialogs import ConfirmDialog

        async def answered(yes: bool | None) -> None:
            if yes:
                await self._quit_now()

        await self.push_screen(
            ConfirmDialog("A step is running", "Quitting stops it and every process it started.", "Stop it and quit"),
            answered,
        )

    async def _quit_now(self) -> None:
        for screen in self._running_chapters():
            await screen.stop()  # the engine interrupts, then terminates, then kills the step's processes
        if self.journey is not None:
            self.journey.close()
        self.exit()
