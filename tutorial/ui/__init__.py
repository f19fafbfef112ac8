"""The Textual app: the only package that imports Textual. A view over the engine, nothing more."""
