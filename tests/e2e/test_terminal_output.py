"""``run`` on a real terminal: what reaches the reader's terminal is safe to show."""

from __future__ import annotations

import os
import sys

import pexpect

STEP = r"""# Sequences

```bash
printf 'A\033[6nB\033[c\033[21t\033[8;5;20t\033[?1049h\033[?1000h\033[31mred\033[0m\302\2350;x\007C\n'
```
"""


def test_run_passes_colours_but_no_queries_or_mode_switches_to_the_terminal(tmp_path):
    root = tmp_path / "manuscript"
    root.mkdir()
    (root / "seq.md").write_text(STEP)
    child = pexpect.spawn(
        sys.executable,
        ["-m", "tutorial", "run", "seq.md", "--manuscript", str(root)],
        cwd=str(tmp_path),
        env={**os.environ, "TERM": "xterm-256color"},
        dimensions=(40, 120),
        timeout=60,
    )
    child.expect(pexpect.EOF)
    child.close()
    shown = child.before
    assert child.exitstatus == 0, shown
    assert b"\x1b[31mred\x1b[0m" in shown
    for sequence in (b"\x1b[6n", b"\x1b[c", b"\x1b[21t", b"\x1b[8;5;20t", b"\x1b[?1049h", b"\x1b[?1000h", b"\xc2\x9d"):
        assert sequence not in shown
    assert b"AB" in shown and b"0;xC" in shown
