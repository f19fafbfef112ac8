"""Commands that need the reader's real terminal, found in the commands the shell analyser reads.

A step runs in a captured session: its output is read, its standard input is at end-of-file
in ``run``. Some commands cannot work there: a nested shell waits for lines to be typed
(``devbox shell``, ``kubectl exec -it … -- sh``), a picker or a password prompt waits for an
answer (``gum choose``, ``docker login``), a watcher or a port-forward runs until someone
stops it. This module says which command of a block is one of those and why, so the step is
run in the reader's terminal instead of being run wrongly (or hanging) in the captured one.

Lines written after a nested shell are meant to be typed inside it: :func:`nested_lines`
says which, so they are never run in the outer shell.
"""

from __future__ import annotations

import enum
import os
import re
from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path

from tutorial.manuscript.shellscan import scan
from tutorial.records import record
from tutorial.shell.commands import Command, analyse, expand, program_words, wrappers
from tutorial.shell.script_prompts import SHELL, Prompt, interpreter, language, operand, prompts, script_file


class Need(enum.StrEnum):
    """Why a command needs a real terminal."""

    SHELL = "shell"  # a nested interactive shell: lines are typed into it
    ASKS = "asks"  # a picker, a prompt, an editor, a full-screen program
    RUNS_UNTIL_STOPPED = "runs-until-stopped"  # a watcher, a port-forward, a dev loop: Ctrl+C ends it
    SECOND_TERMINAL = "second-terminal"  # the prose says to run it in another terminal


@record(frozen=True)
class TerminalUse:
    """One command that needs the reader's terminal."""

    need: Need
    reason: str  # "`devbox shell` starts an interactive shell"
    line: int  # 1-based line in the code where the command starts
    end_line: int = 0  # where it ends
    via: str = ""  # the helper script it was found in ("" in the block itself)


@record(frozen=True)
class NestedLines:
    """Lines of a block meant to be typed in the nested shell a command of it starts."""

    shell: TerminalUse
    first: int  # 1-based, inclusive
    last: int
    closing: int = 0  # the ``exit`` line that leaves the nested shell (0 when the block has none)


_SHELLS = frozenset({"sh", "bash", "zsh", "ash", "dash", "ksh", "fish", "busybox"})
_REPLS = frozenset(
    {"psql", "mysql", "redis-cli", "mongosh", "mongo", "python", "python3", "node", "irb", "sqlite3", "nu", "pwsh"}
)
#: of those prompts, the interpreters that run a script named after their options (``psql mydb`` still asks)
_SCRIPT_RUNNERS = frozenset({"python", "python3", "node", "nu", "pwsh"})
_CONTAINER_TOOLS = frozenset({"kubectl", "oc", "docker", "podman", "nerdctl"})
_PICKERS = frozenset({"choose", "input", "confirm", "write", "filter", "file", "pager", "table"})
_FULL_SCREEN = frozenset(
    {"vi", "vim", "nvim", "nano", "emacs", "less", "more", "top", "htop", "btop", "k9s", "tmux", "screen", "mc"}
)
_DEV_LOOPS = {
    ("devspace", "dev"): "`devspace dev` keeps a development session open until you stop it",
    ("odo", "dev"): "`odo dev` keeps a development session open until you stop it",
    ("tilt", "up"): "`tilt up` keeps running until you stop it",
    ("skaffold", "dev"): "`skaffold dev` keeps running until you stop it",
    ("minikube", "tunnel"): "`minikube tunnel` keeps running until you stop it",
    ("minikube", "dashboard"): "`minikube dashboard` keeps running until you stop it",
    ("kubectl", "proxy"): "`kubectl proxy` keeps running until you stop it",
    ("istioctl", "dashboard"): "`istioctl dashboard` serves a dashboard until you stop it",
    ("istioctl", "d"): "`istioctl dashboard` serves a dashboard until you stop it",
}
#: ``--watch`` that ends by itself (the command waits for something to finish)
_FINITE_WATCH = frozenset({("argo", "submit"), ("argo", "wait"), ("argo", "resubmit"), ("argo", "retry")})


def _name(word: str) -> str:
    return os.path.basename(word.strip("\"'"))


def _short_flags(args: tuple[str, ...]) -> set[str]:
    """Single-letter options, with clusters split: ``-it`` gives ``i`` and ``t``."""
    letters: set[str] = set()
    for arg in args:
        if arg == "--":
            break
        if arg.startswith("-") and not arg.startswith("--") and len(arg) > 1 and "=" not in arg:
            letters.update(arg[1:])
    return letters


