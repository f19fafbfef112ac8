"""What holds for a reader: what they assumed, ticked or chose, kept with their progress."""

from __future__ import annotations

import yaml

from tutorial.engine.journey import Journey, JourneyOptions

PAGES = {
    "adventure.yaml": "start: [gitops.md]\n",
    "gitops.md": """
    # GitOps

    ## What Is Your Choice?

    * [Argo CD](argocd.md)
    * [Flux](flux.md)
    """,
    "argocd.md": """
    # Argo CD

    ```bash
    # If NOT EKS
    echo ip

    # If Flux
    echo flux

    # If NOT Flux
    echo not-flux
    ```
    """,
    "flux.md": "# Flux\n",
}


def test_choices_answers_and_assumptions_are_facts(write_manuscript, tmp_path):
    m = write_manuscript(PAGES)
    work = tmp_path / "work"
    work.mkdir()
    journey = Journey(m, work, JourneyOptions(assume={"not EKS"}))
    journey.start_at("gitops.md")
    journey.choose(m.page("gitops.md"), m.page("gitops.md").options[0])  # Argo CD
    not_eks, flux, not_flux = m.page("argocd.md").steps
    assert journey.decide(not_eks).applies  # --assume 'not EKS'
    # the option passed over at a choice does not hold for this reader: known, not guessed
    assert "Flux" in journey.denied()
    assert not journey.decide(flux).applies and journey.decide(not_flux).applies

    journey.answer({"Flux": True, "EKS": False})
    assert journey.decide(flux).applies and not journey.decide(not_flux).applies
    saved = yaml.safe_load((work / "settings.yaml").read_text())["adventure"]["assume"]
    assert saved == {"Flux": True, "EKS": False}

    journey.close()
    relaunched = Journey(m, work)  # the answers survive; the command line's --assume does not
    assert relaunched.answers() == {"Flux": True, "EKS": False}
    assert relaunched.decide(flux).applies and relaunched.decide(not_eks).applies


def test_answers_that_are_not_yes_or_no_are_left_out(write_manuscript, tmp_path):
    m = write_manuscript(PAGES)
    work = tmp_path / "work"
    work.mkdir()
    (work / "settings.yaml").write_text(
        yaml.safe_dump({"adventure": {"schema": 1, "manuscript": str(m.root), "assume": {"EKS": "yes", "AKS": True}}})
    )
    assert Journey(m, work).answers() == {"AKS": True}
    (work / "settings.yaml").write_text(
        yaml.safe_dump({"adventure": {"schema": 1, "manuscript": str(m.root), "assume": ["EKS"]}})
    )
    assert Journey(m, work).answers() == {}


def test_a_page_title_never_outweighs_the_option_the_reader_passed_over(write_manuscript, tmp_path):
    m = write_manuscript(
        {
            "adventure.yaml": "start: [delivery.md]\n",
            "delivery.md": """
            # Progressive Delivery

            ## What Is Your Choice?

            * [Argo Rollouts](rollouts.md)
            * [Flagger](flagger.md)
            """,
            "rollouts.md": "# Progressive Delivery With Argo Rollouts\n\n* [Istio](mesh.md)\n",
            "flagger.md": "# Progressive Delivery With Flagger\n\n* [Istio](mesh.md)\n",
            # a page both roads lead to, its title naming one of them
            "mesh.md": """
            # Progressive Delivery With Argo Rollouts And Istio

            > Execute the command that follows only if you chose Argo Rollouts.

            ```sh
            kubectl argo rollouts get rollout demo
            ```

            > Execute the command that follows only if you chose Flagger.

            ```sh
            kubectl get canary demo
            ```

            > Execute the command that follows only if you chose Istio.

            ```sh
            istioctl analyze
            ```
            """,
        }
    )
    work = tmp_path / "work"
    work.mkdir()
    journey = Journey(m, work)
    journey.start_at("delivery.md")
    journey.choose(m.page("delivery.md"), m.page("delivery.md").options[1])  # Flagger
    journey.choose(m.page("flagger.md"), m.page("flagger.md").options[0])  # on to mesh.md
    rollouts, canary, istio = m.page("mesh.md").steps
    assert not journey.decide(rollouts).applies  # passed over, whatever the title says
    assert journey.decide(canary).applies
    assert journey.decide(istio).applies  # the page read still says what nothing contradicts


