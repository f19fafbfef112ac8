"""Conditions in comments and prose, attached to the steps they govern."""

import pytest

from tutorial.engine.conditions import decide, split_assumptions
from tutorial.manuscript.conditions import manuscript_subjects
from tutorial.manuscript.expect import matches
from tutorial.manuscript.lint import lint
from tutorial.manuscript.model import Condition, ConditionKind, SectionKind, Step

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


def test_an_alternative_offered_with_to_run_is_the_readers_wish(write_manuscript):
    m = write_manuscript(
        {
            "a.md": """
        ```bash
        ## If you want to create a fresh key pair run:
        cloud keys create --name default

        ## To use an existing public key and import to the cloud run
        ## NOTE: only RSA keys are accepted.
        cloud keys import --name default --material "$(cat ~/.ssh/id_rsa.pub)"

        export KEY_NAME=default

        # To see the keys, run the command that follows.
        cloud keys list
        ```
        """
        }
    )
    steps = m.page("a.md").steps
    assert [(s.first_line, [c.subjects for c in s.conditions]) for s in steps] == [
        ("cloud keys create --name default", [("want to create a fresh key pair",)]),
        (
            'cloud keys import --name default --material "$(cat ~/.ssh/id_rsa.pub)"',
            [("want to use an existing public key and import to the cloud",)],
        ),
        ("export KEY_NAME=default", []),
    ]
    assert "cloud keys list" in steps[-1].code  # an explanation of what a command is for stays one
    both = [decide(s, ["want to create a fresh key pair"]).applies for s in steps]
    assert both == [True, False, True]  # the fresh key is created, the import is not attempted too


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


# -- what the engine reads in a sentence ------------------------------------------------------


def _only(step):
    return [(c.kind, c.subjects, c.negated, c.any_of, c.readable) for c in step.conditions]


def test_only_if_you_are_using_is_a_condition_and_negation_is_exact(write_manuscript):
    m = write_manuscript(
        {
            "a.md": """
        ```bash
        # If NOT EKS
        export INGRESS_HOST=$(kubectl get service traefik --output jsonpath="{.ip}")

        # Only if you ARE using EKS
        export INGRESS_HOSTNAME=$(kubectl get service traefik --output jsonpath="{.hostname}")

        # Execute only if the DB was NOT created with Crossplane
        kubectl apply --filename schema.yaml

        # Execute the command that follows only if you jumped straight
        #   into the "Production" chapter and did not already define the domain.
        yq --inplace ".domain = \\"$INGRESS_HOST.nip.io\\"" settings.yaml
        ```
        """
        }
    )
    not_eks, eks, db, jumped = m.page("a.md").steps
    assert _only(not_eks) == [(ConditionKind.ONLY_IF, ("EKS",), True, False, True)]
    assert _only(eks) == [(ConditionKind.ONLY_IF, ("EKS",), False, False, True)]
    assert "INGRESS_HOSTNAME" in eks.code and "INGRESS_HOST=" not in eks.code.replace("INGRESS_HOSTNAME", "")
    assert _only(db) == [(ConditionKind.ONLY_IF, ("Crossplane",), True, False, True)]
    # "did not" belongs to a second clause, not to the condition: unreadable, never a negation
    assert _only(jumped) == [(ConditionKind.ONLY_IF, (), False, False, False)]
    assert jumped.conditions[0].line == 11


