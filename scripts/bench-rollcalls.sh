#!/usr/bin/env bash
# Roll-call media (server/benches/rollcalls.rs): where a call's CPU goes on one thread (VP8
# decode vs the face pipeline, same run), then N concurrent 640×480 15 fps calls over loopback
# UDP with the server's peers on one thread.   scripts/bench-rollcalls.sh [N …]
set -euo pipefail
cd "$(dirname "$0")/.."
cargo bench -p huijiao-server --bench rollcalls -- "$@"
