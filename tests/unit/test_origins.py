"""Where values came from: kept with the progress, and an answer to another question is not reused."""

from __future__ import annotations

from pathlib import Path

import yaml

from tests.conftest import WriteManuscript
from tutorial.engine.journey import Journey, JourneyOptions
from tutorial.engine.variables import MissingValue
from tutorial.progress.origins import Origin, answers_another_question, origins_from

ASKS = "# {title}\n\n```bash\n# Replace `[...]` with {prompt}\nexport GREETING=[...]\n```\n"


def test_origins_round_trip_and_ignore_what_is_not_one() -> None:
    data = {"A": {"from": "step", "page": "p.md", "step": 2}, "B": {"from": "typed", "prompt": "a name"}, "C": 3}
    found = origins_from(data)
    assert found == {"A": Origin("step", page="p.md", step=2), "B": Origin("typed", prompt="a name")}
    assert {name: origin.as_data() for name, origin in found.items()} == {"A": data["A"], "B": data["B"]}
    assert found["A"].describe() == "set by a step (p.md step 2)"
    assert origins_from(["not", "a", "mapping"]) == {}


def test_only_a_different_question_counts() -> None:
    typed = Origin("typed", prompt="a greeting")
    assert answers_another_question(typed, "the name of the river")
    assert not answers_another_question(typed, "a greeting ")
    assert not answers_another_question(typed, "")  # no question: nothing to compare
    assert not answers_another_question(Origin("var"), "anything")  # --var answers every question
    assert not answers_another_question(None, "anything")


def _journey(write_manuscript: WriteManuscript, tmp_path: Path) -> tuple[Journey, Path]:
    manuscript = write_manuscript(
        {
            "one.md": ASKS.format(title="One", prompt="a greeting"),
            "two.md": ASKS.format(title="Two", prompt="the name of the river"),
            "three.md": ASKS.format(title="Three", prompt="a greeting"),
        }
    )
    work = tmp_path / "work"
    work.mkdir()
    return Journey(manuscript, work, JourneyOptions()), work


def test_a_saved_answer_is_asked_again_where_the_prompt_differs(write_manuscript, tmp_path) -> None:
    journey, work = _journey(write_manuscript, tmp_path)
    pages = journey.manuscript.pages
    journey.supply({"GREETING": "hello"}, [MissingValue("GREETING", "A greeting", False, "one.md", 2)])
    journey.progress.remember({"GREETING": "hello"}, {"GREETING": journey.origin("GREETING")})  # as after a run
    journey.progress.save()
    assert journey.missing_values(pages["one.md"].steps) == []
    assert journey.missing_values(pages["three.md"].steps) == []
    (asked,) = journey.missing_values(pages["two.md"].steps)
    assert (asked.name, asked.prompt) == ("GREETING", "The name of the river")

    journey.close()
    again = Journey(journey.manuscript, work, JourneyOptions())  # a relaunch: from settings.yaml alone
    try:
        assert [m.name for m in again.missing_values(pages["two.md"].steps)] == ["GREETING"]
        assert again.missing_values(pages["one.md"].steps) == []
    finally:
        again.close()
    saved = yaml.safe_load((work / "settings.yaml").read_text())["adventure"]
    assert saved["origins"] == {"GREETING": {"from": "typed", "prompt": "A greeting"}}


def test_change_and_forget_are_saved(write_manuscript, tmp_path) -> None:
    journey, work = _journey(write_manuscript, tmp_path)
    journey.change_value("GREETING", "hi")
    journey.change_value("API_TOKEN", "t0ps3cret")
    saved = yaml.safe_load((work / "settings.yaml").read_text())["adventure"]
    assert saved["variables"] == {"GREETING": "hi"} and "t0ps3cret" not in (work / "settings.yaml").read_text()
    rows = {v.name: v for v in journey.known_values()}
    assert rows["GREETING"].value == "hi" and rows["GREETING"].origin == "typed in the app"
    assert rows["API_TOKEN"].value is None and rows["API_TOKEN"].secret
    journey.forget_value("GREETING")
    saved = yaml.safe_load((work / "settings.yaml").read_text())["adventure"]
    assert saved["variables"] == {} and "GREETING" not in saved["origins"]
    assert "GREETING" not in {v.name for v in journey.known_values()}
    journey.close()
