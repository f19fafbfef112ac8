"""A secret a step made is never saved: after a resume, a step reading it is held back and says which step makes it."""

import textwrap

from tests.support.books import book, on_path
from tests.support.cli import run_cli

PAGE = textwrap.dedent(
    """
    # Chapter

    ```bash
    export API_TOKEN=$(printf '%s-%s' tok made-by-a-step)
    ```

    ```bash
    test -f ready.flag
    ```

    ```bash
    echo "calling with ${API_TOKEN:?}" > called.txt
    ```

    ```bash
    echo 'the words $API_TOKEN, not read' > quoted.txt
    ```
    """
)


def test_a_resumed_step_reading_a_secret_the_shell_lost_is_not_run(tmp_path):
    root, work = book(tmp_path, {"page.md": PAGE})
    first = run_cli("run", "page.md", "--manuscript", root, "--workdir", work, cwd=work)
    assert first.returncode == 1  # stopped at step 2: no flag yet
    assert "API_TOKEN" in (work / "settings.yaml").read_text()  # its name, as a secret
    (work / "ready.flag").touch()
    second = run_cli("run", "page.md", "--manuscript", root, "--workdir", work, "--resume", "--keep-going", cwd=work)
    assert second.returncode == 1, second.stdout + second.stderr
    assert "it reads $API_TOKEN, a secret this shell no longer has" in second.stdout
    assert "run page.md step 1 again first, which makes it (or give its value" in second.stdout
    assert not (work / "called.txt").exists()  # never run with the secret empty
    assert (work / "quoted.txt").read_text() == "the words $API_TOKEN, not read\n"  # single quotes read nothing


def test_a_step_reading_a_secret_the_shell_has_runs(tmp_path):
    root, work = book(tmp_path, {"page.md": PAGE})
    (work / "ready.flag").touch()
    result = run_cli("run", "page.md", "--manuscript", root, "--workdir", work, cwd=work)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (work / "called.txt").read_text() == "calling with tok-made-by-a-step\n"


LOADING_PAGE = textwrap.dedent(
    """
    # Loading

    ```bash
    eval $(teller env --config teller.yaml)
    ```

    ```bash
    test -f ready.flag
    ```

    ```bash
    echo "connecting to ${PRODUCTION_POSTGRESQL:?}" > called.txt
    ```
    """
)


def test_a_secret_loaded_from_a_secret_manager_names_the_step_that_loads_it(tmp_path):
    teller = "#!/bin/sh\nprintf '%s\\n' \"export PRODUCTION_POSTGRESQL='postgres://u:pw-9f3@db'\"\n"
    env = on_path(tmp_path, "teller", teller)
    root, work = book(tmp_path, {"loading.md": LOADING_PAGE})
    first = run_cli("run", "loading.md", "--manuscript", root, "--workdir", work, cwd=work, env=env)
    assert first.returncode == 1, first.stdout + first.stderr  # stopped at step 2
    (work / "ready.flag").touch()
    second = run_cli("run", "loading.md", "--manuscript", root, "--workdir", work, "--resume", cwd=work, env=env)
    assert second.returncode == 1, second.stdout + second.stderr
    assert "it reads $PRODUCTION_POSTGRESQL, a secret this shell no longer has" in second.stdout
    assert "run loading.md step 1 again first" in second.stdout
    assert not (work / "called.txt").exists()


def test_a_lost_secret_given_again_with_secret_stdin_reaches_the_step(tmp_path):
    root, work = book(tmp_path, {"page.md": PAGE})
    first = run_cli("run", "page.md", "--manuscript", root, "--workdir", work, cwd=work)
    assert first.returncode == 1  # stopped at step 2: no flag yet
    (work / "ready.flag").touch()
    second = run_cli(
        "run",
        "page.md",
        "--manuscript",
        root,
        "--workdir",
        work,
        "--resume",
        "--secret-stdin",
        "API_TOKEN",
        cwd=work,
        stdin="tok-given-again\n",
    )
    assert second.returncode == 0, second.stdout + second.stderr
    assert (work / "called.txt").read_text() == "calling with tok-given-again\n"
    assert "tok-given-again" not in (work / "settings.yaml").read_text()
