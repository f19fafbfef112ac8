"""Headings in any case and their common variants."""

import pytest

from tutorial.manuscript.headings import classify, is_question, is_teardown, option_name
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
        ("Teardown", SectionKind.UNDO),
        ("Which cloud provider do you use?", SectionKind.OTHER),  # a way on only when it closes the page
        ("Create a management Kubernetes cluster", SectionKind.OTHER),
    ],
)
def test_classify(title, kind):
    assert classify(title) is kind


@pytest.mark.parametrize(
    ("title", "asks"),
    [
        ("Which cloud provider do you use?", True),
        ("What **Database** Do You Want?", True),
        ("What is HTTPS?", True),  # a question; the parser decides whether it closes the page
        ("Which cloud provider do you use", False),
        ("How does it work?", False),
    ],
)
def test_is_question(title, asks):
    assert is_question(title) is asks


def test_is_teardown():
    assert is_teardown("Destroy") and is_teardown("API (CRDs) & State Management (Controllers) Destruction")
    assert is_teardown("Tear Down Everything") and not is_teardown("Deploy The App")


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
