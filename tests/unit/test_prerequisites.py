"""Prerequisites stated in Setup sections."""

from tutorial.manuscript.model import PrerequisiteKind


def test_install_bullets_with_links_and_docker_running(write_manuscript):
    m = write_manuscript(
        {
            "a.md": """
        # Build With kbld

        ## Setup

        * [Install `kbld` CLI](https://carvel.dev/kbld/docs/install)
        * Install `gum` by following the instructions in https://github.com/charmbracelet/gum#installation.
        * [Install the `helm` CLI](https://helm.sh/docs/intro/install)
        * Make sure Docker is up and running.

        ```bash
        # Install `yq` CLI from https://github.com/mikefarah/yq
        # Make sure that Docker is running
        docker login
        ```

        ## Do

        * Install the chart (a step, not a prerequisite)
        """
        }
    )
    found = {(p.kind, p.name): p.link for p in m.page("a.md").prerequisites}
    assert found == {
        (PrerequisiteKind.TOOL, "kbld"): "https://carvel.dev/kbld/docs/install",
        (PrerequisiteKind.TOOL, "gum"): "https://github.com/charmbracelet/gum#installation",
        (PrerequisiteKind.TOOL, "helm"): "https://helm.sh/docs/intro/install",
        (PrerequisiteKind.DOCKER, "docker"): "https://docs.docker.com/get-docker/",
        (PrerequisiteKind.TOOL, "yq"): "https://github.com/mikefarah/yq",
    }


def test_setup_pages_take_prerequisites_from_their_intro(write_manuscript):
    m = write_manuscript(
        {
            "setup/dev.md": """
        # Setup Prerequisites

        * [Install `gh`](https://cli.github.com)

        ## Create a management Kubernetes cluster

        ### The Rest Of The Setup

        ```bash
        # Install `jq` CLI from https://stedolan.github.io/jq/download
        kubectl create namespace dev
        ```
        """
        }
    )
    names = sorted(p.name for p in m.page("setup/dev.md").prerequisites)
    assert names == ["gh", "jq"]


def _tools(page):
    return {p.name: p.link for p in page.prerequisites if p.kind is PrerequisiteKind.TOOL}


def test_names_that_are_not_programs_are_not_prerequisites(write_manuscript):
    m = write_manuscript(
        {
            "setup.md": """
        # Setup

        * Install [Visual Studio Code](https://code.visualstudio.com/download)
        * Install the `Nocalhost` extension in VSCode
        * Install the `Open Browser Preview` extension in VSCode
        * Install and configure [Go](https://go.dev/doc/install)
        * Install [gum](https://github.com/charmbracelet/gum#installation).
        * Install [Argo Rollouts Kubectl plugin](https://argo-rollouts.example/installation/#manual)

        Install Traefik. Traefik is a reverse proxy.

        ```bash
        helm upgrade --install traefik traefik --namespace traefik
        ```

        ```bash
        # Install ClusterAPI Provider for AWS
        clusterctl init --infrastructure aws

        # Install Core ClusterAPI
        clusterctl init
        ```

        ```bash
        code .
        ```
        """
        }
    )
    assert _tools(m.page("setup.md")) == {
        "code": "https://code.visualstudio.com/download",
        "go": "https://go.dev/doc/install",
        "gum": "https://github.com/charmbracelet/gum#installation",
    }


def test_if_needed_install_keeps_its_link(write_manuscript):
    m = write_manuscript(
        {
            "setup.md": """
        # Setup

        If needed, [install Helm](https://helm.sh/docs/intro/install/). Helm is a package manager.

        If needed, [install the `yq` CLI](https://github.com/mikefarah/yq).

        We define the manifests in Go, so please install and configure [Go](https://go.dev/doc/install).
        """
        }
    )
    assert _tools(m.page("setup.md")) == {
        "helm": "https://helm.sh/docs/intro/install/",
        "yq": "https://github.com/mikefarah/yq",
    }


def test_a_name_without_a_vouching_link_is_a_program_when_a_step_calls_it(write_manuscript):
    m = write_manuscript(
        {
            "a.md": """
        # A

        ## Setup

        * Install Frobnicate.
        * Install `zork` (it is described at https://example.com/blog).
        * Install Quux.

        ## Do

        ```bash
        frobnicate --all
        ./manuscript/helpers/zork-it.sh
        ```
        """,
            "helpers/zork-it.sh": "#!/bin/sh\nzork --now\n",
        }
    )
    assert _tools(m.page("a.md")) == {"frobnicate": "", "zork": "https://example.com/blog"}


def test_a_helper_script_outside_the_repository_is_not_read(write_manuscript, tmp_path):
    outside = tmp_path.parent / f"{tmp_path.name}-outside.sh"
    outside.write_text("#!/bin/sh\nquux\n")
    m = write_manuscript(
        {
            "a.md": f"""
        # A

        ## Setup

        * Install Quux.

        ```bash
        {outside}
        ```
        """
        }
    )
    assert _tools(m.page("a.md")) == {}


