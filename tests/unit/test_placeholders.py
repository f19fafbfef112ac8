"""``[...]`` placeholders: names, prompts, secrets, and where they are not placeholders."""

import pytest

from tutorial.manuscript.placeholders import looks_secret, name_from_prompt
from tutorial.manuscript.shellscan import scan


def _steps(write_manuscript, code: str):
    m = write_manuscript({"a.md": "# A\n\n```bash\n" + code + "\n```\n"})
    return m.page("a.md").steps


def _step(write_manuscript, code: str):
    (step,) = _steps(write_manuscript, code)
    return step


def test_export_forms_and_prompts(write_manuscript):
    step, later = _steps(
        write_manuscript,
        "\n".join(
            [
                "# Replace `[...]` with your Docker Hub user name",
                "export DOCKERHUB_USERNAME=[...]",
                "",
                "# Replace `[...]` with a valid Kubernetes version from the",
                "#   previous output.",
                'export K8S_VERSION="[...]"',
            ]
        ),
    )
    (user,) = step.placeholders
    assert (user.name, user.prompt, user.assigned) == ("DOCKERHUB_USERNAME", "Your Docker Hub user name", True)
    (version,) = later.placeholders  # asked once the lines before it ran (see test_questions.py)
    assert version.name == "K8S_VERSION"
    assert version.prompt == "A valid Kubernetes version from the previous output."
    assert (user.line, version.line) == (5, 9)


def test_a_prompt_cut_short_is_completed_from_the_variable_it_sets(write_manuscript):
    step = _step(
        write_manuscript,
        "\n".join(
            [
                "# Replace `[...]` with your desired",
                'export GCP_REGION="[...]"',
                "# Replace `[...]` with your desired",
                "export GCP_NETWORK_NAME=[...]",
                "# Replace `[...]` with your desired region",
                "export AWS_REGION=[...]",
                "# Replace `[...]` with your account ID",
                "export ACCOUNT_ID=[...]",
            ]
        ),
    )
    assert [p.prompt for p in step.placeholders] == [
        "Your desired GCP region",
        "Your desired GCP network name",
        "Your desired region",  # whole: left as written
        "Your account ID",
    ]


def test_blank_line_between_comment_and_line_is_tolerated(write_manuscript):
    step = _step(write_manuscript, "# Replace `[...]` with your email.\n\nexport EMAIL=[...]")
    (email,) = step.placeholders
    assert email.prompt == "Your email."


def test_placeholder_embedded_in_a_command(write_manuscript):
    step = _step(write_manuscript, "# Your GitHub user\ngh repo clone --owner [...] demo\necho [...]\n\necho [...]")
    owner, user, unnamed = step.placeholders
    assert (owner.name, owner.assigned, owner.prompt) == ("@OWNER", False, "Your GitHub user")
    assert (user.name, user.assigned) == ("@GITHUB_USER", False)  # named after what the comment asks for
    assert unnamed.name == "@VALUE_LINE_8" and unnamed.prompt == ""


@pytest.mark.parametrize(
    ("prompt", "name"),
    [
        ("The image tag from the output", "IMAGE_TAG"),
        ("A valid Kubernetes version from the previous output.", "KUBERNETES_VERSION"),
        ("your email", "EMAIL"),
        ("the domain (e.g., sillydemo.com)", "DOMAIN"),
    ],
)
def test_names_from_prompts(prompt, name):
    assert name_from_prompt(prompt) == name


def test_placeholders_in_comments_are_not_placeholders(write_manuscript):
    step = _step(
        write_manuscript,
        "\n".join(
            [
                "# If the output has more than one IP, execute `export INGRESS_HOST=[...]`",
                "#   with `[...]` being the selected IP.",
                "echo done # not [...] either",
            ]
        ),
    )
    assert step.placeholders == ()


def test_prompt_keeps_only_items_about_the_placeholder(write_manuscript):
    step = _step(
        write_manuscript,
        "\n".join(
            [
                "# Replace `[...]` with the domain (e.g., sillydemo.com).",
                "# If you do not have a domain, replace `[...]` with",
                "#   `$INGRESS_HOST.nip.io`.",
                "# Beware of nip.io.",
                "export DOMAIN=[...]",
            ]
        ),
    )
    (domain,) = step.placeholders
    assert domain.prompt == (
        "The domain (e.g., sillydemo.com). If you do not have a domain, replace `[...]` with `$INGRESS_HOST.nip.io`."
    )


def test_missing_prompt_is_a_problem(write_manuscript):
    m = write_manuscript({"a.md": "# A\n\n```bash\nexport REGION=[...]\n```\n"})
    (problem,) = m.page("a.md").problems
    assert problem.kind == "placeholder-no-prompt" and problem.line == 4 and "REGION" in problem.message


@pytest.mark.parametrize(
    "name",
    [
        "AWS_SECRET_ACCESS_KEY",
        "AWS_ACCESS_KEY_ID",
        "GITHUB_TOKEN",
        "DB_PASSWORD",
        "REGISTRY_PASS",
        "CLIENT_SECRET",
        "GCP_CREDENTIALS",
        "APIKEY",
    ],
)
def test_secret_names(name):
    assert looks_secret(name)


@pytest.mark.parametrize("name", ["DOCKERHUB_USERNAME", "DOMAIN", "KUBECONFIG", "PWD", "IMAGE", "TAG"])
def test_not_secret_names(name):
    assert not looks_secret(name)


def test_secret_placeholders_are_marked(write_manuscript):
    step = _step(write_manuscript, "# Replace `[...]` with your secret access key\nexport AWS_SECRET_ACCESS_KEY=[...]")
    (key,) = step.placeholders
    assert key.secret


def test_secret_marking_in_markdown(write_manuscript):
    m = write_manuscript(
        {
            "a.md": """
        # A

        <!-- secret: REGISTRY_LOGIN -->

        ```bash
        # Replace `[...]` with the login the registry gave you
        export REGISTRY_LOGIN=[...]
        ```
        """
        }
    )
    (step,) = m.page("a.md").steps
    assert step.placeholders[0].secret
    assert "REGISTRY_LOGIN" in step.secrets


def test_quote_context_of_each_spot():
    lines = ["export A=[...]", 'export B="x-[...]"', "echo '[...]'", "cat <<EOF", "[...]", "EOF"]
    contexts = [(spot.line, spot.context) for spot in scan(lines).placeholders]
    assert contexts == [(0, ""), (1, '"'), (2, "'"), (4, "heredoc")]
