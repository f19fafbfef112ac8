"""Which commands need the reader's real terminal, and what happens to the lines of a nested shell."""

import pytest

from tutorial.manuscript.terminals import other_terminal_lines, prose_reason, terminal_need
from tutorial.shell.interactive import (
    HelperScripts,
    Need,
    given_as_input,
    guide,
    nested_lines,
    terminal_uses,
    typed_inside,
    typed_lines,
)


def needs(code, scripts=None):
    return [(use.need, use.line) for use in terminal_uses(code, scripts)]


@pytest.mark.parametrize(
    ("code", "need", "words"),
    [
        ("devbox shell", Need.SHELL, "`devbox shell` starts an interactive shell"),
        ("kubectl --namespace prod --tty --stdin exec sleep \\\n  --container sleep -- sh", Need.SHELL, "exec"),
        ("kubectl -n falco exec -it $POD -- /bin/bash", Need.SHELL, "opens a shell inside the container"),
        ("docker run -it --rm alpine sh", Need.SHELL, "docker run"),
        ("sudo -i", Need.SHELL, "sudo -i"),
        ("sudo -u root -i", Need.SHELL, "`sudo -i`"),
        ("sudo --user=root -s", Need.SHELL, "`sudo -s`"),
        ("sudo -e /etc/hosts", Need.ASKS, "`sudo -e` opens your editor"),
        ("sudoedit /etc/hosts", Need.ASKS, "`sudoedit` opens your editor"),
        # the program behind a wrapper's option and its value is the one that needs the terminal
        ("sudo -u postgres psql", Need.SHELL, "`psql`"),
        ("nice -n 19 vim notes.txt", Need.ASKS, "`vim` is a full-screen program"),
        ("timeout -k 5 600 kubectl port-forward svc/x 8080:80", Need.RUNS_UNTIL_STOPPED, "port-forward"),
        ("watch -n 5 'kubectl get pods'", Need.RUNS_UNTIL_STOPPED, "`watch`"),
        ("/usr/bin/watch kubectl get pods", Need.RUNS_UNTIL_STOPPED, "`watch`"),
        ("env -S 'psql -h db'", Need.SHELL, "`psql`"),
        # the same line written in the option's own word is no less a shell
        ("env -S'bash -i'", Need.SHELL, "`bash`"),
        ("env --split-string='psql -h db'", Need.SHELL, "`psql`"),
        ("watch 'FOO=1 kubectl get pods'", Need.RUNS_UNTIL_STOPPED, "`watch`"),
        ("kubectl --namespace production get canaries --watch", Need.RUNS_UNTIL_STOPPED, "--watch"),
        ("kubectl get pods -w", Need.RUNS_UNTIL_STOPPED, "--watch"),
        ("kubectl argo rollouts --namespace prod \\\n  get rollout demo --watch", Need.RUNS_UNTIL_STOPPED, "watch"),
        ("kubectl --namespace argo port-forward svc/argo-server 2746:2746", Need.RUNS_UNTIL_STOPPED, "port-forward"),
        ("istioctl dashboard kiali", Need.RUNS_UNTIL_STOPPED, "dashboard"),
        ("devspace dev --namespace dev", Need.RUNS_UNTIL_STOPPED, "devspace dev"),
        # Inspektor Gadget's top and trace gadgets report until Ctrl+C
        ("kubectl gadget top ebpf", Need.RUNS_UNTIL_STOPPED, "`kubectl gadget top ebpf` reports"),
        ("kubectl gadget top file --namespace production", Need.RUNS_UNTIL_STOPPED, "top file"),
        ("kubectl gadget trace exec -n prod", Need.RUNS_UNTIL_STOPPED, "trace exec"),
        ("kubectl -n prod gadget trace exec", Need.RUNS_UNTIL_STOPPED, "trace exec"),
        ("kubectl --context kind gadget top file", Need.RUNS_UNTIL_STOPPED, "top file"),
        ("kubectl gadget advise network-policy monitor -n prod -o n.json", Need.RUNS_UNTIL_STOPPED, "monitor"),
        ("kubectl gadget run trace_exec:latest -n prod", Need.RUNS_UNTIL_STOPPED, "run trace_exec:latest"),
        ("kubectl gadget run ghcr.io/inspektor-gadget/gadget/top_file", Need.RUNS_UNTIL_STOPPED, "top_file"),
        ("watch -n 5 kubectl get pods", Need.RUNS_UNTIL_STOPPED, "`watch`"),
        ("kubectl logs --follow deploy/x", Need.RUNS_UNTIL_STOPPED, "follows"),
        ("gh repo set-default", Need.ASKS, "pick the default repository"),
        ("gh repo fork vfarcic/cncf-demo", Need.ASKS, "whether to clone"),
        ("docker login --username $DOCKERHUB_USERNAME $REGISTRY", Need.ASKS, "password"),
        ('NAME=$(gum input --placeholder "name")', Need.ASKS, "`gum input`"),
        ("gum choose a b c", Need.ASKS, "`gum choose`"),
        ("kubectl edit deployment x", Need.ASKS, "editor"),
        ("git commit", Need.ASKS, "editor"),
        ("less README.md", Need.ASKS, "full-screen"),
        # a pager reads its keys from the terminal, not from the pipe that feeds it its text
        ("kubectl logs deploy/x | less", Need.ASKS, "`less` is a full-screen program"),
        ("cat <<EOF | more\nx\nEOF", Need.ASKS, "`more` is a full-screen program"),
        # the reader's editor or pager, whatever it is set to
        ('"${EDITOR:-vi}" notes.txt', Need.ASKS, "opens your editor"),
        ("$EDITOR values.yaml", Need.ASKS, "`$EDITOR` opens your editor"),
        ('"${KUBE_EDITOR:-vi}" deployment.yaml', Need.ASKS, "opens your editor"),  # kubectl's setting
        ("sudo ${VISUAL:-/usr/bin/nano} /etc/hosts", Need.ASKS, "opens your editor"),
        ("kubectl get pods -o yaml | ${PAGER-less}", Need.ASKS, "opens your pager"),
    ],
)
def test_commands_that_need_a_terminal(code, need, words):
    uses = terminal_uses(code)
    assert [u.need for u in uses] == [need]
    assert words in uses[0].reason


