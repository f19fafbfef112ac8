"""One bash for the whole journey, in a real pseudo-terminal, driven with pexpect.

Each step is written to a file and ``source``d by the session, so whatever it leaves
(variables, functions, aliases, the working directory, options, background jobs) is there
for the next step, exactly as if the reader had pasted it into one terminal. The session
reports back with private escape sequences printed by ``PROMPT_COMMAND``; output is read
straight from the terminal in large chunks, never searched as a whole, so a step that
prints 30 MB costs about what ``script`` costs.
"""

from __future__ import annotations

import atexit
import contextlib
import enum
import errno
import os
import re
import select
import shlex
import shutil
import signal
import string
import subprocess
import sys
import threading
import time
import weakref
from collections.abc import Callable, Iterable, Mapping
from dataclasses import field
from pathlib import Path
from typing import Any

from tutorial.manuscript.placeholders import looks_secret, secret_name_globs
from tutorial.oserrors import described
from tutorial.records import record
from tutorial.shell import processes, snapshot, statedir
from tutorial.shell.commands import assignment_statements, may_abandon, only_assigns
from tutorial.shell.held import Held
from tutorial.shell.markers import MarkerScanner
from tutorial.shell.output import Masker, OutputStream
from tutorial.shell.recording import Recording
from tutorial.shell.secret_forms import forms as secret_forms
from tutorial.shell.statedir import touch_private, write_private
from tutorial.shell.transcript import STEP_LIMIT, Transcript

_READ_SIZE = 1 << 16
_BATCH = 1 << 17  # process output in batches of up to 128 KB: fewer, larger steps through Python
_FLOOD = 1 << 14  # a batch this large says the step floods: the next one waits a little for more
_GATHER = 0.01  # seconds a flood's batch may wait for more (output is still shown within a frame)
_GATHER_WAIT = 1  # milliseconds without output that end a flood's batch (the step paused)
_INTERRUPT_GRACE = 3.0  # seconds between Ctrl+C, SIGTERM and SIGKILL
#: locals of the prompt hook, visible to the snapshot it writes: not the reader's variables
_PROMPT_LOCALS = frozenset({"status", "current"})
#: the shell of the last journey in a workspace, written when its session closes (see ``restore_previous``)
LAST_SHELL = "last-shell.sh"
_ABANDONED = (
    "the shell abandoned a command it could not expand (an unset variable under `set -u`, or ${NAME:?}); "
    "the step stopped there, as a script would"
)
_WATCH = '[[ $__adv_watching == 0 ]] || builtin trap "$__adv_watch" DEBUG; '  # see __adv_debug in session_init.sh
#: after the step: its status kept for the prompt hook, and the watch gone (bash parses and runs
#: it before every command, the prompt hook's included: a fifth of a one-line step's time)
_UNWATCH = "; __adv_rc=$?; builtin trap - DEBUG\n"
_LOOK_EVERY = 0.5  # seconds between two looks at whether the shell itself was stopped
_NAME = re.compile(r"[A-Za-z_]\w*", re.ASCII)
_ITEM = "__adv_item_"  # an element of an array a step loaded, as the shell tells it (see __adv_tell_items)
_FUNCTION = re.compile(r"^(__adv_\w+)\(\) \{", re.M)  # a function of the session's startup script


class SessionError(Exception):
    """The shell could not be started or does not answer."""


class StepNotSent(Exception):
    """Raised by a ``before_send`` callback (see :meth:`Session.run`): the step must not run."""


class Ending(enum.StrEnum):
    FINISHED = "finished"  # the step ran to its end or stopped at a failing command
    INTERRUPTED = "interrupted"  # the reader (or a timeout) stopped it
    TIMED_OUT = "timed_out"
    SHELL_EXITED = "shell_exited"  # the step ended the shell (exit, exec, kill): it was restarted


@record
class RunResult:
    """What the shell told of one step: its status, how it ended, its output's end and the values it set."""

    exit_code: int
    ending: Ending
    failed_line: int = 0  # 1-based line of the step's code that failed (0 = unknown / none)
    duration: float = 0.0
    output_tail: str = ""
    output_bytes: int = 0
    notes: list[str] = field(default_factory=list)  # what the reader must be told (restarts, signals)
    problem: str = ""  # why the step failed when the shell itself knows better than its exit status
    #: the variables asked for with ``report`` that are set after the step (None: the shell could not tell)
    values: dict[str, str] | None = None
    #: the variables a step run with ``loads_secrets`` added or changed, and their values (secrets all)
    loaded: dict[str, str] = field(default_factory=dict)
    #: every element of the arrays among them (``loaded`` holds an array's first one only)
    loaded_items: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.exit_code == 0 and self.ending in (Ending.FINISHED, Ending.SHELL_EXITED)


