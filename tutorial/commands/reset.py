"""``cncf-adventure reset``: forget the saved progress, keep everything else in settings.yaml.

Only the ``adventure:`` key is removed; what the chapters' scripts wrote stays. The previous
file is kept as settings.yaml.bak.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from tutorial.cli import add_workdir_option
from tutorial.commands.common import fail
from tutorial.commands.workspace import choose


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_workdir_option(parser, suppress=False)


def execute(args: argparse.Namespace) -> int:
    from tutorial.progress.settings import KEY, SettingsError, SettingsFile
    from tutorial.progress.worklock import WorkdirBusy, WorkdirLock

    workdir = choose(args.workdir, Path.cwd(), Path.home())  # nothing to create to forget
    if args.workdir and not workdir.is_dir():  # "nothing to reset" would hide a mistyped path
        return fail(f"{workdir}: no such work directory")
    settings = SettingsFile(workdir)
    try:
        if not settings.path.exists() or KEY not in settings.read():
            print(f"No saved progress in {settings.path}: nothing to reset.")
            return 0
        with WorkdirLock(workdir):  # a journey running here would write its progress straight back
            settings.update_section(lambda _current: None)
    except (SettingsError, WorkdirBusy) as error:
        return fail(str(error))
    print(
        f"Progress forgotten. The rest of {settings.path} is untouched; the previous version is in "
        f"{settings.backup.name}."
    )
    return 0
