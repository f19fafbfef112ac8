"""Which programs a block calls: the input of the prerequisite gate."""

import os
import stat

import pytest

from tutorial.shell.commands import assigned_names, calls, missing_programs


def names(code):
    found, optional, functions = calls(code)
    return sorted({c.name for c in found}), sorted(optional), sorted(functions)


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("kubectl get pods | grep Running", ["grep", "kubectl"]),
        ('export IP=$(kubectl get svc \\\n  --output jsonpath="{.x}")', ["kubectl"]),
        ("cat > values.yaml <<EOF\nkey: value\nnot-a-command here\nEOF\nyq . values.yaml", ["cat", "yq"]),
        ("if [[ -f x ]]; then\n  helm list\nfi", ["helm"]),
        ("case $1 in\n  ping) curl -s x ;;\n  a|b) gum choose ;;\n  *) exit 1 ;;\nesac", ["curl", "gum"]),
        ("x=$((1 + 2)); docker ps", ["docker"]),
        ("sudo -E apt-get install -y jq", ["apt-get", "sudo"]),
        ("FOO=1 env BAR=2 terraform plan", ["env", "terraform"]),
        ("timeout 10 kubectl wait", ["kubectl", "timeout"]),
        ("for i in {1..3}; do echo $i; done", []),
        ("echo hi # trailing comment with notacommand", []),
    ],
)
def test_programs_called(code, expected):
    assert names(code)[0] == expected


def test_functions_and_probes():
    found, optional, functions = names("f() { mytool; }\nf\nif command -v yq >/dev/null; then yq x; fi\nwhich gum")
    assert "mytool" in found and "f" in found
    assert functions == ["f"]
    assert "yq" in optional and "gum" in optional


def test_missing_programs_respects_path_functions_and_probes(tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    tool = bin_dir / "present-tool"
    tool.write_text("#!/bin/sh\n")
    tool.chmod(tool.stat().st_mode | stat.S_IEXEC)
    env = {"PATH": f"{bin_dir}:/usr/bin:/bin"}
    code = "present-tool\nabsent-tool --x\nmyfn\ncommand -v optional-tool || echo no\n./local.sh"
    missing = missing_programs(code, env=env, cwd=tmp_path, defined={"myfn"})
    assert [(m.name, m.line) for m in missing] == [("absent-tool", 2), ("./local.sh", 5)]


def test_helper_scripts_of_the_manuscript_are_read(tmp_path):
    root = tmp_path / "manuscript"
    (root / "scripts").mkdir(parents=True)
    script = root / "scripts" / "install.sh"
    script.write_text("#!/bin/bash\nif ! command -v optional-tool; then echo skip; fi\nrequired-tool install\n")
    script.chmod(0o755)
    env = {"PATH": "/usr/bin:/bin", "ADVENTURE_DIR": str(root)}
    missing = missing_programs(
        '"$ADVENTURE_DIR/scripts/install.sh" --now', env=env, cwd=tmp_path, defined=set(), scripts_root=root
    )
    assert [(m.name, m.via) for m in missing] == [("required-tool", "scripts/install.sh")]
    assert "called by scripts/install.sh" in missing[0].describe()


def test_programs_chosen_at_run_time_are_not_judged(tmp_path):
    assert missing_programs('"$UNKNOWN_TOOL" run', env={"PATH": os.defpath}, cwd=tmp_path, defined=set()) == []


def test_assigned_names():
    code = "export A=1 B=2\nC=3\n# D=4\nexport E\nfor x in 1; do F=$x; done\nreadonly G=1"
    assert assigned_names(code) == ["A", "C", "E", "F", "G"]
