"""Which programs a block calls: the input of the prerequisite gate."""

import os
import stat

import pytest

from tutorial.manuscript.shellscan import scan
from tutorial.shell.commands import analyse, assigned_names, calls, may_abandon, missing_programs, only_assigns


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
        # a wrapper's option values are not programs: `postgres`, `19`, `5` are not looked for
        ("sudo -u postgres psql -c 'select 1'", ["psql", "sudo"]),
        ("sudo -Eu postgres psql", ["psql", "sudo"]),
        ("sudo -upostgres --group=admin psql", ["psql", "sudo"]),
        ("sudo --user postgres -- psql", ["psql", "sudo"]),
        ("nice -n 19 make build", ["make", "nice"]),
        ("nice -10 make build", ["make", "nice"]),
        ("watch -n 5 kubectl get pods", ["kubectl", "watch"]),
        ("watch --interval 5 'kubectl get pods | grep Running'", ["kubectl", "watch"]),
        ("watch -n 1 'date; kubectl get pods'", ["date", "watch"]),  # not a program named `date;`
        ("watch 'FOO=1 kubectl get pods'", ["kubectl", "watch"]),
        ("watch '(kubectl get pods)'", ["kubectl", "watch"]),
        ("timeout -s KILL -k 5 60 kubectl wait", ["kubectl", "timeout"]),
        ("ls | xargs -n 1 -I {} kubectl delete {}", ["kubectl", "ls", "xargs"]),
        ("env -u KUBECONFIG -C /tmp A=1 kubectl get pods", ["env", "kubectl"]),
        ("env -- A=1 kubectl get pods", ["env", "kubectl"]),
        ("env -S 'A=1 kubectl get' pods", ["env", "kubectl"]),  # -S splits its value: the program is in it
        ("env -vS 'kubectl get' pods", ["env", "kubectl"]),
        ("env --split-string 'kubectl get' pods", ["env", "kubectl"]),
        ("env -S'kubectl get' pods", ["env", "kubectl"]),  # the command line is the option's value, not `pods`
        ("env --split-string='kubectl get' pods", ["env", "kubectl"]),
        ("sudo -e /etc/hosts", ["sudo"]),  # edits the file: /etc/hosts is no program
        ("sudo -R /srv/root -c staff ls", ["ls", "sudo"]),  # a chroot and a login class: no programs
        ("sudo --chroot /srv/root ls", ["ls", "sudo"]),
        ("sudo -l kubectl", ["sudo"]),  # tells whether kubectl may be run: runs nothing
        ("time -p make", ["make"]),  # bash's `time` keyword and its one option
        ("/usr/bin/time -f %e make", ["/usr/bin/time", "make"]),
        ("exec -a worker python3 app.py", ["python3"]),  # (exec is a builtin)
        ("for i in {1..3}; do echo $i; done", []),
        ("echo hi # trailing comment with notacommand", []),
        ("echo $'it\\'s here'\nvim notes.txt", ["vim"]),  # ANSI-C quoting: the quote after \\ is a character
        ('cat <<E"O"F\nbody\nEOF\nvim notes.txt', ["cat", "vim"]),  # the document ends at EOF
    ],
)
def test_programs_called(code, expected):
    assert names(code)[0] == expected


@pytest.mark.parametrize(
    "code",
    [
        "echo $'it\\'s here'\n# If you use EKS\neksctl get clusters",
        'cat <<E"O"F\nbody\nEOF\n# If you use EKS\neksctl get clusters',
    ],
)
def test_a_comment_after_quoting_bash_reads_otherwise_is_a_comment(code):
    groups = scan(code.splitlines()).groups
    assert [(g.comment_lines, g.code_lines) for g in groups][-1] == ([code.count("\n") - 1], [code.count("\n")])


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
    assert assigned_names(code) == ["A", "B", "C", "E", "F", "G"]


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("export A=1 B=2 C", ["A", "B", "C"]),  # every name, not only the first
        ("export A=$(kubectl get x) B=2", ["A", "B"]),  # bashlex's path
        ("f() {\n  local X=1 Y\n}", ["X", "Y"]),
        ("A=(x y)\nB[2]=z", ["A", "B"]),
        ("declare -a LIST=(a b)\ndeclare -A MAP", ["LIST", "MAP"]),
        ("read -r -p 'Name? ' NAME OTHER", ["NAME", "OTHER"]),
        ("mapfile -t LINES < file.txt", ["LINES"]),
        ("printf -v STAMP '%s' now", ["STAMP"]),
        ("TOKEN=abc curl -H x http://example.com", []),  # the environment of one command only
        ("echo \"A=1\" 'B=2'", []),  # arguments in quotes are not assignments
        ("cat <<EOF > values.yaml\nC=3\nexport D=4\nEOF", []),  # a heredoc body is text
        ("if [[ -n $X ]]; then\n  E=1\nfi", ["E"]),  # bashlex cannot parse `[[`: the tokenizer answers
        ("export __adv_internal=1 F=2", ["F"]),
    ],
)
def test_every_name_a_block_sets(code, expected):
    assert assigned_names(code) == expected


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("exec >/dev/null", []),  # a redirection is not a program
        ("exec 0</dev/null", []),
        ("exec 2>&1", []),
        ("exec 3>out.log tee", ["tee"]),
        ("exec ./server --port 1", ["./server"]),
        ("kubectl get pods 2>/dev/null >out.txt", ["kubectl"]),
        ('echo "kubectl is a word here"', []),
        ("A=(curl wget)\nhelm list", ["helm"]),  # array elements are words
        ("x=1\ncat <<'EOF'\nnot-a-program --flag\nEOF", ["cat"]),
        ("X=1 2>/dev/null", []),  # an assignment with a redirection: the descriptor is no program
        ("2>/dev/null kubectl get pods", ["kubectl"]),
    ],
)
def test_redirections_and_arrays_are_not_programs(code, expected):
    assert names(code)[0] == expected


