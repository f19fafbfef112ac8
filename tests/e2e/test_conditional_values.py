"""A step reading a variable only skipped conditional steps set is held back, never run with it empty."""

import textwrap

from tests.support.books import book
from tests.support.cli import run_cli

PAGE = textwrap.dedent(
    """
    # OpenFGA With Helm

    ```bash
    # Execute only if using Argo CD
    export VALUES_PATH=.spec.source.helm.valuesObject

    # Execute only if using Flux
    export VALUES_PATH=.spec.values

    echo "$VALUES_PATH.ingress.host" > written.txt
    ```
    """
)


def test_a_step_reading_what_only_skipped_steps_set_is_not_run(tmp_path):
    root, work = book(tmp_path, {"page.md": PAGE})
    result = run_cli("run", "page.md", "--manuscript", root, "--workdir", work, cwd=work)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "it reads $VALUES_PATH, which only steps 1, 2 of this page set" in result.stdout
    assert "only if Argo CD; only if Flux" in result.stdout
    assert not (work / "written.txt").exists()  # never `.ingress.host` at the top of the file


def test_the_step_runs_once_the_reader_said_what_holds(tmp_path):
    root, work = book(tmp_path, {"page.md": PAGE})
    result = run_cli("run", "page.md", "--manuscript", root, "--workdir", work, "--assume", "Flux", cwd=work)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (work / "written.txt").read_text() == ".spec.values.ingress.host\n"


def test_a_variable_set_but_empty_holds_the_step_back_and_says_it_is_empty(tmp_path):
    root, work = book(tmp_path, {"page.md": PAGE})
    result = run_cli("run", "page.md", "--manuscript", root, "--workdir", work, env={"VALUES_PATH": ""}, cwd=work)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "it reads $VALUES_PATH, which only steps 1, 2 of this page set" in result.stdout
    assert "it is empty in the shell" in result.stdout and "does not have it" not in result.stdout
    assert not (work / "written.txt").exists()
