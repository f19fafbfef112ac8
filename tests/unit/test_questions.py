"""What a placeholder is called, what it asks, and when it is asked."""

import pytest

from tutorial.manuscript.placeholders import asks_for_output, is_inline, name_from_prompt


def _steps(write_manuscript, code: str, before: str = ""):
    m = write_manuscript({"a.md": "# A\n\n" + before + "```bash\n" + code + "\n```\n"})
    return m.page("a.md").steps


# -- names ------------------------------------------------------------------------------------


def test_only_an_assigned_variable_keeps_a_variable_name(write_manuscript):
    (step,) = _steps(
        write_manuscript,
        "\n".join(
            [
                "# Replace `[...]` with your Docker Hub user",
                "export DOCKERHUB_USERNAME=[...]",
                "# Replace `[...]` with the path to your gcp credentials json file.",
                "export GCP_B64ENCODED_CREDENTIALS=$( cat [...] | base64 )",
                "# Replace `[...]` with your region",
                "gcloud config set --region [...]",
            ]
        ),
    )
    user, path, region = step.placeholders
    assert (user.name, user.assigned, is_inline(user.name)) == ("DOCKERHUB_USERNAME", True, False)
    # never PATH: an environment variable of that name must not answer the question
    assert (path.name, path.assigned, is_inline(path.name)) == ("@GCP_CREDENTIALS_PATH", False, True)
    assert (region.name, region.assigned) == ("@REGION", False)


@pytest.mark.parametrize(
    ("prompt", "name"),
    [
        ("The path to your gcp credentials json file.", "GCP_CREDENTIALS_PATH"),
        ("the name of the cluster", "CLUSTER_NAME"),
        ("your desired region", "REGION"),
        ("The image tag from the output", "IMAGE_TAG"),
    ],
)
def test_names_say_what_a_value_belongs_to(prompt, name):
    assert name_from_prompt(prompt) == name


def test_the_same_question_twice_in_a_step_gets_two_names(write_manuscript):
    (step,) = _steps(write_manuscript, "# Replace `[...]` with your region\ncp --region [...] --region [...] a b")
    assert [p.name for p in step.placeholders] == ["@REGION", "@REGION_2"]


# -- prompts ----------------------------------------------------------------------------------


def test_a_prompt_over_unindented_comment_lines_keeps_them_all(write_manuscript):
    (step,) = _steps(
        write_manuscript,
        "# Replace `[...]` with the name of the bucket\n# you created in the console.\nexport BUCKET=[...]",
    )
    assert step.placeholders[0].prompt == "The name of the bucket you created in the console."


def test_a_prompt_set_apart_by_a_blank_line_keeps_both_parts(write_manuscript):
    (step,) = _steps(
        write_manuscript,
        "\n".join(
            [
                "# Replace `[...]` with the domain (e.g., example.org).",
                "",
                "# If you do not have a domain, replace `[...]` with `$INGRESS_HOST.nip.io`.",
                "",
                "export DOMAIN=[...]",
            ]
        ),
    )
    assert step.placeholders[0].prompt == (
        "The domain (e.g., example.org). If you do not have a domain, replace `[...]` with `$INGRESS_HOST.nip.io`."
    )


def test_a_new_sentence_and_an_unrelated_heading_comment_stay_out(write_manuscript):
    (step,) = _steps(
        write_manuscript,
        "\n".join(
            [
                "# Set the values",
                "",
                "# Replace `[...]` with your email",
                "# Skip this step if you chose nip.io",
                "export EMAIL=[...]",
            ]
        ),
    )
    assert step.placeholders[0].prompt == "Your email"


# -- asked after the lines whose output it needs ---------------------------------------------------


@pytest.mark.parametrize(
    ("prompt", "expected"),
    [
        ("a valid version from the previous output", True),
        ("the image tag from the output", True),
        ("the `password`", True),
        ("your email", False),
        ("the domain, or `$INGRESS_HOST.nip.io`", False),
        ("the path to `[...]`", False),
    ],
)
def test_which_prompts_refer_to_earlier_output(prompt, expected):
    assert asks_for_output(prompt) is expected


