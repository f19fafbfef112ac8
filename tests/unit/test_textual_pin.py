"""The SVG snapshots depend on Textual's exact rendering: the pin and the installed version agree."""

import tomllib
from importlib.metadata import version
from pathlib import Path

from packaging.requirements import Requirement

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


def test_textual_is_pinned_to_the_installed_version():
    dependencies = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]["dependencies"]
    textual = [Requirement(d) for d in dependencies if Requirement(d).name == "textual"]
    assert len(textual) == 1
    pins = [spec for spec in textual[0].specifier if spec.operator == "=="]
    assert pins, f"textual is not pinned: {textual[0]}"
    assert pins[0].version == version("textual"), "update the pin and regenerate the snapshots together"