def test_and_needs_every_subject_and_a_list_with_or_needs_one(write_manuscript):
    m = write_manuscript(
        {
            "a.md": """
        # A

        > Execute the command that follows only if you chose Argo Rollouts and Flux

        ```bash
        yq --inplace ".spec.values.replicas = 0" apps/cncf-demo.yaml
        ```

        > Execute the command that follows only if you chose **Argo Rollouts** and **Argo CD**.

        ```bash
        yq --inplace ".spec.source.helm.valuesObject.replicas = 0" apps/cncf-demo.yaml
        ```

        ## Any Other Provider

        Follow this section ONLY if you're NOT planning to use EKS, AKS, or GKE

        ```bash
        kubectl create namespace dev
        ```
        """
        }
    )
    flux, argo, other = m.page("a.md").steps
    assert _only(flux) == [(ConditionKind.ONLY_IF, ("Argo Rollouts", "Flux"), False, False, True)]
    assert flux.conditions[0].badge == "only if Argo Rollouts and Flux"
    assert _only(argo) == [(ConditionKind.ONLY_IF, ("Argo Rollouts", "Argo CD"), False, False, True)]
    assert _only(other) == [(ConditionKind.ONLY_IF, ("EKS", "AKS", "GKE"), True, True, True)]
    assert other.conditions[0].scope == "section"


def test_please_skip_executing_is_a_skip_condition(write_manuscript):
    m = write_manuscript(
        {
            "a.md": """
        # A

        ## Setup

        > Watch https://youtu.be/x if you are not familiar with Devbox. Alternatively, you can skip Devbox
        > and install the tools yourself.

        > Please skip executing `devbox shell` if you are already inside the Shell from one of the previous episodes.

        ```sh
        devbox shell
        ```

        ```sh
        kubectl get nodes
        ```
        """
        }
    )
    devbox, nodes = m.page("a.md").steps
    (skip,) = devbox.conditions
    assert (skip.kind, skip.subjects, skip.negated) == (ConditionKind.SKIP_IF, ("inside the Shell",), False)
    assert skip.badge == "skip if inside the Shell"
    assert nodes.conditions == ()
    assert [p.kind for p in m.page("a.md").problems] == []  # the "Watch ... if" sentence is prose


def test_an_order_to_edit_a_command_keeps_it_from_running_as_written(write_manuscript):
    # the reader who chose `nip.io` must not run the `https` request as written; the others run it
    m = write_manuscript(
        {
            "a.md": """
        # A

        ## Do

        ```bash
        kubectl get claim

        # If you chose to use `nip.io` instead of a "real" domain,
        #   replace `https` with `http`.
        curl "https://cncf-demo.$DOMAIN/videos"

        # If you do not have a domain, replace `[...]` with `$INGRESS_HOST.nip.io`.
        export DOMAIN=[...]

        # Change `https` to `http` if you chose to use `nip.io` instead
        #   of a "real" domain
        echo "https://gitops.$DOMAIN"
        ```
        """
        }
    )
    claim, curl, domain, url = m.page("a.md").steps
    assert [c.badge for c in url.conditions] == ["edit if nip.io"]
    (edit,) = curl.conditions
    assert (edit.kind, edit.subjects, edit.edit) == (ConditionKind.SKIP_IF, ("nip.io",), True)
    assert edit.badge == "edit if nip.io"
    assert claim.conditions == () and domain.conditions == ()  # how to answer a placeholder is no condition
    assert decide(curl, []).applies and decide(curl, [], denied=["nip.io"]).applies
    held = decide(curl, ["nip.io"])
    assert not held.applies
    assert "replace `https` with `http`" in held.reason and "edit the step" in held.reason
    assert "Change `https` to `http` if you chose to use `nip.io`" in decide(url, ["nip.io"]).reason
    assert [p.kind for p in m.page("a.md").problems] == []


def test_an_edit_reason_quotes_code_spans_with_the_delimiters_the_text_used():
    from tutorial.manuscript.conditions import find_conditions, marked_comment

    text = "Replace ``a`b`` with `c` if you chose **Flux**."
    (found,) = find_conditions(marked_comment(text), 1, comment=True)
    assert found.edit and found.text == "Replace a`b with c if you chose Flux."
    assert found.quoted == "Replace ``a`b`` with `c` if you chose Flux."