def test_what_the_reader_did_already_is_theirs_to_say_and_a_page_does_not_vouch_for_itself(write_manuscript, tmp_path):
    m = write_manuscript(
        {
            "adventure.yaml": "start: [mesh.md]\n",
            "mesh.md": "# Service Mesh\n\n## What Is Your Choice?\n\n* [Istio](istio.md)\n* [Linkerd](linkerd.md)\n",
            "linkerd.md": "# Linkerd\n",
            "istio.md": """
            # Observability With Argo Rollouts And Istio

            * Execute `istio.sh` script only if you did NOT already install Istio

            ```sh
            ./manuscript/istio.sh
            ```

            > Execute the command that follows only if you chose Argo Rollouts.

            ```sh
            kubectl argo rollouts get rollout demo
            ```
            """,
        }
    )
    work = tmp_path / "work"
    work.mkdir()
    journey = Journey(m, work)
    journey.start_at("mesh.md")
    journey.choose(m.page("mesh.md"), m.page("mesh.md").options[0])  # Istio, to install it now
    install, rollout = m.page("istio.md").steps
    decision = journey.decide(install)
    # choosing Istio here says nothing about an earlier install: asked, not decided against
    assert not decision.applies and "not known" in decision.reason and decision.assumable == ("not Istio",)
    journey.answer({"Istio": False})
    assert journey.decide(install).applies
    # the page's own title ("... And Istio") is not evidence about the reader
    assert "not known" in journey.decide(rollout).reason


def test_a_run_counts_each_page_as_read_when_its_turn_comes(write_manuscript, tmp_path):
    m = write_manuscript(
        {
            "gitops.md": "# GitOps With Argo CD\n\n```sh\nkubectl apply --filename argo.yaml\n```\n",
            "secrets.md": "# Secrets\n\n```sh\n# If Argo CD\nyq --inplace '.argo = true' app.yaml\n```\n",
        }
    )
    work = tmp_path / "work"
    work.mkdir()
    journey = Journey(m, work, JourneyOptions(read_only=True))
    (install,) = m.page("gitops.md").steps
    (argo,) = m.page("secrets.md").steps
    assert not journey.decide(argo).applies  # nothing read yet
    foreseen = journey.foresee([install, argo])
    assert foreseen[argo.ref].applies  # by then the run has opened "GitOps With Argo CD"
    assert not journey.foresee([argo, install])[argo.ref].applies  # not when it comes first
    assert journey.progress.state.visited() == []  # foreseeing records nothing


def test_a_route_follows_the_choice_made_where_the_same_options_were_offered(write_manuscript, tmp_path):
    m = write_manuscript(
        {
            "adventure.yaml": "start: [define.md]\n",
            "define.md": """
            # Define The App

            ## What Is Your Choice?

            * [Helm](helm.md)
            * [Kustomize](kustomize.md)
            * [CDK For Kubernetes (cdk8s)](cdk8s.md)
            """,
            "helm.md": "# Helm\n\n* [DB](db.md)\n",
            "kustomize.md": "# Kustomize\n\n* [DB](db.md)\n",
            "cdk8s.md": "# cdk8s\n\n* [DB](db.md)\n",
            "db.md": "# DB\n\n## What Is Your Choice?\n\n* [Helm Chart](db-helm.md)\n* [Crossplane](db-xp.md)\n",
            "db-helm.md": """
            # Setup PostgreSQL With Helm

            ## How Did You Define Your App?

            * [Helm](db-helm-helm.md)
            * [Kustomize](db-helm-kustomize.md)
            * [cdk8s](db-helm-cdk8s.md)
            """,
            "db-xp.md": "# Crossplane\n",
            "db-helm-helm.md": "# A\n",
            "db-helm-kustomize.md": "# B\n",
            "db-helm-cdk8s.md": "# C\n",
        }
    )
    work = tmp_path / "work"
    work.mkdir()
    journey = Journey(m, work)
    route = m.page("db-helm.md")
    assert journey.route_option(route) is None  # no earlier choice: nothing to follow
    journey.start_at("define.md")
    journey.choose(m.page("define.md"), m.page("define.md").options[2])  # CDK For Kubernetes (cdk8s)
    journey.choose(m.page("cdk8s.md"), m.page("cdk8s.md").options[0])
    journey.choose(m.page("db.md"), m.page("db.md").options[0])  # Helm Chart: about the database, not the app
    chosen = journey.route_option(route)
    assert chosen is not None and chosen.target == "db-helm-cdk8s.md"


