"""A reader's edit of a step: the values still go where the placeholders are, in a real bash."""

import textwrap

import pytest

from tutorial.engine.journey import Journey, JourneyOptions, MissingValues
from tutorial.engine.results import StepStatus
from tutorial.manuscript.loader import load

PAGE = """
# Registry

```bash
# Replace `[...]` with your Docker Hub user name
export DOCKERHUB_USERNAME=[...]
echo "user is $DOCKERHUB_USERNAME"
```

```bash
# Replace `[...]` with the path to the file to show
cat [...]
```
"""


@pytest.fixture
def journey(tmp_path):
    root = tmp_path / "manuscript"
    root.mkdir()
    (root / "registry.md").write_text(textwrap.dedent(PAGE).lstrip())
    work = tmp_path / "work"
    work.mkdir()
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "DOCKERHUB_USERNAME": "from-env"}
    running = Journey(load(root), work, JourneyOptions(variables={"DOCKERHUB_USERNAME": "alice"}, env=env))
    try:
        yield running
    finally:
        running.close()


def test_a_line_added_above_leaves_the_value_on_its_placeholder(journey):
    step = journey.manuscript.page("registry.md").steps[0]
    edited = "echo added above\n" + step.code
    outcome = journey.run_step(step, code=edited)
    assert outcome.status is StepStatus.PASSED, outcome.message
    assert "user is alice" in outcome.output_tail
    assert outcome.code.splitlines()[1] == "# Replace `[...]` with your Docker Hub user name"
    assert outcome.code.splitlines()[2] == "export DOCKERHUB_USERNAME=alice"


def test_a_placeholder_the_edit_added_fails_the_step_without_running_it(journey):
    step = journey.manuscript.page("registry.md").steps[0]
    outcome = journey.run_step(step, code="touch ran\n" + step.code + "\necho [...]")
    assert outcome.status is StepStatus.FAILED
    assert outcome.message.startswith("not run: line 5 of the step has a `[...]`")
    assert not (journey.workdir / "ran").exists()


def test_an_inline_placeholder_is_asked_even_when_the_environment_has_its_name(journey):
    journey.options.env = {**(journey.options.env or {}), "FILE_PATH": "/etc/hostname", "PATH": "/usr/bin:/bin"}
    step = journey.manuscript.page("registry.md").steps[1]
    assert [p.name for p in step.placeholders] == ["@FILE_PATH"]
    with pytest.raises(MissingValues) as raised:
        journey.run_step(step)
    assert [m.name for m in raised.value.missing] == ["@FILE_PATH"]
    (journey.workdir / "shown.txt").write_text("shown\n")
    journey.options.variables["@FILE_PATH"] = "shown.txt"
    outcome = journey.run_step(step)
    assert outcome.status is StepStatus.PASSED and "shown" in outcome.output_tail
    assert "@FILE_PATH" not in journey.progress.state.variables  # asked again next time, never reused elsewhere


def test_a_reference_to_a_variable_the_step_sets_itself_is_left_to_the_step(journey, tmp_path):
    root = tmp_path / "manuscript"
    (root / "same.md").write_text(
        "# Same\n\n```bash\nexport HOST=10.0.0.9\n# Replace `[...]` with the domain\n"
        'export DOMAIN=[...]\necho "domain $DOMAIN"\n```\n'
    )
    step = load(root).page("same.md").steps[0]
    journey.options.variables["DOMAIN"] = "${HOST}.nip.io"
    outcome = journey.run_step(step)
    assert outcome.status is StepStatus.PASSED, outcome.message
    assert "domain 10.0.0.9.nip.io" in outcome.output_tail