class Session:
    """A persistent bash; ``run`` one step at a time, from any one thread."""

    def __init__(
        self,
        workdir: Path,
        *,
        env: Mapping[str, str] | None = None,
        masker: Masker | None = None,
        transcript: bool = True,
        transcript_limit: int = STEP_LIMIT,
        size: tuple[int, int] = (40, 120),
        secret_variables: Iterable[str] | None = None,
    ) -> None:
        """``secret_variables`` are the variables of ``env`` that hold secrets (by default, those
        named like one): the snapshot never holds them, a new shell gets them from ``env`` again."""
        self.workdir = workdir.resolve()
        self.state_dir = statedir.new_session_dir(self.workdir)  # this session's own files
        self._env = dict(os.environ if env is None else env)
        if secret_variables is None:
            secret_variables = [name for name in self._env if looks_secret(name)]
        self._env_secrets = sorted({name for name in secret_variables if self._env.get(name)})
        # a masker of its own masks the environment's secrets; one passed in is its owner's to fill
        self.masker = masker or Masker(self._env[name] for name in self._env_secrets)
        self.notices: list[str] = []  # what the reader should know about the session itself
        self._told: set[str] = set()  # the records' failures the reader was told of
        self.transcript: Transcript | None = None
        self.recording: Recording | None = None
        try:  # (a full disk: the steps can still run, without their record)
            if transcript:
                self.transcript = Transcript.in_workdir(self.workdir, self.masker, step_limit=transcript_limit)
                self.recording = Recording.in_workdir(self.workdir, self.masker, size=size)
        except OSError as error:
            self.notices.append(f"the output is not recorded: {described(error)}")
        self._env.setdefault("TERM", "xterm-256color")
        if self._env.get("TERM") in ("", "dumb"):
            self._env["TERM"] = "xterm-256color"
        self._size = size
        self._nonce = os.urandom(8).hex()
        self._marker = re.compile(rb"\x1b\]777;" + self._nonce.encode() + rb";([a-z]+)((?:;[^\x07]*)?)\x07")
        self._marker_start = b"\x1b]777;" + self._nonce.encode()
        self._child: Any = None  # a pexpect.spawn once started
        self._lock = threading.Lock()
        self._counter = 0
        self._running = False
        self._give_way_until = 0.0  # (monotonic) the reader's keys go first: no output is read until then
        #: a step was left before its end (the command was told to go): the shell may still run it
        self._left_mid_step = False
        self._snapshot = self.state_dir / "session-state.sh"
        self.restarts = 0
        self._traps = False  # has any step used `trap`? then the reader's ERR trap is saved around steps
        self._secrets: dict[str, tuple[str, tuple[str, ...]]] = {}  # name -> (value, variables holding it)
        self._shared: tuple[str, list[str]] = ("", [])  # what the shell was last told to keep out of snapshots
        self._typed: set[str] = set()  # secrets the reader typed into a running step
        self._loaded_only: set[str] = set()  # variables loaded with a secret that cannot be given back
        self._token = os.urandom(16).hex()  # in the environment of every process the shell starts
        self._shell: processes.ProcessState | None = None
        self._record = processes.record_path(self.state_dir)
        self._closed = False

    # -- life cycle ---------------------------------------------------------------------------

    def start(self) -> None:
        if self._child is not None and self._child.isalive():
            return
        self._closed = False
        if not self.restarts and self._shell is None:
            leftovers = processes.stop_leftovers(self.state_dir.parent)
            if leftovers:
                self.notices.append(leftovers)
        restore = self.state_dir / "session-restore.sh"
        init = self.state_dir / "session-init.sh"
        script = _init_script() + _name_functions()
        try:
            if self.restarts and self._snapshot.exists():
                # the new shell writes a fresh snapshot at its first prompt: keep the old one apart,
                # with what the steps after it set (see __adv_write_delta)
                # (the delta is left as it is: until the new shell has a snapshot of its own, the
                # old one and its blocks are all there is to rebuild from, should this start fail)
                _clean_copy(self._snapshot, restore, delta=Path(f"{self._snapshot}.delta"))
            self.state_dir.mkdir(mode=0o700, parents=True, exist_ok=True)  # (again, after a close)
            write_private(init, script)
            for suffix in ("", ".trap", ".names", ".options", ".delta"):
                written_by_bash = Path(f"{self._snapshot}{suffix}")
                touch_private(written_by_bash)  # bash keeps the rights of a file it writes over
        except OSError as error:  # (a full disk)
            raise SessionError(f"the shell cannot be started: {described(error, self.state_dir)}") from error
        import pexpect  # here, not at the top: the app paints before any shell is needed

        env = dict(self._env)
        env["__adv_nonce"] = self._nonce
        # no __adv_snapshot yet: the shell writes no snapshot until it knows what to keep out of it
        env[processes.TOKEN_VARIABLE] = self._token
        try:
            child = pexpect.spawn(
                "/bin/bash",
                ["--noprofile", "--rcfile", str(init), "--noediting", "-i"],
                cwd=str(self.workdir),
                env=env,
                encoding=None,
                echo=False,
                dimensions=self._size,
            )
        except pexpect.ExceptionPexpect as error:
            raise SessionError(f"cannot start bash: {error}") from error
        child.delaybeforesend = None  # pexpect sleeps 50 ms before every send by default
        child.delayafterclose = 0.0  # ... and 100 ms after closing: bash needs no grace to hang up
        child.delayafterterminate = 0.05
        child.ptyproc.delayafterclose = 0.0  # (closing is the pty process's own: it has its own delays)
        child.ptyproc.delayafterterminate = 0.05
        _plain_line_ends(child.child_fd)
        self._child = child
        self._remember_shell(child.pid)
        _LIVE.add(self)
        self._wait_ready(timeout=15)
        self._shared = ("", [])
        self._share_secrets()
        setup = f"__adv_snapshot={_quote(str(self._snapshot))}; export -n __adv_nonce"
        # what reports the end of a step cannot be changed by a step: assigning PROMPT_COMMAND
        # or redefining the session's functions fails like any other command (the functions are
        # named from the script that defines them: no subshell to list them)
        guard = "builtin readonly PROMPT_COMMAND; builtin readonly -f " + " ".join(_FUNCTION.findall(script))
        if self.restarts and restore.exists():
            self._command(setup)
            self._command(f"builtin source {_quote(str(restore))} >/dev/null 2>&1")
            for name, (value, also) in list(self._secrets.items()):  # the snapshot has none of them
                holder = self.set_secret(name, value, also=also)
                for variable in also:
                    self._command(f'export {variable}="${holder}"')
            self._command(guard)
        else:  # one line, one prompt
            self._command(f"{setup}; {guard}")

    def _remember_shell(self, pid: int) -> None:
        """Write down who the shell is, so a later start can clean up if this process is killed."""
        shell = processes.stat(pid)
        me = processes.stat(os.getpid())
        if shell is None or me is None:
            return
        self._shell = shell
        record = processes.Record(
            owner=me.pid,
            owner_start=me.start,
            shell=shell.pid,
            session=shell.session,
            shell_start=shell.start,
            token=self._token,
        )
        try:
            record.save(self._record)
        except OSError as error:  # (a full disk) the shell works; only a crash's leftovers would be missed
            self.notices.append(
                f"if this program is killed, the next start cannot stop what the shell left running: "
                f"{described(error, self._record)}"
            )

    def close(self) -> None:
        """End the shell and every process it started (background jobs, their children, daemons)."""
        self._last_shell()
        self._closed = True
        child, self._child = self._child, None
        shell = self._shell
        if shell is not None:
            processes.stop(shell.session, self._token, since=shell.start)
        if child is not None:
            with contextlib.suppress(Exception):
                child.close(force=True)
        if shell is not None:
            processes.forget(self._record)
        _LIVE.discard(self)
        if self.transcript is not None:
            self.transcript.close()
        if self.recording is not None:
            self.recording.close()
        statedir.remove_session_dir(self.state_dir)

    def _last_shell(self) -> None:
        """Keep what the shell looks like now, for the next journey in this workspace to resume.

        Written whole, before the shell goes (the snapshot of each prompt is written while the
        app goes on, and lives in this session's folder, which closing removes). It holds no
        secret values, as every snapshot.
        """
        child = self._child
        final = self.state_dir / "session-final.sh"
        if child is not None and self._left_mid_step:
            # a step left before its end (SIGTERM during `sleep 30`) may still hold the shell, and
            # a question would wait for it in vain: the state written at its last prompt is kept
            with contextlib.suppress(OSError):
                text = snapshot.with_delta(
                    self._snapshot.read_text(encoding="utf-8", errors="surrogateescape"),
                    Path(f"{self._snapshot}.delta").read_text(encoding="utf-8", errors="surrogateescape"),
                )
                # (one the shell had not yet written again without a secret learnt since: not kept)
                if text and not any(form in text for form in self._secret_forms()):
                    write_private(final, text, errors="surrogateescape")
                    os.replace(final, self.state_dir.parent / LAST_SHELL)
            return
        if child is None or self._running or not child.isalive():
            return
        with contextlib.suppress(SessionError, OSError):
            touch_private(final)
            self._command(f"__adv_write_snapshot {_quote(str(final))}")
            os.replace(final, self.state_dir.parent / LAST_SHELL)

    # -- resuming a journey -------------------------------------------------------------------

    def restore_previous(self) -> ShellRestore:
        """Bring back the shell of the last journey here: directory, functions, aliases, variables.

        That shell's last state (see ``_last_shell``) is read by this one, as after a restart.
        It holds no secrets (they are asked again) and no background jobs.
        """
        previous = self.state_dir.parent / LAST_SHELL
        if not previous.is_file():
            return ShellRestore(found=False)
        restore = self.state_dir / "session-previous.sh"
        _clean_copy(previous, restore)
        text = restore.read_text(encoding="utf-8", errors="surrogateescape")
        self.start()
        listing = "compgen -A function || :; echo ::; compgen -a || :; echo ::; compgen -v || :"
        before = _listing(self.query(listing))
        self._command(f"builtin source {_quote(str(restore))} >/dev/null 2>&1")
        after = _listing(self.query(listing))
        directory = self.variables(["PWD"]).get("PWD", "")
        wanted = _saved_directory(text)
        declared = snapshot.declared(text) - _PROMPT_LOCALS
        return ShellRestore(
            found=True,
            directory=directory,
            missing_directory=wanted if wanted and wanted != directory else "",
            functions=sorted(n for n in after[0] - before[0] if not n.startswith("__adv_")),
            aliases=sorted(after[1] - before[1]),
            variables=sorted(n for n in (after[2] - before[2]) & declared if not n.startswith("__adv_")),
        )

    def __enter__(self) -> Session:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def pid(self) -> int | None:
        return self._child.pid if self._child is not None else None

    # -- running steps -----------------------------------------------------------------------

    def run(
        self,
        code: str,
        *,
        title: str = "",
        timeout: float | None = None,
        on_output: Callable[[str], None] | None = None,
        stdin_eof: bool = False,
        cancel: threading.Event | None = None,
        report: Iterable[str] = (),
        before_send: Callable[[], None] | None = None,
        secrets_made: Iterable[str] = (),
        loads_secrets: str = "",
        output_unkept: str = "",
    ) -> RunResult:
        """Run ``code`` as one step and wait for it.

        ``on_output`` receives masked text as it arrives. With ``stdin_eof`` the step reads
        end-of-file from standard input at once (unattended runs). ``cancel`` interrupts the
        step when set (the TUI sets it from another thread). The values of the variables
        named in ``report`` come back in ``RunResult.values``, told by the shell with the
        step's end: what :meth:`variables` would answer, without a second question.
        ``before_send`` is called at the last moment before the step goes to the shell (once
        its file, the transcript's and the recording's headings are written); when it raises
        :class:`StepNotSent`, the step does not run and the exception goes to the caller.
        ``secrets_made`` names variables of ``report`` that will hold secrets nobody typed
        (``export GITHUB_TOKEN=$(gh auth token)``): their values are known only at the step's
        end, so until then its output is held from the transcript and the recording, which
        get it with those values masked (see :mod:`.held`); so does the returned tail.
        ``loads_secrets`` says why the step loads secrets whose names nothing tells
        (``eval $(teller env)``): the shell finds the variables it added or changed, keeps them
        out of every snapshot from the step's end on, and reports them (``RunResult.loaded``);
        they are secrets from then on, given back to a restarted shell, and the step's output
        is held as for ``secrets_made``. ``output_unkept`` says why the step's output must not
        reach the files at all (it prints secrets whose values nobody can know): they get
        that sentence instead. A step whose file cannot be written (a full disk) is not sent:
        :class:`SessionError` says which file and why.
        """
        self.start()
        self._share_secrets()
        self._counter += 1
        step_file = self.state_dir / f"step-{self._counter % 2}.sh"
        try:
            write_private(step_file, code if code.endswith("\n") else code + "\n")
        except OSError as error:
            raise SessionError(f"the step cannot be written to {described(error, step_file)}") from error
        sinks: list[Callable[[str], None]] = []
        if self.transcript is not None:
            self.transcript.begin(title or f"step {self._counter}", code)
            sinks.append(self.transcript.write)
        if self.recording is not None:
            self.recording.begin(title or f"step {self._counter}", code)
            sinks.append(self.recording.write)
        made = [name for name in secrets_made if _NAME.fullmatch(name)]
        held = Held() if (made or loads_secrets) and sinks and not output_unkept else None
        files: list[Callable[[str], None]] = []
        if held is not None:  # the files get the step's output once its secrets are known
            files, sinks = sinks, [held.write]
        elif output_unkept:  # nor later: nobody can know the values to mask
            sinks = []
        if on_output is not None:
            sinks.append(on_output)
        stream = OutputStream(self.masker, sinks)
        redirect = " </dev/null" if stdin_eof else ""
        self._traps = self._traps or "trap" in code
        # a step that can only set variables: the shell writes those down, not its whole state
        only = only_assigns(code)
        # nothing in its text can make bash abandon a command: the shell decides whether to watch
        # (see __adv_begin), after a look at the variables assigned in statements of their own
        quiet = 0 if may_abandon(code) else 1
        report = list(report)
        given = dict.fromkeys(
            n for n in [*report, *(only or ()), *(assignment_statements(code) if quiet else ())] if _NAME.fullmatch(n)
        )
        names = " ".join(given)
        line = (
            ("__adv_before_load; " if loads_secrets else "")  # (only such a step pays for the look)
            + f"__adv_begin {_quote(str(step_file))} {int(self._traps)} {0 if only is None else 2} {quiet} {names}; "
            f"{_WATCH}"
            f"builtin source {_quote(str(step_file))}{redirect}{_UNWATCH}"
        )
        started = time.monotonic()
        self._running = self._left_mid_step = True
        try:
            result = self._collect(line.encode(), stream, timeout, cancel, before_send)
            self._left_mid_step = False
        except StepNotSent as reason:
            self._left_mid_step = False  # (nothing was sent)
            for record in (self.transcript, self.recording):
                if record is not None:
                    record.note(f"not run: {reason}")
            raise
        finally:
            self._running = False
            self._forget_step_file(step_file, code)
        stream.close()
        told = result.values is not None  # (the values of names nobody asked for are dropped below)
        if loads_secrets and result.values is not None:  # (before the shell is told its holders again)
            result.loaded, result.loaded_items = self._keep_loaded(result.values)
        if self._child is not None and self._child.isalive():
            self._share_secrets()  # one typed during the step: the snapshot is written again without it
        if result.values is not None and len(given) > len(report):  # (the shell told those of every name it had)
            asked = set(report)
            result.values = {n: v for n, v in result.values.items() if n in asked} if asked else None
        result.duration = time.monotonic() - started
        result.output_tail = stream.tail()
        result.output_bytes = stream.bytes
        if made or loads_secrets:
            result.output_tail = self._release(held, files, made, result, loads=loads_secrets, told=told)
        for record in (self.transcript, self.recording):
            if record is not None:
                if output_unkept:
                    record.note(f"output not kept: {output_unkept}")
                record.note(f"{result.ending.value}, exit status {result.exit_code}")
                if record.failure and record.failure not in self._told:  # (once: it stays stopped)
                    self._told.add(record.failure)
                    result.notes.append(f"{record.failure}; the step itself ran on")
        return result

    def _release(
        self,
        held: Held | None,
        files: list[Callable[[str], None]],
        made: list[str],
        result: RunResult,
        *,
        loads: str,
        told: bool,
    ) -> str:
        """The held output to the files, masked of the secrets the step made or loaded; the tail masked too.

        When the shell could not tell their values (``told``: it ended with the step), what was
        held may hold them: it is not written, and the files say so.
        """
        if not told:  # (what was held is dropped with it)
            what = f"the step set {', '.join(made)}, whose value" if made else f"{loads}; their values"
            for record in (self.transcript, self.recording):
                if record is not None:
                    record.note(f"output not kept: {what} could not be read back")
            return ""
        found = result.values or {}
        values = [found[name] for name in made if found.get(name)] + [v for v in result.loaded.values() if v]
        values += [v for v in result.loaded_items if v]
        masker = Masker(values)
        mask = masker.mask if values else str
        if held is not None:
            held.release(mask, files, reach=max(map(len, masker.forms), default=1) - 1)
        return mask(result.output_tail)

    def _collect(
        self,
        line: bytes,
        stream: OutputStream,
        timeout: float | None,
        cancel: threading.Event | None,
        before_send: Callable[[], None] | None = None,
    ) -> RunResult:
        child = self._require()
        fd = child.child_fd
        if before_send is not None:
            before_send()  # (may raise StepNotSent: then nothing is sent)
        os.write(fd, line)
        deadline = None if timeout is None else time.monotonic() + timeout
        markers = MarkerScanner(self._marker_start, self._marker)
        began = False
        values: bytearray | None = None  # the variables the shell reports before its "ready"

        def feed(chunk: bytes) -> None:
            if values is None:
                stream.feed(chunk)
            else:
                values.extend(chunk)

        stopping: list[tuple[float, str]] = []  # escalation plan once we decided to stop the step
        ending = Ending.FINISHED
        next_look = time.monotonic() + _LOOK_EVERY
        probe = select.poll()  # is more output waiting? (cheaper to ask than select)
        probe.register(fd, select.POLLIN)
        flooding = False  # did the last batch fill up? then the next one waits a little for more
        while True:
            now = time.monotonic()
            if not stopping and (
                (cancel is not None and cancel.is_set()) or (deadline is not None and now >= deadline)
            ):
                ending = Ending.INTERRUPTED if deadline is None or now < deadline else Ending.TIMED_OUT
                stopping = self._stop_plan(now)
            while stopping and now >= stopping[0][0]:
                _, action = stopping.pop(0)
                self._signal(action)
            wait = 0.2
            if deadline is not None and not stopping:
                wait = max(0.0, min(wait, deadline - now))
            if stopping:
                wait = max(0.0, min(wait, stopping[0][0] - now))
            if now >= next_look:  # a shell stopped by its own step would never answer: look
                next_look = now + _LOOK_EVERY
                if self._shell_stopped():
                    return self._after_stop(stream, markers.rest(), ending)
            if flooding and self._give_way_until > now and not stopping:  # a flood waits for the key (see give_way)
                time.sleep(min(self._give_way_until - now, wait))
                continue
            try:
                ready = probe.poll(wait * 1000)  # (the same question as select, one system call cheaper to ask)
            except InterruptedError:
                continue
            if not ready:
                if not child.isalive():
                    return self._after_exit(stream, markers.rest(), ending)
                if self._shell_stopped():
                    return self._after_stop(stream, markers.rest(), ending)
                continue
            data, gone = self._gather(fd, probe, flooding and self._give_way_until <= now)
            flooding = len(data) >= _FLOOD
            for piece in markers.split(data):
                if isinstance(piece, bytes):
                    if began:
                        feed(piece)
                    continue
                kind = piece.group(1)
                fields = piece.group(2).decode(errors="replace").split(";")[1:]
                if kind == b"begin":
                    began = True
                elif kind == b"values" and began:
                    values = bytearray()
                elif kind == b"ready" and began:
                    status, failed = (int(fields[0]), int(fields[1])) if len(fields) >= 2 else (1, 0)
                    result = RunResult(status, ending, failed_line=failed)
                    if fields[2:3] == ["1"]:
                        result.problem = _ABANDONED
                    if values is not None:
                        result.values = _pairs(_decode(bytes(values), as_written=not _adds_returns(fd)))
                    return result
            if gone:
                return self._after_exit(stream, markers.rest(), ending)

    @staticmethod
    def _gather(fd: int, probe: select.poll, flooding: bool) -> tuple[bytes, bool]:
        """What the terminal has for us now, read in as few wake-ups as it takes, joined once.

        A terminal hands out what it has, a line or a few kilobytes at a time. During a flood
        (``flooding``: the last batch was large) the batch waits a moment for more, up to
        ``_BATCH`` bytes or ``_GATHER`` seconds, so the output goes through the rest of the way
        in large pieces, a few hundred times a second instead of thousands; still within a
        frame of being printed. A piece with an escape character in it (a marker may be in it: the step's
        end) ends the batch at once. The flag says the terminal is gone (the shell exited):
        what was read before it went comes first.
        """
        chunks: list[bytes] = []
        try:
            size = len(chunk := os.read(fd, _READ_SIZE))
            chunks.append(chunk)
            until = 0.0
            while chunk and size < _BATCH:
                if not probe.poll(0):
                    if not flooding or b"\x1b" in chunk:
                        break
                    now = time.monotonic()
                    until = until or now + _GATHER
                    if now >= until or not probe.poll(_GATHER_WAIT):
                        break
                chunk = os.read(fd, _READ_SIZE)
                chunks.append(chunk)
                size += len(chunk)
        except OSError as error:
            if error.errno not in (errno.EIO, errno.EBADF):
                raise
            return b"".join(chunks), True
        return chunks[0] if len(chunks) == 1 else b"".join(chunks), not chunk

    def _stop_plan(self, now: float) -> list[tuple[float, str]]:
        return [(now, "interrupt"), (now + _INTERRUPT_GRACE, "term"), (now + 2 * _INTERRUPT_GRACE, "kill")]

    def _signal(self, action: str) -> None:
        child = self._child
        if child is None or not child.isalive():
            return
        if action == "interrupt":
            with contextlib.suppress(OSError):
                os.write(child.child_fd, b"\x03")
            return
        group = self._foreground_group()
        number = signal.SIGTERM if action == "term" else signal.SIGKILL
        if group is not None and group != os.getpgid(child.pid):
            with contextlib.suppress(OSError):
                os.killpg(group, number)
        elif action == "kill":  # the shell itself is busy (a builtin loop): it must go
            with contextlib.suppress(OSError):
                os.kill(child.pid, signal.SIGKILL)

    def _foreground_group(self) -> int | None:
        child = self._child
        if child is None:
            return None
        try:
            return os.tcgetpgrp(child.child_fd)
        except OSError:
            return None

    def _shell_stopped(self) -> bool:
        child = self._child
        state = processes.stat(child.pid) if child is not None else None
        return state is not None and state.state == "T"

    def _after_stop(self, stream: OutputStream, carry: bytes, ending: Ending) -> RunResult:
        """The step stopped its own shell (``kill -STOP $$``): it can never answer again; replace it."""
        child = self._require()
        with contextlib.suppress(OSError):
            os.kill(child.pid, signal.SIGKILL)
        with contextlib.suppress(Exception):
            child.wait()
        problem = "the step stopped its own shell (a STOP signal to the session's bash), so it could never finish"
        result = self._after_exit(stream, carry, ending, how="was stopped and had to be killed")
        result.problem = problem
        return result

    def _after_exit(self, stream: OutputStream, carry: bytes, ending: Ending, *, how: str = "") -> RunResult:
        """The shell went away during a step: report its status, start a new one with the old state."""
        if carry:
            stream.feed(carry)
        if self._closed or self._child is None:  # closed from another thread (the app quitting)
            return RunResult(130, Ending.INTERRUPTED)
        child = self._require()
        with contextlib.suppress(Exception):
            child.close(force=False)
        if child.signalstatus:
            code = 128 + child.signalstatus
            how = how or f"was killed by signal {child.signalstatus}"
        else:
            code = child.exitstatus if child.exitstatus is not None else 1
            how = how or f"exited with status {code}"
        self._child = None
        shell, self._shell = self._shell, None
        if shell is not None:  # its background jobs go with it, as they would when a terminal closes
            processes.stop(shell.session, None, since=shell.start)
        if self._closed:  # closed from another thread while the step ran: no new shell
            return RunResult(code, Ending.INTERRUPTED)
        self.restarts += 1
        try:
            self.start()
        except SessionError as error:  # (a full disk) the step ran all the same: its result stands
            note = f"The step ended the shell (it {how}), and a new one could not be started: {error}"
        else:
            note = (
                f"The step ended the shell (it {how}). A new shell was started with your variables, functions, "
                "aliases and working directory as they were before the step; background jobs did not survive."
            )
        if self.transcript is not None:
            self.transcript.note(note)
        if self.recording is not None:
            self.recording.note(note)
        final = ending if ending is not Ending.FINISHED else Ending.SHELL_EXITED
        return RunResult(code, final, notes=[note])

    # -- secrets ------------------------------------------------------------------------------

    def set_secret(self, name: str, value: str, *, also: tuple[str, ...] = ()) -> str:
        """Put a secret in the shell without writing it anywhere: returns the variable holding it.

        The value goes through the terminal's input (echo is off; nothing is logged) into
        ``__adv_secret_NAME``; steps refer to that variable instead of containing the value.
        ``also`` names the reader's own variables that will hold it (``export TOKEN=...``):
        they are kept out of the on-disk snapshot too.
        """
        if "\n" in value or "\r" in value or "\0" in value:
            raise SessionError(f"the value of {name} cannot span lines")
        if not re.fullmatch(r"[A-Za-z_]\w*", name):
            raise SessionError(f"{name!r} is not a variable name")
        holder = f"__adv_secret_{name}"
        self._secrets[name] = (value, also)
        self.start()
        self._share_secrets()  # first, so that the snapshot written after the next command leaves it out
        child = self._require()
        os.write(child.child_fd, f"IFS= builtin read -r {holder}\n".encode())
        os.write(child.child_fd, value.encode() + b"\n")
        self._wait_ready(timeout=10)
        return holder

    def _keep_loaded(self, values: dict[str, str]) -> tuple[dict[str, str], list[str]]:
        """Take the variables the shell says a step loaded out of ``values``; keep them as secrets.

        The shell already left them out of the snapshot of the step's end; from now on they are
        holders of ours (told to the shell again with every change), masked, and given back to a
        restarted shell (a value spanning lines, or an array, cannot go through its input: it is
        kept out of the snapshots, and lost with the shell). Returns them, and every element of
        the arrays among them (each masked too).
        """
        names = values.pop("__adv_loaded", "").split()
        arrays: set[str] = set()
        items = []
        for key in [k for k in values if k.startswith(_ITEM)]:
            arrays.add(key[len(_ITEM) :].rpartition("_")[0])
            items.append(values.pop(key))
        loaded = {name: values[name] for name in names if name in values and _NAME.fullmatch(name)}
        for name, value in loaded.items():
            if name in arrays or any(c in value for c in "\r\n\0"):
                self._loaded_only.add(name)
            else:
                self._secrets[name] = (value, (name,))  # (set_secret's bookkeeping: the shell has it already)
        self.masker.add(v for v in [*loaded.values(), *items] if v)
        return loaded, items

    def hold_secret(self, name: str, value: str) -> None:
        """The reader's variable ``name`` holds a secret a step made: keep it as one given to us.

        It stays out of the snapshot (its name says so) and a restarted shell gets it back.
        """
        if name in self._loaded_only:  # (an array or a value spanning lines a step loaded: not given back)
            return
        if self._secrets.get(name) != (value, (name,)) and not any(c in value for c in "\r\n\0"):
            self.set_secret(name, value, also=(name,))

    def _secret_holders(self) -> list[str]:
        """The variables that hold secrets: ours, the reader's that were given one, the environment's."""
        names = (
            {f"__adv_secret_{n}" for n in self._secrets}
            | {a for _, also in self._secrets.values() for a in also}
            | set(self._env_secrets)
            | self._loaded_only
        )
        return sorted(n for n in names if re.fullmatch(r"[A-Za-z_]\w*", n))

    def _secret_forms(self) -> list[str]:
        """Every form of every secret known here or to the masker (a value holding one is a secret too)."""
        found = set(self.masker.forms)
        values = [v for v, _ in self._secrets.values()] + [self._env[n] for n in self._env_secrets] + [*self._typed]
        for value in values:
            if len(value) >= 3:
                found.update(secret_forms(value))
        return sorted(found)

    def _share_secrets(self) -> None:
        """Tell the shell what its snapshots must leave out, through the terminal's input.

        The snapshot is written by the shell at every prompt; it leaves out the variables
        that hold secrets and every variable whose value contains a secret in one of its
        forms (``AUTH=$(printf %s "$USER:$TOKEN" | base64)``). The forms are secrets
        themselves, so they travel as the secrets do: typed in, with echo off.
        """
        names = " ".join(self._secret_holders())
        lines = sorted({piece for form in self._secret_forms() for piece in form.split("\n") if _typeable(piece)})
        if (names, lines) == self._shared:
            return
        child = self._require()
        os.write(
            child.child_fd,
            b"__adv_forms=(); while IFS= builtin read -r __adv_f && [[ -n $__adv_f ]]; "
            b'do __adv_forms+=("$__adv_f"); done; unset __adv_f; ' + f"__adv_holders=({names})\n".encode(),
        )
        os.write(child.child_fd, "".join(f"{line}\n" for line in lines).encode() + b"\n")
        self._wait_ready(timeout=10)
        self._shared = (names, lines)

    # -- steps that need the reader's own terminal ------------------------------------------------

    def run_in_terminal(
        self,
        code: str,
        *,
        title: str = "",
        on_output: Callable[[str], None] | None = None,
        loads_secrets: str = "",
        output_unkept: str = "",
    ) -> RunResult:
        """Run a step attached to the real terminal: pickers, editors, nested shells, pagers.

        The caller must have given up the terminal (the app suspends itself). A separate bash
        starts from the session's latest snapshot, with its secrets through a pipe (never a
        file, nor its environment), runs the step with the same stop-at-the-first-failure rule, and
        leaves its state behind; the session then takes that state over, so what the step
        changed is there for the next one, as if it had run in the session.

        What the terminal showed is recorded with ``script`` (util-linux, or the BSD one)
        and, once the step is over, masked and given to the transcript, the recording,
        ``on_output`` and the result's tail, as for a step run in the session. Input typed
        with echo off (passwords) is not in it. Without ``script`` or a terminal, the step
        runs unrecorded, and says so. ``loads_secrets`` and ``output_unkept`` are as for
        :meth:`run`: the variables the step loaded come back through a pipe, never in the state
        it leaves on the disk, and the session is given them as its other secrets.
        """
        self.start()
        self._share_secrets()
        self._counter += 1
        step_file = self.state_dir / f"step-{self._counter % 2}.sh"
        write_private(step_file, code if code.endswith("\n") else code + "\n")
        before = self.state_dir / "terminal-before.sh"
        after = self.state_dir / "terminal-state.sh"
        line_file = self.state_dir / "terminal-line"
        for written_by_bash in (before, after, line_file):
            touch_private(written_by_bash)
        # a snapshot written now, in full, before the new bash reads it (the one written at
        # every prompt may still be in progress)
        self.query(f"__adv_write_snapshot {_quote(str(before))}")
        _clean_copy(before, before)
        init = self.state_dir / "session-init.sh"
        env = dict(self._env)
        env["__adv_nonce"] = self._nonce
        # the secrets (and their forms, for the snapshot it leaves) reach the new bash through
        # a pipe it reads at once: not its environment, which /proc keeps for its whole life
        reader, writer = os.pipe()
        back, loaded_writer = os.pipe() if loads_secrets else (-1, -1)  # what the step loaded, told back
        payload = b"".join(value.encode() + b"\0" for value, _ in self._secrets.values())
        payload += b"".join(form.encode() + b"\0" for form in self._secret_forms() if "\0" not in form)
        env[processes.TOKEN_VARIABLE] = self._token  # what it leaves running ends with the session too
        secret_lines = []
        for name, (_, also) in self._secrets.items():
            secret_lines.append(f"IFS= builtin read -r -d '' __adv_secret_{name} <&{reader}")
            secret_lines.extend(f'export {variable}="$__adv_secret_{name}"' for variable in also)
        script = "\n".join(
            [
                f"builtin source {_quote(str(init))}",
                f"builtin source {_quote(str(before))} >/dev/null 2>&1",
                f"rm -f {_quote(str(before))}",
                "__adv_nonce=",  # no markers on the reader's terminal
                *secret_lines,
                f"while IFS= builtin read -r -d '' __adv_f; do __adv_forms+=(\"$__adv_f\"); done <&{reader}",
                f"exec {reader}<&-",
                "unset __adv_f",
                f"__adv_holders=({' '.join(self._secret_holders())})",
                "set +o history",
                ("__adv_before_load; " if loads_secrets else "") + f"__adv_begin {_quote(str(step_file))} 0; {_WATCH}",
                f"builtin source {_quote(str(step_file))}",
                "__adv_last=$?",
                "trap - ERR",
                *(
                    [  # (they join the holders: the state written below leaves them out)
                        "__adv_x=$-; set +x",  # (the reader's trace would show the values)
                        "__adv_take_loaded",
                        'for __adv_n in "${__adv_loaded[@]}"; do '
                        f'builtin printf \'%s\\0%s\\0\' "$__adv_n" "${{!__adv_n}}"; done >&{loaded_writer}',
                        f"__adv_tell_items >&{loaded_writer}",
                        f"exec {loaded_writer}>&-",
                        "[[ $__adv_x != *x* ]] || set -x; unset __adv_x __adv_n",
                    ]
                    if loads_secrets
                    else []
                ),
                f"builtin printf '%s' \"${{__adv_ln:-0}}\" > {_quote(str(line_file))}",
                "unset __adv_file __adv_saved_trap",
                f"__adv_write_snapshot {_quote(str(after))}",
                "exit $__adv_last",
            ]
        )
        if self.transcript is not None:
            self.transcript.begin((title or f"step {self._counter}") + " (in the reader's terminal)", code)
        if self.recording is not None:
            self.recording.begin((title or f"step {self._counter}") + " (in the reader's terminal)", code)
        program = self.state_dir / "terminal-step.sh"
        write_private(program, script + "\n")
        record = self.state_dir / "terminal-output.log"
        record.unlink(missing_ok=True)
        # read with eval, not run as a script file: the step's stop-at-the-first-failure trap
        # behaves as under `bash -c` (a script file would give it a `main` frame to return from)
        command = recorded(
            ["/bin/bash", "--noprofile", "--norc", "-c", f'eval "$(< {shlex.quote(str(program))})"'], record
        )
        if command[0] == "script":
            touch_private(record)  # script keeps the rights of a file it writes over
        started = time.monotonic()
        told: list[bytes] = []
        try:
            process = subprocess.Popen(
                command, cwd=self._cwd(), env=env, pass_fds=(reader, loaded_writer) if loads_secrets else (reader,)
            )
        except BaseException:
            if loads_secrets:
                os.close(back)
            raise
        finally:
            os.close(reader)
            if loads_secrets:
                os.close(loaded_writer)
        listener = None
        if loads_secrets:  # read as it comes: a step loading more than a pipe holds must not wait for us
            listener = threading.Thread(target=_read_all, args=(back, told), daemon=True)
            listener.start()
        with process:
            try:
                with contextlib.suppress(BrokenPipeError):  # bash ended before reading them all
                    while payload:
                        payload = payload[os.write(writer, payload) :]
            finally:
                os.close(writer)
            try:
                returncode = process.wait()
            except BaseException:  # as subprocess.run does: do not leave it running behind us
                process.kill()
                raise
        duration = time.monotonic() - started
        loaded: dict[str, str] = {}
        items: list[str] = []
        if listener is not None:
            listener.join()
            pairs = _pairs(b"".join(told).decode(errors="replace"))
            named = " ".join(n for n in pairs if not n.startswith(_ITEM))
            loaded, items = self._keep_loaded({**pairs, "__adv_loaded": named})
        program.unlink(missing_ok=True)
        self._forget_step_file(step_file, code)
        sinks = [] if self.transcript is None or output_unkept else [self.transcript.write]
        if self.recording is not None and not output_unkept:
            sinks.append(self.recording.write)
        stream = OutputStream(self.masker, [*sinks, on_output] if on_output is not None else sinks)
        if command[0] == "script" and record.exists():
            stream.feed(_without_script_notes(record.read_bytes()))
            record.unlink()
        stream.close()
        failed = 0
        with contextlib.suppress(OSError, ValueError):
            failed = int(line_file.read_text() or 0)
        if after.exists():  # take over what the step left: variables, functions, directory
            _clean_copy(after, after)
            self.query(  # without the ERR trap: what is read-only here (the session's own) stays as it is
                f"builtin trap - ERR; builtin source {_quote(str(after))} >/dev/null 2>&1 || :; "
                f"__adv_snapshot={_quote(str(self._snapshot))}; __adv_nonce={self._nonce}; "
                f"rm -f {_quote(str(after))} {_quote(str(line_file))}; :"
            )
        for name, value in loaded.items():  # (as to a restarted shell; the snapshot never had them)
            if name in self._secrets:
                self._secrets.pop(name)
                holder = self.set_secret(name, value, also=(name,))
                self._command(f'export {name}="${holder}"')
        notes: list[str] = []
        lost = sorted(name for name in loaded if name not in self._secrets)
        if lost:  # (a value spanning lines cannot go through the shell's input)
            notes.append(
                f"{', '.join(lost)} not handed back to the session: a value that spans lines comes back only from "
                "a step run in the app (h); the steps after this one run without it"
            )
        for kept in (self.transcript, self.recording):
            if kept is not None and notes:
                kept.note(notes[0])
        status = returncode if returncode >= 0 else 128 - returncode
        unrecorded = "" if command[0] == "script" else " (not recorded: no `script` program, or no terminal)"
        for kept in (self.transcript, self.recording):
            if kept is not None and output_unkept:
                kept.note(f"output not kept: {output_unkept}")
        if self.transcript is not None:
            self.transcript.note(f"ran in the reader's terminal{unrecorded}, exit status {status}")
        if self.recording is not None:
            self.recording.note(f"ran in the reader's terminal{unrecorded}; exit status {status}")
        return RunResult(
            status,
            Ending.FINISHED,
            failed_line=failed,
            duration=duration,
            output_tail=stream.tail() if not unrecorded else "(the step ran in your terminal, unrecorded)",
            output_bytes=stream.bytes,
            notes=notes,
            loaded=loaded,
            loaded_items=items,
        )

    def _forget_step_file(self, step_file: Path, code: str) -> None:
        """Empty the file a step ran from if the reader typed a secret into the step (an edit).

        Bash read it whole before running it, and keeps what it defined in memory.
        """
        if self.masker.mask(code) != code:
            write_private(step_file, "")

    def _cwd(self) -> str:
        try:
            return self.variables(["PWD"]).get("PWD", str(self.workdir))
        except SessionError:
            return str(self.workdir)

    # -- talking to a running step -------------------------------------------------------------

    def send_line(self, text: str, *, secret: bool = False) -> None:
        """Type a line into the running step (the answer to a prompt). Secrets are never logged.

        A secret typed in stays out of the snapshot, with every variable it ends up in, from
        the end of the step on.
        """
        child = self._require()
        if secret and text:
            self._typed.add(text)
        os.write(child.child_fd, text.encode() + b"\n")
        if self.transcript is not None:
            self.transcript.write("[a secret was typed]\n" if secret else f"{text}\n")
        if self.recording is not None:
            self.recording.write("[a secret was typed]\n" if secret else f"{self.masker.mask(text)}\n")

    def send_eof(self) -> None:
        """Ctrl+D: end of input for the running step."""
        os.write(self._require().child_fd, b"\x04")

    def interrupt(self) -> None:
        """Ctrl+C to the step's foreground process group."""
        self._signal("interrupt")

    def give_way(self, seconds: float) -> None:
        """Read no more of a flooding step's output for ``seconds``: the reader pressed a key.

        While a step floods its output, reading it takes a core of a two-core machine, and the
        step's programs the other; the screen answering a key waits for them. For that moment
        the output waits in the terminal (the step's programs wait with it, as they would
        behind a terminal that cannot keep up), then comes as before: nothing is lost or
        reordered. A step that is not flooding (one just started by that key, one waiting at a
        prompt for the line just typed) is read as ever: its answer is what the reader waits
        for. Called from any thread.
        """
        self._give_way_until = max(self._give_way_until, time.monotonic() + seconds)

    @property
    def running(self) -> bool:
        return self._running

    # -- asking the shell ---------------------------------------------------------------------

    def capture(
        self, code: str, *, timeout: float = 60, mask: bool = True, looks_only: bool = False
    ) -> tuple[int, str]:
        """Run a short internal command (a check, a question) and return its status and output.

        It runs in the session, so it sees the step's variables and directory; it is not
        shown, and it is not written to the transcript. ``looks_only`` says the command
        changes nothing in the shell: the shell then keeps the snapshot it has instead of
        writing it again.
        """
        self.start()
        captured: list[str] = []
        stream = OutputStream(
            self.masker if mask else Masker(),
            [captured.append],
            keep_controls=True,
            as_written=not _adds_returns(self._require().child_fd),
        )
        step_file = self.state_dir / "query.sh"
        write_private(step_file, code + "\n")
        self._traps = self._traps or "trap" in code
        line = (
            f"__adv_begin {_quote(str(step_file))} {int(self._traps)} {int(looks_only)} 0; {_WATCH}"
            f"builtin source {_quote(str(step_file))} </dev/null{_UNWATCH}"
        )
        result = self._collect(line.encode(), stream, timeout, None)
        stream.close()
        if result.ending is Ending.TIMED_OUT:
            return 124, "".join(captured) + f"\n(no answer within {timeout:.0f} s)"
        return result.exit_code, "".join(captured)

    def query(self, code: str, *, timeout: float = 10, looks_only: bool = False) -> str:
        """Like :meth:`capture`, for the engine's own questions: the answer is not masked."""
        status, output = self.capture(code, timeout=timeout, mask=False, looks_only=looks_only)
        if status != 0:
            raise SessionError(f"the shell did not answer a question (status {status}): {output[-200:]}")
        return output

    def variables(self, names: list[str]) -> dict[str, str]:
        """The values of ``names`` that are set in the session (exported or not)."""
        if not names:
            return {}
        wanted = " ".join(n for n in names if _NAME.fullmatch(n))
        script = (
            f"for __adv_n in {wanted}; do "
            f'[[ -v $__adv_n ]] && printf \'%s\\0%s\\0\' "$__adv_n" "${{!__adv_n}}"; done; :'
        )
        return _pairs(self.query(script, looks_only=True))

    def defined_names(self) -> set[str]:
        """Functions and aliases the session defines (they are not commands to look for on PATH)."""
        return set(self.query("compgen -A function; compgen -a || true", looks_only=True).split())

    def _command(self, code: str) -> None:
        child = self._require()
        os.write(child.child_fd, code.encode() + b"\n")
        self._wait_ready(timeout=10)

    def _wait_ready(self, timeout: float) -> None:
        child = self._require()
        deadline = time.monotonic() + timeout
        data = b""
        while time.monotonic() < deadline:
            ready, _, _ = select.select([child.child_fd], [], [], 0.1)
            if not ready:
                if not child.isalive():
                    break
                continue
            try:
                chunk = os.read(child.child_fd, _READ_SIZE)
            except OSError:
                break
            data = (data + chunk)[-4096:]
            if self._marker.search(data) and b";ready;" in data:
                return
        raise SessionError(f"bash did not become ready within {timeout:.0f} s: {data[-300:]!r}")

    def _require(self) -> Any:
        if self._child is None:
            raise SessionError("the session is not running")
        return self._child