@pytest.mark.parametrize(
    "code",
    [
        # a TTY for one command that ends by itself: a captured pseudo-terminal is enough
        "kubectl --namespace production --tty --stdin exec sleep \\\n    --container sleep -- apk add -U curl",
        'kubectl --namespace production exec -it controller-0 -- sh -c "ls /"',
        "curl http://cncf-demo.production:8080 -w '%{http_code}\\n'",  # -w is curl's write-out
        "kubectl port-forward svc/x 8080:80 &",  # in the background: the step goes on
        "kubectl --namespace x rollout status deployment y --watch",
        "argo submit --namespace argo workflows/argo.yaml --watch",  # ends with the workflow
        "echo $PASSWORD | docker login --username me --password-stdin",
        "docker login -u me -p secret",
        "gh repo fork vfarcic/cncf-demo --clone --remote",
        "kubectl gadget snapshot process --namespace production",
        "kubectl gadget advise network-policy report --input network.json",
        "kubectl gadget trace --help",
        "kubectl gadget top file --timeout 10",
        "kubectl gadget run trace_exec --timeout 10",
        "kubectl gadget run trace_open --detach --name opens",
        "kubectl gadget run snapshot_process",
        "gh repo set-default vfarcic/cncf-demo",
        "gum style --foreground 212 'Hello'",
        "git commit -am 'message'",
        "kubectl exec -i pod -- sh <<EOF\nls\nEOF",  # the shell reads a heredoc, not the reader
        "echo ls | kubectl exec -i pod -- sh",
        "bash ./install.sh",
        'echo "run devbox shell first"',
        "cat <<EOF\ndevbox shell\nkubectl get pods --watch\nEOF",
        "# devbox shell",
        'read -p "Paste the public key and press enter: " PUBLIC_KEY',  # the app's panel can answer it
        'echo "EDITOR is $EDITOR"',  # named, not run
        "export EDITOR=vim",
    ],
)
def test_commands_a_captured_session_can_run(code):
    assert terminal_uses(code) == []


