"""Allow ``python -m tutorial`` as well as the ``cncf-adventure`` console script."""

from tutorial.cli import program

program()
