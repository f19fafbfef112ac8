"""The app in a web browser (``cncf-adventure serve``), through textual-serve."""
