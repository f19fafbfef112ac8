"""Headings in any case and their common variants."""

import pytest

from tutorial.manuscript.headings import classify, option_name
from tutorial.manuscript.model import PageKind, SectionKind


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("Setup", SectionKind.SETUP),
        ("SETUP", SectionKind.SETUP),
        ("Do", SectionKind.DO),
        ("do", SectionKind.DO),
        ("Continue The Adventure", SectionKind.CONTINUE),
        ("Continue the adventure", SectionKind.CONTINUE),
        ("Start The Chapter", SectionKind.CONTINUE),
        ("Start The Adventure", SectionKind.CONTINUE),
        ("What Is Your Choice?", SectionKind.CHOICE),
        ("what is your choice", SectionKind.CHOICE),
        ("Which Policies Did You Choose?", SectionKind.ROUTE),
        ("Which Database Did You Choose?", SectionKind.ROUTE),
        ("How Did You Define Your App?", SectionKind.ROUTE),
        ("Choice 1: Carvel kbld", SectionKind.OPTION),
        ("Choice 12 - Harbor", SectionKind.OPTION),
        ("Undo The Changes", SectionKind.UNDO),
        ("Create a management Kubernetes cluster", SectionKind.OTHER),
    ],
)
def test_classify(title, kind):
    assert classify(title) is kind


def test_option_name():
    assert option_name("Choice 3: Cloud Native Buildpacks (CNB)") == "Cloud Native Buildpacks (CNB)"
    assert option_name("Choice 2 - Harbor") == "Harbor"


def test_choice_sections_describe_options_and_are_not_options(write_manuscript):
    m = write_manuscript(
        {
            "build/README.md": """
            # Build

            ## Choice 1: Carvel kbld

            `kbld` builds and resolves images.

            * [Official site](https://carvel.dev/kbld)

            ## Choice 2: Cloud Native Buildpacks (CNB)

            Buildpacks turn source into images.

            ## Choice 3: AWS Elastic Container Registry (ECR)

            Described but not offered.

            ## What Is Your Choice?

            * [kbld](kbld.md)
            * [Cloud Native Buildpacks (CNB)](buildpacks.md)
            """,
            "build/kbld.md": "# kbld\n",
            "build/buildpacks.md": "# CNB\n",
        }
    )
    page = m.page("build/README.md")
    assert page.kind is PageKind.CHOICE
    assert [o.label for o in page.options] == ["kbld", "Cloud Native Buildpacks (CNB)"]
    kbld, cnb = page.options
    assert "`kbld` builds and resolves images." in kbld.description
    assert cnb.description.startswith("Buildpacks turn source into images.")
    assert all("ECR" not in o.description for o in page.options)


def test_route_headings_make_route_pages(write_manuscript):
    m = write_manuscript(
        {
            "app/README.md": """
            # Deploy the App to Production

            ## How Did You Define Your App?

            * [Helm](helm.md)
            * [Kustomize](kustomize.md)
            """,
            "app/helm.md": "# Helm\n",
            "app/kustomize.md": "# Kustomize\n",
        }
    )
    page = m.page("app/README.md")
    assert page.kind is PageKind.ROUTE
    assert [o.target for o in page.options] == ["app/helm.md", "app/kustomize.md"]