_LIVE: weakref.WeakSet[Session] = weakref.WeakSet()


@atexit.register
def _close_live_sessions() -> None:
    """A program that exits without closing its session still takes the shell's processes with it."""
    for session in list(_LIVE):
        with contextlib.suppress(Exception):
            session.close()


@record
class ShellRestore:
    """What a resumed journey's shell got back from the last one (see ``restore_previous``)."""

    found: bool  # was there a previous shell in this workspace at all?
    directory: str = ""  # the working directory now
    missing_directory: str = ""  # the directory it was in, when it could not go back there
    functions: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)
    variables: list[str] = field(default_factory=list)


def recorded(command: list[str], record: Path) -> list[str]:
    """``command`` run under ``script``, which keeps what the terminal shows in ``record``.

    util-linux's ``script`` (Linux) and the BSD one (macOS) take different options. Without
    either, or when standard input is not a terminal (nobody to type; ``script`` would hand
    an end-of-file on to the step only when it happens to be reading), the command runs as
    it is, unrecorded.
    """
    if shutil.which("script") is None or not os.isatty(0):
        return command
    if sys.platform.startswith("linux"):
        return ["script", "--quiet", "--flush", "--return", "--command", shlex.join(command), str(record)]
    return ["script", "-q", "-F", str(record), *command]