def test_lines_after_a_nested_shell_belong_inside_it():
    code = "\n".join(
        [
            "kubectl apply --filename mtls.yaml",  # 1
            "",
            "kubectl --namespace production --tty --stdin exec sleep \\",  # 3
            "    --container sleep -- sh",  # 4
            "",
            "apk add -U curl",  # 6
            "",
            "curl -s http://httpbin:8080/headers",  # 8
            "",
            "exit",  # 10
            "",
            "kubectl --namespace default --tty --stdin exec sleep -- sh",  # 12
            "curl http://cncf-demo.production:8080",  # 13
            "exit",  # 14
        ]
    )
    uses = terminal_uses(code)
    nested = nested_lines(code, uses)
    assert [(n.shell.line, n.first, n.last, n.closing) for n in nested] == [(3, 5, 9, 10), (12, 13, 13, 14)]

    text = typed_inside(code, nested)
    typed = text.split("\n")
    assert typed[0] == "kubectl apply --filename mtls.yaml" and typed[3].endswith("-- sh")
    assert not any("curl" in line or line == "exit" for line in typed)  # left for the reader to type
    assert len(typed) == 14 and typed[11].startswith("kubectl --namespace default")  # lines match the page

    fed = given_as_input(code, nested).splitlines()
    assert fed[3] == "    --container sleep -- sh <<'__ADV_TYPED_INSIDE__'"
    assert fed[9] == "__ADV_TYPED_INSIDE__" and fed[13] == "__ADV_TYPED_INSIDE__"
    assert fed[5] == "apk add -U curl" and len(fed) == 14

    notes = guide(code, nested)
    assert "Line 3 opens a shell" in notes[0] and "    apk add -U curl" in notes[0]
    assert "    curl http://cncf-demo.production:8080" in notes[1]


def test_a_nested_shell_without_exit_takes_the_rest_of_the_block():
    code = "devbox shell\n\nchmod +x setup.sh\n\n./setup.sh  # keep this comment"
    nested = nested_lines(code, terminal_uses(code))
    assert [(n.first, n.last, n.closing) for n in nested] == [(2, 5, 0)]
    assert given_as_input(code, nested).splitlines()[0] == "devbox shell <<'__ADV_TYPED_INSIDE__'"
    assert given_as_input(code, nested).splitlines()[-1] == "__ADV_TYPED_INSIDE__"


def test_a_dev_loop_left_with_exit_is_a_shell_its_lines_typed_inside():
    # `devspace dev` opens a terminal in the development container: `go run .` runs there, and
    # the `exit` leaves it; neither may run in the outer shell once `devspace dev` stops
    code = "\n".join(
        [
            "cat devspace.yaml",  # 1
            "devspace dev --namespace dev",  # 2
            "go run .",  # 3
            "# In the first terminal",  # 4
            "exit",  # 5
            "devspace purge --namespace dev",  # 6
        ]
    )
    uses = terminal_uses(code)
    assert [(u.need, u.line) for u in uses] == [(Need.SHELL, 2)]
    assert "terminal in the development container" in uses[0].reason
    nested = nested_lines(code, uses)
    assert [(n.first, n.last, n.closing) for n in nested] == [(3, 4, 5)]
    fed = given_as_input(code, nested).splitlines()
    assert fed[1].endswith("<<'__ADV_TYPED_INSIDE__'") and fed[4] == "__ADV_TYPED_INSIDE__"
    assert fed[5] == "devspace purge --namespace dev"
    # without an `exit` after it, it is a dev loop the reader stops: what follows runs after it
    assert needs("devspace dev --namespace dev\ndevspace purge") == [(Need.RUNS_UNTIL_STOPPED, 1)]


