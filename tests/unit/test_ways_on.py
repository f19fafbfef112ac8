"""Ways on without a "Continue" or "What Is Your Choice?" heading: closing questions, final lists, sentences."""

from tutorial.manuscript.model import OptionKind, PageKind


def _options(page):
    return [(o.label, o.target, o.kind) for o in page.options]


def test_closing_which_question_with_a_list_is_a_choice(write_manuscript):
    m = write_manuscript(
        {
            "cluster/capi.md": """
            # Cluster API

            ```bash
            clusterctl init
            ```

            ## Which cloud provider do you use?

            * [Google Cloud](google.md)
            * [AWS](aws.md)
            * **Azure** has not yet been implemented.
            """,
            "cluster/google.md": "# Google\n",
            "cluster/aws.md": "# AWS\n",
        }
    )
    page = m.page("cluster/capi.md")
    assert page.kind is PageKind.CHOICE
    assert _options(page)[:2] == [
        ("Google Cloud", "cluster/google.md", OptionKind.CHOICE),
        ("AWS", "cluster/aws.md", OptionKind.CHOICE),
    ]
    assert page.options[2].label == "Azure" and not page.options[2].available
    assert page.sections[-1].kind.value == "choice"


def test_closing_what_question_at_level_three_with_a_sentence_before_the_list(write_manuscript):
    m = write_manuscript(
        {
            "db.md": """
            # DB

            ### What Database Do You Want?

            Pick the one your team runs.

            1. [PostgreSQL](pg.md)
            2. [MySQL](my.md)
            """,
            "pg.md": "# PG\n",
            "my.md": "# My\n",
        }
    )
    assert [o.target for o in m.page("db.md").options] == ["pg.md", "my.md"]
    assert m.page("db.md").kind is PageKind.CHOICE


def test_a_question_that_explains_is_not_a_way_on(write_manuscript):
    m = write_manuscript(
        {
            "https.md": """
            # HTTPS

            ### What is HTTPS?

            It is HTTP over TLS; see [the glossary](glossary.md).

            ## Continue The Adventure

            * [Certificates](certs.md)
            """,
            "last.md": """
            # Last

            ## What is a certificate?

            A signed public key.

            * [Official site](https://example.com)
            """,
            "glossary.md": "# Glossary\n",
            "certs.md": "# Certs\n",
        }
    )
    assert _options(m.page("https.md")) == [("Certificates", "certs.md", OptionKind.CHOICE)]
    assert m.page("last.md").options == ()
    assert m.page("last.md").kind is PageKind.END


def test_final_list_of_page_links_is_a_way_on(write_manuscript):
    m = write_manuscript(
        {
            "gui.md": """
            # GUI

            Observe the claims.

            ## Destroy

            * [Destroy](destroy.md)
            """,
            "fork.md": """
            # Fork

            Some prose.

            * [Left](left.md)
            * Go [right](right.md) if you prefer
            """,
            "destroy.md": "# Destroy\n",
            "left.md": "# Left\n",
            "right.md": "# Right\n",
        }
    )
    gui = m.page("gui.md")
    assert _options(gui) == [("Destroy", "destroy.md", OptionKind.CHOICE)]
    assert gui.kind is PageKind.CHAPTER  # one link goes on
    fork = m.page("fork.md")
    assert [o.target for o in fork.options] == ["left.md", "right.md"]
    assert fork.kind is PageKind.CHOICE


def test_a_final_list_with_an_item_that_is_not_a_page_link_is_not_a_way_on(write_manuscript):
    m = write_manuscript(
        {
            "a.md": """
            # A

            * [Background](b.md)
            * [Official site](https://example.com)
            """,
            "mid.md": """
            # Mid

            * [B](b.md)

            More prose after the list.
            """,
            "b.md": "# B\n",
        }
    )
    assert m.page("a.md").options == ()
    assert m.page("mid.md").options == ()


