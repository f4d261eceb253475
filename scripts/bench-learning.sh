#!/usr/bin/env bash
# Heartbeat ingest over HTTP on PostgreSQL, with a bare INSERT baseline in the same run.
set -euo pipefail
cd "$(dirname "$0")/.."
export HUIJIAO_BENCH_POSTGRES_URL="${HUIJIAO_BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
cargo bench -p huijiao-server --bench learning
