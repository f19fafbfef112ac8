#!/usr/bin/env bash
# Prepare Dragonfly for Hero's image: record the image in settings.yaml, write the Helm values
# that make each node's Docker pull the registry's images through Dragonfly, and install the
# chart into the dragonfly-system namespace.
set -euo pipefail
: "${IMAGE:?set IMAGE first}" "${REGISTRY:?set REGISTRY first}"

"$ADVENTURE_DIR/scripts/settings.sh" set image "$IMAGE"

domain=$REGISTRY
[ "$domain" != docker.io ] || domain=index.docker.io
cat > values.yaml <<VALUES
containerRuntime:
  docker:
    enable: true
    injectHosts: true
    registryDomains:
      - '$domain'
VALUES
echo "Wrote values.yaml: Dragonfly will serve the images of $domain"

helm upgrade --install dragonfly dragonfly \
    --repo https://dragonflyoss.github.io/helm-charts/ \
    --namespace dragonfly-system --create-namespace \
    --values values.yaml --wait
