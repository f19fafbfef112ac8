"""Every process a journey's shell started, found and stopped, even after a crash.

The session's bash leads its own terminal session (``setsid``), so every job it starts is in
that session unless the job leaves it on purpose (``setsid``, a daemon). Each process the
shell starts also inherits a token in its environment (:data:`TOKEN_VARIABLE`), which a
process keeps when it leaves the session. Stopping the tree means: every process in the
session or carrying the token, however many times it forks or respawns, until none is left.

The session's identity is written to ``.adventure/`` while it runs, so that when the runner
itself is killed (``kill -9``: no chance to clean up), the next start in the same work
directory finds what survived and stops it.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import time
from dataclasses import asdict
from pathlib import Path

from tutorial.records import record

TOKEN_VARIABLE = "ADVENTURE_SESSION"
RECORD_PREFIX = "processes-"  # .adventure/processes-<session folder>.json
_PROC = Path("/proc")


@record(frozen=True)
class ProcessState:
    """The fields of ``/proc/PID/stat`` that matter here."""

    pid: int
    state: str  # R, S, D, T (stopped), Z (zombie)...
    session: int
    start: int  # clock ticks after boot: with the pid, identifies a process across pid reuse


def stat(pid: int) -> ProcessState | None:
    """The state of ``pid``, or None when there is no such process."""
    try:  # (plain system calls: a look at every process reads hundreds of these)
        fd = os.open(f"{_PROC}/{pid}/stat", os.O_RDONLY | os.O_CLOEXEC)
        try:
            text = os.read(fd, 4096).decode(errors="replace")
        finally:
            os.close(fd)
    except OSError:
        return None
    # the command name is in parentheses and may itself contain spaces or parentheses
    fields = text[text.rindex(")") + 2 :].split()
    return ProcessState(pid=pid, state=fields[0], session=int(fields[3]), start=int(fields[19]))


def _carries(pid: int, marker: bytes) -> bool:
    try:
        environ = (_PROC / str(pid) / "environ").read_bytes()
    except OSError:
        return False
    return marker in environ.split(b"\0")


def members(session: int | None, token: str | None, *, since: int = 0) -> list[int]:
    """Live processes in terminal session ``session`` or carrying ``token``, started at or after ``since``.

    Zombies are left out (they are already dead, waiting for a parent to collect them), and so
    are this process and its ancestors, whatever they carry.
    """
    spared = _ancestors()
    marker = f"{TOKEN_VARIABLE}={token}".encode() if token else None
    found = []
    for name in os.listdir(_PROC):
        if not name.isdigit():
            continue
        pid = int(name)
        if pid in spared:
            continue
        state = stat(pid)
        if state is None or state.state in ("Z", "X") or state.start < since:
            continue
        if (session is not None and state.session == session) or (marker is not None and _carries(pid, marker)):
            found.append(pid)
    return found


def _running(pid: int, since: int) -> bool:
    state = stat(pid)
    return state is not None and state.state not in ("Z", "X") and state.start >= since


def _ancestors() -> set[int]:
    spared = {os.getpid()}
    pid = os.getpid()
    while pid > 1:
        try:
            text = (_PROC / str(pid) / "stat").read_text()
        except OSError:
            break
        pid = int(text[text.rindex(")") + 2 :].split()[1])
        spared.add(pid)
    return spared


def stop(session: int | None, token: str | None, *, since: int = 0, grace: float = 0.5, limit: float = 10.0) -> int:
    """Stop every process of the session (see :func:`members`); returns how many there were.

    First a hang-up and a terminate, as a closing terminal would send, so programs may clean up
    for ``grace`` seconds; then every survivor is frozen and killed, again and again, so a
    process that forks or respawns as fast as it can (a fork bomb) cannot outrun it.
    """
    first = members(session, token, since=since)
    if not first:
        return 0
    for pid in first:
        for number in (signal.SIGHUP, signal.SIGTERM, signal.SIGCONT):
            with contextlib.suppress(OSError):
                os.kill(pid, number)
    seen = set(first)
    deadline = time.monotonic() + grace
    # a shell that was told to go is gone in a millisecond or two: look again soon, at first
    # only at the processes signalled (a look at all of /proc costs milliseconds), then at all
    pending, pause = set(first), 0.001
    while time.monotonic() < deadline:
        pending = {pid for pid in pending if _running(pid, since)}
        if not pending and not members(session, token, since=since):
            return len(seen)  # (that look at all of /proc was the last one needed)
        time.sleep(pause)
        pause = min(pause * 2, 0.02)
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        left = members(session, token, since=since)
        if not left:
            break
        seen.update(left)
        for number in (signal.SIGSTOP, signal.SIGKILL):
            for pid in left:
                with contextlib.suppress(OSError):
                    os.kill(pid, number)
    return len(seen)


@record(frozen=True)
class Record:
    """Who owns a running session, and how to recognise its processes: written to ``.adventure/``."""

    owner: int
    owner_start: int
    shell: int
    session: int
    shell_start: int
    token: str

    def save(self, target: Path) -> None:
        temporary = target.with_suffix(".tmp")
        try:
            temporary.write_text(json.dumps(asdict(self)), encoding="utf-8")
            os.replace(temporary, target)
        except OSError:
            temporary.unlink(missing_ok=True)
            raise

    @classmethod
    def load(cls, path: Path) -> Record | None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            return cls(**{name: data[name] for name in cls.__dataclass_fields__})
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def owner_alive(self) -> bool:
        state = stat(self.owner)
        return state is not None and state.start == self.owner_start and state.state not in ("Z", "X")


def record_path(session_dir: Path) -> Path:
    """Where the session using ``session_dir`` is recorded: beside it, where it outlives the folder."""
    return session_dir.parent / f"{RECORD_PREFIX}{session_dir.name}.json"


def forget(record: Path) -> None:
    with contextlib.suppress(OSError):
        record.unlink()


def stop_leftovers(state_dir: Path) -> str | None:
    """Stop what journeys killed without cleaning up left running here; say what was done.

    ``state_dir`` is the work directory's ``.adventure``. Nothing is touched while the journey
    that wrote a record is still running.
    """
    stopped = 0
    with contextlib.suppress(OSError):
        for path in sorted(state_dir.glob(f"{RECORD_PREFIX}*.json")):
            record = Record.load(path)
            if record is not None and record.owner_alive():
                continue
            if record is not None:
                stopped += stop(record.session, record.token, since=record.shell_start)
            forget(path)
    if not stopped:
        return None
    plural = "es" if stopped != 1 else ""
    return (
        f"Stopped {stopped} process{plural} left running by an earlier session in this work directory "
        "(it ended without cleaning up)."
    )
