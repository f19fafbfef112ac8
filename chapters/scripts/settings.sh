#!/usr/bin/env bash
# Read and write keys of settings.yaml in the workspace: the file the chapters share with each
# other (cncf-adventure keeps its own progress in the same file, under `adventure:`).
#
#   settings.sh set KEY VALUE    record a value
#   settings.sh get KEY          print a value; exit 1 when it is not set
#
# Uses yq (mikefarah/yq) when it is installed, as the chapters of the original adventure do,
# and otherwise the Python that runs cncf-adventure ($ADVENTURE_PYTHON). Either way the
# other keys of the file, and their order, are kept.
set -euo pipefail
file=${SETTINGS_FILE:-settings.yaml}
usage() { echo "usage: settings.sh set KEY VALUE | settings.sh get KEY" >&2; exit 2; }
[ $# -ge 2 ] || usage
action=$1
key=$2
case $action in
  set) [ $# -eq 3 ] || usage ;;
  get) [ $# -eq 2 ] || usage ;;
  *) usage ;;
esac

if yq --version 2>/dev/null | grep -q mikefarah; then
  if [ "$action" = set ]; then
    [ -f "$file" ] || : > "$file"
    KEY=$key VALUE=$3 yq --inplace '.[strenv(KEY)] = strenv(VALUE)' "$file"
  else
    KEY=$key yq --exit-status '.[strenv(KEY)]' "$file"
  fi
  exit
fi

exec "${ADVENTURE_PYTHON:-python3}" - "$file" "$@" <<'PY'
import os
import sys
import tempfile

path, action, key = sys.argv[1:4]
try:
    from ruamel.yaml import YAML
    yaml = YAML()
    load, dump = yaml.load, yaml.dump
except ImportError:
    import yaml as pyyaml
    load = pyyaml.safe_load
    def dump(data, stream):
        pyyaml.safe_dump(data, stream, sort_keys=False, allow_unicode=True)

data = {}
if os.path.exists(path):
    with open(path, encoding="utf-8") as stream:
        data = load(stream) or {}
if not isinstance(data, dict):
    sys.exit(f"{path} does not hold a mapping of keys to values")
if action == "get":
    if data.get(key) is None:
        sys.exit(f"{key} is not set in {path}")
    print(data[key])
    sys.exit(0)
data[key] = sys.argv[4]
folder = os.path.dirname(os.path.abspath(path))
fd, temporary = tempfile.mkstemp(prefix=".settings.", suffix=".tmp", dir=folder)
with os.fdopen(fd, "w", encoding="utf-8") as stream:
    dump(data, stream)
    stream.flush()
    os.fsync(stream.fileno())
os.replace(temporary, path)
PY
