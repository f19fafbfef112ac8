"""A manuscript script rewriting settings.yaml while we save: neither side loses its keys."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import yaml

from tutorial.progress.settings import SettingsFile

# What a script of `yq -i '.key_N = N' settings.yaml` lines does: each reads the file, adds a key,
# writes a new file and renames it over; a new process starts between two of them (here a 1 ms pause).
SCRIPT_WRITER = r"""
import os, sys, time, yaml
path, count = sys.argv[1], int(sys.argv[2])
for n in range(1, count + 1):
    time.sleep(0.001)
    with open(path) as stream:
        data = yaml.safe_load(stream) or {}
    data[f"key_{n}"] = n
    temporary = f"{path}.yq-{n}"
    with open(temporary, "w") as stream:
        yaml.safe_dump(data, stream, sort_keys=False)
    os.replace(temporary, path)
print("done", flush=True)
"""


def test_a_script_writing_while_we_save_keeps_every_key(tmp_path: Path) -> None:
    settings_path = tmp_path / "settings.yaml"
    settings_path.write_text("image: cncf-demo\n")
    settings = SettingsFile(tmp_path)
    count = 200
    writer = subprocess.Popen(
        [sys.executable, "-c", SCRIPT_WRITER, str(settings_path), str(count)], stdout=subprocess.PIPE, text=True
    )
    saves = 0
    padding = ["x" * 100] * 20  # a save of some size, so writing it takes a moment
    while writer.poll() is None:
        saves += 1
        settings.update_section(lambda _old, n=saves: {"saves": n, "padding": padding})
    assert writer.wait(timeout=60) == 0
    settings.update_section(lambda old: {**old, "final": True})
    data = yaml.safe_load(settings_path.read_text())
    lost = [n for n in range(1, count + 1) if data.get(f"key_{n}") != n]
    assert saves > 20, "the saves did not overlap the script's writes"
    assert not lost, f"{len(lost)} of the script's keys were lost by our saves (first: key_{lost[0]})"
    assert data["image"] == "cncf-demo"
    assert data["adventure"]["final"] is True
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_saves_from_two_processes_at_once_keep_each_others_keys(tmp_path: Path) -> None:
    """Two programs of ours saving through SettingsFile (the settings lock serialises them)."""
    code = (
        "import sys; from pathlib import Path; from tutorial.progress.settings import SettingsFile\n"
        "s = SettingsFile(Path(sys.argv[1])); name = sys.argv[2]\n"
        "for n in range(150): s.update_section(lambda old: {**old, name: n})\n"
    )
    started = time.monotonic()
    writers = [subprocess.Popen([sys.executable, "-c", code, str(tmp_path), name]) for name in ("one", "two")]
    assert all(w.wait(timeout=120) == 0 for w in writers)
    data = yaml.safe_load((tmp_path / "settings.yaml").read_text())
    assert data["adventure"] == {"one": 149, "two": 149}, time.monotonic() - started
