"""A variable a later page asks for again, with another question, is asked again, never reused."""

from __future__ import annotations

import pytest

from tutorial.engine.journey import Journey, JourneyOptions, MissingValues
from tutorial.engine.results import StepStatus

PAGES = {
    "dev.md": """
    # Dev

    ```bash
    export HOST_A=10.0.0.1
    # Replace `[...]` with the domain (e.g., example.com).
    # If you do not have a domain, replace `[...]` with `$HOST_A.nip.io`.
    export DOMAIN=[...]
    # Replace `[...]` with your email.
    export EMAIL=[...]
    ```
    """,
    "prod.md": """
    # Production

    ```bash
    export HOST_B=10.0.0.2
    # Replace `[...]` with the domain (e.g., example.com).
    # If you do not have a domain, replace `[...]` with `$HOST_B.nip.io`.
    export DOMAIN=[...]
    # Replace `[...]` with your email
    export EMAIL=[...]
    echo "host=gitops.$DOMAIN mail=$EMAIL"
    ```
    """,
}


@pytest.fixture
def pages(write_manuscript, tmp_path):
    work = tmp_path / "work"
    work.mkdir()
    return write_manuscript(PAGES), work


def test_the_answer_to_another_question_is_not_reused(pages):
    m, work = pages
    (dev,) = m.page("dev.md").steps
    (prod,) = m.page("prod.md").steps
    journey = Journey(m, work, JourneyOptions(env={"PATH": "/usr/bin:/bin"}))
    try:
        with pytest.raises(MissingValues):
            journey.run_step(dev)
        journey.options.variables.update({"DOMAIN": "$HOST_A.nip.io", "EMAIL": "me@example.com"})  # the app's dialog
        assert journey.run_step(dev).status is StepStatus.PASSED
        # the production page asks for DOMAIN with another question: the dev answer is not its answer
        with pytest.raises(MissingValues) as asked:
            journey.run_step(prod)
        assert [m.name for m in asked.value.missing] == ["DOMAIN"]  # EMAIL: the same question, answered
        journey.options.variables["DOMAIN"] = "$HOST_B.nip.io"
        outcome = journey.run_step(prod)
        assert outcome.status is StepStatus.PASSED
        assert "host=gitops.10.0.0.2.nip.io mail=me@example.com" in outcome.output_tail
    finally:
        journey.close()

    relaunched = Journey(m, work, JourneyOptions(env={"PATH": "/usr/bin:/bin"}))
    try:  # a saved DOMAIN cannot tell which question it answered: asked again
        assert [v.name for v in relaunched.missing_values([prod])] == ["DOMAIN"]
    finally:
        relaunched.close()


def test_a_value_given_for_the_run_answers_every_question(pages):
    m, work = pages
    steps = [*m.page("dev.md").steps, *m.page("prod.md").steps]
    options = JourneyOptions(env={"PATH": "/usr/bin:/bin"}, variables={"DOMAIN": "example.com", "EMAIL": "a@b.c"})
    journey = Journey(m, work, options)
    try:
        assert journey.missing_values(steps) == []
        assert all(journey.run_step(step).status is StepStatus.PASSED for step in steps)
    finally:
        journey.close()


def test_the_environment_does_not_answer_a_question_asked_in_several_ways(pages):
    m, work = pages
    journey = Journey(m, work, JourneyOptions(env={"PATH": "/usr/bin:/bin", "DOMAIN": "x.example", "EMAIL": "e@x"}))
    try:
        assert [v.name for v in journey.missing_values(m.page("prod.md").steps)] == ["DOMAIN"]
    finally:
        journey.close()


def test_a_saved_value_is_not_taken_when_the_reader_gave_no_answer(pages):
    m, work = pages
    (prod,) = m.page("prod.md").steps
    (work / "settings.yaml").write_text(
        f"adventure:\n  schema: 1\n  manuscript: {m.root}\n  variables:\n    DOMAIN: dev.example\n    EMAIL: a@b.c\n"
    )
    journey = Journey(m, work, JourneyOptions(env={"PATH": "/usr/bin:/bin"}))
    try:
        for _ in range(2):  # asked, no answer given (the dialog closed): asked again, not filled from settings
            with pytest.raises(MissingValues) as asked:
                journey.run_step(prod)
            assert [v.name for v in asked.value.missing] == ["DOMAIN"]
    finally:
        journey.close()


def test_a_step_shows_only_the_values_its_run_would_use(pages):
    m, work = pages
    (prod,) = m.page("prod.md").steps
    env = {"PATH": "/usr/bin:/bin", "DOMAIN": "x.example", "EMAIL": "e@x"}
    journey = Journey(m, work, JourneyOptions(env=env))
    try:  # DOMAIN will be asked again: its card shows no value for it, EMAIL's comes from the environment
        assert dict(journey.chapter(m.page("prod.md")).view(prod).values) == {"EMAIL": "e@x"}
    finally:
        journey.close()
    given = Journey(m, work, JourneyOptions(env=env, variables={"DOMAIN": "given.example"}))
    try:  # given for the run (--var): it answers every question, and is shown
        assert dict(given.chapter(m.page("prod.md")).view(prod).values) == {"DOMAIN": "given.example", "EMAIL": "e@x"}
    finally:
        given.close()
