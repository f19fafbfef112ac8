#!/usr/bin/env bash
# Helpers the registry chapters share. REGISTRY is the registry's host[:port].
#
#   registry.sh ping                   exit 0 when the registry answers its API
#   registry.sh ensure-local           start a registry:2 container unless one already answers
#   registry.sh tags IMAGE             list the tags of IMAGE (REGISTRY/NAME) in the registry
#   registry.sh has-tags IMAGE TAG...  exit 0 when every TAG of IMAGE is in the registry
#   registry.sh login                  docker login, unless the registry asks for no login
#
# The registry API is read with the Python that runs cncf-adventure ($ADVENTURE_PYTHON), so
# nothing else needs installing.
set -euo pipefail
PY=${ADVENTURE_PYTHON:-python3}
registry=${REGISTRY:?set REGISTRY to the registry host, for example 127.0.0.1:5000}

# GET a path of the registry API; prints the body. Exit 0 on 200, 3 when the registry wants
# a login, 1 when it does not answer.
api() {
  "$PY" - "$registry" "$1" <<'PY'
import sys
import urllib.error
import urllib.request

registry, path = sys.argv[1], sys.argv[2]
host = "registry-1.docker.io" if registry in ("docker.io", "index.docker.io") else registry
local = host.split(":")[0] in ("localhost", "127.0.0.1", "::1") or host.startswith("127.")
url = f"{'http' if local else 'https'}://{host}{path}"
try:
    with urllib.request.urlopen(url, timeout=10) as response:
        sys.stdout.write(response.read().decode())
except urllib.error.HTTPError as error:
    if error.code == 401:
        sys.exit(3)
    print(f"{url}: HTTP {error.code}", file=sys.stderr)
    sys.exit(1)
except OSError as error:
    print(f"{url}: {getattr(error, 'reason', error)}", file=sys.stderr)
    sys.exit(1)
PY
}

repository() {  # IMAGE without the registry: 127.0.0.1:5000/team/app -> team/app
  local image=$1
  echo "${image#"$registry"/}"
}

case ${1:-} in
  ping)
    code=0; api /v2/ >/dev/null || code=$?
    if [ "$code" -eq 0 ] || [ "$code" -eq 3 ]; then echo "The registry at $registry answers."; exit 0; fi
    echo "Nothing answers at $registry." >&2; exit 1 ;;
  ensure-local)
    if api /v2/ >/dev/null 2>&1; then echo "A registry already answers at $registry."; exit 0; fi
    port=${registry##*:}
    [ "$port" != "$registry" ] || port=5000
    docker run --detach --restart always --publish "127.0.0.1:${port}:5000" \
      --name "adventure-registry-${port}" registry:2
    for _ in $(seq 1 60); do
      if api /v2/ >/dev/null 2>&1; then echo "The registry answers at $registry."; exit 0; fi
      sleep 0.5
    done
    echo "The registry container started but does not answer at $registry." >&2; exit 1 ;;
  tags)
    [ $# -eq 2 ] || { echo "usage: registry.sh tags IMAGE" >&2; exit 2; }
    api "/v2/$(repository "$2")/tags/list" | "$PY" -c 'import json, sys; print("\n".join(json.load(sys.stdin).get("tags") or []))' ;;
  has-tags)
    [ $# -ge 3 ] || { echo "usage: registry.sh has-tags IMAGE TAG..." >&2; exit 2; }
    image=$2; shift 2
    code=0; listed=$(api "/v2/$(repository "$image")/tags/list" 2>/dev/null) || code=$?
    for tag in "$@"; do
      if [ "$code" -eq 0 ]; then
        found=$(printf '%s' "$listed" | "$PY" -c 'import json, sys; print(sys.argv[1] in (json.load(sys.stdin).get("tags") or []))' "$tag")
      else  # the registry wants a login: ask through docker, which has it
        found=False; docker manifest inspect "$image:$tag" >/dev/null 2>&1 && found=True
      fi
      if [ "$found" = True ]; then
        echo "$image:$tag is in the registry."
      else
        echo "$image:$tag is NOT in the registry." >&2; exit 1
      fi
    done ;;
  login)
    code=0; api /v2/ >/dev/null 2>&1 || code=$?
    if [ "$code" -eq 0 ]; then echo "The registry at $registry needs no login."; exit 0; fi
    if [ "$registry" = docker.io ]; then
      docker login --username "${DOCKERHUB_USERNAME:?set DOCKERHUB_USERNAME first}"
    else
      docker login --username "${DOCKERHUB_USERNAME:?set DOCKERHUB_USERNAME first}" "$registry"
    fi ;;
  *)
    echo "usage: registry.sh ping | ensure-local | tags IMAGE | has-tags IMAGE TAG... | login" >&2; exit 2 ;;
esac