def test_missing_for_steps_lists_each_program_once_with_its_steps(write_manuscript, tmp_path):
    from tutorial.checks.requirements import missing_for_steps

    m = write_manuscript(
        {
            "a.md": """
        # A

        ## Setup

        * [Install `zork`](https://example.com/zork/install)

        ## Do

        ```bash
        frob() { echo "a function, not a program"; }
        zork --first
        ```

        ```bash
        frob
        zork --again
        ```
        """
        }
    )
    empty = tmp_path / "empty-path"
    empty.mkdir()
    steps = list(m.page("a.md").steps)
    (zork,) = missing_for_steps(m, steps, {"PATH": str(empty)}, tmp_path)
    assert (zork.name, zork.link, [s.index for s in zork.steps]) == ("zork", "https://example.com/zork/install", [0, 1])
    assert zork.describe() == "zork (install: https://example.com/zork/install) used by a.md steps 1, 2"


def test_programs_typed_inside_a_nested_shell_are_not_needed_here(write_manuscript, tmp_path):
    from tutorial.checks.requirements import missing_for_steps

    m = write_manuscript(
        {
            "a.md": """
        # A

        ```bash
        zork apply --filename policy.yaml

        kubectl --namespace prod --tty --stdin exec sleep \\
            --container sleep -- sh

        apk add -U curl

        exit
        ```
        """
        }
    )
    empty = tmp_path / "empty-path"
    empty.mkdir()
    missing = missing_for_steps(m, list(m.page("a.md").steps), {"PATH": str(empty)}, tmp_path)
    # `apk` runs in the container's shell; `zork` and `kubectl` run on this machine
    assert sorted(p.name for p in missing) == ["kubectl", "zork"]


def test_a_function_an_earlier_step_defines_is_no_program_to_install(write_manuscript, tmp_path):
    from tutorial.checks.requirements import requirements

    m = write_manuscript(
        {
            "a.md": """
        # A

        ```bash
        greet() { echo "hello from $PWD"; }
        ```

        ```bash
        greet
        zork --version
        ```
        """
        }
    )
    empty = tmp_path / "empty-path"
    empty.mkdir()
    found = requirements(m, [m.page("a.md")], {"PATH": str(empty)})
    assert [r.prerequisite.name for r in found] == ["zork"]  # "Before you start" lists no `greet`


def test_a_numbered_list_under_an_install_lead_names_its_tools_by_their_links(write_manuscript):
    m = write_manuscript(
        {
            "capi.md": """
        # Cluster API

        ## Setup

        First you need to install:
        1. [Docker](https://www.docker.com/)
        2. [Kubectl](https://kubernetes.io/docs/tasks/tools/)
        2. [Clusterctl](https://cluster-api.sigs.k8s.io/user/quick-start.html#install-clusterctl)
        3. [Kind](https://kind.sigs.k8s.io/docs/user/quick-start#installation)

        Then read these:
        1. [Kustomize](https://kustomize.io/)

        You need to install:

        * The [book](https://example.com/book) is not a tool
        * [Core ClusterAPI](https://example.com/capi) is no program

        ```bash
        kind create cluster
        ```
        """
        }
    )
    found = {p.name: (p.kind, p.link, p.line) for p in m.page("capi.md").prerequisites}
    assert found == {
        "docker": (PrerequisiteKind.TOOL, "https://www.docker.com/", 6),
        "kubectl": (PrerequisiteKind.TOOL, "https://kubernetes.io/docs/tasks/tools/", 7),
        "clusterctl": (
            PrerequisiteKind.TOOL,
            "https://cluster-api.sigs.k8s.io/user/quick-start.html#install-clusterctl",
            8,
        ),
        "kind": (PrerequisiteKind.TOOL, "https://kind.sigs.k8s.io/docs/user/quick-start#installation", 9),
    }


KREW_PAGE = {
    "db/hero.md": """
    # Hero

    ## Setup

    * Install `krew` from https://krew.sigs.k8s.io/docs/user-guide/setup/install

    ```bash
    ./manuscript/db/hero.sh
    ```
    """,
    "db/hero.sh": "kubectl krew install schemahero\nzork --version\n",
}


def _executable(folder, name):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text("#!/bin/sh\nexit 0\n")
    (folder / name).chmod(0o755)


def _report(findings, name):
    return next(f.report for f in findings if f.requirement.prerequisite.name == name)


