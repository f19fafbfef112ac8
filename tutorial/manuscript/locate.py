"""Where the manuscript is, what it declares about itself, and how its files are read safely.

Kept apart from the loader (which parses every page) because the app reads the page it opens
on before anything else: finding the folder, its ``adventure.yaml`` and one page must not wait
for the manuscript parser and the shell analyser to be imported.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from tutorial.records import record

CONFIG_FILE = "adventure.yaml"
MAX_PAGE_BYTES = 5 * 1024 * 1024  # a page bigger than this is a lint problem, not minutes of parsing
MAX_CONFIG_BYTES = 1024 * 1024


class ManuscriptError(Exception):
    """The manuscript cannot be read at all (missing folder, unreadable config)."""


@record(frozen=True)
class Config:
    """What a manuscript's ``adventure.yaml`` says of it: its title, where it starts, its repositories, its ends."""

    title: str = ""
    start: tuple[str, ...] = ()
    repositories: tuple[str, ...] = ()
    ends: tuple[str, ...] = ()


_SCHEMES = ("https://", "http://", "ssh://", "git://", "file://")
_SCP_LIKE = re.compile(r"^[\w.-]+@[\w.-]+:(?!//)\S+$")  # git@github.com:owner/repo.git


def is_remote(spec: str) -> bool:
    """Whether ``--manuscript`` names a git repository rather than a folder (the clone helper loads only then)."""
    return spec.startswith(_SCHEMES) or bool(_SCP_LIKE.match(spec))


def bundled_root() -> Path:
    """The adventure shipped with the package (installed wheel, or a source checkout)."""
    here = Path(__file__).resolve().parent.parent
    installed = here / "_bundled" / "chapters"
    if installed.is_dir():
        return installed
    return here.parent / "chapters"


def discover(explicit: str | os.PathLike[str] | None = None, cwd: Path | None = None) -> tuple[Path, bool]:
    """The manuscript folder to use, and whether it is the bundled one."""
    if explicit is not None:
        root = Path(explicit).expanduser()
        if not root.is_dir():
            raise ManuscriptError(f"{root}: no such manuscript folder")
        return root.resolve(), False
    here = cwd or Path.cwd()
    local = here / "manuscript"
    if local.is_dir() and any(local.glob("**/*.md")):
        return local.resolve(), False
    return bundled_root(), True


def read_config(root: Path) -> Config:
    path = root / CONFIG_FILE
    if not path.is_file():
        return Config()
    import yaml  # only manuscripts that declare a config pay for the import

    from tutorial import safeyaml

    try:
        raw = read_bounded(path, MAX_CONFIG_BYTES)
        data, node = safeyaml.load_with_node(raw.decode("utf-8"))
    except NotAPage as error:
        raise ManuscriptError(f"{path}: cannot read the manuscript's config: {error}") from error
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        line = safeyaml.problem_line(error) if isinstance(error, yaml.YAMLError) else None
        where = f":{line}" if line is not None else ""
        raise ManuscriptError(f"{path}{where}: cannot read the manuscript's config: {error}") from error
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ManuscriptError(f"{path}:1: the manuscript's config must be a mapping of keys to values")

    def texts(key: str) -> tuple[str, ...]:
        value = data.get(key)
        if value is None:
            return ()
        if isinstance(value, str):
            return (value,)
        if isinstance(value, list) and all(isinstance(item, str) for item in value):
            return tuple(value)
        line = safeyaml.line_of(node, (key,)) or 1
        raise ManuscriptError(f"{path}:{line}: '{key}' must be a name or a list of names, not {value!r:.60}")

    title = data.get("title", "")
    if title is not None and not isinstance(title, str | int | float):
        line = safeyaml.line_of(node, ("title",)) or 1
        raise ManuscriptError(f"{path}:{line}: 'title' must be text, not {title!r:.60}")
    return Config(str(title or ""), texts("start"), texts("repository"), texts("ends"))


class NotAPage(Exception):
    """A path that must not be read as a page (not a regular file, outside the manuscript, too big)."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


def read_bounded(path: str | os.PathLike[str], limit: int) -> bytes:
    """A regular file's bytes, at most ``limit`` of them: a FIFO, a device or a huge file is refused.

    Opened without blocking (a FIFO would wait for a writer forever) and checked on the open
    descriptor, so the file cannot be swapped for something else between the check and the read.
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotAPage("not-a-file", f"not a regular file ({_file_type(info.st_mode)}): not read")
        if info.st_size > limit:
            raise NotAPage("too-large", f"{info.st_size:,} bytes, over the limit of {limit:,}: not read")
        with os.fdopen(os.dup(fd), "rb") as stream:
            raw = stream.read(limit + 1)
    finally:
        os.close(fd)
    if len(raw) > limit:  # it grew while we read it
        raise NotAPage("too-large", f"over the limit of {limit:,} bytes: not read")
    return raw


def read_page(root: Path, path: str) -> bytes:
    """The bytes of the page at ``path`` of the manuscript at ``root``; NotAPage for a file that must not be read.

    A link out of the manuscript folder, a FIFO, a device or a page over the size limit is
    refused (see :func:`read_bounded`).
    """
    real = os.path.realpath(os.path.join(root, path))
    if os.path.commonpath([real, str(root)]) != str(root):
        raise NotAPage("outside-manuscript", f"a link to {real}, outside the manuscript folder: not read")
    return read_bounded(real, MAX_PAGE_BYTES)


def manuscript_title(root: Path, config: Config) -> str:
    """The title ``adventure.yaml`` gives, or the name of the repository (or folder) holding the pages."""
    return config.title or (root.parent.name if root.name == "manuscript" else root.name)


def _file_type(mode: int) -> str:
    for test, name in (
        (stat.S_ISFIFO, "a named pipe"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISDIR, "a directory"),
    ):
        if test(mode):
            return name
    return "not a file"
