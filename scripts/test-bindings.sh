#!/usr/bin/env bash
# The generated bindings, tested from the foreign side: Python (pytest, against the real server
# binary) and the C header the Swift bindings use (compiled with gcc, its contract version and
# checksums checked against the library). Called by scripts/test.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo build --locked -p huijiao-mobile --features cli --lib --bin uniffi-bindgen
cargo build --locked -p huijiao-server --bin huijiao-server
lib=target/debug/libhuijiao_mobile.so
out=target/bindings
rm -rf "$out"
mkdir -p "$out/python/huijiao" "$out/swift"
target/debug/uniffi-bindgen generate --library "$lib" -l python -o "$out/python/huijiao" >/dev/null
target/debug/uniffi-bindgen generate --library "$lib" -l swift -o "$out/swift" >/dev/null
cp "$lib" "$out/python/huijiao/"
touch "$out/python/huijiao/__init__.py"

# pytest in a venv of our own (installed here so a clean machine needs nothing else).
if [ ! -x target/py-venv/bin/pytest ]; then
    python3 -m venv target/py-venv
    target/py-venv/bin/pip install --quiet pytest
fi
HUIJIAO_SERVER_BIN="$PWD/target/debug/huijiao-server" PYTHONPATH="$PWD/$out/python" \
    target/py-venv/bin/pytest -q tests/python

# Swift cannot be compiled here; its C header can. The checks the Swift bindings run at load
# (contract version, one checksum per function) are run from C against the library.
python3 tests/c/header_check.py "$out/swift" "$lib"
