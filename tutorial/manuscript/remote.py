"""``--manuscript URL``: a manuscript in a git repository, cloned once into a cache folder.

A workshop, a fork or a branch under review is one URL away: the repository is cloned with
the system ``git`` (shallow, one branch: a manuscript needs no history) into
``$XDG_CACHE_HOME/cncf-adventure/manuscripts/`` and its ``manuscript/`` folder is used. The
next launch reuses the clone and says how old it is; ``--refresh`` clones it again. ``--ref``
picks a branch or a tag; each URL and ref has a clone of its own.

Credentials in a URL (``https://user:token@host/...``) are never printed: every message
shows the URL without them.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from tutorial.manuscript.locate import ManuscriptError
from tutorial.records import record

_STAMP = "cncf-adventure-clone.json"  # kept inside the clone's .git folder
FOLDER = "manuscript"
CLONE_TIMEOUT = 600


def shown(url: str) -> str:
    """The URL as it may be printed: without a user name or password."""
    if "://" not in url:
        return url
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.rsplit("@", 1)[1]))


def cache_root() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base).expanduser() / "cncf-adventure" / "manuscripts"


@record(frozen=True)
class Checkout:
    """A clone in the cache: where its manuscript is, and what to tell the reader about it."""

    url: str
    ref: str
    clone: Path
    manuscript: Path
    cloned_at: float
    fresh: bool  # cloned by this launch

    def describe(self, now: float | None = None) -> str:
        what = shown(self.url) + (f" ({self.ref})" if self.ref else "")
        if self.fresh:
            return f"cloned {what} into {self.clone}"
        age = age_in_words((now or time.time()) - self.cloned_at)
        return f"using the clone of {what} made {age} ago, in {self.clone} (--refresh clones it again)"


def age_in_words(seconds: float) -> str:
    seconds = max(0, int(seconds))
    for unit, size in (("day", 86400), ("hour", 3600), ("minute", 60)):
        if seconds >= size:
            count = seconds // size
            return f"{count} {unit}{'s' if count != 1 else ''}"
    return f"{seconds} second{'s' if seconds != 1 else ''}"


def _folder_name(url: str, ref: str) -> str:
    name = re.sub(r"[^\w.-]+", "-", urlsplit(shown(url)).path.rstrip("/").rsplit("/", 1)[-1].removesuffix(".git"))
    digest = hashlib.sha256(f"{url}\0{ref}".encode()).hexdigest()[:12]
    return f"{(name or 'repository')[:40]}-{digest}"


def checkout(url: str, ref: str = "", *, refresh: bool = False, cache: Path | None = None) -> Checkout:
    """The clone of ``url`` at ``ref`` (the default branch when empty), made when missing.

    Raises :class:`ManuscriptError` when git is missing, the clone fails, or the repository
    has no ``manuscript/`` folder.
    """
    if ref.startswith("-"):
        raise ManuscriptError(f"--ref {ref!r}: not a branch or tag name")
    clone = (cache or cache_root()) / _folder_name(url, ref)
    fresh = False
    if refresh or not (clone / ".git" / _STAMP).is_file():
        _clone(url, ref, clone, replace=refresh)
        fresh = True
    try:
        cloned_at = float(json.loads((clone / ".git" / _STAMP).read_text(encoding="utf-8"))["cloned_at"])
    except (OSError, ValueError, KeyError, TypeError):
        cloned_at = (clone / ".git").stat().st_mtime
    manuscript = clone / FOLDER
    if not manuscript.is_dir():
        raise ManuscriptError(f"{shown(url)}: the repository has no {FOLDER}/ folder (cloned in {clone})")
    return Checkout(url, ref, clone, manuscript, cloned_at, fresh)


def _clone(url: str, ref: str, clone: Path, *, replace: bool) -> None:
    git = shutil.which("git")
    if git is None:
        raise ManuscriptError(f"{shown(url)}: cloning a manuscript needs git, which is not installed")
    clone.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{clone.name}.", dir=clone.parent))
    command = [git, "clone", "--quiet", "--depth", "1", "--single-branch", "--no-tags"]
    if ref:
        command += ["--branch", ref]
    command += ["--", url, str(staging)]
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_ASKPASS": "", "SSH_ASKPASS": ""}
    env.setdefault("GIT_SSH_COMMAND", "ssh -o BatchMode=yes")  # never a password prompt
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, env=env, timeout=CLONE_TIMEOUT, stdin=subprocess.DEVNULL
        )
    except subprocess.TimeoutExpired as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise ManuscriptError(f"{shown(url)}: git clone took longer than {CLONE_TIMEOUT} s") from error
    if done.returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)
        said = " ".join(done.stderr.replace(url, shown(url)).split()) or f"exit status {done.returncode}"
        raise ManuscriptError(f"{shown(url)}: cannot clone{f' {ref!r}' if ref else ''}: {said}")
    stamp = {"url": shown(url), "ref": ref, "cloned_at": time.time()}
    (staging / ".git" / _STAMP).write_text(json.dumps(stamp), encoding="utf-8")
    _swap(staging, clone, replace=replace)


def _swap(staging: Path, clone: Path, *, replace: bool) -> None:
    """Put the new clone in place: over the old one with ``--refresh``, else only where none is yet.

    Two launches that cloned at once keep the first clone; the second one's is discarded,
    so no launch has its manuscript removed from under it.
    """
    if not replace and (clone / ".git" / _STAMP).is_file():
        shutil.rmtree(staging, ignore_errors=True)
        return
    old = None
    if clone.exists():
        old = clone.with_name(f".{clone.name}.old-{os.getpid()}")
        os.replace(clone, old)
    try:
        os.replace(staging, clone)
    except OSError:  # another launch put its clone there first: use that one
        shutil.rmtree(staging, ignore_errors=True)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
