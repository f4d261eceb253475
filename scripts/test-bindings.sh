#!/usr/bin/env bash
# The generated bindings, tested from the foreign side against the real server binary: Python
# (pytest), Kotlin on the JVM (kotlinc from npm, JNA from Debian), and the C header the Swift
# bindings use (compiled with gcc; contract version and checksums checked against the
# library). Installs what it needs. Called by scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

# The same feature set as scripts/test.sh: after the tests, this builds nothing new (another
# set would rebuild the core and everything above it).
cargo build --workspace --locked --features "${HUIJIAO_FEATURES:-huijiao-core/fixtures,huijiao-mobile/cli,huijiao-server/h264}"
target="$(realpath -m "${CARGO_TARGET_DIR:-target}")"
lib=$target/debug/libhuijiao_mobile.so
out=$target/bindings
rm -rf "$out"
mkdir -p "$out/python/huijiao" "$out/swift" "$out/kotlin"
"$target/debug/uniffi-bindgen" generate --library "$lib" -l python -o "$out/python/huijiao" >/dev/null
"$target/debug/uniffi-bindgen" generate --library "$lib" -l swift -o "$out/swift" >/dev/null
"$target/debug/uniffi-bindgen" generate --library "$lib" -l kotlin -o "$out/kotlin" >/dev/null
cp "$lib" "$out/python/huijiao/"
touch "$out/python/huijiao/__init__.py"

# pytest in a venv of our own, pinned with its hashes (installed here so a clean machine needs
# nothing else).
venv=$(scripts/venv.sh pytest)
HUIJIAO_SERVER_BIN="$target/debug/huijiao-server" PYTHONPATH="$out/python" "$venv/bin/pytest" -q tests/python

# Swift cannot be compiled here; its C header can. The checks the Swift bindings run at load
# (contract version, one checksum per function) are run from C against the library.
python3 tests/c/header_check.py "$out/swift" "$lib"

# Kotlin on the JVM: the compiler from npm (scripts/kotlin), JNA from Debian (scripts/packages.sh
# test).
kc=$(scripts/kotlin/install.sh "$target")
cp=/usr/share/java/jna.jar:$kc/lib/kotlinx-coroutines-core-jvm.jar
"$kc/bin/kotlinc" -nowarn -cp "$cp" "$out"/kotlin/uniffi/*/*.kt tests/kotlin/BindingsTest.kt \
    -d "$out/kotlin-test.jar" 2>&1 | grep -v '^warning:' || true
[ -f "$out/kotlin-test.jar" ]
data=$(mktemp -d)
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
HUIJIAO_DATA_DIR="$data" HUIJIAO_LISTEN="127.0.0.1:$port" HUIJIAO_MODEL_DIR="${HUIJIAO_MODEL_DIR:-$PWD/../shared/models}" \
    HUIJIAO_JOBS_INTERVAL_SECS=0 "$target/debug/huijiao-server" serve --demo >"$data/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$data"' EXIT
for _ in $(seq 100); do
    curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break
    sleep 0.2
done
HUIJIAO_BASE="http://127.0.0.1:$port" HUIJIAO_OUTBOX_DIR="$data" \
    java -Djna.library.path="$target/debug" -cp "$out/kotlin-test.jar:$cp:$kc/lib/kotlin-stdlib.jar" BindingsTestKt
