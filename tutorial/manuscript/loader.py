"""Find a manuscript, read every page, and work out where the adventure starts.

Discovery order: an explicit ``--manuscript DIR``; else ``./manuscript`` when the current
directory is a clone of the adventure's repository; else the adventure bundled with the
package. A manuscript may declare itself in ``adventure.yaml`` at its root::

    title: Ship It
    start: [setup.md]          # entry points, manuscript-relative
    repository: cncf-demo      # the GitHub repository its absolute links point into
    ends: [destroy/all.md]     # pages with no way on on purpose (``lint`` reports other dead ends)

Without ``start``, the entry points are the pages of its ``setup/`` folder, else the pages
no other page links to.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from tutorial.manuscript.links import LinkContext
from tutorial.manuscript.locate import CONFIG_FILE as CONFIG_FILE
from tutorial.manuscript.locate import MAX_CONFIG_BYTES as MAX_CONFIG_BYTES
from tutorial.manuscript.locate import MAX_PAGE_BYTES as MAX_PAGE_BYTES
from tutorial.manuscript.locate import Config as Config
from tutorial.manuscript.locate import ManuscriptError as ManuscriptError
from tutorial.manuscript.locate import NotAPage as _NotAPage
from tutorial.manuscript.locate import bundled_root as bundled_root
from tutorial.manuscript.locate import discover as discover
from tutorial.manuscript.locate import manuscript_title, read_page
from tutorial.manuscript.locate import read_config as read_config
from tutorial.manuscript.model import LinkKind, Manuscript, Page, Problem
from tutorial.manuscript.page_rules import carry_rules

_SKIP_DIRS = frozenset({"node_modules", "vendor", "__pycache__", "venv", ".venv"})
_REMOTE = re.compile(r"[:/](?P<repo>[^/:]+?)(?:\.git)?/?$")


def _git_repositories(repo_root: Path) -> set[str]:
    """Repository names of the clone's remotes (a fork keeps the upstream's name)."""
    config = repo_root / ".git" / "config"
    if not config.is_file():
        return set()
    import configparser  # (only for a clone's remotes)

    parser = configparser.ConfigParser(strict=False, interpolation=None)
    try:
        parser.read(config, encoding="utf-8")
    except (configparser.Error, UnicodeDecodeError):
        return set()
    names = set()
    for section in parser.sections():
        url = parser.get(section, "url", fallback="")
        match = _REMOTE.search(url) if section.startswith("remote") else None
        if match:
            names.add(match.group("repo").lower())
    return names


def _page_files(root: Path) -> list[str]:
    found = []
    for directory, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d not in _SKIP_DIRS)
        relative = os.path.relpath(directory, root)
        for name in files:
            if name.lower().endswith((".md", ".markdown")):
                found.append(name if relative == "." else f"{relative}/{name}".replace(os.sep, "/"))
    return sorted(found)


def _read(root: Path, path: str) -> tuple[str, list[Problem]]:
    """A page's text; _NotAPage for anything that is not a regular file inside ``root``, links resolved."""
    raw = read_page(root, path)
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        message = (
            f"the file is not UTF-8 (byte 0x{raw[error.start]:02x} at offset {error.start}); shown with replacements"
        )
        return raw.decode("utf-8", errors="replace"), [Problem(path, line, "not-utf8", message)]


def entry_points(pages: dict[str, Page], declared: Iterable[str] = ()) -> list[str]:
    """Declared start pages, else the ``setup/`` folder's pages, else pages nothing links to."""
    chosen = [p for p in declared if p in pages]
    if chosen:
        return chosen
    setup = [p for p in pages if p.startswith("setup/") and p.count("/") == 1]
    if setup:
        return setup
    linked = {
        link.target
        for page in pages.values()
        for link in page.links
        if link.kind is LinkKind.PAGE and link.target != page.path
    }
    return [p for p in pages if p not in linked]


def load(root: Path, *, bundled: bool = False, start: Iterable[str] = (), only: Iterable[str] = ()) -> Manuscript:
    """Read and parse every page under ``root`` (or just the pages ``only`` names).

    ``only`` is for a Markdown file run from an arbitrary folder (``run ~/Downloads/x.md``):
    that folder is not a manuscript worth walking, so nothing else in it is read.
    """
    root = root.resolve()
    if not root.is_dir():
        raise ManuscriptError(f"{root}: no such manuscript folder")
    config = read_config(root)
    files = sorted(set(only)) if only else _page_files(root)
    repos = {r.split("/")[-1].lower() for r in config.repositories} | _git_repositories(root.parent)
    ctx = LinkContext(root, root.name, frozenset(repos), frozenset(files))
    from tutorial.manuscript.parser import parse_page  # markdown-it and the shell analyser: only when loading

    pages: dict[str, Page] = {}
    problems: list[Problem] = []
    for path in files:
        try:
            text, read_problems = _read(root, path)
        except _NotAPage as error:
            problems.append(Problem(path, 1, error.kind, str(error)))
            continue
        except OSError as error:
            problems.append(Problem(path, 1, "unreadable", f"cannot read the page: {error.strerror or error}"))
            continue
        page = parse_page(path, text, ctx)
        if read_problems:
            page = replace(page, problems=tuple(read_problems) + page.problems)
        pages[path] = page
    requested = list(start)
    for path in requested or config.start:
        if path not in pages:
            origin = "--start" if requested else f"{CONFIG_FILE} 'start'"
            problems.append(Problem(path, 1, "broken-link", f"{origin} names a page that does not exist"))
    for path in config.ends:
        if path not in pages:
            problems.append(Problem(path, 1, "broken-link", f"{CONFIG_FILE} 'ends' names a page that does not exist"))
    title = manuscript_title(root, config)
    pages = carry_rules(pages)  # "not for you if ..." on a page shows on the options leading to it
    manuscript = Manuscript(
        root, pages, entry_points(pages, requested or config.start), title, bundled, problems, frozenset(config.ends)
    )
    if not pages:
        problems.append(Problem(".", 1, "empty-manuscript", f"no Markdown pages under {root}"))
    return manuscript


def open_manuscript(
    explicit: str | os.PathLike[str] | None = None, *, start: Iterable[str] = (), cwd: Path | None = None
) -> Manuscript:
    """Discover and load in one call: what every command does first."""
    root, bundled = discover(explicit, cwd)
    return load(root, bundled=bundled, start=start)
