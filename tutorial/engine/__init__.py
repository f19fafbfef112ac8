"""The journey engine: the one place that decides what happens when a step runs.

The headless ``run`` command and the TUI are two views of it, so a fix made for one is a
fix for both. Nothing here imports Textual.
"""