def test_skipping_the_command_that_opens_a_block_leaves_the_rest_of_it_to_run(write_manuscript):
    # the reader already inside the Shell skips `devbox shell`, not the chapter's setup after it
    m = write_manuscript(
        {
            "a.md": """
        # A

        ## Setup

        > Please skip executing `devbox shell` if you are already inside the Shell from one of the previous episodes.

        ```bash
        devbox shell

        chmod +x manuscript/a.sh

        ./manuscript/a.sh
        ```

        > Please skip executing `devbox shell` if you are already inside the Shell.

        ```bash
        kubectl get nodes

        devbox shell
        ```
        """
        }
    )
    devbox, setup, nodes = m.page("a.md").steps
    assert devbox.code == "devbox shell" and devbox.needs_terminal
    assert [c.badge for c in devbox.conditions] == ["skip if inside the Shell"]
    assert setup.code.startswith("chmod +x") and setup.conditions == ()
    assert not decide(devbox, ["inside the Shell"]).applies
    assert decide(setup, ["inside the Shell"]).applies
    # the command it names does not open this block: the block stays whole, under the rule
    assert [c.badge for c in nodes.conditions] == ["skip if inside the Shell"] and "devbox shell" in nodes.code


def test_an_edit_left_to_taste_is_no_condition(write_manuscript):
    # the command as written is as good as any: it runs, and the block is not cut around it
    m = write_manuscript(
        {
            "a.md": """
        # A

        ## Do

        ```bash
        # If you want, change the name below
        export NAME=demo

        # Replace the region with yours if you like
        export REGION=us-east-1

        echo "$NAME $REGION"
        ```

        If you prefer, change the port.

        ```bash
        echo 8080
        ```
        """
        }
    )
    steps = m.page("a.md").steps
    assert len(steps) == 2 and all(step.conditions == () for step in steps)
    assert all(decide(step, []).applies for step in steps)


def test_a_change_the_command_itself_makes_is_no_edit(write_manuscript):
    # no `text` to change is named: "change" is what the command below does, for the reader it names
    m = write_manuscript(
        {
            "a.md": """
        # A

        ## Do

        ```bash
        # Change to the project directory if you are not there yet
        cd /tmp

        # Change the kubectl context if you chose **EKS**
        kubectl config use-context eks
        ```
        """
        }
    )
    assert all(not c.edit for step in m.page("a.md").steps for c in step.conditions)
    assert decide(m.page("a.md").steps[0], ["EKS"]).applies


# -- what a condition governs -----------------------------------------------------------------

# The shape of a real page: "the section that follows" for one tool, then "the command that
# follows" for the other, then commands both need.
HELM = """
# Progressive Delivery

## Setup

> Execute the commands in the section that follows only if you chose Argo CD

```sh
yq --inplace ".spec.source.helm.valuesObject.enabled = true" apps/cncf-demo.yaml
```

> Execute the command that follows only if you chose Flux

```sh
yq --inplace ".spec.values.enabled = true" apps/cncf-demo.yaml
```

## Do

> Execute the command that follows only if you chose Argo Rollouts and Argo CD

```bash
yq --inplace ".spec.source.helm.valuesObject.replicas = 0" apps/cncf-demo.yaml
```

> Execute the command that follows only if you chose Argo Rollouts and Flux

```bash
yq --inplace ".spec.values.replicas = 0" apps/cncf-demo.yaml
```

> Execute the commands in the block that follows only if you chose Argo Rollouts.

```sh
cat helm/app/templates/virtual-service.yaml
```

```sh
git add .

git commit -m "Progressive delivery"
```

> Execute the command that follows only if you chose Flagger.

```sh
kubectl --namespace production get canary cncf-demo --watch
```

> It might take a while until resources are synced by Argo CD or Flux.

> Execute the commands in the section that follows only if you chose Argo CD

```sh
yq --inplace ".spec.source.helm.valuesObject.image.tag = \\"v0.0.2\\"" apps/cncf-demo.yaml
```

> Execute the command that follows only if you chose Flux

```sh
yq --inplace ".spec.values.image.tag = \\"v0.0.2\\"" apps/cncf-demo.yaml
```

```sh
git add .

git push
```

### Watch

```sh
kubectl get pods
```
"""


