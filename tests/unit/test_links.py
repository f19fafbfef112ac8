"""Links as GitHub renders them: relative, repository-rooted and absolute GitHub URLs."""

from tutorial.manuscript.model import LinkKind


def _links(manuscript, page):
    return {link.href: link for link in manuscript.page(page).links}


def test_relative_rooted_and_github_links_resolve_to_the_same_page(write_manuscript):
    m = write_manuscript(
        {
            "adventure.yaml": "repository: vfarcic/cncf-demo\n",
            "registry/README.md": """
            # Registry

            * [relative](../build/README.md)
            * [rooted](/manuscript/build/README.md)
            * [upstream](https://github.com/vfarcic/cncf-demo/blob/main/manuscript/build/README.md)
            * [fork](https://github.com/someone/cncf-demo/blob/feature/manuscript/build/README.md#top)
            * [folder](../build)
            """,
            "build/README.md": "# Build\n",
        }
    )
    links = _links(m, "registry/README.md")
    for href in links:
        assert links[href].kind is LinkKind.PAGE, href
        assert links[href].target == "build/README.md", href
        assert links[href].exists


def test_external_links_stay_external(write_manuscript):
    m = write_manuscript(
        {
            "a.md": """
        # A

        [other repo](https://github.com/someone/else/blob/main/manuscript/a.md)
        [site](https://helm.sh) [mail](mailto:a@b.c) [anchor](#setup)
        """,
            "adventure.yaml": "repository: cncf-demo\n",
        }
    )
    links = _links(m, "a.md")
    assert links["https://github.com/someone/else/blob/main/manuscript/a.md"].kind is LinkKind.EXTERNAL
    assert links["https://helm.sh"].kind is LinkKind.EXTERNAL
    assert links["mailto:a@b.c"].kind is LinkKind.EXTERNAL
    assert links["#setup"].kind is LinkKind.ANCHOR


def test_links_to_non_markdown_files_are_files(write_manuscript, tmp_path):
    m = write_manuscript(
        {
            "registry/dragonfly.md": """
            # Dragonfly

            Read [the script](dragonfly.sh) and [the values](/helm/values.yaml) and [gone](missing.sh).
            """,
            "registry/dragonfly.sh": "echo hi\n",
        }
    )
    (tmp_path / "helm").mkdir()
    (tmp_path / "helm" / "values.yaml").write_text("a: 1\n")
    from tutorial.manuscript.loader import load

    m = load(tmp_path / "manuscript")
    links = _links(m, "registry/dragonfly.md")
    script, values, gone = links["dragonfly.sh"], links["/helm/values.yaml"], links["missing.sh"]
    assert script.kind is LinkKind.FILE and script.exists
    assert values.kind is LinkKind.FILE and values.exists
    assert gone.kind is LinkKind.FILE and not gone.exists
    problems = [(p.kind, p.line) for p in m.page("registry/dragonfly.md").problems]
    assert problems == [("broken-link", 3)]


def test_missing_page_is_a_broken_link_with_its_line(write_manuscript):
    m = write_manuscript(
        {
            "a.md": """
        # A

        ## Continue The Adventure

        * [Next](nowhere.md)
        """
        }
    )
    page = m.page("a.md")
    (problem,) = page.problems
    assert (problem.kind, problem.line) == ("broken-link", 5)
    assert "nowhere.md" in problem.message
    (option,) = page.options
    assert not option.available and option.target is None