def _long_flags(args: tuple[str, ...]) -> set[str]:
    found = set()
    for arg in args:
        if arg == "--":
            break
        if arg.startswith("--"):
            found.add(arg.split("=", 1)[0])
    return found


_KUBECTL_VERBS = frozenset(
    {"get", "exec", "run", "debug", "attach", "logs", "port-forward", "proxy", "edit", "rollout", "wait", "argo"}
)

#: kubectl options whose value is the next word
_KUBECTL_VALUED = frozenset(
    {
        "-n",
        "--namespace",
        "--context",
        "--kubeconfig",
        "--cluster",
        "--user",
        "-s",
        "--server",
        "--as",
        "--token",
        "-l",
        "--selector",
        "-o",
        "--output",
        "-f",
        "--filename",
        "-c",
        "--container",
        "--image",
        "--field-selector",
    }
)


def _subcommand(args: tuple[str, ...], program: str = "") -> tuple[str, ...]:
    """The words of a command that are not options, from its verb on.

    ``kubectl --namespace x get pods`` → get, pods: an option's value is not the verb.
    """
    if program not in ("kubectl", "oc"):
        return tuple(a for a in args if not a.startswith("-"))
    plain = _kubectl_words(args)
    for index, word in enumerate(plain):
        if word in _KUBECTL_VERBS:
            return tuple(plain[index:])
    return tuple(plain)


def _kubectl_words(args: tuple[str, ...]) -> list[str]:
    """kubectl's words that are neither options nor their values: ``-n argo gadget top`` → gadget, top."""
    plain: list[str] = []
    valued = False  # the word is the value of the option before it (`--namespace argo`)
    for word in args:
        if word == "--":
            break
        if valued:
            valued = False
        elif word.startswith("-"):
            valued = word in _KUBECTL_VALUED
        else:
            plain.append(word)
    return plain


def _opens_shell(inner: tuple[str, ...]) -> bool:
    """``sh``, ``bash -l``, ``/bin/sh``, ``psql``: a shell or a prompt that waits for typed lines."""
    if not inner:
        return False
    program = _name(inner[0])
    rest = inner[1:]
    if program in _REPLS:
        if program in _SCRIPT_RUNNERS and "-i" not in rest and operand(rest) is not None:
            return False  # `python3 tools/ask.py`: it runs the script, then ends
        return not any(a in ("-c", "--command", "-e", "-f", "--file") for a in rest)
    if program not in _SHELLS:
        return False
    if program == "busybox":
        return bool(rest) and _opens_shell(rest)
    return (
        all(a.startswith("-") for a in rest)
        and "-c" not in rest
        and not any("c" in a[1:] for a in rest if a[:2] != "--")
    )


def _container_shell(program: str, args: tuple[str, ...]) -> bool:
    """``kubectl exec -it pod -- sh``, ``docker run -it alpine sh``: a shell inside a container."""
    plain = _subcommand(args, program)
    if not plain:
        return False
    verbs = {"exec", "run", "debug", "attach"}
    if program in ("docker", "podman", "nerdctl") and plain[0] in ("container", "compose"):
        plain = plain[1:]
    if not plain or plain[0] not in verbs:
        return False
    letters, longs = _short_flags(args), _long_flags(args)
    interactive = "i" in letters or "--stdin" in longs or "--interactive" in longs
    tty = "t" in letters or "--tty" in longs
    if not (interactive and tty):
        return False
    if plain[0] == "attach":
        return True
    if "--" in args:
        return _opens_shell(args[args.index("--") + 1 :])
    for index in range(len(args) - 1, 0, -1):  # `docker run -it alpine sh`: the shell comes last
        if _name(args[index]) in _SHELLS | _REPLS and not args[index - 1].startswith("-"):
            return _opens_shell(args[index:])
    return False