def test_section_condition_lasts_until_the_next_condition_or_heading(write_manuscript):
    steps = write_manuscript({"helm.md": HELM}).page("helm.md").steps
    assert [[c.badge for c in s.conditions] for s in steps] == [
        ["only if Argo CD"],
        ["only if Flux"],  # replaces the section condition: never both at once
        ["only if Argo Rollouts and Argo CD"],  # the heading ended the section condition
        ["only if Argo Rollouts and Flux"],
        ["only if Argo Rollouts"],
        [],  # "the block that follows" governed one block only
        ["only if Flagger"],
        ["only if Argo CD"],
        ["only if Flux"],
        [],  # git add / git push: every reader
        [],
    ]


@pytest.mark.parametrize(
    ("facts", "skipped"),
    [
        (["Argo CD", "Argo Rollouts"], ["Flux", "Argo Rollouts and Flux", "Flagger", "Flux"]),
        (
            ["Flux", "Flagger"],
            ["Argo CD", "Argo Rollouts and Argo CD", "Argo Rollouts and Flux", "Argo Rollouts", "Argo CD"],
        ),
    ],
)
def test_each_reader_runs_their_steps_and_the_shared_ones(write_manuscript, facts, skipped):
    steps = write_manuscript({"helm.md": HELM}).page("helm.md").steps
    decisions = [decide(s, facts) for s in steps]
    assert [s.conditions[0].subject for s, d in zip(steps, decisions, strict=True) if not d.applies] == skipped
    shared = [s for s in steps if "git add" in s.code]
    assert len(shared) == 2 and all(decide(s, facts).applies for s in shared)


# -- what lint reports --------------------------------------------------------------------------


def test_unreadable_conditions_are_lint_problems_and_explanations_are_not(write_manuscript):
    m = write_manuscript(
        {
            "a.md": """
        # A

        You can skip the setup phase if you came to this chapter directly from the previous one.

        If the output continues having more than one IP, choose one of them and execute the export again.

        Flagger promotes the release only if the metrics pass, and rolls back otherwise.

        Configure DNS for the subdomains (skip this step if you chose to use `nip.io` instead of a "real" domain).

        ```bash
        # Repeat the `export` commands if the output is empty.
        echo $INGRESS_HOST

        # Execute the command that follows only if `database` resource
        #   was left "dangling".
        kubectl patch database cncf-demo-db --type merge --patch '{"metadata":{"finalizers":null}}'

        ## If you want to create a new key pair run:
        aws ec2 create-key-pair --key-name default
        ```
        """
        }
    )
    problems = [(p.line, p.kind) for p in m.page("a.md").problems]
    assert problems == [(3, "unknown-condition"), (15, "unknown-condition")]
    key_pair = m.page("a.md").steps[-1]  # a wish only the reader can answer: named, so understood
    # the paragraph's rule governs the whole block that follows it; the comment's, its own command
    assert [(c.kind, c.subjects, c.line) for c in key_pair.conditions] == [
        (ConditionKind.SKIP_IF, (), 3),
        (ConditionKind.ONLY_IF, ("want to create a new key pair",), 19),
    ]
    message = m.page("a.md").problems[1].message
    assert "`database` resource" not in message and 'database resource was left "dangling"' in message


def test_subjects_of_the_manuscript_sorted_once_whatever_their_case(write_manuscript):
    m = write_manuscript({"helm.md": HELM, "b.md": "```bash\n# If flux\necho flux\n# If NOT EKS\necho other\n```\n"})
    assert manuscript_subjects(m) == ["Argo CD", "Argo Rollouts", "EKS", "Flagger", "Flux"]


# -- the decision -----------------------------------------------------------------------------


def _step(*conditions: Condition) -> Step:
    return Step("a.md", 0, 1, 1, 1, "bash", "echo", "Do", SectionKind.DO, conditions=conditions)


