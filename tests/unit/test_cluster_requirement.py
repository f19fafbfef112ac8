"""A cluster is required by a page whose steps talk to one, and only reported for rendering."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import WriteManuscript
from tutorial.checks.requirements import evaluate, requirements, talks_to_cluster
from tutorial.manuscript.model import PrerequisiteKind

APPLY = "# Deploy\n\n```bash\nkubectl apply --filename k8s/\n```\n"
RENDER = "# Render\n\n```bash\nhelm template app chart/ > out.yaml\n```\n"


@pytest.mark.parametrize(
    ("code", "talks"),
    [
        ("kubectl apply -f app.yaml", True),
        ("kubectl --namespace dev get pods", True),
        ("helm upgrade --install app chart/", True),
        ("/usr/local/bin/kubectl get nodes", True),
        ("argocd app sync demo", True),
        ("helm template app chart/", False),
        ("helm repo add bitnami https://charts.bitnami.com/bitnami", False),
        ("kubectl version --client", False),
        ("kubectl create secret generic s --dry-run=client -o yaml", False),
        ("kubectl kustomize overlays/dev", False),
        ("kustomize build overlays/dev", False),
        ("echo kubectl apply", False),
    ],
)
def test_which_steps_talk_to_a_cluster(code: str, talks: bool) -> None:
    assert talks_to_cluster(code) is talks


def _cluster(write_manuscript: WriteManuscript, page: str) -> tuple[bool, bool]:
    manuscript = write_manuscript({"page.md": page})
    found = [r for r in requirements(manuscript, manuscript.pages.values(), env={"PATH": "/nonexistent"})]
    (cluster,) = [r for r in found if r.prerequisite.kind is PrerequisiteKind.CLUSTER]
    (finding,) = [f for f in evaluate([cluster], env={"PATH": "/nonexistent"})]
    assert not finding.report.ok  # no kubectl on that PATH: no cluster
    return cluster.required, finding.report.required


def test_a_page_that_applies_manifests_requires_a_cluster(write_manuscript: WriteManuscript) -> None:
    assert _cluster(write_manuscript, APPLY) == (True, True)


def test_a_page_that_only_renders_reports_the_cluster(write_manuscript: WriteManuscript) -> None:
    assert _cluster(write_manuscript, RENDER) == (False, False)


def _doctor(tmp_path: Path, page: str) -> tuple[int, dict[str, object]]:
    root = tmp_path / "manuscript"
    root.mkdir()
    (root / "page.md").write_text(page)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name in ("kubectl", "helm"):  # installed, but no cluster to talk to
        tool = bin_dir / name
        tool.write_text("#!/bin/sh\necho 'error: current-context is not set' >&2\nexit 1\n")
        tool.chmod(0o755)
    result = subprocess.run(
        [sys.executable, "-m", "tutorial", "doctor", "--manuscript", str(root), "--format", "json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "PATH": f"{bin_dir}{os.pathsep}/usr/bin{os.pathsep}/bin"},
        timeout=60,
    )
    document = json.loads(result.stdout)
    (cluster,) = [p for p in document["prerequisites"] if p["kind"] == "cluster"]
    return result.returncode, cluster


def test_doctor_fails_for_a_chapter_that_needs_a_missing_cluster(tmp_path: Path) -> None:
    status, cluster = _doctor(tmp_path, APPLY)
    assert (cluster["ok"], cluster["required"], status) == (False, True, 1)


def test_doctor_only_warns_when_the_chapter_renders_without_a_cluster(tmp_path: Path) -> None:
    status, cluster = _doctor(tmp_path, RENDER)
    assert (cluster["ok"], cluster["required"], status) == (False, False, 0)