def _watches(program: str, args: tuple[str, ...]) -> str:
    """Why a command runs until someone stops it ("" when it ends by itself)."""
    plain = _subcommand(args, program)
    first = plain[0] if plain else ""
    letters, longs = _short_flags(args), _long_flags(args)
    watch_off = any(a in ("--watch=false", "-w=false") for a in args)
    gadget = _gadget(program, args)
    if gadget:
        return gadget
    if program in ("kubectl", "oc"):
        if first == "port-forward":
            return f"`{program} port-forward` forwards a port until you stop it"
        if first == "logs" and ("f" in letters or "--follow" in longs):
            return f"`{program} logs --follow` follows the logs until you stop it"
        watching = "--watch" in longs or "--watch-only" in longs or (first == "get" and "w" in letters)
        if watching and first not in ("rollout", "wait") and not watch_off:
            return f"`{program} {first} --watch` watches until you stop it"
    elif ("--watch" in longs or "--watch-only" in longs) and not watch_off and (program, first) not in _FINITE_WATCH:
        return f"`{' '.join([program, *plain[:1]])} --watch` watches until you stop it"
    if program in ("tail", "journalctl") and ("f" in letters or "F" in letters or "--follow" in longs):
        return f"`{program} -f` follows a file until you stop it"
    if program in ("docker", "podman") and "logs" in plain[:2] and ("f" in letters or "--follow" in longs):
        return f"`{program} logs --follow` follows the logs until you stop it"
    if program == "stern" and "--no-follow" not in longs:
        return "`stern` follows the logs until you stop it"
    detached = "d" in letters or "--detach" in longs
    if program in ("docker", "podman", "docker-compose") and "up" in plain[:2] and not detached:
        return f"`{program} {'compose ' if 'compose' in plain[:1] else ''}up` runs until you stop it"
    if program == "linkerd" and "dashboard" in plain[:2]:
        return "`linkerd dashboard` serves a dashboard until you stop it"
    if program in ("cilium", "hubble") and plain[-1:] == ("ui",):
        return f"`{program} {' '.join(plain)}` serves a dashboard until you stop it"
    return _DEV_LOOPS.get((program, first), "")


def _gadget(program: str, args: tuple[str, ...]) -> str:
    """``kubectl gadget top file``, ``kubectl gadget trace exec``: Inspektor Gadget streams until stopped.

    Its ``top`` and ``trace`` gadgets (and ``advise … monitor``; in its newer form, ``run`` of a
    ``trace_`` or ``top_`` gadget image) report until Ctrl+C unless given a ``--timeout`` or,
    for ``run``, ``--detach``; ``snapshot``, ``advise … report`` and ``--help`` end by themselves.
    """
    words = _kubectl_words(args)  # (`kubectl -n prod gadget trace exec`: the namespace is no gadget)
    if program == "kubectl-gadget":
        words = ["gadget", *words]
    elif program != "kubectl":
        return ""
    if len(words) < 2 or words[0] != "gadget" or {"-h", "--help"} & set(args):
        return ""
    if any(a == "--timeout" or a.startswith("--timeout=") for a in args):
        return ""
    verb = words[1]
    if verb == "run" and len(words) > 2 and not {"-d", "--detach"} & set(args):
        image = words[2].rsplit("/", 1)[-1]  # `run trace_exec:latest`, `run ghcr.io/…/gadget/top_file`
        if image.startswith(("trace_", "top_")):
            return f"`kubectl gadget run {words[2]}` reports until you stop it"
    if verb in ("top", "trace") or (verb == "advise" and "monitor" in words[2:4]):
        shown = " ".join(words[1:3]) if verb != "advise" else "advise … monitor"
        return f"`kubectl gadget {shown}` reports until you stop it"
    return ""


def _asks(program: str, args: tuple[str, ...], stdin: bool) -> str:
    """Why a command waits for the reader's answer in the terminal ("" when it does not)."""
    plain = _subcommand(args, program)
    first = plain[0] if plain else ""
    longs = _long_flags(args)
    letters = _short_flags(args)
    if program == "sudoedit" or (program == "sudo" and ("e" in letters or "--edit" in longs)):
        return f"`{program}{' -e' if program == 'sudo' else ''}` opens your editor"
    if program == "gum" and first in _PICKERS:
        return f"`gum {first}` waits for your answer"
    if program == "gh":
        if plain[:2] == ("repo", "fork") and not {"--clone", "--remote"} <= {a.split("=")[0] for a in args}:
            return "`gh repo fork` asks whether to clone the fork and add a remote"
        if plain[:2] == ("repo", "set-default") and len(plain) < 3 and not longs & {"--view", "--unset"}:
            return "`gh repo set-default` asks you to pick the default repository"
        if plain[:2] == ("auth", "login") and "--with-token" not in longs:
            return "`gh auth login` asks how to log in"
    if (program in ("docker", "podman", "nerdctl") and first == "login") or (
        program == "helm" and plain[:2] == ("registry", "login")
    ):
        given = "--password-stdin" in longs or "--password" in longs or "p" in letters
        if not given and not stdin:
            return f"`{program} {'registry ' if program == 'helm' else ''}login` asks for a password"
    if program in _FULL_SCREEN:  # piped into or not: it reads its keys from the terminal (`... | less`)
        if program == "emacs" and "--batch" in longs:
            return ""
        return f"`{program}` is a full-screen program"
    if program in ("kubectl", "oc") and first == "edit":
        return f"`{program} edit` opens an editor"
    if program == "git" and first == "commit":
        message = {"m", "F", "C"} & letters or longs & {
            "--message",
            "--file",
            "--reuse-message",
            "--no-edit",
            "--fixup",
        }
        if not message:
            return "`git commit` without `-m` opens an editor"
    if (
        program == "git"
        and first in ("rebase", "add")
        and (("i" in letters and first == "rebase") or "p" in letters or longs & {"--interactive", "--patch"})
    ):
        return f"`git {first}` asks interactively"
    return ""


