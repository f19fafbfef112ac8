"""``cncf-adventure doctor``: programs on PATH, and the right one of two namesakes (``yq``)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

PAGE = """# Values

```bash
yq --inplace ".image = \\"cncf-demo\\"" values.yaml
```
"""

MIKEFARAH = "yq (https://github.com/mikefarah/yq/) version v4.40.5"
PYTHON_YQ = "yq 3.2.3"


def _fake_yq(folder: Path, version: str) -> None:
    """An executable ``yq`` that answers ``--version`` as one of the two programs does."""
    folder.mkdir()
    script = folder / "yq"
    script.write_text(f"#!/bin/sh\nif [ \"$1\" = --version ]; then echo '{version}'; fi\n")
    script.chmod(0o755)


def _doctor(tmp_path: Path, version: str) -> dict[str, object]:
    root = tmp_path / "manuscript"
    root.mkdir()
    (root / "values.md").write_text(PAGE)
    _fake_yq(tmp_path / "bin", version)
    result = subprocess.run(
        [sys.executable, "-m", "tutorial", "doctor", "values.md", "--manuscript", str(root), "--format", "json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "PATH": f"{tmp_path / 'bin'}{os.pathsep}/usr/bin{os.pathsep}/bin"},
        timeout=60,
    )
    document = json.loads(result.stdout)
    (yq,) = [p for p in document["prerequisites"] if p["name"] == "yq"]
    return {"returncode": result.returncode, **yq}


def test_mikefarahs_yq_is_the_right_one(tmp_path: Path) -> None:
    yq = _doctor(tmp_path, MIKEFARAH)
    assert yq["ok"] is True
    assert "mikefarah" in str(yq["detail"])
    assert yq["returncode"] == 0


def test_the_python_yq_is_told_apart_with_where_to_get_the_right_one(tmp_path: Path) -> None:
    yq = _doctor(tmp_path, PYTHON_YQ)
    assert yq["ok"] is False
    assert "not mikefarah's yq" in str(yq["detail"]) and PYTHON_YQ in str(yq["detail"])
    assert yq["link"] == "https://github.com/mikefarah/yq"
    assert yq["returncode"] == 1
