#!/usr/bin/env bash
# The Kotlin compiler from npm (pinned by package-lock.json here, its integrity checked by npm
# ci), installed once under TARGET/kotlin; prints the compiler's folder. Usage: install.sh TARGET
set -euo pipefail
here=$(dirname "$0")
kotlin=$1/kotlin
kc=$kotlin/node_modules/kotlin-compiler
if ! cmp -s "$here/package-lock.json" "$kotlin/package-lock.json" || [ ! -x "$kc/bin/kotlinc" ]; then
    mkdir -p "$kotlin"
    cp "$here/package.json" "$here/package-lock.json" "$kotlin/"
    npm ci --silent --no-audit --no-fund --prefix "$kotlin" >&2
fi
echo "$kc"