def _nested_shell(program: str, args: tuple[str, ...], stdin: bool) -> str:
    """Why a command starts a shell that waits for typed lines ("" when it does not)."""
    if stdin:
        return ""  # its input comes from a file, a heredoc or a pipe: it reads that, not the reader
    plain = _subcommand(args, program)
    first = plain[0] if plain else ""
    if program in ("devbox", "poetry", "pipenv") and first == "shell":
        return f"`{program} shell` starts an interactive shell"
    if program == "nix-shell" and not _long_flags(args) & {"--run", "--command"}:
        return "`nix-shell` starts an interactive shell"
    if program == "nix" and first == "develop" and not ({"--command"} & _long_flags(args) or "-c" in args):
        return "`nix develop` starts an interactive shell"
    if program in _CONTAINER_TOOLS and _container_shell(program, args):
        verb = next((w for w in plain if w in ("exec", "run", "debug", "attach")), first)
        return f"`{program} {verb} -it … {_shown_inner(args)}` opens a shell inside the container"
    if _opens_shell((program, *args)):
        return f"`{program}` starts an interactive shell"
    if program == "su" and "-c" not in args and "--command" not in _long_flags(args):
        return "`su` starts an interactive shell"
    if program == "sudo":  # (a program after its options would be the one examined: it runs none)
        letters, longs = _short_flags(args), _long_flags(args)
        if "i" in letters or "--login" in longs:
            return "`sudo -i` starts an interactive shell"
        if "s" in letters or "--shell" in longs:
            return "`sudo -s` starts an interactive shell"
    if program == "ssh" and len(plain) == 1:
        return "`ssh` without a command starts an interactive shell"
    return ""


def _shown_inner(args: tuple[str, ...]) -> str:
    if "--" in args:
        return "-- " + " ".join(args[args.index("--") + 1 :])
    return _name(args[-1]) if args else ""


#: a program named by the reader's editor or pager setting: ``"${EDITOR:-vi}" notes.txt``
_EDITOR_SETTING = re.compile(r"""["']?\$\{?(EDITOR|VISUAL|PAGER|GIT_EDITOR|KUBE_EDITOR)\b""")


def command_needs(command: Command) -> TerminalUse | None:
    """Whether ``command`` needs the reader's terminal, and why."""
    if not command.words or command.background:
        return None
    words = program_words(command.words)
    if not words:
        words = command.words
    setting = _EDITOR_SETTING.match(words[0])
    if setting is not None:  # whatever it names, it is full-screen: an editor or a pager reads its keys
        what = "pager" if setting.group(1) == "PAGER" else "editor"
        return TerminalUse(Need.ASKS, f"`{words[0]}` opens your {what}", command.line, command.end_line)
    program, args = _name(words[0]), words[1:]
    if program == "watch" or "watch" in map(_name, wrappers(command.words)):  # (`/usr/bin/watch` too)
        return TerminalUse(
            Need.RUNS_UNTIL_STOPPED, "`watch` reruns a command until you stop it", command.line, command.end_line
        )
    reason = _nested_shell(program, args, command.stdin)
    if reason:
        return TerminalUse(Need.SHELL, reason, command.line, command.end_line)
    reason = _asks(program, args, command.stdin)
    if reason:
        return TerminalUse(Need.ASKS, reason, command.line, command.end_line)
    reason = _watches(program, args)
    if reason:
        return TerminalUse(Need.RUNS_UNTIL_STOPPED, reason, command.line, command.end_line)
    return None