def test_functions_in_both_parsers():
    # bashlex parses the first; `[[` sends the second to the tokenizer
    assert names("greet() { echo hi; }\nfunction other { :; }")[2] == ["greet", "other"]
    assert names('check() {\n  [[ -n $1 ]] && tool "$1"\n}')[2] == ["check"]


def test_commands_say_where_they_stand():
    found = analyse("kubectl port-forward svc/x 1:1 &\necho x | kubectl exec -i p -- sh\nkubectl logs \\\n  -f p")
    first, _, piped, follow = found.commands
    assert first.background and not first.stdin
    assert piped.stdin and piped.words[:2] == ("kubectl", "exec")
    assert (follow.line, follow.end_line) == (3, 4)  # a continued line is one command


def test_exec_redirections_do_not_block_a_step(tmp_path):
    env = {"PATH": "/usr/bin:/bin"}
    assert missing_programs("exec >/dev/null\nexec 0</dev/null", env=env, cwd=tmp_path, defined=set()) == []


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("echo step-1", []),
        ("export VALUE_1=step-1", ["VALUE_1"]),
        ("A=1 B='two words'\nexport A=3 C=x", ["A", "B", "C"]),
        ("export PATH=$PATH:/opt/bin", ["PATH"]),
        ("X=1 2>/dev/null", ["X"]),  # no command: the assignment stays in the shell
        ("FOO=bar kubectl apply -f app.yaml | tee out.log && echo done &", []),  # a prefix lasts one command
        ("cd /tmp", None),
        ("source .env", None),
        (". .env", None),
        ("eval $X", None),
        ("read NAME", None),
        ("printf -v NAME %s x", None),
        ("export NAME", None),  # an attribute, not a value
        ("export -n NAME", None),
        ("A=1 :", None),  # a special builtin keeps its prefix in POSIX mode
        ("X=$(date)", None),
        ("echo ${X:=default}", None),
        ("echo $((X = 1))", None),
        ("exec {fd}>log", None),
        ("ls {fd}>log", None),
        ("if true; then X=1; fi", None),
        ("greet() { X=1; }", None),
        ("$COMMAND arg", None),
        ("./scripts/*.sh", None),
        ("set -u", None),
        ("trap 'echo bye' EXIT", None),
        ("status=1", None),  # the prompt hook's local of that name would hide it
        ("__adv_file=x", None),
        ("echo ${ITEMS[i++]}", None),  # arithmetic in a subscript sets i
        ("ITEMS[i++]=x", None),
        ("export ITEMS[1]=x", None),
        ("echo ${!REF}", None),  # an indirection may name a subscript (REF='A[i++]')
        ("echo ${PROMPT@P}", None),
        ("coproc cat", None),  # COPROC and COPROC_PID
        ("GLOBIGNORE=.git", None),  # turns dotglob on
        ("POSIXLY_CORRECT=1", None),  # turns POSIX mode on
        ("BASH_COMPAT=4.4", None),
        ("echo $'it\\'s'; cd /tmp", None),  # ANSI-C quoting: the quote after the backslash is a character
        ('cat <<E"O"F\nbody\nEOF\ncd /tmp', None),  # the document ends at EOF
        ("cat <<'EOF'\nbody\nEOF\nexport DONE=1", ["DONE"]),
    ],
)
def test_what_a_step_can_change(code, expected):
    """Only a block whose whole effect on the shell is the variables it names is answered."""
    assert only_assigns(code) == expected


@pytest.mark.parametrize(
    ("code", "watched"),
    [
        ("echo step-1", False),
        ("export VALUE_1=${HOME}/x", False),
        ("kubectl get pods -o wide | grep web", False),
        ('echo "${NAME:?must be set}"', True),
        ("echo ${NAME:-default}", True),  # (anything but ${NAME} is watched)
        ("echo $((1 / COUNT))", True),
        ("(( n++ ))", True),
        ("echo $[1]", True),
        ("set -u", True),
        ("source .env", True),
        (". ./env.sh", True),
        ("eval $LINE", True),
        ("ls file?.txt", True),
        ('"s"et -u', True),  # quotes removed, it is `set -u`
        ("s\\et -o nounset", True),
        ("$'\\x73et' -u", True),
        ("S=se\n${S}t -u", True),  # a command named by an expansion may be any builtin
        ("$SHELL_TOOL -u", True),
        ('[ -f "$CONFIG" ] && : ok', False),
        ("ITEMS[$i]=x", True),  # a subscript out of range is a command bash drops
        ("export ITEMS[-5]=x", True),
    ],
)
def test_what_can_make_the_shell_abandon_a_command(code, watched):
    assert may_abandon(code) is watched
