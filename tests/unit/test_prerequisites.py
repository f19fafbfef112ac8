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
