#!/usr/bin/env bash
# Face benchmark against onnxruntime (installed into a local venv), pinned to one core.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=target/bench-venv
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet onnxruntime numpy
fi
cargo build --release -p huijiao-core --features face --bench face
BENCH_PYTHON="$(pwd)/$venv/bin/python" taskset -c 0 cargo bench -p huijiao-core --features face --bench face