def test_a_question_about_the_previous_output_starts_a_step_of_its_own(write_manuscript):
    first, second = _steps(
        write_manuscript,
        "\n".join(
            [
                "az aks get-versions --output table",
                "",
                "# Replace `[...]` with a valid Kubernetes version from the",
                "#   previous output.",
                "export K8S_VERSION=[...]",
                "",
                "az aks create --kubernetes-version $K8S_VERSION",
            ]
        ),
    )
    assert first.code == "az aks get-versions --output table" and first.placeholders == ()
    assert second.code.startswith("# Replace `[...]` with a valid Kubernetes version")
    assert second.code.endswith("az aks create --kubernetes-version $K8S_VERSION")
    assert [p.name for p in second.placeholders] == ["K8S_VERSION"]
    assert (first.part, first.parts, second.part, second.parts) == (0, 2, 1, 2)


def test_a_field_of_the_output_in_backticks_splits_too(write_manuscript):
    first, second = _steps(
        write_manuscript,
        "az ad app credential reset --id $APP_ID\n\n# Replace `[...]` with the `password`\nexport CRED_PASS=[...]",
    )
    assert "credential reset" in first.code and second.placeholders[0].name == "CRED_PASS"


def test_no_split_without_commands_before_the_question(write_manuscript):
    (step,) = _steps(
        write_manuscript,
        "# The tag was printed above.\n\n# Replace `[...]` with the image tag from the output\nexport TAG=[...]",
    )
    assert step.placeholders[0].name == "TAG"


def test_no_split_for_a_question_that_needs_no_output(write_manuscript):
    (step,) = _steps(write_manuscript, "echo hello\n\n# Replace `[...]` with your email\nexport EMAIL=[...]")
    assert step.placeholders[0].name == "EMAIL"


def test_both_halves_keep_the_condition_of_their_block(write_manuscript):
    steps = _steps(
        write_manuscript,
        "az aks get-versions\n\n# Replace `[...]` with a version from the previous output.\nexport K8S_VERSION=[...]",
        before="Execute this ONLY if you are using AKS.\n\n",
    )
    assert [s.code.splitlines()[-1] for s in steps] == ["az aks get-versions", "export K8S_VERSION=[...]"]
    assert [c.badge for c in steps[0].conditions] == [c.badge for c in steps[1].conditions] != []


def test_a_condition_comment_and_a_question_split_in_order(write_manuscript):
    steps = _steps(
        write_manuscript,
        "\n".join(
            [
                "echo always",
                "",
                "# If NOT EKS",
                "az aks get-versions",
                "",
                "# Replace `[...]` with a version from the previous output.",
                "export K8S_VERSION=[...]",
            ]
        ),
    )
    last_lines = [s.code.splitlines()[-1] for s in steps]
    assert last_lines == ["echo always", "az aks get-versions", "export K8S_VERSION=[...]"]
    assert [len(s.conditions) for s in steps] == [0, 1, 0]


# -- what the reader does outside the shell ----------------------------------------------------


def test_a_step_ends_where_the_reader_must_enable_something_in_a_browser(write_manuscript):
    steps = _steps(
        write_manuscript,
        "\n".join(
            [
                "export PROJECT_ID=dot-$(date +%Y%m%d%H%M%S)",
                "gcloud projects create $PROJECT_ID",
                'echo "https://console.cloud.google.com/apis/library?project=$PROJECT_ID"',
                "",
                "# Open the URL from the output and *ENABLE* the API",
                "",
                "# create a cluster",
                "",
                "gcloud container clusters create dot --project $PROJECT_ID",
                "",
                "# Open it in a browser",
            ]
        ),
    )
    # run again after the API is enabled, only the cluster is created: not a second project
    assert [s.first_line for s in steps] == [
        "export PROJECT_ID=dot-$(date +%Y%m%d%H%M%S)",
        "gcloud container clusters create dot --project $PROJECT_ID",
    ]
    assert steps[1].code.startswith("# Open the URL")  # the step says what to do before it
    assert "gcloud container clusters create" in steps[1].code and "projects create" not in steps[1].code


def test_a_browser_remark_with_nothing_after_it_stays_in_its_step(write_manuscript):
    (step,) = _steps(write_manuscript, 'echo "https://cncf-demo-dev.$DOMAIN"\n\n# Open it in a browser and enable TLS')
    assert step.runnable and "Open it" in step.code
