"""Choices, continue links, unavailable options, cycles and ends."""

from tutorial.manuscript.model import PageKind


def test_not_yet_implemented_bullets_are_unavailable_options(write_manuscript):
    m = write_manuscript(
        {
            "policies/README.md": """
            # Policies

            ## What Is Your Choice?

            * [Kyverno](kyverno.md)
            * OPA Gatekeeper (has not yet been implemented)
            * Kubewarden - has not yet been implemented
            """,
            "policies/kyverno.md": "# Kyverno\n",
        }
    )
    kyverno, gatekeeper, kubewarden = m.page("policies/README.md").options
    assert kyverno.available and kyverno.target == "policies/kyverno.md"
    assert (gatekeeper.label, gatekeeper.available, gatekeeper.target) == ("OPA Gatekeeper", False, None)
    assert "has not yet been implemented" in gatekeeper.reason
    assert kubewarden.label == "Kubewarden" and not kubewarden.available


def test_continue_link_inside_a_sentence(write_manuscript):
    m = write_manuscript(
        {
            "a.md": """
            # A

            ## Continue The Adventure

            When you are ready, go on to [the next chapter](b.md) and keep going.
            """,
            "b.md": "# B\n",
        }
    )
    page = m.page("a.md")
    assert page.kind is PageKind.CHAPTER
    assert [(o.label, o.target) for o in page.options] == [("the next chapter", "b.md")]


def test_pages_without_a_next_link_are_ends(write_manuscript):
    m = write_manuscript(
        {
            "a.md": """
        # A

        ## Continue The Adventure

        The Adventure will continue soon...
        """
        }
    )
    page = m.page("a.md")
    assert page.kind is PageKind.END
    assert page.options == ()
    assert page.notes == ("The Adventure will continue soon...",)


def test_go_back_page_links_to_its_choice_page(write_manuscript):
    m = write_manuscript(
        {
            "build/README.md": """
            # Build

            ## What Is Your Choice?

            * [Lima](lima.md)
            * [Docker](docker.md)
            """,
            "build/lima.md": """
            # Lima

            Lima only runs on macOS.

            ## Continue The Adventure

            * [Go back and choose again](README.md)
            """,
            "build/docker.md": "# Docker\n",
        }
    )
    lima = m.page("build/lima.md")
    assert [o.target for o in lima.options] == ["build/README.md"]
    assert lima.kind is PageKind.CHAPTER


def test_links_outside_next_sections_are_not_options(write_manuscript):
    m = write_manuscript(
        {
            "a.md": """
            # A

            See [B](b.md) for background, and the [docs](https://example.com).

            ## Continue The Adventure

            * [C](c.md)
            """,
            "b.md": "# B\n",
            "c.md": "# C\n",
        }
    )
    assert [o.target for o in m.page("a.md").options] == ["c.md"]


def test_note_that_rules_out_an_option_is_attached_to_it(write_manuscript):
    m = write_manuscript(
        {
            "r/README.md": """
            # Registry

            ## What Is Your Choice?

            **If you chose `nip.io`, you cannot choose Harbor (without modifying the manifests).**

            * [Docker Hub](hub.md)
            * [Harbor](harbor.md)
            """,
            "r/hub.md": "# Hub\n",
            "r/harbor.md": "# Harbor\n",
        }
    )
    hub, harbor = m.page("r/README.md").options
    assert "cannot choose Harbor" in harbor.note
    assert hub.note == ""
    # the caveat holds when what the note's "If" names holds: the reader's answer decides, not the parser
    assert harbor.caveat_if == ("nip.io",) and harbor.available
    assert hub.caveat_if == ()


def test_a_caveat_without_a_condition_it_can_name_is_tied_to_nothing(write_manuscript):
    m = write_manuscript(
        {
            "r/README.md": """
            # Registry

            ## What Is Your Choice?

            You cannot choose Harbor with `kind` today. If you did not set up `DNS`, you cannot choose Quay.

            * [Harbor](harbor.md)
            * [Quay](quay.md)
            """,
            "r/harbor.md": "# Harbor\n",
            "r/quay.md": "# Quay\n",
        }
    )
    harbor, quay = m.page("r/README.md").options
    assert "cannot choose Harbor" in harbor.note and harbor.caveat_if == ()  # no "If": always shown, tied to nothing
    assert "cannot choose Quay" in quay.note and quay.caveat_if == ()  # a negated "If" is not read
