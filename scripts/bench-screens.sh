#!/usr/bin/env bash
# A screen's first state from the phone's cache and from the server, against bare reads in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo bench -p huijiao-e2e --bench screens