def test_nothing_is_guessed_toward_running():
    only = Condition(ConditionKind.ONLY_IF, "If EKS", ("EKS",))
    not_eks = Condition(ConditionKind.ONLY_IF, "If NOT EKS", ("EKS",), negated=True)
    both = Condition(ConditionKind.ONLY_IF, "only if Argo Rollouts and Flux", ("Argo Rollouts", "Flux"))
    unclear = Condition(ConditionKind.ONLY_IF, "only if it was left dangling", readable=False)
    unclear_skip = Condition(ConditionKind.SKIP_IF, "skip if you forked the repo", readable=False)

    unknown = decide(_step(only), [])
    assert not unknown.applies and unknown.reason == "only if EKS: not known (assume 'EKS' to run it)"
    assert unknown.assumable == ("EKS",)
    assert decide(_step(only), ["EKS"]).applies

    negated = decide(_step(not_eks), [])
    assert not negated.applies and negated.assumable == ("not EKS",)
    assert decide(_step(not_eks), [], denied=["EKS"]).applies
    assert not decide(_step(not_eks), ["EKS"]).applies

    half = decide(_step(both), ["Flux"])
    assert not half.applies and half.assumable == ("Argo Rollouts",)
    assert not decide(_step(both), ["Flux"], denied=["Argo Rollouts"]).applies
    assert decide(_step(both), ["Flux", "Argo Rollouts"]).applies

    cannot = decide(_step(unclear), ["EKS"])
    assert not cannot.applies and "cannot read" in cannot.reason and cannot.assumable == ()
    unsure = decide(_step(unclear_skip), [])  # a skip rule nobody can read: the reader decides, never a guess
    assert not unsure.applies and "cannot read" in unsure.reason and "skip if you forked the repo" in unsure.reason


def test_a_wish_holds_only_when_the_reader_says_it_not_for_a_word_of_it():
    existing = Condition(
        ConditionKind.ONLY_IF,
        "To use an existing key and import to AWS run",
        ("want to use an existing key and import to AWS",),
    )
    # choosing the AWS page, or assuming AWS, says nothing about which key the reader wants
    assert not decide(_step(existing), ["AWS", "Cluster API"]).applies
    assert "not known" in decide(_step(existing), [], denied=["AWS"]).reason
    assert decide(_step(existing), ["want to use an existing key and import to AWS"]).applies
    refused = decide(_step(existing), [], denied=["want to use an existing key and import to AWS"])
    assert not refused.applies and refused.reason.endswith("it does not apply to you")
    # a name still holds for a longer one that holds it ("EKS" for "AWS EKS")
    assert decide(_step(Condition(ConditionKind.ONLY_IF, "only if AWS EKS", ("AWS EKS",))), ["EKS"]).applies


def test_what_the_reader_did_already_is_decided_by_their_answers_alone():
    earlier = Condition(
        ConditionKind.SKIP_IF,
        "You can skip the steps in this section if you already used Crossplane with AWS in a previous chapter.",
        ("Crossplane with AWS",),
        scope="section",
    )
    step = _step(earlier)
    # the choices that led here (Crossplane, then AWS) are about now, not about an earlier chapter
    assert decide(step, ["Crossplane", "AWS"], said=([], [])).applies
    assert not decide(step, ["Crossplane", "AWS"], said=(["Crossplane with AWS"], [])).applies
    assert not decide(step, ["Crossplane", "AWS"]).applies  # without the split, every fact counts


def test_assumptions_can_say_what_does_not_hold():
    assert split_assumptions(["EKS", "not nip.io", "!AKS", "Notary"]) == (["EKS", "Notary"], ["nip.io", "AKS"])