def test_a_nested_shell_that_ends_the_block_has_no_inside_lines():
    code = "kubectl --namespace falco exec -it $POD -- sh"
    uses = terminal_uses(code)
    assert uses and nested_lines(code, uses) == []


def test_helper_scripts_that_ask_with_gum(tmp_path):
    root = tmp_path / "manuscript"
    (root / "gitops").mkdir(parents=True)
    (root / "gitops" / "flux.sh").write_text(
        "#!/bin/sh\nset -e\n\ngum style --border double 'Setup'\n\n"
        "gum confirm '\nAre you ready to start?\n' || exit 0\n\nkubectl apply -f x.yaml\n"
    )
    (root / "quiet.sh").write_text("#!/bin/sh\nkubectl get pods\n")
    (root / "login.sh").write_text(  # asks only in a branch that may not run
        '#!/bin/sh\ncase "$1" in\n  login) docker login --username me ;;\n  *) echo no ;;\nesac\n'
    )
    scripts = HelperScripts(root)
    from_the_clone = terminal_uses("chmod +x manuscript/gitops/flux.sh\n\n./manuscript/gitops/flux.sh", scripts)
    assert [(u.need, u.line, u.via) for u in from_the_clone] == [(Need.ASKS, 3, "gitops/flux.sh")]
    assert "`gum confirm` waits for your answer (gitops/flux.sh line 6)" in from_the_clone[0].reason
    assert needs('"$ADVENTURE_DIR/gitops/flux.sh"', scripts) == [(Need.ASKS, 1)]
    assert needs("bash manuscript/gitops/flux.sh", scripts) == [(Need.ASKS, 1)]
    assert needs('"$ADVENTURE_DIR/quiet.sh"', scripts) == []
    assert needs('"$ADVENTURE_DIR/login.sh" login', scripts) == []
    assert needs("./manuscript/gitops/flux.sh") == []  # without the manuscript's scripts, nothing is read


@pytest.mark.parametrize(
    ("code", "lines"),
    [
        ('read -p "Paste the public key and press enter: " PUBLIC_KEY', [1]),
        ("echo ready?\nread -r ANSWER", [2]),
        ("while read -r line; do echo $line; done < list.txt", []),  # `read` takes the file's lines
        ("kubectl get pods | while read -r name rest; do echo $name; done", []),
        ('read -r A B <<< "$PAIR"', []),
        ("read -ru3 LINE", []),  # from a descriptor the block opened, not the reader
        ("echo 'read the docs'", []),
        ("read LATER &", []),
        ('PS3="Your pick: "\nselect CLOUD in aws azure google; do\n  break\ndone\necho "$CLOUD"', [2]),
        ("echo 'select a cloud'", []),
    ],
)
def test_reads_of_a_line_the_reader_types(code, lines):
    assert [u.line for u in typed_lines(code)] == lines


def test_a_helper_script_that_waits_for_a_typed_line(tmp_path):
    root = tmp_path / "manuscript"
    root.mkdir()
    (root / "pause.sh").write_text(  # waits until the reader has done something in a browser
        '#!/bin/sh\nset -e\necho "Open the URL and enable the API. Press any key to continue"\nread NOTHING\n'
    )
    (root / "quiet.sh").write_text("#!/bin/sh\nkubectl get pods\n")
    scripts = HelperScripts(root)
    (paused,) = typed_lines("chmod +x manuscript/pause.sh\n./manuscript/pause.sh", scripts)
    assert paused.line == 2 and paused.via == "pause.sh"
    assert "`read` waits for a line you type (pause.sh line 4)" in paused.reason
    assert typed_lines('"$ADVENTURE_DIR/quiet.sh"', scripts) == []
    assert terminal_uses("./manuscript/pause.sh", scripts) == []  # the app's panel can answer it


