"""Discovery, entry points and malformed files."""

from pathlib import Path

import pytest

from tutorial.manuscript.loader import ManuscriptError, bundled_root, discover, load


def test_discovery_order(tmp_path):
    explicit = tmp_path / "mine"
    explicit.mkdir()
    assert discover(explicit) == (explicit.resolve(), False)
    clone = tmp_path / "clone"
    (clone / "manuscript").mkdir(parents=True)
    (clone / "manuscript" / "a.md").write_text("# A\n")
    assert discover(None, cwd=clone) == ((clone / "manuscript").resolve(), False)
    assert discover(None, cwd=tmp_path) == (bundled_root(), True)
    with pytest.raises(ManuscriptError, match="no such manuscript folder"):
        discover(tmp_path / "missing")


def test_declared_entry_points(write_manuscript):
    m = write_manuscript({"adventure.yaml": "start: [b.md]\n", "a.md": "# A\n", "b.md": "# B\n"})
    assert m.entry_points == ["b.md"]


def test_setup_folder_pages_are_entry_points(write_manuscript):
    m = write_manuscript(
        {
            "setup/dev.md": "# Dev\n\n## Start The Adventure\n\n* [Build](../build/README.md)\n",
            "setup/prod.md": "# Prod\n",
            "build/README.md": "# Build\n",
            "other.md": "# Other\n",
        }
    )
    assert m.entry_points == ["setup/dev.md", "setup/prod.md"]


def test_unlinked_pages_are_entry_points_otherwise(write_manuscript):
    m = write_manuscript({"a.md": "# A\n\n## Continue The Adventure\n\n[B](b.md)\n", "b.md": "# B\n"})
    assert m.entry_points == ["a.md"]


def test_start_overrides(write_manuscript):
    m = write_manuscript({"adventure.yaml": "start: [a.md]\n", "a.md": "# A\n", "b.md": "# B\n"}, start=["b.md"])
    assert m.entry_points == ["b.md"]


def test_non_utf8_and_empty_pages_are_reported(write_manuscript):
    m = write_manuscript(
        {
            "latin.md": "# Caf\xe9\n\nline two\n\nbad \xff byte\n".encode("latin-1"),
            "empty.md": "",
        }
    )
    latin = m.page("latin.md")
    assert latin.title == "Caf\ufffd"
    assert [(p.kind, p.line) for p in latin.problems] == [("not-utf8", 1)]
    assert [(p.kind, p.line) for p in m.page("empty.md").problems] == [("empty-page", 1)]


def test_bad_config_names_file_and_line(tmp_path):
    root = tmp_path / "m"
    root.mkdir()
    (root / "adventure.yaml").write_text("start: [a.md\ntitle: x\n")
    with pytest.raises(ManuscriptError) as error:
        load(root)
    assert f"{root / 'adventure.yaml'}:" in str(error.value)


def test_bundled_adventure_loads_with_its_conventions():
    m = load(bundled_root(), bundled=True)
    assert len(m.pages) >= 10
    assert m.entry_points == ["setup.md"]
    assert Path(m.root, "scripts", "settings.sh").is_file()
    dragonfly = m.page("registry/dragonfly.md")
    assert [o.target for o in dragonfly.options] == ["define-deploy-dev/README.md"]
    assert any(p.name == "DOCKERHUB_USERNAME" for s in dragonfly.steps for p in s.placeholders)
    choice = m.page("define-deploy-dev/README.md")
    assert any(not o.available for o in choice.options) and any(o.available for o in choice.options)
