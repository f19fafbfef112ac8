"""bashlex imported from its stored tables parses exactly as bashlex imported its own way.

Every test runs in a fresh interpreter: an import happens once per process.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tutorial.shell import bashlex_tables

ROOT = Path(__file__).resolve().parents[2]

#: commands that take every corner of the grammar bashlex patches or that our analyser leans on
CORPUS = [
    "echo hi | grep h && cat file || true",
    "export A=1 B=$(kubectl get ns -o name | head -1); echo $A",
    'echo "$(ls)" $(echo a; echo b) `date`',
    "cat <<EOF > out.yaml\nkind: Namespace\nname: $NAME\nEOF\n",
    "for i in 1 2 3; do echo $i; done",
    'while read -r line; do echo "$line"; done < file',
    'case "$X" in a) echo a ;; b|c) echo bc ;; *) echo other ;; esac',
    "f() { local x=1; echo $x; }; f",
    "if [ -f a ]; then echo yes; elif [ -d a ]; then echo dir; else echo no; fi",
    "(cd /tmp && ls) > /dev/null 2>&1 &",
    "diff <(sort a) <(sort b)",
    "kubectl get pods --selector app=$(yq .app settings.yaml)",
    "echo $((1 + 2)) ${VAR:-default} ${#VAR}",
    "! grep -q x file",
    "a=(1 2 3); echo ${a[@]}",
    "echo $(echo $(echo nested))",
]

_PARSE_ALL = textwrap.dedent(
    """
    import json, sys
    {load}
    corpus = json.loads(sys.stdin.read())
    out = []
    for text in corpus:
        try:
            out.append([node.dump() for node in bashlex.parse(text)])
        except Exception as error:  # a parse error is an answer too, and must be the same one
            out.append(f"{{type(error).__name__}}: {{error}}")
    print(json.dumps({{"source": source, "trees": out}}))
    """
)


def _parse_in_fresh_interpreter(load: str, corpus: list[str] = CORPUS) -> dict[str, object]:
    code = _PARSE_ALL.format(load=load)
    done = subprocess.run(
        [sys.executable, "-c", code], input=json.dumps(corpus), capture_output=True, text=True, cwd=ROOT, check=True
    )
    result: dict[str, object] = json.loads(done.stdout)
    return result


STORED = "from tutorial.shell import bashlex_tables\nbashlex = bashlex_tables.load()\nsource = bashlex_tables.source"
OWN_WAY = "import bashlex\nsource = 'bashlex'"


def test_stored_tables_parse_like_bashlex_itself() -> None:
    corpus = [*CORPUS, "echo $(", "case x in", "if true; then"]  # errors must match too
    stored = _parse_in_fresh_interpreter(STORED, corpus)
    own = _parse_in_fresh_interpreter(OWN_WAY, corpus)
    assert stored["source"] == "tables"  # the file matched the installed grammar: the fast way was taken
    assert stored["trees"] == own["trees"]


def test_stored_tables_are_the_ones_bashlex_builds() -> None:
    """The file is up to date with the installed bashlex (after an upgrade: regenerate it)."""
    code = "import json; from tutorial.shell import bashlex_tables; print(json.dumps(bashlex_tables.build()))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert json.loads(done.stdout) == json.loads(bashlex_tables.TABLES.read_text(encoding="utf-8")), (
        "run: python -m tutorial.shell.bashlex_tables"
    )


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda data: {**data, "signature": "0" * 64}, id="another-grammar"),
        pytest.param(
            lambda data: {**data, "rules": [[*r[:2], "p_no_such_rule", r[3]] for r in data["rules"]]},
            id="unbound-rule",
        ),
        pytest.param(None, id="not-json"),
    ],
)
def test_tables_that_do_not_fit_fall_back_to_building(tmp_path: Path, damage: object) -> None:
    data = json.loads(bashlex_tables.TABLES.read_text(encoding="utf-8"))
    tables = tmp_path / "tables.json"
    tables.write_text(json.dumps(damage(data)) if callable(damage) else '{"action": [[0, {', encoding="utf-8")
    load = (
        "from pathlib import Path\nfrom tutorial.shell import bashlex_tables\n"
        f"bashlex_tables.TABLES = Path({str(tables)!r})\n"
        "bashlex = bashlex_tables.load()\nsource = bashlex_tables.source"
    )
    fallen_back = _parse_in_fresh_interpreter(load)
    assert fallen_back["source"] == "built"
    assert fallen_back["trees"] == _parse_in_fresh_interpreter(OWN_WAY)["trees"]


def test_threads_loading_at_once_share_one_bashlex() -> None:
    """The app reads its manuscript on a thread: a second loader must wait, not import a second copy."""
    code = textwrap.dedent(
        """
        import threading
        from tutorial.shell import bashlex_tables
        found = []
        threads = [threading.Thread(target=lambda: found.append(bashlex_tables.load())) for _ in range(4)]
        for thread in threads: thread.start()
        for thread in threads: thread.join()
        assert len(found) == 4 and len({id(module) for module in found}) == 1
        assert found[0].parse("echo hi | wc -c")[0].kind == "pipeline"
        print(bashlex_tables.source)
        """
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True)
    assert done.stdout.strip() == "tables"
