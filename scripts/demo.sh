#!/usr/bin/env bash
# Serves Huijiao on SQLite (a file under ./data) with demo data, on a bare machine: installs the
# Debian packages the build and the server need when missing (scripts/packages.sh serve), builds
# the release binary and serves on 127.0.0.1:8080 until Ctrl-C. Extra arguments go to `serve`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/packages.sh serve
exec cargo run --release --locked -p huijiao-server -- serve --demo "$@"