def test_a_kubectl_plugin_is_looked_for_as_kubectl_finds_it(write_manuscript, tmp_path, monkeypatch):
    from tutorial.checks.requirements import evaluate, requirements

    m = write_manuscript(KREW_PAGE)
    monkeypatch.chdir(tmp_path)  # a clone: ./manuscript/db/hero.sh is there
    bin_ = tmp_path / "bin"
    _executable(bin_, "kubectl-krew")
    env = {"PATH": str(bin_), "HOME": str(tmp_path / "home")}
    installed = _report(evaluate(requirements(m, [m.page("db/hero.md")], env), env), "krew")
    assert installed.ok and "kubectl plugin `kubectl krew`" in installed.detail

    env["PATH"] = str(tmp_path / "empty")
    missing = _report(evaluate(requirements(m, [m.page("db/hero.md")], env), env), "krew")
    assert not missing.ok and "no `kubectl-krew` on PATH" in missing.detail

    _executable(tmp_path / "home" / ".krew" / "bin", "kubectl-krew")
    aside = _report(evaluate(requirements(m, [m.page("db/hero.md")], env), env), "krew")
    assert not aside.ok and "is not on PATH" in aside.detail and "export PATH=" in aside.fix


def test_a_name_no_step_calls_as_kubectl_name_stays_a_program(write_manuscript, tmp_path, monkeypatch):
    from tutorial.checks.requirements import evaluate, requirements

    m = write_manuscript({"a.md": "# A\n\n## Setup\n\n* Install `krew` from https://krew.sigs.k8s.io/\n"})
    env = {"PATH": str(tmp_path)}
    report = _report(evaluate(requirements(m, [m.page("a.md")], env), env), "krew")
    assert not report.ok and "`krew` is not installed or not on PATH" in report.detail


def test_a_helper_script_outside_a_clone_runs_from_one_and_its_programs_are_still_looked_for(
    write_manuscript, tmp_path, monkeypatch
):
    from tutorial.checks.requirements import evaluate, requirements

    m = write_manuscript(KREW_PAGE)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # no ./manuscript here
    env = {"PATH": str(tmp_path / "empty"), "HOME": str(tmp_path)}
    findings = evaluate(requirements(m, [m.page("db/hero.md")], env), env)
    script = _report(findings, "./manuscript/db/hero.sh")
    assert not script.ok and not script.required  # reported, never counted as missing
    assert "runs from a clone of the manuscript's repository" in script.detail and "db/hero.sh" in script.detail
    zork = next(f for f in findings if f.requirement.prerequisite.name == "zork")
    assert "db/hero.sh" in zork.requirement.prerequisite.text  # called by the script

    monkeypatch.chdir(tmp_path)  # in the clone: the script is found, nothing to say about it
    names = [r.prerequisite.name for r in requirements(m, [m.page("db/hero.md")], env)]
    assert "./manuscript/db/hero.sh" not in names and "zork" in names


def test_a_file_beside_the_manuscript_folder_runs_from_a_clone_of_its_repository(
    write_manuscript, tmp_path, monkeypatch
):
    from tutorial.checks.requirements import evaluate, requirements

    page = {"destroy.md": "# Destroy\n\n```sh\n./dot.nu destroy idp\n```\n"}
    m = write_manuscript(page)
    (tmp_path / "dot.nu").write_text("#!/usr/bin/env nu\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    env = {"PATH": str(tmp_path / "empty")}
    report = _report(evaluate(requirements(m, [m.page("destroy.md")], env), env), "./dot.nu")
    assert not report.required and "(it is dot.nu there)" in report.detail

    # a folder not named `manuscript` says nothing of where its repository's root is
    other = write_manuscript(page, folder="book")
    report = _report(evaluate(requirements(other, [other.page("destroy.md")], env), env), "./dot.nu")
    assert report.required and "not installed" in report.detail


def test_a_word_after_a_kubectl_option_is_no_plugin():
    """kubectl runs a plugin named first only: `kubectl -n vault exec` runs no `kubectl-vault`."""
    from tutorial.checks.plugins import kubectl_plugins

    assert kubectl_plugins("kubectl --namespace vault exec vault-0 -- vault status") == set()
    assert kubectl_plugins("kubectl -n argocd get pods\nkubectl --context kind-kind apply -f app.yaml") == set()
    assert kubectl_plugins("kubectl krew install schemahero") == {"krew"}


def test_a_cli_named_like_a_namespace_stays_a_program(write_manuscript, tmp_path):
    from tutorial.checks.requirements import evaluate, requirements

    m = write_manuscript(
        {
            "v.md": "# V\n\n## Setup\n\n* Install `vault` from https://developer.hashicorp.com/vault/install\n\n"
            "```bash\nkubectl --namespace vault get pods\n```\n"
        }
    )
    bin_ = tmp_path / "bin"
    _executable(bin_, "vault")
    _executable(bin_, "kubectl")
    env = {"PATH": str(bin_), "HOME": str(tmp_path)}
    report = _report(evaluate(requirements(m, [m.page("v.md")], env), env), "vault")
    assert report.ok, report.detail
