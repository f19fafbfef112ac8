"""The command line: --version, --help on every subcommand, exit statuses."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tutorial import __version__
from tutorial.cli import SUBCOMMANDS


def _run(*args):
    return subprocess.run([sys.executable, "-m", "tutorial", *args], capture_output=True, text=True)


def test_version():
    result = _run("--version")
    assert result.returncode == 0 and result.stdout.strip() == f"cncf-adventure {__version__}"


@pytest.mark.parametrize("command", [None, *SUBCOMMANDS])
def test_help(command):
    result = _run(*([command] if command else []), "--help")
    assert result.returncode == 0, result.stderr
    assert "usage: cncf-adventure" in result.stdout


def test_unknown_option_is_a_usage_error():
    result = _run("lint", "--no-such-option")
    assert result.returncode == 2 and "unrecognized arguments" in result.stderr


def test_start_must_name_a_page():
    result = _run("map", "--start", "nowhere.md")
    assert result.returncode == 2 and "nowhere.md" in result.stderr


@pytest.mark.parametrize("value", ["-1", "0", "nan", "inf", "soon"])
def test_a_timeout_must_be_a_number_of_seconds_above_zero(tmp_path, value):
    page = tmp_path / "page.md"
    page.write_text("# P\n\n```bash\ntouch ran\n```\n")
    result = subprocess.run(
        [sys.executable, "-m", "tutorial", "run", str(page), "--timeout", value],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert result.returncode == 2 and "not a number of seconds greater than 0" in result.stderr
    assert not (tmp_path / "ran").exists()


def test_reset_in_a_missing_work_directory_is_a_usage_error(tmp_path):
    result = _run("reset", "--workdir", str(tmp_path / "nowhere"))
    assert result.returncode == 2 and "no such work directory" in result.stderr


def test_help_of_a_subcommand_lists_its_own_options():
    result = _run("run", "--help")
    assert result.returncode == 0 and "--dry-run" in result.stdout and "--allow-terminal-steps" in result.stdout


@pytest.mark.parametrize("argv", [[], ["run", "page.md"], ["--start", "x.md"]])
def test_only_the_subcommand_named_is_loaded(argv):
    """Starting the app or `run` does not import every other command (and what they import)."""
    code = (
        "import sys; from tutorial import cli; cli.build_parser(sys.argv[1:]);"
        "print(' '.join(sorted(m for m in sys.modules if m.startswith('tutorial.commands.'))))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code, *argv], capture_output=True, text=True, check=True
    ).stdout.split()
    named = [f"tutorial.commands.{SUBCOMMANDS[a][0]}" for a in argv if a in SUBCOMMANDS]
    assert set(named) <= set(loaded)
    others = {f"tutorial.commands.{module}" for module, _ in SUBCOMMANDS.values()} - set(named)
    assert not others & set(loaded), others & set(loaded)


def test_a_manuscript_folder_does_not_load_the_clone_helper(tmp_path):
    """Only `--manuscript URL` needs git and the clone cache: a folder is used as it is."""
    code = (
        "import sys\n"
        "from tutorial import cli\n"
        f"words = ['run', 'page.md', '--manuscript', {str(tmp_path)!r}]\n"
        "args = cli.build_parser(words).parse_args(words)\n"
        "cli._clone_manuscript(args)\n"
        f"assert args.manuscript == {str(tmp_path)!r}\n"
        "print('tutorial.manuscript.remote' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_ctrl_c_while_the_command_loads_is_said_without_a_traceback(monkeypatch, capsys):
    """Ctrl+C before the command starts (its modules loading, its arguments read) ends it as Ctrl+C later does."""
    from tutorial import cli

    def interrupted(argv):
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "build_parser", interrupted)
    assert cli.main(["lint"]) == 130
    assert capsys.readouterr().err == "\ninterrupted\n"


def _leaving(script: str) -> subprocess.CompletedProcess[str]:
    prelude = "import atexit, sys, threading, time\nfrom tutorial.cli import leave_at_once\n"
    return subprocess.run([sys.executable, "-c", prelude + script], capture_output=True, text=True, timeout=30)


def test_leaving_at_once_keeps_the_status_the_output_and_the_exit_handlers():
    result = _leaving(
        "atexit.register(lambda: print('exit handler ran'))\n"
        "print('buffered, not yet written', end='')\n"
        "sys.stderr.write('to stderr')\n"
        "leave_at_once(3)\n"
        "print('never')\n"
    )
    assert result.returncode == 3
    assert result.stdout == "buffered, not yet writtenexit handler ran\n" and result.stderr == "to stderr"


def test_a_thread_still_working_makes_it_an_ordinary_exit_that_waits_for_it():
    result = _leaving(
        "threading.Thread(target=lambda: (time.sleep(0.3), print('the thread finished'))).start()\nleave_at_once(4)\n"
    )
    assert result.returncode == 4 and result.stdout == "the thread finished\n"


def test_a_profiler_makes_it_an_ordinary_exit_so_its_figures_are_written(tmp_path):
    program = tmp_path / "program.py"
    program.write_text("from tutorial.cli import leave_at_once\nleave_at_once(5)\n")
    report = tmp_path / "run.prof"
    result = subprocess.run(
        [sys.executable, "-m", "cProfile", "-o", str(report), str(program)],
        capture_output=True,
        text=True,
        timeout=30,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
    )
    # (cProfile takes the program's SystemExit as its end); left at once, its report was never written
    assert report.exists() and report.stat().st_size > 0, result.stderr


def test_run_leaves_at_once_with_everything_it_wrote_on_the_disk(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("# Page\n\n```bash\necho from the step\n```\n")
    result = _run("run", "--workdir", str(tmp_path), str(page))
    assert result.returncode == 0, result.stderr
    assert "from the step" in result.stdout and result.stdout.rstrip().endswith("1 passed, 0 failed, 0 skipped")
    assert "from the step" in (tmp_path / ".adventure" / "transcript.log").read_text()
    assert "from the step" in (tmp_path / ".adventure" / "journey.cast").read_text()
    assert "passed" in (tmp_path / "settings.yaml").read_text()


def test_a_failed_file_operation_is_told_in_words_a_reader_acts_on():
    import errno

    from tutorial.oserrors import described, reason

    assert reason(OSError(errno.ENOSPC, "No space left on device")) == "no space left on the device"
    assert reason(OSError(errno.EDQUOT, "Disk quota exceeded")) == "no space left on the device"
    assert reason(OSError(errno.EROFS, "Read-only file system")) == "the file system is read-only"
    assert reason(OSError(errno.EACCES, "Permission denied")).startswith("permission denied")
    assert described(OSError(errno.ENOSPC, "x", "/w/settings.yaml")) == "/w/settings.yaml: no space left on the device"
    assert described(OSError(errno.EIO, "Input/output error"), "/w/folder") == "/w/folder: Input/output error"


def test_a_run_loads_only_what_its_steps_need(tmp_path):
    """A chapter's run in a fresh work directory: no config reader (a clone's remotes), no sequence
    matcher (an edited step), no random numbers module (names are drawn from os.urandom)."""
    (tmp_path / "page.md").write_text("# P\n\n```bash\necho ran\n```\n")
    unwanted = ("configparser", "difflib", "secrets", "random")
    code = (
        "import atexit, sys\n"
        f"atexit.register(lambda: print('loaded:', *[m for m in {unwanted!r} if m in sys.modules], file=sys.stderr))\n"
        "from tutorial.cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, "run", "--workdir", str(tmp_path), "page.md"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "ran" in done.stdout
    assert done.stderr.strip().splitlines()[-1] == "loaded:", done.stderr
