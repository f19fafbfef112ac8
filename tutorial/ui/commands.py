"""Command palette entries: every page of the manuscript, and the actions of the app."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider


class PagesProvider(Provider):
    """Jump to any page by its title."""

    def _pages(self) -> list[tuple[str, str]]:
        manuscript = self.app.manuscript  # type: ignore[attr-defined]
        return [(page.title, path) for path, page in manuscript.pages.items()]

    async def discover(self) -> Hits:
        for title, path in self._pages()[:20]:
            yield DiscoveryHit(f"Open {title}", partial(self.app.jump, path), help=path)  # type: ignore[attr-defined]

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, path in self._pages():
            shown = f"Open {title}"  # found by the text it shows, as well as by its title or path
            score = max(matcher.match(shown), matcher.match(title), matcher.match(path))
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(shown),
                    partial(self.app.jump, path),  # type: ignore
                    help=path,
                )


class ActionsProvider(Provider):
    """The actions of the screen at hand, by name."""

    ACTIONS = [
        ("Run the focused step", "run"),
        ("Run the rest of the section", "run_all"),
        ("Skip the focused step", "skip"),
        ("Edit the focused step", "edit"),
        ("Run the focused step in my terminal", "terminal"),
        ("Run the focused step here, even if it needs a terminal", "run_here"),
        ("Mark the failed step as done", "override"),
        ("Interrupt the running step", "interrupt"),
        ("Go to the next chapter", "next"),
    ]

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        screen = self.screen
        for name, action in [
            *self.ACTIONS,
            ("Open the map", "app.map"),
            ("Say what holds for you (EKS, nip.io, …)", "app.assumptions"),
            ("Values: see, change or forget what the steps use", "app.values"),
            ("Help", "app.help"),
        ]:
            target = action.removeprefix("app.")
            owner = self.app if action.startswith("app.") else screen
            if not hasattr(owner, f"action_{target}"):
                continue
            score = matcher.match(name)
            if score > 0:
                yield Hit(
                    score, matcher.highlight(name), partial(self.app.call_later, getattr(owner, f"action_{target}"))
                )
