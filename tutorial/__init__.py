"""cncf-adventure: a guided, executable walk through a choose-your-own-adventure tutorial."""

__version__ = "0.1.0"
