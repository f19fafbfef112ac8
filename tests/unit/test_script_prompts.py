"""Helper scripts in another language than the shell's (Nushell, Python), and where they wait for the reader."""

from __future__ import annotations

from pathlib import Path

import pytest

from tutorial.shell.commands import missing_programs
from tutorial.shell.interactive import HelperScripts, terminal_uses, typed_lines
from tutorial.shell.nushell import NuPrompt, NuSource, read_nushell
from tutorial.shell.script_prompts import language

DOT_NU = """#!/usr/bin/env nu

source scripts/x.nu

def main [] {}

# Sets up the chapter
def "main setup idp" [] {
    rm --force .env
    main apply things
}
"""

X_NU = """# Things the chapter applies
def "main apply things" [] {

    if THING_KEY not-in $env {
        $env.THING_KEY = input $"(ansi yellow_bold)Enter the thing key: (ansi reset)"
    }
    $"export THING_KEY=($env.THING_KEY)\\n" | save --append .env
}
"""


@pytest.fixture
def clone(tmp_path: Path) -> Path:
    """A clone of a manuscript's repository: ``manuscript/`` beside ``dot.nu`` and ``scripts/``."""
    root = tmp_path / "clone"
    (root / "manuscript").mkdir(parents=True)
    (root / "scripts").mkdir()
    (root / "manuscript" / "page.md").write_text("# Page\n\n```sh\n./dot.nu setup idp\n```\n")
    (root / "dot.nu").write_text(DOT_NU)
    (root / "scripts" / "x.nu").write_text(X_NU)
    return root


def test_a_nushell_script_beside_the_manuscript_that_asks_for_a_line(clone: Path) -> None:
    scripts = HelperScripts(clone / "manuscript")
    (asked,) = typed_lines("source .env\n./dot.nu setup idp", scripts)
    assert asked.line == 2 and asked.via == "scripts/x.nu"
    assert asked.reason == "`./dot.nu` runs a script where `input` waits for a line you type (scripts/x.nu line 5)"
    (by_name,) = typed_lines("nu dot.nu setup idp", scripts)  # its interpreter named: the same script
    assert "(scripts/x.nu line 5)" in by_name.reason
    assert terminal_uses("./dot.nu setup idp", scripts) == []  # the app's answer line can take that line


def test_a_nushell_script_without_a_prompt_asks_nothing(clone: Path) -> None:
    (clone / "scripts" / "x.nu").write_text('def "main apply things" [] {\n    let input = "kept"\n    $input\n}\n')
    (clone / "quiet.nu").write_text("#!/usr/bin/env nu\n# input is read from the .env file\nls | get name\n")
    scripts = HelperScripts(clone / "manuscript")
    assert scripts.prompts("./dot.nu") is not None  # read, as Nushell
    assert typed_lines("./dot.nu setup idp\n./quiet.nu", scripts) == []


def test_a_file_outside_the_clone_is_never_read(clone: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside.nu"
    outside.write_text('input "Where does this go? "\n')
    (clone / "dot.nu").write_text(f"source ../outside.nu\nsource {outside}\nsource scripts/x.nu\n")
    scripts = HelperScripts(clone / "manuscript")
    (asked,) = typed_lines("./dot.nu setup idp", scripts)
    assert asked.reason.endswith("(scripts/x.nu line 5)")  # the clone's own file, and only it: one prompt
    found = scripts.prompts("./dot.nu")
    assert found is not None and [p.path for p in found[1]] == ["scripts/x.nu"]
    assert scripts.read("../outside.nu") is None and scripts.read(str(outside)) is None
    assert typed_lines(f"{outside}\n../outside.nu", scripts) == []
    book = clone / "book"
    (clone / "manuscript").rename(book)  # no clone's `manuscript` folder: its parent is not the repository
    assert typed_lines("./dot.nu setup idp", HelperScripts(book)) == []


def test_source_cycles_end(clone: Path) -> None:
    scripts_dir = clone / "scripts"
    (clone / "dot.nu").write_text("source scripts/a.nu\n")
    (scripts_dir / "a.nu").write_text("source b.nu\nsource a.nu\n")  # relative to the file that reads it in
    (scripts_dir / "b.nu").write_text(
        "source a.nu\nsource ../dot.nu\nuse b.nu *\nlet name = (input --suppress-output)\n"
    )
    found = HelperScripts(clone / "manuscript").prompts("./dot.nu")
    assert found is not None
    assert [(p.path, p.line, p.reason) for p in found[1]] == [
        ("scripts/b.nu", 4, "`input --suppress-output` waits for a secret you type")
    ]


def test_a_module_folder_is_read_from_its_mod_nu(clone: Path) -> None:
    (clone / "scripts" / "kit").mkdir()
    (clone / "scripts" / "kit" / "mod.nu").write_text('export def ask [] { input -s "Token: " }\n')
    (clone / "dot.nu").write_text("use scripts/kit\noverlay use scripts/x.nu\n")
    found = HelperScripts(clone / "manuscript").prompts("./dot.nu")
    assert found is not None and [(p.path, p.line) for p in found[1]] == [
        ("scripts/kit/mod.nu", 1),
        ("scripts/x.nu", 5),
    ]


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        ('let answer = input "Name: "', [1]),
        ('$env.KEY = input $"(ansi green)Key:(ansi reset) "', [1]),
        ("print 'Press enter'\ninput\nls", [2]),
        ('[a b] | input list "Pick one"', [1]),
        ('if $ask {\n    input "Again? "\n} else { "no" }', [2]),
        ("print $\"Hello (input 'Who? ')\"", [1]),  # code inside an interpolated string
        ('echo "input your key"', []),  # a string
        ("# input the key below\nls", []),  # a comment
        ("let input = 1\n$input | into string", []),  # a variable of that name
        ("open data.json | get input", []),  # a word given to a command
        ("(\n    kubectl get pods\n        input\n)", []),  # in parentheses a newline separates words only
        ("main apply --input x", []),
        ("r#'\ninput \"raw\"\n'#\nls", []),  # a raw string
        ("^input", []),  # an external program of that name, not Nushell's prompt
    ],
)
def test_nushell_prompts_are_commands_not_words(text: str, lines: list[int]) -> None:
    assert [item.line for item in read_nushell(text) if isinstance(item, NuPrompt)] == lines


