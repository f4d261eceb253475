#!/usr/bin/env bash
# A Python venv for one of the test command's tools, installed from scripts/requirements/NAME.txt
# (every package pinned with its sha256: pip refuses anything else) and cached under the cargo
# target folder; made again only when that file changes. Prints the venv's path.
#   scripts/venv.sh pytest|schemathesis|models
set -euo pipefail
cd "$(dirname "$0")/.."
name=$1
req="scripts/requirements/$name.txt"
[ -f "$req" ] || { echo "venv.sh: no $req" >&2; exit 2; }
venv="$(realpath -m "${CARGO_TARGET_DIR:-target}")/venvs/$name"
if ! cmp -s "$req" "$venv/requirements.txt"; then
  echo "venv: installing $name from $req (pinned, hashes checked)" >&2
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check --require-hashes --no-deps -r "$req" >&2
  cp "$req" "$venv/requirements.txt"
fi
echo "$venv"
