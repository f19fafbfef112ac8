"""The bundled adventure end to end: a real Docker engine, a real registry, the real chapters.

Setup → build the demo app with `docker build` → push both tags to a local registry and pull
them back, checked by the chapters' own checks, then here again through the registry's HTTP
API and the docker SDK; the progress is in settings.yaml, and a second run resumes.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path

import docker
import pytest
import yaml

PATH_PAGES = ["setup.md", "build-container-image/docker.md", "registry/local.md"]

pytestmark = [pytest.mark.docker, pytest.mark.xdist_group("docker-engine")]


def tags_in_registry(registry: str, repository: str) -> list[str]:
    with urllib.request.urlopen(f"http://{registry}/v2/{repository}/tags/list", timeout=10) as response:
        return json.load(response).get("tags") or []


def run(args: list[str], work: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tutorial", "run", *args, "--workdir", str(work)],
        cwd=work,
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )


@pytest.fixture
def adventure_env(docker_host: str, registry: str, tmp_path: Path) -> dict[str, str]:
    return {**os.environ, "DOCKER_HOST": docker_host, "REGISTRY": registry, "HOME": str(tmp_path)}


def test_run_setup_build_and_local_registry_then_resume(tmp_path, adventure_env, registry, docker_host):
    work = tmp_path / "work"
    work.mkdir()
    first = run([*PATH_PAGES, "--format", "json"], work, adventure_env)
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr
    report = json.loads(first.stdout)
    assert (report["failed"], report["skipped"]) == (0, 0) and report["passed"] == 13

    settings = yaml.safe_load((work / "settings.yaml").read_text())
    tag = settings["tag"]
    assert settings["image"] == f"{registry}/cncf-demo"
    assert settings["workspace"] == str(work)
    progress = settings["adventure"]
    assert all(record["status"] == "passed" for record in progress["steps"].values())
    assert progress["variables"]["TAG"] == tag

    assert {tag, "latest"} <= set(tags_in_registry(registry, "cncf-demo"))  # the registry's HTTP API
    client = docker.DockerClient(base_url=docker_host)
    try:
        for name in (tag, "latest"):
            data = client.images.get_registry_data(f"{registry}/cncf-demo:{name}")  # the docker SDK
            assert data.id.startswith("sha256:")
        assert client.images.get(f"{registry}/cncf-demo:{tag}").labels["org.opencontainers.image.title"] == "cncf-demo"
    finally:
        client.close()

    again = run([*PATH_PAGES, "--resume"], work, adventure_env)
    assert again.returncode == 0, again.stdout[-2000:] + again.stderr
    assert again.stdout.splitlines()[-1] == "0 passed, 0 failed, 13 skipped"
    assert "done in an earlier run" in again.stdout
    assert yaml.safe_load((work / "settings.yaml").read_text())["tag"] == tag  # nothing was rebuilt


def test_dragonfly_without_a_cluster_fails_its_gate_and_the_rest_runs(tmp_path, adventure_env, registry):
    work = tmp_path / "work"
    work.mkdir()
    env = {**adventure_env, "PATH": "/usr/local/bin:/usr/bin:/bin"}  # no helm on this PATH
    assert run(["setup.md", "build-container-image/docker.md"], work, env).returncode == 0
    # a new invocation: --resume gives it the variables of the chapters before (TAG)
    result = run(
        ["registry/dragonfly.md", "--resume", "--var", "DOCKERHUB_USERNAME=tester", "--keep-going", "--format", "json"],
        work,
        env,
    )
    report = json.loads(result.stdout)
    statuses = [(step["index"], step["status"]) for step in report["steps"]]
    assert statuses[:3] == [(1, "passed"), (2, "passed"), (3, "failed")]  # 3: the Helm install
    blocked = report["steps"][2]["message"]
    assert "needs `helm`" in blocked and "registry/dragonfly.sh" in blocked and "https://helm.sh" in blocked
    assert [status for _, status in statuses[3:6]] == ["passed", "passed", "passed"]  # tag, push, pull
    assert statuses[6] == (7, "skipped")  # only if you have a Kubernetes cluster
    tag = yaml.safe_load((work / "settings.yaml").read_text())["tag"]
    assert {tag, "latest"} <= set(tags_in_registry(registry, "tester/cncf-demo"))


async def test_the_same_path_through_the_app(tmp_path, adventure_env, registry, monkeypatch):
    from tests.ui.conftest import settle
    from tutorial.engine.results import StepStatus
    from tutorial.manuscript.loader import bundled_root, load
    from tutorial.ui.app import AdventureApp
    from tutorial.ui.screens.chapter import ChapterScreen
    from tutorial.ui.screens.choice import ChoiceScreen
    from tutorial.ui.screens.start import StartScreen

    for name in ("DOCKER_HOST", "REGISTRY", "HOME"):
        monkeypatch.setenv(name, adventure_env[name])
    work = tmp_path / "work"
    work.mkdir()
    manuscript = load(bundled_root(), bundled=True)

    async def run_page(pilot, app) -> None:
        """Run every section of the chapter on screen, one after the other, as a reader would."""
        screen = app.screen
        assert isinstance(screen, ChapterScreen)
        while any(card.status is not StepStatus.PASSED for card in screen.cards.values()):
            await pilot.press("a")
            await settle(pilot, app, timeout=120)
            failed = [c for c in screen.cards.values() if c.status is StepStatus.FAILED]
            assert not failed, failed[0].outcome.message

    app = AdventureApp(manuscript, work)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        assert isinstance(app.screen, StartScreen)
        await pilot.press("enter")
        await settle(pilot, app)
        await run_page(pilot, app)  # setup.md
        await pilot.press("n")  # its one way on: the build chapter's choice page, to read
        await settle(pilot, app)
        assert app.screen.page.path == "build-container-image/README.md"
        await pilot.press("n")  # and its choice
        await settle(pilot, app)
        assert isinstance(app.screen, ChoiceScreen) and app.screen.focused.option.label == "Docker"
        await pilot.press("enter")
        await settle(pilot, app)
        assert app.screen.page.path == "build-container-image/docker.md"
        await run_page(pilot, app)
        await pilot.press("n")  # one way on: straight to the registry's choice page
        await settle(pilot, app)
        assert app.screen.page.path == "registry/README.md"
        await pilot.press("n")
        await settle(pilot, app)
        assert isinstance(app.screen, ChoiceScreen)
        await pilot.press("j", "j", "j")
        assert app.screen.focused.option.label == "A Local Registry"
        await pilot.press("enter")
        await settle(pilot, app)
        assert app.screen.page.path == "registry/local.md"
        await run_page(pilot, app)
        await pilot.press("ctrl+q")

    settings = yaml.safe_load((work / "settings.yaml").read_text())
    tag = settings["tag"]
    assert {tag, "latest"} <= set(tags_in_registry(registry, "cncf-demo"))
    progress = settings["adventure"]
    assert progress["page"] == "registry/local.md"
    assert [entry.get("choice") for entry in progress["path"]] == [
        "Build Container Image",
        "Docker",
        "Store Container Image in a Registry",
        "A Local Registry",
        None,
    ]
    assert all(r["status"] == "passed" for k, r in progress["steps"].items() if k.startswith("registry/local.md"))

    again = AdventureApp(load(bundled_root(), bundled=True), work)
    async with again.run_test(size=(120, 40)) as pilot:
        await settle(pilot, again)
        assert isinstance(again.screen, StartScreen)
        await pilot.press("c")
        await settle(pilot, again)
        screen = again.screen
        assert isinstance(screen, ChapterScreen) and screen.page.path == "registry/local.md"
        assert all(card.status is StepStatus.PASSED for card in screen.cards.values())  # nothing to redo
        await pilot.press("ctrl+q")
