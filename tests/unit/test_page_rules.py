"""A chapter's own "If you chose Foo, this chapter is not supported yet; go back", on the option leading there."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import WriteManuscript
from tutorial.engine.journey import Journey, JourneyOptions
from tutorial.manuscript import graph
from tutorial.manuscript.conditions import Marked, find_conditions, manuscript_subjects
from tutorial.manuscript.model import ConditionKind, Manuscript

NOT_FOR_FOO = "If you chose Foo, this chapter is not supported yet; go back and choose another."

PAGES = {
    "adventure.yaml": "start: [tool.md]\nends: [bar.md, baz.md]\n",
    "tool.md": """
    # Tool

    ## What Is Your Choice?

    * [Foo](format.md)
    * [Qux](qux.md)
    """,
    "qux.md": "# Qux\n\n## Continue The Adventure\n\n* [Format](format.md)\n",
    "format.md": """
    # Format

    ## What Is Your Choice?

    * [Bar](bar.md)
    * [Baz](baz.md)
    """,
    "bar.md": f"""
    # Bar

    {NOT_FOR_FOO}

    ## Do

    ```bash
    echo bar
    ```
    """,
    "baz.md": "# Baz\n\n```bash\necho baz\n```\n",
}


def _journey(manuscript: Manuscript, tmp_path: Path, *assume: str) -> Journey:
    work = tmp_path / "work"
    work.mkdir(parents=True, exist_ok=True)
    return Journey(manuscript, work, JourneyOptions(assume=set(assume)))


def test_the_sentence_is_a_page_level_skip_if_with_a_readable_subject() -> None:
    (rule,) = find_conditions(Marked(NOT_FOR_FOO), 3, comment=False)
    assert (rule.kind, rule.scope, rule.subjects, rule.readable) == (ConditionKind.SKIP_IF, "page", ("Foo",), True)


def test_a_choice_named_in_a_longer_phrase_is_read_and_a_step_rule_is_not_one() -> None:
    text = (
        "If you chose to do GitOps with Carvel kapp-controller, Kustomize is not yet supported "
        "and you should choose a different way to define the app."
    )
    (rule,) = find_conditions(Marked(text), 1, comment=False)
    assert rule.scope == "page" and rule.readable and "Carvel kapp-controller" in rule.subject
    # not supported, but nobody is sent away: what it says about a command is not a page rule
    assert find_conditions(Marked("If you chose Foo, this command is not supported on ARM."), 1, comment=False) == []


def test_the_option_carries_the_rule_and_the_steps_keep_theirs(write_manuscript: WriteManuscript) -> None:
    m = write_manuscript(PAGES)
    bar, baz = m.page("format.md").options
    assert [r.quoted for r in bar.page_rules] == [NOT_FOR_FOO] and baz.page_rules == ()
    assert [r.badge for r in m.page("bar.md").rules] == ["skip if Foo"]
    assert m.page("bar.md").steps[0].conditions == ()  # a page rule governs none of its steps


def test_map_json_lists_the_rule_on_the_option(write_manuscript: WriteManuscript) -> None:
    pages = {p["path"]: p for p in graph.as_json(write_manuscript(PAGES))["pages"]}
    bar, baz = pages["format.md"]["links"]
    assert bar["page_rules"] == [
        {
            "text": NOT_FOR_FOO,
            "kind": "skip_if",
            "badge": "skip if Foo",
            "subjects": ["Foo"],
            "negated": False,
            "readable": True,
            "line": 3,
        }
    ]
    assert "page_rules" not in baz


def test_an_unreadable_page_rule_stays_on_its_page(write_manuscript: WriteManuscript) -> None:
    m = write_manuscript(
        {
            "a.md": "# A\n\n## What Is Your Choice?\n\n* [B](b.md)\n* [C](c.md)\n",
            "b.md": "# B\n\nIf you are in a hurry, skip this chapter by jumping to [C](c.md).\n",
            "c.md": "# C\n",
        }
    )
    assert not m.page("b.md").rules[0].readable
    assert all(o.page_rules == () for o in m.page("a.md").options)


def test_the_steps_of_the_page_are_left_out_for_the_reader_who_assumed_foo(
    write_manuscript: WriteManuscript, tmp_path: Path
) -> None:
    m = write_manuscript(PAGES)
    journey = _journey(m, tmp_path, "Foo")
    decision = journey.decide(m.page("bar.md").steps[0])
    assert not decision.applies and NOT_FOR_FOO in decision.reason and "it applies to you" in decision.reason
    assert journey.decide(m.page("baz.md").steps[0]).applies
    assert journey.option_verdict(m.page("format.md").options[0]).not_for_you is True
    journey.close()


def test_a_choice_made_earlier_decides_it_and_the_other_choice_clears_it(
    write_manuscript: WriteManuscript, tmp_path: Path
) -> None:
    m = write_manuscript(PAGES)
    journey = _journey(m, tmp_path)
    tool = m.page("tool.md")
    bar = m.page("format.md").options[0]
    unknown = journey.option_verdict(bar)
    assert unknown.not_for_you is None and "nobody said whether 'Foo' holds" in unknown.reason
    assert journey.decide(m.page("bar.md").steps[0]).applies  # unknown: the reader who opened it decided
    journey.start_at("tool.md")
    journey.choose(tool, tool.options[1])  # Qux: Foo passed over
    assert journey.option_verdict(bar).not_for_you is False and journey.option_verdict(bar).reason == ""
    journey.close()
    again = _journey(m, tmp_path / "other")
    again.start_at("tool.md")
    again.choose(tool, tool.options[0])  # Foo
    assert again.page_verdict("bar.md").not_for_you is True
    assert not again.decide(m.page("bar.md").steps[0]).applies
    again.close()


KAPP = (
    "If you chose to do GitOps with Carvel kapp-controller, Kustomize is not yet supported "
    "and you should choose a different way to define the app."
)
GITOPS_PAGES = {
    "cluster.md": "# Cluster\n\n## What Is Your Choice?\n\n* [GitOps](gitops.md)\n* [Destroy](destroy.md)\n",
    "destroy.md": "# Destroy\n",
    "gitops.md": (
        "# GitOps\n\n## What Is Your Choice?\n\n* [Argo CD](argocd.md)\n* [Carvel kapp-controller](kapp.md)\n"
    ),
    "argocd.md": "# Argo CD\n\n## Continue The Adventure\n\n* [App](app.md)\n",
    "kapp.md": "# Carvel kapp-controller\n\n## Continue The Adventure\n\n* [App](app.md)\n",
    "app.md": "# App\n\n## What Is Your Choice?\n\n* [Kustomize](kustomize.md)\n* [Helm](helm.md)\n",
    "kustomize.md": f"# Kustomize\n\n* {KAPP}\n\n```bash\necho kustomize\n```\n",
    "helm.md": "# Helm\n",
}


def test_a_reader_who_chose_gitops_with_argo_cd_is_not_left_out_of_a_chapter_for_kapp_controller(
    write_manuscript: WriteManuscript, tmp_path: Path
) -> None:
    m = write_manuscript(GITOPS_PAGES)
    journey = _journey(m, tmp_path)
    journey.start_at("cluster.md")
    journey.choose(m.page("cluster.md"), m.page("cluster.md").options[0])  # GitOps: a word of the rule's subject
    journey.open_page("gitops.md")
    journey.choose(m.page("gitops.md"), m.page("gitops.md").options[0])  # Argo CD: kapp-controller passed over
    assert journey.page_verdict("kustomize.md").not_for_you is not True
    assert journey.decide(m.page("kustomize.md").steps[0]).applies
    kustomize = m.page("app.md").options[0]
    assert journey.option_verdict(kustomize).not_for_you is not True
    journey.close()
    kapp = _journey(m, tmp_path / "kapp")
    kapp.start_at("cluster.md")
    kapp.choose(m.page("cluster.md"), m.page("cluster.md").options[0])
    kapp.open_page("gitops.md")
    kapp.choose(m.page("gitops.md"), m.page("gitops.md").options[1])  # Carvel kapp-controller
    assert kapp.page_verdict("kustomize.md").not_for_you is True
    assert not kapp.decide(m.page("kustomize.md").steps[0]).applies
    kapp.close()


def test_a_command_or_a_section_not_supported_is_no_rule_about_the_whole_chapter() -> None:
    for text in (
        "If you chose Flux, this command is not supported yet; go back to the previous step and use the other one.",
        "If you chose Flux, the command that follows is not supported yet; go back and run the one above.",
        "If you chose Flux, this section is not supported yet; go back and choose another.",
    ):
        assert all(c.scope != "page" for c in find_conditions(Marked(text), 1, comment=False)), text
    for text in (
        "If you chose Foo, Kustomize is not yet supported; go back to the previous step and choose another.",
        "If you chose Foo, go back to the previous step and choose another: Kustomize is not supported yet.",
    ):
        assert [c.scope for c in find_conditions(Marked(text), 1, comment=False)] == ["page"], text


def test_the_subject_of_a_page_rule_can_be_answered_in_what_holds_for_you(write_manuscript: WriteManuscript) -> None:
    assert manuscript_subjects(write_manuscript(PAGES)) == ["Foo"]