#: finds a helper script a command runs: (the word as written) → (its manuscript-relative path, its text)
ScriptFinder = Callable[[str], "tuple[str, str] | None"]


#: words without which no command of a block can need a terminal: most blocks are not read further
_CANDIDATE = re.compile(
    r"\b(?:shell|watch|port-forward|dashboard|proxy|tunnel|login|gum|gh|attach|edit|rebase|logs|tail|journalctl|gadget"
    r"|stern|ssh|su|sudo|sudoedit|nix-shell|develop|(?:devspace|odo|skaffold)\s+dev|(?:compose|tilt)\s+up|hubble\s+ui)\b"
    r"|\bgit\s+add\s+-|\bgit\s+commit\b(?![^\n]*\s-(?:\w*[mFC]|-message|-file|-no-edit|-fixup))"
    r"|(?<![\w-])-[A-Za-z]*[tw][A-Za-z]*\b|--tty|--watch"
    r"|(?<![.\w-])(?:" + "|".join(sorted(_SHELLS | _REPLS | _FULL_SCREEN)) + r")\b"
    r"|\$\{?(?:EDITOR|VISUAL|PAGER|GIT_EDITOR|KUBE_EDITOR)\b"
)
#: words that may name a helper script: ``./manuscript/x.sh``, ``"$ADVENTURE_DIR/x.sh"``, ``x.sh``
_SCRIPT_WORD = re.compile(r"""(?:^|[\s;&|(])("?(?:\.{0,2}/|\$\{?ADVENTURE_DIR\b)[^\s;&|()]*|[\w./-]+\.sh\b)""", re.M)

_FOCUS = re.compile(f"{_CANDIDATE.pattern}|{_SCRIPT_WORD.pattern}", re.M)


def might_need_terminal(code: str) -> bool:
    """A cheap first look: False means no command of ``code`` can need a terminal."""
    return _CANDIDATE.search(code) is not None


def _calls_a_script_that_might(code: str, scripts: ScriptFinder | None, depth: int) -> bool:
    """Whether ``code`` names a helper script that itself might need a terminal (read once each)."""
    if scripts is None or depth >= 3:
        return False
    for match in _SCRIPT_WORD.finditer(code):
        script = scripts(match.group(1).strip('"'))
        if script is not None and (might_need_terminal(script[1]) or _SCRIPT_WORD.search(script[1])):
            return True
    return False


def _reads_a_typed_line(command: Command) -> TerminalUse | None:
    """``read`` from the terminal: "Press any key to continue", "Please input the public key";
    and ``select``, whose menu waits for the number of the reader's pick."""
    if not command.words or command.background or command.stdin:
        return None
    words = program_words(command.words) or command.words
    if _name(words[0]) == "select":
        return TerminalUse(Need.ASKS, "`select` waits for you to pick an entry", command.line, command.end_line)
    if _name(words[0]) != "read" or "u" in _short_flags(words[1:]):
        return None  # `read -u 3`: from a descriptor the block opened, not the reader
    return TerminalUse(Need.ASKS, "`read` waits for a line you type", command.line, command.end_line)


_READ = re.compile(r"\b(?:read|select)\b")
#: a script in another language run by its interpreter: ``nu dot.nu``, ``python3 tools/ask.py``
_OTHER_SCRIPT = re.compile(r"\b(?:nu|python[\d.]*|node|nodejs|ruby|pwsh|powershell|perl)\s")
_READ_FOCUS = re.compile(f"{_READ.pattern}|{_SCRIPT_WORD.pattern}|{_OTHER_SCRIPT.pattern}", re.M)


def typed_lines(code: str, scripts: ScriptFinder | None = None, *, depth: int = 0) -> list[TerminalUse]:
    """Every ``read`` of ``code`` (and of the helper scripts it runs) that waits for a line typed by the reader.

    The app's captured session can take that line (the reader answers in the output panel),
    so such a step does not need a real terminal; but ``run``, whose standard input is at its
    end, would go on with an empty answer (``PUBLIC_KEY=""``), or stop a ``set -e`` script
    for no reason the reader can see, so it must not run it there.
    """
    calls_scripts = scripts is not None and (_SCRIPT_WORD.search(code) or _OTHER_SCRIPT.search(code))
    if depth >= 3 or (not _READ.search(code) and not calls_scripts):
        return []
    found: list[TerminalUse] = []
    for command in analyse(code, _READ_FOCUS).commands:
        if depth and command.branch:
            continue
        use = _reads_a_typed_line(command)
        if use is not None:
            found.append(use)
            continue
        if scripts is None or command.background:
            continue
        if isinstance(scripts, HelperScripts):
            asked = _through_other_language(command, scripts)
            if asked is not None:
                found.append(asked)
                continue
        via = _through_script(command, scripts, lambda text: typed_lines(text, scripts, depth=depth + 1), "where ")
        if via is not None:
            found.append(via)
    return found