@pytest.mark.parametrize(
    ("intro", "flagged"),
    [
        ("Execute the command that follows in a second terminal session (in the same directory)", True),
        ("Open another terminal. Run the load generator there.", True),  # the order follows the terminal
        ("Run the load generator. Then open another terminal.", False),  # the order comes before
        ("In a new terminal, i.e. a separate window, run the load generator.", True),  # "i.e." ends no sentence
        ("Press `ctrl+c` in the second terminal. Execute the command that follows.", False),
        ("Run the load generator in another terminal.", True),
        ("Execute the commands in the block that follows in a third terminal session (in the same directory)", True),
        ("Execute the command that follows in the 4th terminal", True),
        ("Press `ctrl+c` in the second terminal session to stop watching `hey`.", False),
        ("Execute the command that follows.", False),
    ],
)
def test_prose_that_sends_a_step_to_another_terminal(intro, flagged):
    assert bool(prose_reason(intro)) is flagged


@pytest.mark.parametrize(
    ("code", "words", "until_stopped"),
    [
        ("px live px/namespaces\n\n# Press `Ctrl+c` to stop it", "ctrl+c (line 3 of the step)", True),
        ("go run .\n\n# In a separate terminal\ncurl localhost:8080/ping\n\n# `ctrl+c`", "ctrl+c", True),
        (
            "kubectl exec -t sleep -- curl http://app.production:8080\n\n"
            "# Stop `curl` (if it did not already time out) by pressing\n#   `ctrl+c`.",
            "ctrl+c (line 3 of the step)",
            True,
        ),
        ("# In a separate terminal\ncurl localhost:8080/ping", "another terminal", False),
        ("echo start\n\n# In another shell\ntouch made-there\n\necho done", "another terminal", False),
        ('echo "press ctrl+c to stop"', "", False),  # a string, not a comment
        ("cat <<EOF\n# Press ctrl+c\nEOF", "", False),  # a heredoc's text
        ("# Open the terminal settings\nkubectl get pods", "", False),
    ],
)
def test_comments_that_say_a_command_needs_the_readers_terminal(code, words, until_stopped):
    reason, stops = terminal_need(code, "", None)
    assert (words in reason if words else reason == "") and stops is until_stopped


@pytest.mark.parametrize(
    ("code", "lines"),
    [
        ("# In the second terminal\nexit", [(2, 2)]),
        ("# In a separate terminal\ncurl localhost:8080/ping", [(2, 2)]),
        ("# in another shell\nkubectl get pods", [(2, 2)]),
        ("# Run this in a new terminal\nkubectl proxy", [(2, 2)]),
        # a mention of another shell is no order to type the lines there: they run here
        ("# This variable is used by the new shell later\nexport FOO=bar\n\necho $FOO", []),
        ("# Works in zsh or in another shell too\nexport BAR=baz", []),
        ("# Press ctrl+c in the second terminal\nkubectl get pods", []),
    ],
)
def test_the_lines_a_comment_sends_to_another_terminal(code, lines):
    assert [(first, last) for first, last, _comment in other_terminal_lines(code)] == lines


def test_steps_are_marked_when_the_manuscript_is_read(write_manuscript):
    manuscript = write_manuscript(
        {
            "page.md": """
            # Page

            ```bash
            devbox shell
            ```

            ```sh
            kubectl --namespace production get canaries --watch
            ```

            > Execute the command that follows in a second terminal session

            ```sh
            hey -z 60m "http://cncf-demo.$ISTIO_HOST"
            ```

            ```sh
            ./manuscript/app/setup.sh
            ```

            ```sh
            kubectl get pods
            ```
            """,
            "app/setup.sh": "#!/bin/sh\nREPO=$(gum input --placeholder repository)\n",
        }
    )
    steps = manuscript.pages["page.md"].steps
    assert [bool(s.needs_terminal) for s in steps] == [True, True, True, True, False]
    assert steps[0].needs_terminal == "`devbox shell` starts an interactive shell"
    assert [s.runs_until_stopped for s in steps] == [False, True, False, False, False]
    assert "second terminal session" in steps[2].needs_terminal
    assert "`gum input` waits for your answer (app/setup.sh line 2)" in steps[3].needs_terminal