def _without_script_notes(data: bytes) -> bytes:
    """The recording without the lines ``script`` adds (``Script started on …``, ``Script done on …``)."""
    if data.startswith(b"Script started on "):
        data = data.partition(b"\n")[2]
    head, _, last = data.rstrip(b"\n").rpartition(b"\n")
    if last.startswith(b"Script done on "):  # after a line break of its own
        data = head
    return data


def _listing(text: str) -> tuple[set[str], ...]:
    """``compgen`` lists separated by ``::`` lines, as sets of names."""
    return tuple(set(part.split()) for part in text.split("::"))


def _saved_directory(snapshot_text: str) -> str:
    """The directory a snapshot goes back to (its ``builtin cd -- DIR`` line), "" if unreadable."""
    lines = [line for line in snapshot_text.splitlines() if line.startswith("builtin cd -- ")]
    if not lines:
        return ""
    try:
        words = shlex.split(lines[-1].removeprefix("builtin cd -- "))
    except ValueError:  # $'...' quoting: not read here
        return ""
    return words[0] if len(words) == 1 else ""


def _decode(raw: bytes, *, as_written: bool = False) -> str:
    """What the shell printed for one of our questions, as text (read as :meth:`Session.capture` reads it).

    ``as_written``: the terminal added no carriage returns (see ``_adds_returns``).
    """
    captured: list[str] = []
    stream = OutputStream(Masker(), [captured.append], keep_controls=True, as_written=as_written)
    stream.feed(raw)
    stream.close()
    return "".join(captured)