def _through_other_language(command: Command, scripts: HelperScripts) -> TerminalUse | None:
    """The first prompt of the script in another language ``command`` runs (``./dot.nu``, ``nu x.nu``).

    Told as a use of the command itself, with where the prompt is and how many the script
    (with the files it reads in) holds: which of them a given subcommand reaches is not read,
    so each counts.
    """
    for word in _other_language_words(command):
        found = scripts.prompts(word)
        if found is None:
            continue
        _script, asked = found
        if not asked:
            return None
        first = asked[0]
        more = f"; {len(asked)} prompts in all" if len(asked) > 1 else ""
        reason = f"`{word}` runs a script where {first.reason} ({first.path} line {first.line}{more})"
        return TerminalUse(Need.ASKS, reason, command.line, command.end_line, first.path)
    return None


def _other_language_words(command: Command) -> Iterator[str]:
    """The word of a command that may name a script in another language: the program, or what its interpreter runs.

    ``python3 -c '…'`` and ``python3 -m tool`` run no file: nothing is read for them.
    """
    words = program_words(command.words) or command.words
    if not words:
        return
    if interpreter(words[0]):
        script = script_file(words[1:])
        if script is not None:
            yield script
        return
    if "/" in words[0]:
        yield words[0]


#: dev loops that may open a terminal in the development container (devspace.yaml ``dev.*.terminal``)
_DEV_TERMINALS = {("devspace", "dev"): "`devspace dev` opens a terminal in the development container"}


def _dev_terminal(command: Command, use: TerminalUse, code: str) -> TerminalUse:
    """``devspace dev`` followed by lines and an ``exit``: the block types those lines in its terminal.

    Left as a dev loop, the lines after it (``go run .``, ``exit``) would run in the outer shell once
    it stops; an ``exit`` later in the block says the author is inside a shell until then.
    """
    words = program_words(command.words) or command.words
    plain = _subcommand(words[1:])
    reason = _DEV_TERMINALS.get((_name(words[0]), plain[0] if plain else ""))
    if reason is None or command.stdin:
        return use
    later = (c for c in analyse(code).commands if c.line > command.end_line and not c.function)
    if not any(c.words and c.words[0] in ("exit", "logout") for c in later):
        return use
    return TerminalUse(Need.SHELL, reason, use.line, use.end_line)


def terminal_uses(code: str, scripts: ScriptFinder | None = None, *, depth: int = 0) -> list[TerminalUse]:
    """Every command of ``code`` (and of the helper scripts it runs) that needs the reader's terminal."""
    found: list[TerminalUse] = []
    if not might_need_terminal(code) and not _calls_a_script_that_might(code, scripts, depth):
        return found
    for command in analyse(code, _FOCUS).commands:
        if depth and command.branch:
            continue  # in a helper script, a branch may never run: `registry.sh login` on a registry without one
        use = command_needs(command)
        if use is not None:
            if use.need is Need.RUNS_UNTIL_STOPPED and not depth:
                use = _dev_terminal(command, use, code)
            found.append(use)
            continue
        if scripts is None or depth >= 3 or command.background:
            continue
        via = _through_script(
            command, scripts, lambda text: terminal_uses(text, scripts, depth=depth + 1), "that needs a terminal: "
        )
        if via is not None:
            found.append(via)
    return found


def _through_script(
    command: Command, scripts: ScriptFinder, look: Callable[[str], list[TerminalUse]], link: str
) -> TerminalUse | None:
    """What ``look`` finds first in the helper script ``command`` runs, told as a use of ``command`` itself.

    Only the first script the command names is read: it is the program, the rest are its arguments.
    """
    for word in script_words(command):
        script = scripts(word)
        if script is None:
            continue
        path, text = script
        inner = look(text)
        if not inner:
            return None
        first = inner[0]
        where = f"{first.via or path} line {first.line}"
        reason = f"`{word}` runs a script {link}{first.reason} ({where})"
        return TerminalUse(first.need, reason, command.line, command.end_line, first.via or path)
    return None


