"""A step waiting at a hidden prompt can always be interrupted from the keyboard."""

from __future__ import annotations

from textual.widgets import Input

from tests.ui.conftest import settle
from tests.ui.test_flows import wait_for
from tutorial.engine.journey import JourneyOptions
from tutorial.engine.results import StepStatus

PAGE = '# Secret\n\n```bash\nread -s -p "Password: " pw\necho "got [$pw]"\n```\n'


async def _at_the_prompt(make_app, tmp_path, pilot_keys):
    root = tmp_path / "secret"
    root.mkdir()
    (root / "secret.md").write_text(PAGE)
    app = make_app(root, options=JourneyOptions(timeout=10))  # keys that do not reach the step: it times out
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("r")
        answer = app.screen.query_one("#answer", Input)
        await wait_for(pilot, lambda: answer.has_focus and answer.password)
        await pilot.press(*pilot_keys)
        await settle(pilot, app, timeout=40)
        card = app.screen.cards[0]
        result = (card.status, card.outcome.message, answer.value)
        await pilot.press("ctrl+q")
    return result


async def test_ctrl_c_interrupts_while_the_answer_line_has_the_focus(make_app, tmp_path):
    status, message, typed = await _at_the_prompt(make_app, tmp_path, ["x", "ctrl+c"])
    assert (status, message) == (StepStatus.FAILED, "interrupted")
    assert typed == "x"  # x is a letter of the answer here, and stays one


async def test_escape_gives_x_back_to_the_page(make_app, tmp_path):
    status, message, typed = await _at_the_prompt(make_app, tmp_path, ["escape", "x"])
    assert (status, message) == (StepStatus.FAILED, "interrupted")
    assert typed == ""


async def test_ctrl_d_ends_the_input_instead_of_editing_the_answer(make_app, tmp_path):
    status, message, typed = await _at_the_prompt(make_app, tmp_path, ["ctrl+d"])
    assert status is StepStatus.FAILED
    assert message.startswith("exit status 1 at line")  # read saw end-of-file
    assert typed == ""