def test_going_back_and_choosing_again_replaces_the_earlier_choice(write_manuscript, tmp_path):
    m = write_manuscript(
        {
            "adventure.yaml": "start: [tracing.md]\n",
            "tracing.md": """
            # Tracing

            ## What Is Your Choice?

            * [Jaeger](jaeger.md)
            * [Zipkin](zipkin.md)
            """,
            "zipkin.md": "# Zipkin\n\n* [Go back](tracing.md)\n",
            "jaeger.md": "# Jaeger\n\n* [Continue](route.md)\n",
            "route.md": """
            # Traces

            ```bash
            # If Zipkin
            echo zipkin
            ```

            ## Which Did You Choose?

            * [Jaeger](route-jaeger.md)
            * [Zipkin](route-zipkin.md)
            """,
            "route-jaeger.md": "# A\n",
            "route-zipkin.md": "# B\n",
        }
    )
    work = tmp_path / "work"
    work.mkdir()
    journey = Journey(m, work)
    tracing = m.page("tracing.md")
    journey.start_at("tracing.md")
    journey.choose(tracing, tracing.options[1])  # Zipkin
    journey.choose(m.page("zipkin.md"), m.page("zipkin.md").options[0])  # go back
    journey.choose(tracing, tracing.options[0])  # Jaeger, this time
    (zipkin_step,) = m.page("route.md").steps
    chosen_now = journey.progress.state.choices()
    assert "Zipkin" not in chosen_now and "Jaeger" in chosen_now
    assert "Zipkin" in journey.denied() and "Jaeger" not in journey.denied()
    assert not journey.decide(zipkin_step).applies
    chosen = journey.route_option(m.page("route.md"))
    assert chosen is not None and chosen.target == "route-jaeger.md"
    # the way taken is still all there, for the map
    assert [e.get("choice") for e in journey.progress.state.path if e.get("page") == "tracing.md"] == [
        "Zipkin",
        "Jaeger",
    ]


def test_a_caveat_on_an_option_holds_when_the_reader_said_its_condition_holds(write_manuscript, tmp_path):
    m = write_manuscript(
        {
            "adventure.yaml": "start: [registry.md]\n",
            "registry.md": """
            # Registry

            ## What Is Your Choice?

            **If, during the setup phase, you chose to use `nip.io` instead of a domain, you cannot choose Harbor.**

            * [Docker Hub](hub.md)
            * [Harbor](harbor.md)
            """,
            "hub.md": "# Hub\n",
            "harbor.md": "# Harbor\n",
        }
    )
    hub, harbor = m.page("registry.md").options
    work = tmp_path / "work"
    work.mkdir()
    journey = Journey(m, work, JourneyOptions(read_only=True))
    assert journey.caveat_holds(harbor) is None  # nobody said: shown, not applied
    assert journey.caveat_holds(hub) is None  # no caveat
    journey.answer({"nip.io": True})
    assert journey.caveat_holds(harbor) is True and journey.caveat_holds(hub) is None
    journey.answer({"nip.io": False})
    assert journey.caveat_holds(harbor) is False
    journey.close()
