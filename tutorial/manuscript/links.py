"""Resolve a link as GitHub would render it, relative to the manuscript.

Manuscripts link three ways to their own pages: relative to the page (``../registry/README.md``),
rooted at the repository (``/manuscript/registry/README.md``), and as absolute GitHub URLs
(``https://github.com/vfarcic/cncf-demo/blob/main/manuscript/...``). Readers follow all three
the same way, so we resolve all three to the same manuscript-relative page path.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import field
from pathlib import Path
from urllib.parse import unquote

from tutorial.manuscript.model import LinkKind
from tutorial.records import record

_GITHUB = re.compile(
    r"^https?://(?:www\.)?github\.com/(?P<owner>[^/]+)/(?P<repo>[^/]+)/(?:blob|tree)/[^/]+/(?P<path>.*)$"
)
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


@record(frozen=True)
class LinkContext:
    """What a resolver needs to know about the manuscript; built once per load."""

    root: Path  # the manuscript folder, absolute
    folder: str  # its name inside the repository ("manuscript")
    repositories: frozenset[str]  # lower-case repository names this manuscript is published as
    pages: frozenset[str]  # manuscript-relative paths of every page
    #: (href, page folder) -> resolution; manuscripts repeat the same links on page after page
    cache: dict[tuple[str, str], Resolved] = field(default_factory=dict, compare=False, hash=False)


@record(frozen=True)
class Resolved:
    """Where a link of a page leads (another page, a file, a URL, an anchor) and whether it is there."""

    kind: LinkKind
    target: str
    exists: bool


def resolve(href: str, page: str, ctx: LinkContext) -> Resolved:
    """Resolve ``href`` found on ``page`` (a manuscript-relative path)."""
    found = ctx.cache.get((href, ""))  # URLs and anchors resolve the same from every page
    if found is not None:
        return found
    key = (href, page.rpartition("/")[0])
    found = ctx.cache.get(key)
    if found is None:
        found = _resolve(href.strip(), page, ctx)
        ctx.cache[(href, "") if found.kind in (LinkKind.EXTERNAL, LinkKind.ANCHOR) else key] = found
    return found


def _resolve(href: str, page: str, ctx: LinkContext) -> Resolved:
    if href.startswith("#"):
        return Resolved(LinkKind.ANCHOR, href[1:], True)
    github = _GITHUB.match(href)
    if github and _same_repository(github.group("repo"), github.group("path"), ctx):
        href = "/" + github.group("path")
    elif _SCHEME.match(href) or href.startswith("//"):
        return Resolved(LinkKind.EXTERNAL, href, True)
    path = unquote(href.split("#", 1)[0].split("?", 1)[0])
    if not path:
        return Resolved(LinkKind.ANCHOR, href.partition("#")[2], True)
    if path.startswith("/"):
        # repository-rooted: the repository root is the manuscript folder's parent
        joined = posixpath.normpath(path.lstrip("/"))
        prefix = ctx.folder + "/"
        inside = joined.startswith(prefix) or joined == ctx.folder
        relative = joined[len(prefix) :] if joined.startswith(prefix) else ("" if inside else None)
        base = ctx.root.parent
    else:
        joined = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
        inside = not (joined == ".." or joined.startswith("../"))
        relative = "" if joined == "." else joined if inside else None
        base = ctx.root
    if relative is not None:
        if relative in ctx.pages:
            return Resolved(LinkKind.PAGE, relative, True)
        readme = posixpath.join(relative, "README.md") if relative else "README.md"
        if readme in ctx.pages:  # GitHub shows a folder's README for a folder link
            return Resolved(LinkKind.PAGE, readme, True)
        if relative.lower().endswith(".md"):
            return Resolved(LinkKind.PAGE, relative, False)
    absolute = base / joined
    return Resolved(LinkKind.FILE, str(absolute), absolute.exists())


def _same_repository(repo: str, path: str, ctx: LinkContext) -> bool:
    """Whether a GitHub URL points into this manuscript (any fork of the same repository)."""
    if not (path == ctx.folder or path.startswith(ctx.folder + "/")):
        return False
    if not ctx.repositories:
        return True
    return repo.lower().removesuffix(".git") in ctx.repositories
