"""Values for placeholders: what expands, where a value goes (after an edit too), what is still missing."""

import subprocess

import pytest

from tutorial.engine.variables import (
    UnfilledPlaceholder,
    UnusableValue,
    fill,
    missing,
    references,
    written,
)
from tutorial.manuscript.placeholders import locate

CONTEXTS = ["", '"', "'", "heredoc"]


def _step(write_manuscript, code: str):
    m = write_manuscript({"a.md": "# A\n\n```bash\n" + code + "\n```\n"})
    (step,) = m.page("a.md").steps
    return step


def _shell(script: str, env: dict[str, str] | None = None) -> str:
    """What a real bash prints for ``script`` (run in a fresh, empty folder by the caller)."""
    return subprocess.run(
        ["bash", "--norc", "--noprofile", "-c", script],
        capture_output=True,
        text=True,
        check=True,
        env={"PATH": "/usr/bin:/bin", **(env or {})},
    ).stdout


def _wrap(value: str, context: str) -> str:
    """A line that prints the value written for ``context``, as a step would use it."""
    text = written(value, context)
    if context == '"':
        return f'printf "%s\\n" "{text}"'
    if context == "'":
        return f"printf '%s\\n' '{text}'"
    if context == "heredoc":
        return f"cat <<EOF\n{text}\nEOF"
    return f"printf '%s\\n' {text}"


@pytest.mark.parametrize("context", CONTEXTS)
def test_a_variable_reference_expands_where_the_placeholder_is(context, tmp_path):
    script = _wrap("$INGRESS_HOST.nip.io", context)
    assert _shell(f"cd {tmp_path}; {script}", {"INGRESS_HOST": "10.1.2.3"}) == "10.1.2.3.nip.io\n"
    braced = _wrap("app-${INGRESS_HOST}x", context)
    assert _shell(f"cd {tmp_path}; {braced}", {"INGRESS_HOST": "h"}) == "app-hx\n"


@pytest.mark.parametrize("context", CONTEXTS)
@pytest.mark.parametrize(
    "value",
    ["x; touch pwned", "$(touch pwned)", "`touch pwned`", "* ?", "$((1+1)) $1 $$ ${#X} ${X:-d}", "a'b\"c\\d", ""],
)
def test_nothing_else_in_a_value_expands_or_runs(context, value, tmp_path):
    if context == "heredoc" and "\n" in value:
        pytest.skip("a heredoc value cannot span lines")
    (tmp_path / "file").write_text("")  # a glob would find it
    printed = _shell(f"cd {tmp_path}; {_wrap(value, context)}", {"X": "xx", "INGRESS_HOST": "h"})
    assert printed == value + "\n"
    assert not (tmp_path / "pwned").exists()


def test_a_backslash_dollar_is_a_dollar(tmp_path):
    assert _shell(_wrap("cost \\$HOME", ""), {"HOME": "/nowhere"}) == "cost $HOME\n"


def test_references_lists_each_variable_once():
    assert references("$A.${B}-$A $(c) \\$D $1") == ["A", "B"]


def test_a_reference_cannot_go_into_a_quoted_heredoc():
    with pytest.raises(UnusableValue, match=r"\$HOST cannot expand inside a quoted heredoc"):
        written("$HOST.nip.io", "heredoc-literal")
    assert written("plain $(x)", "heredoc-literal") == "plain $(x)"


# -- where the value goes -----------------------------------------------------------------------

STEP = "# Replace `[...]` with your Docker Hub user\nexport DOCKERHUB_USERNAME=[...]\necho done"


def test_the_value_follows_its_placeholder_after_an_edit(write_manuscript):
    step = _step(write_manuscript, STEP)
    edited = "echo a line added above\n" + step.code
    filled = fill(step, {"DOCKERHUB_USERNAME": "alice"}, edited)
    assert filled.splitlines() == [
        "echo a line added above",
        "# Replace `[...]` with your Docker Hub user",  # the comment is left alone
        "export DOCKERHUB_USERNAME=alice",
        "echo done",
    ]


def test_an_edit_that_moves_the_placeholder_into_quotes_quotes_for_there(write_manuscript):
    step = _step(write_manuscript, STEP)
    filled = fill(step, {"DOCKERHUB_USERNAME": 'a"b'}, 'export DOCKERHUB_USERNAME="x-[...]"')
    assert filled == 'export DOCKERHUB_USERNAME="x-a\\"b"'


def test_placeholders_are_matched_by_name_then_order(write_manuscript):
    step = _step(
        write_manuscript,
        "# Replace `[...]` with your user\nexport USER_NAME=[...]\n# Replace `[...]` with your region\n"
        "gcloud config set --region [...]",
    )
    edited = "gcloud config set --region [...] --verbosity debug\nexport USER_NAME=[...]"
    filled = fill(step, {"USER_NAME": "u", "@REGION": "r"}, edited)
    assert filled == "gcloud config set --region r --verbosity debug\nexport USER_NAME=u"


def test_a_placeholder_added_by_an_edit_never_runs(write_manuscript):
    step = _step(write_manuscript, STEP)
    with pytest.raises(UnfilledPlaceholder, match="line 4 of the step"):
        fill(step, {"DOCKERHUB_USERNAME": "alice"}, step.code + "\necho [...]")


def test_locate_sees_no_placeholder_in_a_comment(write_manuscript):
    step = _step(write_manuscript, STEP)
    spots = locate("# export DOCKERHUB_USERNAME=[...]\nexport DOCKERHUB_USERNAME=[...]", step.placeholders)
    assert [(s.line, s.placeholder.name if s.placeholder else None) for s in spots] == [(1, "DOCKERHUB_USERNAME")]


def test_a_value_taken_as_it_is_does_not_expand(write_manuscript):
    step = _step(write_manuscript, STEP)
    assert fill(step, {"DOCKERHUB_USERNAME": "$HOME"}, literal={"DOCKERHUB_USERNAME"}).splitlines()[1] == (
        "export DOCKERHUB_USERNAME='$HOME'"
    )
    assert fill(step, {"DOCKERHUB_USERNAME": "$HOME"}).splitlines()[1] == 'export DOCKERHUB_USERNAME="${HOME}"'


# -- what is missing -----------------------------------------------------------------------------


def test_the_environment_answers_only_a_variable_the_block_assigns(write_manuscript):
    step = _step(
        write_manuscript,
        "# Replace `[...]` with your user\nexport DOCKERHUB_USERNAME=[...]\n"
        "# Replace `[...]` with the path to your credentials file\ncat [...]",
    )
    env = {"DOCKERHUB_USERNAME": "from-env", "PATH": "/usr/bin", "CREDENTIALS_PATH": "/tmp/x"}
    assert [m.name for m in missing([step], [{}], env)] == ["@CREDENTIALS_FILE_PATH"]
    assert missing([step], [{"@CREDENTIALS_FILE_PATH": "/k.json"}], env) == []


def test_a_renamed_variable_never_takes_the_old_ones_value(write_manuscript):
    step = _step(write_manuscript, "# Replace `[...]` with your token\nexport GITHUB_TOKEN=[...]")
    with pytest.raises(UnfilledPlaceholder):
        fill(step, {"GITHUB_TOKEN": "secret"}, "export GITHUB_USER=[...]")
    spots = locate("export GITHUB_USER=[...]", step.placeholders)
    assert [s.placeholder for s in spots] == [None]