def script_words(command: Command) -> Iterator[str]:
    """The words of a command that may name a helper script: the program, or what ``bash``/``source`` runs.

    Every reader of helper scripts (prompts, terminals, doctor's kubectl plugins) asks this one.
    """
    words = program_words(command.words) or command.words
    if not words:
        return
    if _name(words[0]) in ("bash", "sh", "source", ".", "zsh"):
        rest = [w for w in words[1:] if not w.startswith("-")]
        if rest:
            yield rest[0]
        return
    if "/" in words[0] or words[0].endswith(".sh"):
        yield words[0]


def nested_lines(code: str, uses: list[TerminalUse]) -> list[NestedLines]:
    """The lines after each nested shell of ``code`` up to its ``exit``: meant to be typed inside it."""
    if not any(use.need is Need.SHELL and not use.via for use in uses):
        return []  # (most steps open no shell: nothing to read)
    commands = analyse(code).commands
    total = len(code.splitlines())
    found: list[NestedLines] = []
    for use in uses:
        if use.need is not Need.SHELL or use.via:
            continue
        if found and found[-1].last >= use.line:
            continue  # a shell opened inside another one's lines: typed there too
        after = [c for c in commands if c.line > use.end_line and not c.function]
        if not after:
            continue
        closing = next((c for c in after if c.words and c.words[0] in ("exit", "logout")), None)
        last = closing.line - 1 if closing is not None else total
        found.append(NestedLines(use, use.end_line + 1, max(last, use.end_line), closing.line if closing else 0))
    return [n for n in found if n.last >= n.first or n.closing]


def clone_root(root: Path) -> Path | None:
    """The root of the clone whose ``manuscript`` folder ``root`` is (None when ``root`` is named otherwise).

    The steps of a clone's manuscript run from that root: ``./dot.nu`` and ``scripts/x.nu``
    beside the ``manuscript`` folder are the repository's own files, read as its helper scripts.
    """
    return root.parent if root.name == "manuscript" else None


@record(frozen=True)
class HelperScript:
    """A helper script a step runs, read."""

    file: Path
    shown: str  # its path as the reader knows it: in the manuscript, or else in the clone (``dot.nu``)
    text: str
    language: str  # "shell", "nu", "python", …: only a shell script is read as one


class HelperScripts:
    """The manuscript's helper scripts, found the way a step's shell would find them, read once.

    A step calls ``./manuscript/gitops/flux.sh`` from the clone's root,
    ``"$ADVENTURE_DIR/registry/dragonfly.sh"`` or, beside a clone's ``manuscript`` folder,
    ``./dot.nu``; only files inside the manuscript (or that clone) are read.
    """

    def __init__(self, root: Path) -> None:
        self.root = root.resolve()
        self.area = clone_root(self.root) or self.root  # (the one rule: doctor asks it too)
        self._bases = (self.root.parent, self.root)
        self._env = {"ADVENTURE_DIR": str(self.root), "HOME": os.path.expanduser("~")}
        #: what each script word's prompts are: read once, as the scripts themselves are (_read_script)
        self._prompts: dict[str, tuple[HelperScript, list[Prompt]] | None] = {}

    def __call__(self, word: str) -> tuple[str, str] | None:
        """The shell script ``word`` names: (its shown path, its text); None for one in another language."""
        script = self.read(word)
        if script is None or script.language != SHELL:
            return None
        return script.shown, script.text

    def read(self, word: str) -> HelperScript | None:
        """The helper script ``word`` names, whatever its language (None when there is none here)."""
        return _read_script(self.root, self.area, self._bases, word, tuple(sorted(self._env.items())))

    def places(self, word: str) -> list[Path]:
        """Where ``word`` (as a step's shell expands it) would be inside the manuscript or its clone: none outside."""
        return _places(self.area, self._bases, word, tuple(sorted(self._env.items())))

    def in_repository(self, place: Path) -> str:
        """``place`` as a path of the manuscript's repository: ``manuscript/x.sh``, ``dot.nu``."""
        return place.relative_to(self.root.parent).as_posix()

    def prompts(self, word: str) -> tuple[HelperScript, list[Prompt]] | None:
        """Where the script ``word`` names waits for the reader, when it is not a shell script.

        Shell scripts are read by the shell analyser (:func:`typed_lines`); a Nushell or Python
        one by what reads its language. Files it reads in are read only inside the same area.
        """
        if word in self._prompts:
            return self._prompts[word]
        script = self.read(word)
        found = None
        if script is not None and script.language != SHELL:
            found = script, prompts(script.file, script.shown, script.text, script.language, self._read_file)
        self._prompts[word] = found
        return found

    def _read_file(self, file: Path) -> tuple[str, str] | None:
        script = _read_file(self.root, self.area, file)
        return (script.shown, script.text) if script is not None else None