def test_a_rule_about_reading_the_page_governs_none_of_its_steps(write_manuscript):
    m = write_manuscript(
        {
            "a.md": """
        # Setup Prerequisites

        *Go through this document ONLY if you did NOT follow the story from the start.*

        **If you chose to use `nip.io` instead of a "real" domain name, you should skip this chapter.**

        ```bash
        kubectl create namespace production
        ```
        """
        }
    )
    (step,) = m.page("a.md").steps
    assert step.conditions == ()
    # the first cannot be read (reported), the second can (a skip of the page, on nip.io)
    assert [(p.line, p.kind) for p in m.page("a.md").problems] == [(3, "unknown-condition")]


def test_an_order_with_a_looser_if_is_a_condition_and_never_runs_for_everyone(write_manuscript):
    m = write_manuscript(
        {
            "a.md": """
        # A

        Execute the command that follows if you chose **Flux**.

        ```bash
        flux get all
        ```

        Run this only when you use EKS.

        ```bash
        eksctl get clusters
        ```

        Execute the command that follows unless you chose **Flux**.

        ```bash
        kubectl get pods
        ```

        Use `kubectl` to look at it if you prefer.

        ```bash
        kubectl get nodes
        ```
        """
        }
    )
    flux, eks, unless, advice = m.page("a.md").steps
    assert [(c.subjects, c.readable) for c in flux.conditions] == [(("Flux",), True)]
    assert [(c.subjects, c.readable) for c in eks.conditions] == [(("EKS",), True)]
    assert not decide(flux, []).applies and decide(flux, ["Flux"]).applies
    assert [c.readable for c in unless.conditions] == [False]  # said, but not read: the reader decides
    assert not decide(unless, []).applies
    assert advice.conditions == ()  # advice about a tool, not a rule for the block
    assert [p.kind for p in m.page("a.md").problems] == ["unknown-condition"]


def test_an_offer_in_a_block_without_if_still_governs_its_command(write_manuscript):
    m = write_manuscript(
        {
            "a.md": """
        # A

        ```bash
        echo everyone

        # To use an existing public key and import to AWS run
        aws ec2 import-key-pair --key-name default
        ```
        """
        }
    )
    everyone, offer = m.page("a.md").steps
    assert everyone.conditions == ()
    assert [c.subjects for c in offer.conditions] == [("want to use an existing public key and import to AWS",)]
    assert not decide(offer, []).applies


def test_a_sentence_the_engine_cannot_read_is_quoted_with_its_code_spans(write_manuscript):
    manuscript = write_manuscript(
        {
            "p.md": """
            # P

            ## Do

            Run this only if the `kube-system` namespace was left dangling.

            ```bash
            echo hi
            ```
            """
        }
    )
    step = manuscript.pages["p.md"].steps[0]
    decision = decide(step, [])
    assert not decision.applies
    assert "“Run this only if the `kube-system` namespace was left dangling.”" in decision.reason
    problems = [p.message for p in lint(manuscript).problems if p.kind == "unknown-condition"]
    assert problems and "the `kube-system` namespace" in problems[0]


def _held_for_an_edit(step: Step, subject: str) -> None:
    """``step`` is for the reader to edit when ``subject`` holds, and runs as written when it does not."""
    assert [c.badge for c in step.conditions] == [f"edit if {subject}"]
    held = decide(step, [subject])
    assert not held.applies and "edit the step" in held.reason
    assert decide(step, [], denied=[subject]).applies


def test_an_unmarked_order_to_edit_names_text_of_the_command_it_is_about(write_manuscript):
    # "replace https with http" without backticks still keeps the nip.io reader from the `https` request;
    # "change the kubectl context to eks" names no text of its command: it says what the command does
    m = write_manuscript(
        {
            "a.md": """
        # A

        ## Do

        ```bash
        # Replace https with http if you chose nip.io
        curl "https://cncf-demo.$DOMAIN/videos"

        kubectl get claim

        # If you chose nip.io, change https to http.
        echo "https://gitops.$DOMAIN"

        # Change the kubectl context to eks if you chose **EKS**
        kubectl config use-context eks

        kubectl get nodes

        # If you chose EKS, change the kubectl context
        kubectl config use-context eks-other

        # Replace the region with yours if you like
        export REGION=us-east-1
        ```
        """
        }
    )
    curl, claim, url, context, nodes, other, region = m.page("a.md").steps
    for step in (curl, url):
        _held_for_an_edit(step, "nip.io")
    assert claim.conditions == () and nodes.conditions == ()
    for step in (context, other):  # the command does the change, for the reader the comment names
        assert not any(c.edit for c in step.conditions)
        assert [c.badge for c in step.conditions] == ["only if EKS"]
        assert decide(step, ["EKS"]).applies and not decide(step, [], denied=["EKS"]).applies
    assert region.conditions == ()


