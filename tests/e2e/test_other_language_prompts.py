"""``run`` on a clone whose steps call helper scripts in Nushell and Python: real files, real bash, the real CLI."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from tests.support.cli import run_cli
from tutorial.engine.journey import Journey, JourneyOptions
from tutorial.manuscript.loader import load

PAGE = """
# Setup

```sh
./dot.nu setup idp
```

```sh
./quiet.nu
```

```sh
python3 manuscript/tools/ask.py > asked.txt
```

```sh
python3 manuscript/tools/quiet.py
```
"""

REFUSED = (
    "needs someone to type: `./dot.nu` runs a script where `input` waits for a line you type (scripts/x.nu line 3)"
)


@pytest.fixture
def clone(tmp_path: Path) -> Path:
    """A clone of a manuscript's repository: ``manuscript/page.md`` beside ``dot.nu`` and ``scripts/x.nu``."""
    root = tmp_path / "clone"
    files = {
        "manuscript/page.md": PAGE,
        "dot.nu": "#!/usr/bin/env nu\nsource scripts/x.nu\ndef main [] {}\n",
        "scripts/x.nu": 'def "main setup idp" [] {\n    # asks for the key\n    let key = input "Key: "\n}\n',
        "quiet.nu": "#!/usr/bin/env nu\nls | length\n",
        "manuscript/tools/ask.py": "#!/usr/bin/env python3\nanswer = input('Name: ')\nprint(answer)\n",
        "manuscript/tools/quiet.py": "from pathlib import Path\n\nPath('done.txt').write_text('done')\n",
    }
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip())
        path.chmod(0o755)
    return root


def test_run_refuses_a_step_whose_nushell_script_asks(clone: Path) -> None:
    result = run_cli("run", "page.md", "--manuscript", clone / "manuscript", "--keep-going", cwd=clone)
    assert result.returncode != 0
    assert REFUSED in result.stdout
    assert "`manuscript/tools/ask.py` runs a script where `input()` waits for a line you type" in result.stdout
    assert not (clone / "asked.txt").exists()  # never run with an empty answer
    assert (clone / "done.txt").read_text() == "done"  # a Python script that asks nothing runs


def test_dry_run_and_the_step_card_say_the_same(clone: Path) -> None:
    shown = run_cli("run", "page.md", "--manuscript", clone / "manuscript", "--dry-run", cwd=clone)
    assert f"(would fail: {REFUSED}" in shown.stdout and "needs a terminal" not in shown.stdout
    document = json.loads(
        run_cli(
            "run", "page.md", "--manuscript", clone / "manuscript", "--dry-run", "--format", "json", cwd=clone
        ).stdout
    )
    reasons = [step["reason"] for step in document["steps"]]
    assert reasons[0].startswith(f"would fail: {REFUSED}")
    assert reasons[1] == ""  # a Nushell script without a prompt is not refused
    assert reasons[2].startswith("would fail: needs someone to type") and reasons[3] == ""
    manuscript = load(clone / "manuscript")
    journey = Journey(manuscript, clone, JourneyOptions(unattended=True))
    try:
        chapter = journey.chapter(manuscript.pages["page.md"])
        step = manuscript.pages["page.md"].steps[0]
        assert chapter.view(step).needs_terminal == ""  # the app runs it where the reader answers its prompt
        assert REFUSED.removeprefix("needs someone to type: ") in journey.needs_someone_to_type(step)
    finally:
        journey.close()