def test_go_back_pages_offer_the_way_back(write_manuscript):
    m = write_manuscript(
        {
            "tracing/README.md": "# Tracing\n\n## What Is Your Choice?\n\n"
            "* [Jaeger](jaeger.md)\n* [Zipkin](zipkin.md)\n",
            "tracing/jaeger.md": "# Jaeger\n",
            "tracing/zipkin.md": """
            # Tracing with Zipkin

            Zipkin is not a CNCF project.

            Go back to [Tracing](README.md) and try again.
            """,
            "tracing/sops.md": """
            # SOPS

            SOPS is not meant to run in Kubernetes.

            Please return to the [Tracing](README.md) page and choose a different option.
            """,
        }
    )
    for path in ("tracing/zipkin.md", "tracing/sops.md"):
        page = m.page(path)
        assert _options(page) == [("Tracing", "tracing/README.md", OptionKind.GO_BACK)]
        assert page.kind is PageKind.CHAPTER
    assert OptionKind.GO_BACK.tag == "go back"


def test_a_conditional_go_back_beside_a_continue_link_makes_a_choice(write_manuscript):
    m = write_manuscript(
        {
            "app/README.md": "# App\n\n## What Is Your Choice?\n\n* [Kustomize](kustomize.md)\n",
            "app/kustomize.md": """
            # Kustomize

            * If you chose Carvel, Kustomize is not supported. Please go back to [Deploy the App](README.md) and
              pick a different format.

            ## Continue The Adventure

            * [Setup the DB](db.md)
            """,
            "app/db.md": "# DB\n",
        }
    )
    page = m.page("app/kustomize.md")
    assert _options(page) == [
        ("Deploy the App", "app/README.md", OptionKind.GO_BACK),
        ("Setup the DB", "app/db.md", OptionKind.CHOICE),
    ]
    assert page.kind is PageKind.CHOICE


def test_go_back_written_in_a_continue_section(write_manuscript):
    m = write_manuscript(
        {
            "a.md": "# A\n\n## Continue The Adventure\n\nGo back to [the start](b.md) and pick again.\n",
            "b.md": "# B\n",
        }
    )
    assert _options(m.page("a.md")) == [("the start", "b.md", OptionKind.GO_BACK)]


def test_follow_the_instructions_of_another_page_is_a_way_on(write_manuscript):
    m = write_manuscript(
        {
            "logs/fluentd.md": """
            # Logging with Fluentd

            ## Do

            The easiest way is the Logging Operator. Follow the [Logging Operator](operator.md) instructions.
            """,
            "logs/operator.md": "# Logging Operator\n",
        }
    )
    page = m.page("logs/fluentd.md")
    assert _options(page) == [("Logging Operator", "logs/operator.md", OptionKind.PROSE)]
    assert page.kind is PageKind.CHAPTER
    assert OptionKind.PROSE.tag == "from the text"


def test_skip_this_chapter_by_jumping_to_is_a_way_on_beside_the_choices(write_manuscript):
    m = write_manuscript(
        {
            "https/README.md": """
            # Use HTTPS

            **If you chose `nip.io`, you should skip this chapter by jumping directly to [Setup DB](../db/README.md).**

            See [the glossary](../glossary.md) for the words.

            ## Choice 1: cert-manager

            Follow the [cert-manager](cert-manager.md) instructions of the option.

            ## What Is Your Choice?

            * [cert-manager](cert-manager.md)
            """,
            "https/cert-manager.md": "# cert-manager\n",
            "db/README.md": "# DB\n",
            "glossary.md": "# Glossary\n",
        }
    )
    page = m.page("https/README.md")
    assert _options(page) == [
        ("Setup DB", "db/README.md", OptionKind.PROSE),
        ("cert-manager", "https/cert-manager.md", OptionKind.CHOICE),
    ]
    assert page.kind is PageKind.CHOICE


def test_a_listed_option_outranks_a_sentence_naming_the_same_page(write_manuscript):
    m = write_manuscript(
        {
            "a.md": """
            # A

            When you are done, continue to [B](b.md).

            ## Continue The Adventure

            * [Next: B](b.md)
            """,
            "b.md": "# B\n",
        }
    )
    assert _options(m.page("a.md")) == [("Next: B", "b.md", OptionKind.CHOICE)]


def test_a_way_on_in_a_sentence_to_a_missing_page_cannot_be_taken(write_manuscript):
    m = write_manuscript({"a.md": "# A\n\nGo back to [the start](start.md) and try again.\n"})
    page = m.page("a.md")
    (option,) = page.options
    assert (option.target, option.available, option.kind) == (None, False, OptionKind.GO_BACK)
    assert [p.kind for p in page.problems] == ["broken-link"]  # the cause, reported once where it is written