def test_nushell_prompt_kinds_and_sources() -> None:
    text = 'source "scripts/one.nu"\ninput -s "Token: "\ninput listen\nsource $path\nuse std *\n'
    items = read_nushell(text)
    assert [type(i).__name__ for i in items] == ["NuSource", "NuPrompt", "NuPrompt", "NuSource"]
    assert items[0] == NuSource(1, "scripts/one.nu") and items[3] == NuSource(5, "std")
    assert isinstance(items[1], NuPrompt) and items[1].secret
    assert isinstance(items[2], NuPrompt) and items[2].reason == "`input listen` waits for a key you press"


@pytest.mark.parametrize(
    ("name", "head", "kind"),
    [
        ("dot.nu", "#!/usr/bin/env nu\n", "nu"),
        ("tool", "#!/usr/bin/env -S nu --stdin\n", "nu"),
        ("ask", "#!/usr/bin/python3.12\n", "python"),
        ("ask.py", "import sys\n", "python"),
        ("run.nu", "#!/bin/bash\n", "shell"),  # its #! line says more than its name
        ("setup.sh", "echo hi\n", "shell"),
        ("setup", "echo hi\n", "shell"),
        ("fishy", "#!/usr/bin/env fish\n", "fish"),  # neither a shell bash reads nor a known language
        ("app.js", "", "node"),
    ],
)
def test_the_language_of_a_helper_script(name: str, head: str, kind: str) -> None:
    assert language(Path(name), head) == kind


def test_a_nushell_script_is_not_read_as_bash(tmp_path: Path) -> None:
    root = tmp_path / "manuscript"
    root.mkdir()
    (root / "tool.nu").write_text('def "main go" [] {\n    let pods = (kubectl get pods)\n}\n')
    assert HelperScripts(root)("./manuscript/tool.nu") is None  # no shell script: the shell analyser never gets it
    found = missing_programs("./tool.nu go", env={"PATH": ""}, cwd=root, defined=set(), scripts_root=root)
    assert [m.name for m in found] == []  # not `def`, `let`: words of Nushell, no programs


def test_a_python_helper_script_that_asks(clone: Path) -> None:
    tools = clone / "manuscript" / "tools"
    tools.mkdir()
    (tools / "ask.py").write_text(
        "import getpass\n\n\ndef main():\n    name = input('Name: ')\n    token = getpass.getpass()\n"
    )
    (tools / "quiet.py").write_text("print('input() is not called here')\n")
    scripts = HelperScripts(clone / "manuscript")
    (asked,) = typed_lines("python3 manuscript/tools/ask.py --verbose", scripts)
    assert asked.reason == (
        "`manuscript/tools/ask.py` runs a script where `input()` waits for a line you type"
        " (tools/ask.py line 5; 2 prompts in all)"
    )
    assert typed_lines("python3 manuscript/tools/quiet.py\npython3 -c 'input()'", scripts) == []


