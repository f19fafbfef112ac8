"""Secrets: never on disk, never in the output; a restarted shell gets them back from memory."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

SECRET = "s3cr3t-Value-42"

PAGE = """
# Login

```bash
# Replace `[...]` with your registry token
export REGISTRY_TOKEN=[...]
export AUTH="robot:$REGISTRY_TOKEN"
echo "token is $REGISTRY_TOKEN"
printf '%s' "$REGISTRY_TOKEN" > token-copy.txt
```

```bash
echo "auth is $AUTH"
echo "still $REGISTRY_TOKEN"
```

```bash
exit 0
```

```bash
echo "after restart $REGISTRY_TOKEN ${AUTH:-gone}"
cat <<EOF
heredoc has $REGISTRY_TOKEN
EOF
```
"""


def every_file(folder: Path):
    for path in folder.rglob("*"):
        if path.is_file() and path.name != "token-copy.txt":  # the step itself wrote that one on purpose
            yield path


def test_secrets_stay_out_of_files_and_output(tmp_path):
    root = tmp_path / "manuscript"
    root.mkdir()
    (root / "login.md").write_text(textwrap.dedent(PAGE).lstrip())
    work = tmp_path / "work"
    work.mkdir()
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "tutorial",
            "run",
            "login.md",
            "--manuscript",
            str(root),
            "--var",
            f"REGISTRY_TOKEN={SECRET}",
        ],
        cwd=work,
        capture_output=True,
        text=True,
        env=os.environ,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert SECRET not in result.stdout and SECRET not in result.stderr
    assert "token is ••••••" in result.stdout
    assert "auth is robot:••••••" in result.stdout
    assert "after restart ••••••" in result.stdout  # given again to the new shell, from memory
    assert "heredoc has ••••••" in result.stdout
    assert (work / "token-copy.txt").read_text() == SECRET  # the step really had the value
    written = list(every_file(work))
    assert any(p.name == "settings.yaml" for p in written)
    assert any(p.name == "transcript.log" for p in written)
    for path in written:
        assert SECRET.encode() not in path.read_bytes(), f"the secret leaked into {path}"
    settings = (work / "settings.yaml").read_text()
    assert "REGISTRY_TOKEN" in settings  # its name is kept (as a secret), never its value
    assert "AUTH" not in settings.split("variables:")[1].split("\n")[0]  # derived from the secret: not saved