def _read_all(fd: int, into: list[bytes]) -> None:
    """Read ``fd`` to its end into ``into``, then close it."""
    try:
        while chunk := os.read(fd, _READ_SIZE):
            into.append(chunk)
    finally:
        os.close(fd)


def _pairs(text: str) -> dict[str, str]:
    """``NAME\\0VALUE\\0...`` as a mapping."""
    parts = text.split("\0")
    return {parts[i]: parts[i + 1] for i in range(0, len(parts) - 1, 2)}


def _clean_copy(source: Path, target: Path, *, delta: Path | None = None) -> None:
    """``source`` without bash's own variables, written to ``target`` (they may be the same file).

    ``delta``: the variables steps set since ``source`` was written, added to it when they belong to it.
    """
    text = source.read_text(encoding="utf-8", errors="surrogateescape")
    if delta is not None:
        with contextlib.suppress(OSError):
            text = snapshot.with_delta(text, delta.read_text(encoding="utf-8", errors="surrogateescape"))
    write_private(target, snapshot.clean(text), errors="surrogateescape")


def _plain_line_ends(fd: int) -> None:
    """The terminal hands over a line's end as the program wrote it (``\n``), not as ``\r\n``.

    A terminal's output processing (``ONLCR``) turns every ``\n`` a program writes into
    ``\r\n``, for a screen's sake; this session's output goes to a program, which takes the
    ``\r`` off again. Without it, the kernel does not look at every byte a step writes on its
    way (a flood's writer pays less), and the reading finds no carriage return to take off
    (output with carriage returns of its own, progress bars, is read as before). A program that
    sets the terminal back (``stty sane``) only brings the ``\r\n`` back, which is read as always.
    (On Linux the attributes set through the master side are the terminal's own.)
    """
    import termios

    with contextlib.suppress(termios.error, OSError):
        attributes = termios.tcgetattr(fd)
        if attributes[1] & termios.ONLCR:
            attributes[1] &= ~termios.ONLCR
            termios.tcsetattr(fd, termios.TCSANOW, attributes)