def _places(area: Path, bases: tuple[Path, ...], word: str, env: tuple[tuple[str, str], ...]) -> list[Path]:
    target = expand(word, dict(env))
    if target is None:
        return []
    candidates = [Path(target)] if os.path.isabs(target) else [base / target for base in bases]
    found = []
    for candidate in candidates:
        try:
            resolved = candidate.resolve()
            resolved.relative_to(area)
        except (OSError, ValueError):
            continue
        found.append(resolved)
    return found


@lru_cache(maxsize=256)
def _read_script(
    root: Path, area: Path, bases: tuple[Path, ...], word: str, env: tuple[tuple[str, str], ...]
) -> HelperScript | None:
    for resolved in _places(area, bases, word, env):
        script = _read_file(root, area, resolved)
        if script is not None:
            return script
    return None


@lru_cache(maxsize=256)
def _read_file(root: Path, area: Path, file: Path) -> HelperScript | None:
    """The helper script at ``file``, when it is one inside ``area`` (the first 512 kB of it)."""
    try:
        resolved = file.resolve()
        resolved.relative_to(area)
    except (OSError, ValueError):
        return None  # (outside the manuscript and its clone: never read)
    if not resolved.is_file() or resolved.suffix in (".md", ".yaml", ".yml", ".json"):
        return None
    try:
        with open(resolved, "rb") as stream:
            raw = stream.read(512_000)
    except OSError:
        return None
    text = raw.decode("utf-8", errors="replace")
    inside = resolved.is_relative_to(root)
    shown = resolved.relative_to(root if inside else area).as_posix()
    return HelperScript(resolved, shown, text, language(resolved, text))


_INPUT_END = "__ADV_TYPED_INSIDE__"


def typed_inside(code: str, nested: list[NestedLines]) -> str:
    """``code`` for the reader's terminal: the nested shells' lines left for the reader to type.

    The lines (and the ``exit`` that closes the shell) become blank, so line numbers still
    match the page; :func:`guide` says what to type.
    """
    lines = code.splitlines()
    for item in nested:
        for number in range(item.first, (item.closing or item.last) + 1):
            if 0 < number <= len(lines):
                lines[number - 1] = ""
    return "\n".join(lines)


def given_as_input(code: str, nested: list[NestedLines]) -> str:
    """``code`` for a captured session: each nested shell reads its lines from a heredoc.

    ``kubectl exec -it pod -- sh`` followed by ``apk add curl`` and ``exit`` becomes the
    same command reading ``apk add curl`` from its standard input, so those lines run inside
    the container, never in the outer shell. The heredoc's end replaces the ``exit`` line.
    """
    lines = code.splitlines()
    ends = scan(lines).code_end
    for item in reversed(nested):
        at = item.shell.end_line - 1
        if not 0 <= at < len(lines):
            continue
        end = ends[at] if ends[at] >= 0 else len(lines[at])
        lines[at] = f"{lines[at][:end].rstrip()} <<'{_INPUT_END}' {lines[at][end:]}".rstrip()
        if item.closing:
            lines[item.closing - 1] = _INPUT_END
        else:
            lines.insert(item.last, _INPUT_END)
    return "\n".join(lines)


def guide(code: str, nested: list[NestedLines]) -> list[str]:
    """What to type in each nested shell, for the reader's terminal."""
    lines = code.splitlines()
    notes = []
    for item in nested:
        typed = [text for text in lines[item.first - 1 : item.last] if text.strip()]
        notes.append(
            f"Line {item.shell.line} opens a shell ({item.shell.reason}). Type these lines in it, then `exit`:\n"
            + "\n".join(f"    {text}" for text in typed)
        )
    return notes


def outer_code(code: str) -> str:
    """``code`` without the lines meant for its nested shells: what the outer shell itself runs.

    ``apk add curl`` typed inside ``kubectl exec -it … -- sh`` runs in the container, so it is
    not a program this machine needs.
    """
    nested = nested_lines(code, terminal_uses(code))
    return typed_inside(code, nested) if nested else code
