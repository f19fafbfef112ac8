"""``map``: the adventure graph as JSON, Mermaid and a tree."""

import json
import os
import subprocess
import sys

from tutorial.manuscript import graph
from tutorial.manuscript.model import OptionKind


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
    assert labels["Helm"] == {
        "target": "define-deploy-dev/helm.md",
        "label": "Helm",
        "available": True,
        "kind": "choice",
    }
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


def _go_back_manuscript(write_manuscript):
    return write_manuscript(
        {
            "adventure.yaml": "start: [setup.md]\n",
            "setup.md": "# Setup\n\nRead [the notes](notes.md) first.\n\n"
            "## Start The Chapter\n\n* [Tracing](README.md)\n",
            "notes.md": "# Notes\n",
            "README.md": """
            # Tracing

            If you are in a hurry, skip this chapter by jumping to [Logs](logs.md).

            ## What Is Your Choice?

            * [Jaeger](jaeger.md)
            * [Zipkin](zipkin.md)
            """,
            "jaeger.md": "# Jaeger\n\n## Which cloud provider do you use?\n\n* [AWS](aws.md)\n* [Azure](azure.md)\n",
            "aws.md": "# AWS\n",
            "azure.md": "# Azure\n",
            "logs.md": "# Logs\n",
            "zipkin.md": "# Zipkin\n\nZipkin is not a CNCF project.\n\n"
            "Go back to [Tracing](README.md) and try again.\n",
        }
    )


def test_reachability_follows_the_options_only(write_manuscript):
    m = _go_back_manuscript(write_manuscript)
    assert graph.reachable(m) == {
        "setup.md",
        "README.md",
        "jaeger.md",
        "aws.md",
        "azure.md",
        "logs.md",
        "zipkin.md",
    }  # notes.md is only mentioned, never offered
    assert graph.next_pages(m, "zipkin.md") == ["README.md"]
    assert graph.dead_ends(m) == ["aws.md", "azure.md", "logs.md"]


def test_json_options_carry_their_kind(write_manuscript):
    pages = {p["path"]: p for p in graph.as_json(_go_back_manuscript(write_manuscript))["pages"]}
    assert [(o["label"], o["kind"]) for o in pages["README.md"]["links"]] == [
        ("Logs", "prose"),
        ("Jaeger", "choice"),
        ("Zipkin", "choice"),
    ]
    assert pages["zipkin.md"]["links"] == [
        {"target": "README.md", "label": "Tracing", "available": True, "kind": "go-back"}
    ]
    assert pages["zipkin.md"]["kind"] == "chapter"
    assert pages["jaeger.md"]["kind"] == "choice"
    route = write_manuscript(
        {"a.md": "# A\n\n## Which DB Did You Choose?\n\n* [PG](pg.md)\n", "pg.md": "# PG\n"}, folder="r"
    )
    assert graph.as_json(route)["pages"][0]["links"][0]["kind"] == "route"


def test_tree_and_mermaid_name_go_back_and_prose_options(write_manuscript, tmp_path):
    m = _go_back_manuscript(write_manuscript)
    zipkin = next(c for c in graph.tree(m)[0].children[0].children if c.path == "zipkin.md")
    assert zipkin.children[0].tag == "go back" and zipkin.children[0].seen
    mermaid = graph.as_mermaid(m)
    assert '|"go back: Tracing"|' in mermaid and '|"from the text: Logs"|' in mermaid
    text = _run("--manuscript", str(tmp_path / "manuscript")).stdout
    assert "Tracing · go back" in text and "Logs · from the text" in text


def test_a_label_that_says_go_back_is_not_tagged_twice():
    assert OptionKind.GO_BACK.tag_for("Go back to the trailhead") == ""
    assert OptionKind.GO_BACK.tag_for("Tracing") == "go back"
    assert OptionKind.CHOICE.tag_for("Tracing") == ""


def test_piped_tree_is_not_wrapped_at_80_columns(write_manuscript):
    long_title = "A Chapter Whose Title Is Long Enough To Need More Than Eighty Columns Of Text"
    m = write_manuscript(
        {
            "adventure.yaml": "start: [start.md]\n",
            "start.md": f"# Start\n\n## Continue The Adventure\n\n[{long_title}](deeply/nested/folder/chapter.md)\n",
            "deeply/nested/folder/chapter.md": f"# {long_title}\n",
        }
    )
    result = subprocess.run(
        [sys.executable, "-m", "tutorial", "map", "--manuscript", str(m.root)],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "80"},
    )
    assert result.returncode == 0, result.stderr
    (line,) = [x for x in result.stdout.splitlines() if long_title in x]
    assert line.endswith("deeply/nested/folder/chapter.md")  # the page's path on the same line
    assert len(line) > 80
    assert all(x == x.rstrip() for x in result.stdout.splitlines())  # no padding to a made-up width


def test_a_caveat_shows_on_its_option_in_the_tree_and_json(write_manuscript):
    root = write_manuscript(
        {
            "adventure.yaml": "start: [registry.md]\n",
            "registry.md": """
            # Registry

            ## What Is Your Choice?

            **If you chose `nip.io`, you cannot choose Harbor.**

            * [Docker Hub](hub.md)
            * [Harbor](harbor.md)
            """,
            "hub.md": "# Hub\n",
            "harbor.md": "# Harbor\n",
        }
    ).root
    tree = _run("--manuscript", str(root))
    assert tree.returncode == 0, tree.stderr
    (harbor,) = [line for line in tree.stdout.splitlines() if "harbor.md" in line]
    (hub,) = [line for line in tree.stdout.splitlines() if "hub.md" in line]
    assert "⚠ If you chose nip.io, you cannot choose Harbor." in harbor and "⚠" not in hub
    data = json.loads(_run("--manuscript", str(root), "--format", "json").stdout)
    (page,) = [p for p in data["pages"] if p["path"] == "registry.md"]
    links = {link["label"]: link for link in page["links"]}
    assert links["Harbor"]["note"] == "If you chose nip.io, you cannot choose Harbor."
    assert "note" not in links["Docker Hub"]
