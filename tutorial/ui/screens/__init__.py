"""The app's screens: start, chapter, choice, map, help, and the dialogs."""
