"""Which steps load a secret manager's output into the shell, and which print it on the terminal."""

import pytest

from tutorial.shell import secret_managers
from tutorial.shell.secret_managers import secret_use

TELLER_PAGE = """cat teller/aws.yaml

teller env --config teller/aws.yaml

eval $(teller env --config teller/aws.yaml)

echo $PRODUCTION_POSTGRESQL
"""


@pytest.mark.parametrize(
    ("code", "loaded"),
    [
        ("eval $(teller env --config teller/aws.yaml)", "teller env --config teller/aws.yaml"),
        ('eval "$(teller sh)"', "teller sh"),
        ("source <(teller env)", "teller env"),
        (". <(doppler secrets download --no-file --format env)", "doppler secrets download --no-file --format env"),
        ("export $(teller env | xargs)", "teller env"),
        ("set -a; source <(sops --decrypt app.env); set +a", "sops --decrypt app.env"),
        ("eval $(chamber env app)", "chamber env app"),
        ("eval $(infisical export --format dotenv-export)", "infisical export --format dotenv-export"),
        ("DB=$(chamber read -q app db)", "chamber read -q app db"),
        ("if [ -f teller.yml ]; then\n  eval $(teller env)\nfi", "teller env"),
        ("eval $(/usr/local/bin/teller env)", "/usr/local/bin/teller env"),
        # a global option and its value before the subcommand
        ('eval "$(teller -c teller/aws.yaml env)"', "teller -c teller/aws.yaml env"),
        ("eval $(teller --config teller/aws.yaml sh)", "teller --config teller/aws.yaml sh"),
        ("eval $(chamber -r 3 env app)", "chamber -r 3 env app"),
    ],
)
def test_a_step_that_evaluates_a_managers_output_loads_secrets(code, loaded):
    use = secret_use(code)
    assert use.loads == (loaded,)
    assert use.prints == ()
    assert loaded in use.loads_reason


@pytest.mark.parametrize(
    ("code", "printed"),
    [
        ("teller env", "teller env"),
        ("teller show", "teller show"),
        ("teller env --config a.yaml >&2", "teller env --config a.yaml >&2"),
        ("sops -d secrets.env", "sops -d secrets.env"),
        ("doppler secrets get DB_URL --plain", "doppler secrets get DB_URL --plain"),
        ("echo $(infisical export)", "infisical export"),
        ("sudo teller env", "sudo teller env"),
        ("teller env | grep POSTGRES", "teller env"),  # what a pipeline carries reaches its end
    ],
)
def test_a_step_that_shows_a_managers_output_prints_secrets(code, printed):
    use = secret_use(code)
    assert use.prints == (printed,)
    assert use.loads == ()
    assert "cannot be known" in use.prints_reason


@pytest.mark.parametrize(
    "code",
    [
        "eval $(ssh-agent)",  # not a secret manager
        'eval "$(direnv hook bash)"',
        "echo teller env",  # words, not a command
        "# eval $(teller env)\nls",  # a comment
        "ls  # then eval $(teller env)",
        "teller env > .env",  # to a file, not the terminal
        "teller env --config a.yaml 1> /tmp/x",
        "doppler secrets download",  # without --no-file it writes a file
        "sops --encrypt --in-place secret.yaml",
        "sops exec-env secrets.env ./app",  # the secrets go to the command, not the shell
        "teller run -- ./app",
        "kubectl create secret generic db --from-literal=url=$(teller show)",  # another program's argument
        "cat <<EOF\neval $(echo teller env)\nteller env\nEOF",  # a here-document's text (its $(...) is echo)
        "vault kv get secret/db",  # left out of the table: no shell assignments
        "echo 'eval $(teller env)'",
    ],
)
def test_what_is_not_a_secret_managers_output_is_neither(code):
    assert secret_use(code) == secret_managers.NOTHING
    assert not secret_use(code)


def test_a_print_repeated_word_for_word_by_a_load_prints_the_values_the_load_makes_known():
    use = secret_use(TELLER_PAGE)
    assert use.loads == ("teller env --config teller/aws.yaml",)
    assert use.prints == ()  # the values shown are those loaded: they are masked


def test_a_print_of_other_secrets_than_those_loaded_still_prints():
    use = secret_use("teller env --config a.yaml\neval $(teller env --config b.yaml)")
    assert use.loads == ("teller env --config b.yaml",)
    assert use.prints == ("teller env --config a.yaml",)


def test_code_bashlex_cannot_read_is_taken_on_the_safe_side():
    use = secret_use("case $x in a) eval $(teller env --config a);; esac")
    assert use.loads == ("teller env --config a",)
    assert use.prints == ("teller env --config a",)  # its output kept nowhere


def test_a_step_naming_no_manager_is_not_parsed(monkeypatch):
    def refuse(code: str) -> None:
        raise AssertionError("parsed")

    monkeypatch.setattr(secret_managers, "_secret_use", refuse)
    assert secret_use("kubectl get pods\neval $(ssh-agent)") == secret_managers.NOTHING


@pytest.mark.parametrize(
    ("code", "loaded"),
    [
        ('source /dev/stdin <<< "$(teller env)"', "teller env"),
        ("source /dev/stdin <<EOF\n$(teller env)\nEOF", "teller env"),
        ("export $(grep -v '^#' <(sops -d .env) | xargs)", "sops -d .env"),
        ("export $(xargs < <(sops -d .env))", "sops -d .env"),
        ('while IFS= read -r line; do export "$line"; done < <(sops -d .env)', "sops -d .env"),
        ("mapfile -t lines < <(chamber env app)", "chamber env app"),
        ("read -r DB < <(chamber read -q app db)", "chamber read -q app db"),
    ],
)
def test_a_managers_output_read_into_the_shell_loads_secrets(code, loaded):
    assert secret_use(code).loads == (loaded,)


@pytest.mark.parametrize(
    ("code", "printed"),
    [
        ("cat <(teller env)", ("teller env",)),
        ("diff <(sops -d a.yaml) <(sops -d b.yaml)", ("sops -d a.yaml", "sops -d b.yaml")),
        ("cat <<EOF\n$(teller env)\nEOF", ("teller env",)),
    ],
)
def test_a_managers_output_a_program_reads_and_prints_is_printed(code, printed):
    use = secret_use(code)
    assert (use.loads, use.prints) == ((), printed)


@pytest.mark.parametrize(
    "code",
    [
        '[[ -d teller ]] || mkdir teller\neval "$(teller env --config teller/aws.yaml)"',
        'for ((i = 0; i < 2; i++)); do echo $i; done\neval "`teller env`"',
        'time eval "$(teller env)"',
    ],
)
def test_a_quoted_load_in_code_bashlex_cannot_read_is_found(code):
    assert secret_use(code).loads


def test_a_managers_output_in_a_programs_arguments_is_neither_loaded_nor_printed():
    assert not secret_use("kubectl create secret generic db --from-literal=pw=$(chamber read -q app db)")
    assert not secret_use("cat <<EOF\nrun teller env to see them\nEOF")


@pytest.mark.parametrize(
    "code",
    [
        "teller -c teller/aws.yaml env",
        'doppler --token "$DOPPLER_TOKEN" secrets get DB',
        "sops --config c.yaml decrypt x",
    ],
)
def test_a_managers_print_after_its_global_options_prints_secrets(code):
    assert secret_use(code).prints == (code,)


@pytest.mark.parametrize("code", ["teller run env", "doppler secrets --json set env"])
def test_a_word_no_option_owns_ends_the_search_for_the_subcommand(code):
    assert not secret_use(code)
