"""The key bar at the bottom of a screen, rebuilt only when the keys it shows change."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import Footer

if TYPE_CHECKING:
    from textual.app import ComposeResult
    from textual.screen import Screen

#: each active binding: its key, action, words, whether shown, whether enabled, tooltip, group
_Keys = tuple[tuple[str, str, str, bool, bool, str, str], ...]


class SteadyFooter(Footer):
    """Textual's footer, without rebuilding it when nothing it shows has changed.

    Textual's footer mounts one widget per key again whenever its screen announces its
    bindings, and a screen does so each time it is shown again: closing the help, the map or a
    question over a chapter rebuilt the chapter's nine keys, styles and all, on the main thread
    just after the page's frame was handed to the thread that writes it to the terminal, which
    then waited for the main thread (5 to 10 ms, measured). The keys are compared with those of
    the last build, and only a change rebuilds them. (``Footer._bindings_ready`` is Textual's:
    the version is pinned in pyproject.toml.)
    """

    _built: _Keys | None = None  # the keys of the last build

    def compose(self) -> ComposeResult:
        self._built = self._keys() if self._bindings_ready else None
        yield from super().compose()

    def bindings_changed(self, screen: Screen[object]) -> None:
        if self._built is not None and self.is_attached and screen is self.screen and self._keys() == self._built:
            return
        super().bindings_changed(screen)

    def _keys(self) -> _Keys:
        return tuple(
            (
                binding.key,
                binding.action,
                binding.description,
                binding.show,
                enabled,
                tooltip,
                binding.group.description if binding.group is not None else "",
            )
            for _, binding, enabled, tooltip in self.screen.active_bindings.values()
        )