def test_an_unmarked_order_to_write_what_the_command_lacks_is_an_edit(write_manuscript):
    # "the region to us-east-1": the command holds another region, the one it names is to be written
    # in: run as written for the EKS reader, it would make the cluster in the wrong region
    m = write_manuscript(
        {
            "a.md": """
        # A

        ## Do

        ```bash
        # Change the region to us-east-1 if you chose EKS
        eksctl create cluster --region us-west-2

        kubectl get nodes

        # If you chose EKS, replace the domain with yours.
        export DOMAIN=example.com

        kubectl get pods

        # Modify the file to your liking if you chose EKS
        vim values.yaml

        kubectl get nodes

        # Change the kubectl context to EKS if you chose EKS
        kubectl config use-context eks
        ```
        """
        }
    )
    region, _, domain, _, editor, _, context = m.page("a.md").steps
    for step in (region, domain):
        _held_for_an_edit(step, "EKS")
    for step in (editor, context):  # the editor is what the order is about; the context is "eks" already
        assert [c.badge for c in step.conditions] == ["only if EKS"]


def test_repeat_if_the_output_is_empty_checks_it_before_the_commands_after_it(write_manuscript):
    # an empty IP must not be written into settings.yaml as if it were one
    m = write_manuscript(
        {
            "ingress.md": """
        # Ingress

        ```sh
        # If NOT EKS
        export INGRESS_IP=$(kubectl get service ingress-nginx-controller)

        echo $INGRESS_IP

        # Repeat the `export` commands if the output is empty

        # If the output contains more than one IP, wait for a while
        #   longer, and repeat the `export` commands.

        yq --inplace ".production.ingress.ip = \\"$INGRESS_IP\\"" settings.yaml
        ```
        """
        }
    )
    export, echo, save = m.page("ingress.md").steps
    (check,) = echo.checks
    assert (check.command, check.expect) == ("", r"\S")
    assert matches(check.expect, "10.0.0.1\n") and not matches(check.expect, "\r\n")
    assert "yq" not in echo.code and save.first_line.startswith("yq")
    assert not export.checks and not save.checks and save.conditions == ()


def test_an_only_if_about_one_script_governs_the_lines_that_run_it(write_manuscript):
    # the reader who installed Istio earlier skips the script, not the `source .env` everyone needs after it
    m = write_manuscript(
        {
            "a.md": """
        # A

        ## Setup

        * Execute `istio.sh` script only if you did NOT already install Istio

        ```sh
        chmod +x manuscript/mtls/istio.sh

        ./manuscript/mtls/istio.sh

        source .env

        kubectl get namespace production --output yaml
        ```

        * Execute the commands that follow only if you did NOT already install Istio

        ```sh
        istioctl install

        source .env
        ```
        """
        }
    )
    script, after, whole = m.page("a.md").steps
    assert script.code == "chmod +x manuscript/mtls/istio.sh\n\n./manuscript/mtls/istio.sh"
    assert [c.badge for c in script.conditions] == ["only if not Istio"]
    assert after.code.startswith("source .env") and after.conditions == ()
    assert decide(after, ["Istio"]).applies and not decide(script, ["Istio"]).applies
    assert "source .env" in whole.code and [c.badge for c in whole.conditions] == ["only if not Istio"]
