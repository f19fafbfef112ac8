"""Generate a large manuscript shaped like the cncf-demo one, for the benchmarks.

The mix follows the real manuscript: about a quarter choice pages (a "Choice N" section per
option, then "What Is Your Choice?"), short chapters (an install bullet, one block of a few
commented commands, a continue link), medium chapters (Setup and Do blocks with exports, a
placeholder, checks), and a setup page in ten with several sections and conditional commands.
"""

from __future__ import annotations

from pathlib import Path

PROSE = (
    "Our hero application has come a long way, and the next part of the journey needs a few more tools. "
    "Each of them has trade-offs, and the **right one** depends on what you value: speed, safety or `simplicity`. "
    "Read the [official documentation](https://example.com/docs) when in doubt."
)


def _link(index: int, pages: int, step: int = 1) -> str:
    target = (index + step) % pages
    return f"../part{target // 10}/page{target}.md"


def choice_page(index: int, pages: int) -> str:
    options = [(f"Option {n}", _link(index, pages, n)) for n in (1, 2, 3)]
    described = "\n".join(
        f"## Choice {n}: {label}\n\n{PROSE}\n\n* [Official site](https://example.com/{n})\n"
        for n, (label, _) in enumerate(options, 1)
    )
    listed = "\n".join(f"* [{label}]({target})" for label, target in options)
    return (
        f"# Choice {index}\n\n{PROSE}\n\n{described}\n## What Is Your Choice?\n\n{listed}\n"
        "* Flux (has not yet been implemented)\n"
    )


def short_chapter(index: int, pages: int) -> str:
    return f"""# Build Things With Tool {index}

{PROSE}

## Setup

* [Install `tool{index}` CLI](https://example.com/install/{index})

## Do

```bash
cat Dockerfile

cat tool/deployment.yaml

tool{index} --file tool/deployment.yaml | tee tool/deployment-{index}.yaml

# Replace `[...]` with the image tag from the output
export TAG=[...]
```

* `tool{index}` can also push images to a registry. Whether we'll do that depends on later choices.

## Continue The Adventure

[Next Chapter]({_link(index, pages)})
"""


def medium_chapter(index: int, pages: int) -> str:
    return f"""# Store Things With Tool {index}

{PROSE}

## Setup

* Make sure Docker is running.

```bash
yq --inplace ".spec.commonName = \\"harbor.$DOMAIN\\"" \\
    harbor/certificate.yaml

yq --inplace ".expose.ingress.hosts.core = \\"harbor.$DOMAIN\\"" \\
    harbor/values.yaml

helm upgrade --install harbor harbor/harbor \\
    --namespace harbor --create-namespace \\
    --values harbor/values.yaml

# Wait for a while for all the Pods to be ready.

export REGISTRY=harbor.$DOMAIN

export IMAGE=$REGISTRY/library/cncf-demo

docker login --username admin $REGISTRY
```
<!-- check: kubectl --namespace harbor get pods
expect: Running -->

## Do

```bash
echo $IMAGE

docker image tag cncf-demo:$TAG $IMAGE:$TAG

docker image push $IMAGE:$TAG

echo "https://harbor.$DOMAIN"

# Open it in a browser
```

## Continue The Adventure

* [Next Chapter]({_link(index, pages)})
"""


def setup_page(index: int, pages: int) -> str:
    return f"""# Setup {index}

```bash
gh repo fork vfarcic/cncf-demo --clone --remote

cd cncf-demo

export KUBECONFIG=$PWD/kubeconfig-dev.yaml
```

## Create a Kubernetes cluster

### AWS EKS

Follow this section ONLY if you're planning to use AWS EKS

```bash
# Replace `[...]` with your access key ID
export AWS_ACCESS_KEY_ID=[...]

eksctl create cluster --name dot --region us-east-1 \\
    --version 1.24 --nodegroup-name primary \\
    --managed --asg-access
```

### The Rest Of The Setup

```bash
# Install `yq` CLI from https://github.com/mikefarah/yq

kubectl create namespace dev

# If NOT EKS
export INGRESS_HOST=$(kubectl --namespace traefik \\
    get service traefik \\
    --output jsonpath="{{.status.loadBalancer.ingress[0].ip}}")

# If EKS
export INGRESS_HOSTNAME=$(kubectl --namespace traefik \\
    get service traefik \\
    --output jsonpath="{{.status.loadBalancer.ingress[0].hostname}}")

# Replace `[...]` with the domain (e.g., sillydemo.com).
# If you do not have a domain, replace `[...]` with
#   `$INGRESS_HOST.nip.io`.
export DOMAIN=[...]

# Skip this step if you chose to use `nip.io` instead of a
#   "real" domain.
helm repo add jetstack https://charts.jetstack.io

cat > values.yaml <<EOF
replicas: 2
EOF
```

## Start The Adventure

* [Next Chapter]({_link(index, pages)})
"""


def generate(root: Path, pages: int = 1000) -> Path:
    """Write ``pages`` pages under ``root`` (deterministic); return ``root``."""
    for index in range(pages):
        folder = root / f"part{index // 10}"
        folder.mkdir(parents=True, exist_ok=True)
        kind = index % 20
        if kind < 5:
            text = choice_page(index, pages)
        elif kind < 13:
            text = short_chapter(index, pages)
        elif kind < 18:
            text = medium_chapter(index, pages)
        else:
            text = setup_page(index, pages)
        (folder / f"page{index}.md").write_text(text, encoding="utf-8")
    (root / "adventure.yaml").write_text("start: [part0/page0.md]\n", encoding="utf-8")
    return root
