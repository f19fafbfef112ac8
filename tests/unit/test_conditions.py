"""Conditions in comments and prose, attached to the steps they govern."""

from tutorial.manuscript.model import ConditionKind

SETUP = """
# Setup

```bash
kubectl create namespace dev

# If NOT EKS
export INGRESS_HOST=$(kubectl get service traefik \\
    --output jsonpath="{.status.loadBalancer.ingress[0].ip}")

# If EKS
export INGRESS_HOSTNAME=$(kubectl get service traefik)

# If EKS
export INGRESS_HOST=$(dig +short $INGRESS_HOSTNAME)

echo $INGRESS_HOST

# Execute this step ONLY if you chose to use `nip.io` instead of
#   a "real" domain
alias curl="curl --insecure"

# Skip this step if you chose to use `nip.io` instead of a
#   "real" domain.
helm repo add jetstack https://charts.jetstack.io

curl "https://example.com/videos"

# Proceed further ONLY if the output contains
#   `relation "videos" does not exist`.
```
"""


def test_comment_conditions_split_the_block_into_governed_steps(write_manuscript):
    m = write_manuscript({"setup.md": SETUP})
    steps = m.page("setup.md").steps
    badges = [[c.badge for c in s.conditions] for s in steps]
    assert badges == [[], ["only if not EKS"], ["only if EKS"], [], ["only if nip.io"], ["skip if nip.io"], []]
    assert [s.first_line for s in steps] == [
        "kubectl create namespace dev",
        "export INGRESS_HOST=$(kubectl get service traefik \\",
        "export INGRESS_HOSTNAME=$(kubectl get service traefik)",
        "echo $INGRESS_HOST",
        'alias curl="curl --insecure"',
        "helm repo add jetstack https://charts.jetstack.io",
        'curl "https://example.com/videos"',
    ]
    assert all(s.fence_line == 3 for s in steps)
    assert [s.part for s in steps] == list(range(7)) and steps[0].parts == 7
    # the two "If EKS" commands form one step: same condition, one after the other
    assert "dig +short" in steps[2].code
    # the multi-line command stays whole
    assert (steps[1].line, steps[1].end_line) == (6, 8)
    assert steps[1].conditions[0].line == 6


def test_proceed_condition_becomes_a_check_on_the_step_before(write_manuscript):
    m = write_manuscript({"setup.md": SETUP})
    last = m.page("setup.md").steps[-1]
    (check,) = last.checks
    assert check.command == ""  # the step's own output
    assert check.expect == r'relation\ "videos"\ does\ not\ exist'


def test_prose_and_blockquote_conditions_attach_to_the_next_block(write_manuscript):
    m = write_manuscript(
        {
            "a.md": """
        # A

        ## Do

        > Execute the command that follows only if you chose **KubeVela**.

        ```sh
        yq --inplace ".spec.type = \\"scaler\\"" app.yaml
        ```

        Skip executing `devbox shell` if you are already inside the Shell.

        ```sh
        devbox shell
        ```

        ```sh
        kubectl apply --filename app.yaml
        ```
        """
        }
    )
    kubevela, devbox, apply = m.page("a.md").steps
    (condition,) = kubevela.conditions
    assert (condition.kind, condition.subject) == (ConditionKind.ONLY_IF, "KubeVela")
    assert condition.badge == "only if KubeVela"
    (skip,) = devbox.conditions
    assert skip.kind is ConditionKind.SKIP_IF
    assert apply.conditions == ()


def test_section_conditions_cover_every_step_of_the_section(write_manuscript):
    m = write_manuscript(
        {
            "a.md": """
        # Setup

        ## Create a cluster

        ### AWS EKS

        Follow this section ONLY if you're planning to use AWS EKS

        ```bash
        eksctl create cluster
        ```

        ```bash
        eksctl get cluster
        ```

        ### Azure AKS

        ```bash
        az aks create
        ```
        """
        }
    )
    create, get, aks = m.page("a.md").steps
    assert [c.badge for c in create.conditions] == ["only if AWS EKS"]
    assert [c.badge for c in get.conditions] == ["only if AWS EKS"]
    assert aks.conditions == ()
    assert create.subsection == "AWS EKS" and create.section == "Create a cluster"


def test_plain_if_sentences_are_not_conditions(write_manuscript):
    m = write_manuscript(
        {
            "a.md": """
        ```bash
        # If the output contains more than one IP, wait for a while
        #   longer, and repeat the `export` commands.
        echo $INGRESS_HOST
        ```
        """
        }
    )
    (step,) = m.page("a.md").steps
    assert step.conditions == ()


def test_heredoc_with_blank_lines_and_comments_is_not_split(write_manuscript):
    m = write_manuscript(
        {
            "a.md": """
        ```bash
        cat > values.yaml <<EOF
        # If EKS
        image: demo

        tag: latest
        EOF

        # If EKS
        echo eks
        ```
        """
        }
    )
    first, second = m.page("a.md").steps
    assert first.code.endswith("EOF") and "tag: latest" in first.code and first.conditions == ()
    assert second.code.endswith("echo eks") and second.conditions[0].subject == "EKS"
