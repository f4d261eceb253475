#!/usr/bin/env bash
# Memory while 50 people download one 256 MiB lesson at once, vs a bare file server in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
export HUIJIAO_BENCH_POSTGRES_URL="${HUIJIAO_BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
cargo bench -p huijiao-server --bench downloads