@pytest.mark.parametrize(
    ("code", "shell"),
    [
        ("python3 tools/run.py --fast", False),  # runs the script, then ends
        ("node server.js", False),
        ("python3", True),
        ("python3 -i tools/run.py", True),  # the prompt after the script
        ("psql mydb", True),  # a database's name, not a script: psql still asks
        ("python3 -W ignore", True),  # an option's value names no script: the prompt opens
        ("node -r dotenv/config", True),
        ("python3 -W ignore tools/run.py", False),
        ("python3 -m http.server", False),
        ("nu", True),  # Nushell's own prompt
        ("nu dot.nu setup", False),
        ("nu -c 'ls'", False),
    ],
)
def test_an_interpreter_given_a_script_starts_no_prompt(code: str, shell: bool) -> None:
    assert bool(terminal_uses(code)) is shell


def test_a_python_script_is_read_past_the_options_before_it_and_not_stopped_by_its_own(clone: Path) -> None:
    tools = clone / "manuscript" / "tools"
    tools.mkdir()
    (tools / "ask.py").write_text("if __name__ == '__main__':\n    name = input('Name: ')\n")
    scripts = HelperScripts(clone / "manuscript")
    for code in (
        "python3 -W ignore manuscript/tools/ask.py",  # -W takes a value: the script comes after it
        "python3 manuscript/tools/ask.py -c config.yaml",  # -c is the script's own option here
        "python3 -u manuscript/tools/ask.py -m note",
    ):
        (asked,) = typed_lines(code, scripts)
        assert "`input()` waits for a line you type (tools/ask.py line 2)" in asked.reason, code
    assert typed_lines("python3 -c 'import tools.ask'\npython3 -m tools.ask", scripts) == []


def test_a_long_or_deeply_nested_script_is_read_in_time_or_said_to_be_unreadable(clone: Path) -> None:
    tools = clone / "manuscript" / "tools"
    tools.mkdir()
    (tools / "long.nu").write_text("input\n" + "echo a b c d e f\n" * 30_000)  # 500 kB, a command a line
    (tools / "deep.nu").write_text("input\nprint " + '$"(' * 3000 + "x" + ')"' * 3000 + "\n")
    (tools / "deep.py").write_text("name = input()\ntotal = " + "+".join(["1"] * 100_000) + "\n")
    scripts = HelperScripts(clone / "manuscript")
    (asked,) = typed_lines("nu manuscript/tools/long.nu", scripts)
    assert "`input` waits for a line you type (tools/long.nu line 1)" in asked.reason
    for code in ("nu manuscript/tools/deep.nu", "python3 manuscript/tools/deep.py"):
        (unsure,) = typed_lines(code, scripts)
        assert "it nests too deeply to be read" in unsure.reason, code


def test_a_python_prompt_under_another_name_is_found(clone: Path) -> None:
    tools = clone / "manuscript" / "tools"
    tools.mkdir()
    (tools / "ask.py").write_text(
        "import builtins\nimport click as c\nfrom getpass import getpass as secret\n\n"
        "name = builtins.input('Name: ')\ntoken = secret()\nif c.confirm('Go on?'):\n    pass\n"
    )
    (tools / "quiet.py").write_text("def confirm():\n    return True\n\nconfirm()\nprint('prompt')\n")
    scripts = HelperScripts(clone / "manuscript")
    (asked,) = typed_lines("python3 manuscript/tools/ask.py", scripts)
    assert asked.reason.endswith("`input()` waits for a line you type (tools/ask.py line 5; 3 prompts in all)")
    assert typed_lines("python3 manuscript/tools/quiet.py", scripts) == []


def test_a_scripts_prompts_are_read_once(clone: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every step that runs `./dot.nu` asks: its scripts are read for prompts the first time only."""
    import tutorial.shell.interactive as interactive

    calls = []
    reader = interactive.prompts

    def counting(*args: object) -> object:
        calls.append(args[1])
        return reader(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(interactive, "prompts", counting)
    scripts = HelperScripts(clone / "manuscript")
    first = scripts.prompts("./dot.nu")
    assert first is not None and first[1]
    assert scripts.prompts("./dot.nu") == first
    assert calls == ["dot.nu"]


def test_a_script_in_a_language_read_nowhere_here_may_ask(clone: Path) -> None:
    """A Node script is not read: it is not said to ask nothing (run would start it with no one to answer)."""
    (clone / "tools").mkdir()
    (clone / "tools" / "setup.js").write_text("#!/usr/bin/env node\nconst rl = require('readline');\n")
    (asked,) = typed_lines("./tools/setup.js", HelperScripts(clone / "manuscript"))
    assert "a node script, which is not read here" in asked.reason and "it may wait for you" in asked.reason
