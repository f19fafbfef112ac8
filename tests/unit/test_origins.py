"""Where values came from: kept with the progress, and an answer to another question is not reused."""

from __future__ import annotations

from pathlib import Path

import yaml

from tests.conftest import WriteManuscript
from tutorial.engine.journey import Journey, JourneyOptions
from tutorial.engine.variables import MissingValue
from tutorial.progress.origins import Origin, origins_from

ASKS = "# {title}\n\n```bash\n# Replace `[...]` with {prompt}\nexport GREETING=[...]\n```\n"


def test_origins_round_trip_and_ignore_what_is_not_one() -> None:
    data = {"A": {"from": "step", "page": "p.md", "step": 2}, "B": {"from": "typed", "prompt": "a name"}, "C": 3}
    found = origins_from(data)
    assert found == {"A": Origin("step", page="p.md", step=2), "B": Origin("typed", prompt="a name")}
    assert {name: origin.as_data() for name, origin in found.items()} == {"A": data["A"], "B": data["B"]}
    assert found["A"].describe() == "set by a step (p.md step 2)"
    assert origins_from(["not", "a", "mapping"]) == {}


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


def test_a_value_keeps_the_question_it_answered_and_says_it_was_restored(write_manuscript, tmp_path) -> None:
    journey, work = _journey(write_manuscript, tmp_path)
    journey.supply({"GREETING": "hello"}, [MissingValue("GREETING", "A greeting", False, "one.md", 2)])
    origin = journey.origin("GREETING")
    assert origin == Origin("typed", prompt="A greeting")
    journey.progress.remember({"GREETING": "hello"}, {"GREETING": origin})  # as after a step used it
    journey.progress.save()
    journey.close()
    saved = yaml.safe_load((work / "settings.yaml").read_text())["adventure"]
    assert saved["origins"] == {"GREETING": {"from": "typed", "prompt": "A greeting"}}
    again = Journey(journey.manuscript, work, JourneyOptions())  # a relaunch: from settings.yaml alone
    try:
        (row,) = again.known_values()
        assert (row.name, row.value, row.prompt) == ("GREETING", "hello", "A greeting")
        assert row.origin == "typed in the app, restored from settings.yaml"
    finally:
        again.close()


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
