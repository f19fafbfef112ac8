"""``map``: the adventure graph as JSON, Mermaid and a tree."""

import json
import subprocess
import sys

from tutorial.manuscript import graph


def _run(*args, cwd="/"):
    return subprocess.run([sys.executable, "-m", "tutorial", "map", *args], capture_output=True, text=True, cwd=cwd)


def test_json_shape_on_the_bundled_adventure():
    result = _run("--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["entry_points"] == ["setup.md"]
    pages = {p["path"]: p for p in data["pages"]}
    assert set(pages["registry/README.md"]) == {"path", "title", "kind", "steps", "links"}
    assert pages["registry/README.md"]["kind"] == "choice"
    assert pages["define-deploy-dev/helm.md"]["kind"] == "end"
    assert pages["setup.md"]["kind"] == "chapter"
    labels = {link["label"]: link for link in pages["define-deploy-dev/README.md"]["links"]}
    assert labels["Helm"] == {"target": "define-deploy-dev/helm.md", "label": "Helm", "available": True}
    assert labels["Kustomize"]["available"] is False and labels["Kustomize"]["target"] is None


def test_route_kind(write_manuscript):
    m = write_manuscript({"app.md": "# App\n\n## Which Database Did You Choose?\n\n* [PG](pg.md)\n", "pg.md": "# PG\n"})
    assert graph.as_json(m)["pages"][0]["kind"] == "route"


def test_tree_marks_loops_and_unavailable_options():
    result = _run()
    assert result.returncode == 0
    assert "Prepare Your Workspace" in result.stdout
    assert "↺ see above" in result.stdout  # the go-back page loops to its choice page
    assert "✗ Kaniko" in result.stdout


def test_mermaid():
    result = _run("--format", "mermaid")
    assert result.stdout.startswith("flowchart TD")
    assert '-->|"A Local Registry"|' in result.stdout
    assert "-.->" in result.stdout


def test_tree_handles_a_long_chain_without_recursion_errors(write_manuscript):
    pages = {f"p{i}.md": f"# P{i}\n\n## Continue The Adventure\n\n[next](p{i + 1}.md)\n" for i in range(1500)}
    pages["p1500.md"] = "# End\n"
    pages["adventure.yaml"] = "start: [p0.md]\n"
    m = write_manuscript(pages)
    assert graph.traps(m) == []
    assert len(graph.reachable(m)) == 1501