def _adds_returns(fd: int) -> bool:
    """Does the terminal turn a program's ``\n`` into ``\r\n`` now (a step's ``stty sane`` sets that back)?

    Only then is a ``\r\n`` in an answer the terminal's: otherwise it is the value's own
    (``V=$(curl -si ...)`` holds the carriage returns of the headers, and keeps them).
    """
    import termios

    try:
        return bool(termios.tcgetattr(fd)[1] & termios.ONLCR)
    except (termios.error, OSError):
        return True  # (as a terminal is by default)


def _name_functions() -> str:
    """The shell functions that judge variable names as :func:`looks_secret` does.

    Written from its words, so the two cannot disagree; judging costs no fork. The names of
    all variables are asked for at every prompt: ``compgen -v`` writes them (names only,
    never a value) to a file of the session's own, read back at once as one string. Listing
    them by first letter instead (``${!A@}`` ... ``${!_@}``, the way left when there is no
    such file) looks at every variable 53 times: milliseconds at every prompt once steps have
    set a few hundred. When the names changed (a step set a new variable), one regular
    expression looks at them all: twenty glob patterns over the same few thousand
    characters took a millisecond more.
    """
    each = "|".join(secret_name_globs())
    # the same, over every name at once (each between newlines), as one regular expression
    globs = secret_name_globs()
    words = "|".join(g[2:-2] for g in globs if g.startswith("*_"))
    endings = "|".join(g[1:-2] for g in globs if not g.startswith("*_"))
    expression = f"[_\\n]({words})[_\\n]|({endings})[_\\n]"
    names = " ".join(f'"${{!{first}@}}"' for first in string.ascii_letters + "_")
    return (
        f"__adv_name_words=$'{expression}'\n"
        "__adv_secret_name() {\n"
        "    [[ $1 == PWD ]] && return 1  # the working directory, not a password\n"
        f"    case _${{1^^}}_ in {each}) return 0 ;; esac; return 1\n"
        "}\n"
        "__adv_variable_names() {\n"
        "    if [[ -n ${__adv_snapshot-} ]]; then  # NUL: where this list ends and an older, longer one's rest begins\n"
        "        { builtin compgen -v -X PWD; builtin printf '\\0'; } 9<> \"$__adv_snapshot.names\" >&9 &&\n"
        "            IFS=$'\\n' builtin read -r -d '' -a __adv_names < \"$__adv_snapshot.names\" && return 0\n"
        "    fi\n"
        f"    __adv_names=({names})\n"
        "    local __adv_i\n"
        '    for __adv_i in "${!__adv_names[@]}"; do\n'
        "        [[ ${__adv_names[__adv_i]} == PWD ]] && unset '__adv_names[__adv_i]'\n"
        "    done\n"
        "}\n"
        "__adv_secret_names_in_use() {  # every name but PWD (the working directory, not a password)\n"
        "    local __adv_all\n"
        "    if [[ -n ${__adv_snapshot-} ]] &&  # read as one string (what reads names one by one costs twice)\n"
        "        { builtin compgen -v -X PWD; builtin printf '\\0'; } 9<> \"$__adv_snapshot.names\" >&9 &&\n"
        "        builtin mapfile -t -d '' -n 1 __adv_all < \"$__adv_snapshot.names\"; then\n"
        "        __adv_all=$'\\n'$__adv_all\n"
        "    else\n"
        "        local __adv_names IFS=$'\\n'; __adv_variable_names\n"
        "        __adv_all=$'\\n'\"${__adv_names[*]}\"$'\\n'\n"
        "    fi\n"
        '    [[ $__adv_all == "${__adv_clean_names-}" ]] && return 1  # the same names as when none was\n'
        "    # one regular expression over them all (globs over a few thousand characters cost a\n"
        "    # millisecond), its match kept from the reader's BASH_REMATCH, which a step may read\n"
        '    local __adv_found=1 __adv_match=("${BASH_REMATCH[@]}") __adv_had=0 __adv_fold=1\n'
        "    builtin declare -p BASH_REMATCH >/dev/null 2>&1 && __adv_had=1\n"
        "    [[ :$BASHOPTS: == *:nocasematch:* ]] && __adv_fold=0\n"
        "    (( __adv_fold )) && builtin shopt -s nocasematch\n"
        "    if [[ $__adv_all =~ $__adv_name_words ]]; then __adv_found=0; fi\n"
        "    (( __adv_fold )) && builtin shopt -u nocasematch\n"
        '    if (( __adv_had )); then BASH_REMATCH=("${__adv_match[@]}"); else builtin unset BASH_REMATCH; fi\n'
        "    (( __adv_found )) || return 0\n"
        "    __adv_clean_names=$__adv_all; return 1\n"
        "}\n"
        "__adv_unset_secret_names() {\n"
        "    local __adv_names __adv_n; __adv_variable_names\n"
        '    for __adv_n in "${__adv_names[@]}"; do\n'
        "        case $__adv_n in PWD | __adv_*) continue ;; esac\n"
        f'        case _${{__adv_n^^}}_ in {each}) unset "$__adv_n" 2>/dev/null ;; esac\n'
        "    done\n"
        "}\n"
    )


def _init_script() -> str:
    """session_init.sh, read next to this module (importlib.resources only for a zipped install)."""
    try:
        return Path(__file__).with_name("session_init.sh").read_text(encoding="utf-8")
    except OSError:
        from importlib.resources import files

        return files("tutorial.shell").joinpath("session_init.sh").read_text(encoding="utf-8")


def _typeable(line: str) -> bool:
    """Whether ``line`` can go through a terminal's input as it is (no control characters, not too long)."""
    return len(line) >= 3 and len(line.encode()) < 4000 and not any(ord(c) < 32 or ord(c) == 127 for c in line)


def _quote(text: str) -> str:
    return "'" + text.replace("'", "'\\''") + "'"
