#!/usr/bin/env bash
# Installs the Debian packages the project needs that this machine lacks, and says what it
# installed (nothing, and quiet, when all are there).
#
#   scripts/packages.sh serve   what building and serving need:
#       libvpx-dev, pkg-config   VP8 for roll-call video (the server's only C library, found by pkg-config)
#       fonts-wqy-microhei       the Chinese font certificates and decisions are written in
#   scripts/packages.sh test    the above, and what the tests drive or read back:
#       chromium                 a real browser answers a roll call and an officer watches one
#       poppler-utils            pdftotext/pdftoppm read the PDFs the server writes
#       libjna-java              JNA, under the Kotlin bindings on the JVM
#       curl                     scripts wait for the servers they start
#       aapt, zipalign, apksigner   the Android apps' resources linked, their APKs aligned and signed
#       clang, llvm, libc6-dev-arm64-cross, libc6-dev-amd64-cross   the core's C for phones, without
#                                the NDK (scripts/android-core.sh)
set -euo pipefail
what="${1:-serve}"

missing=()
need() { # package, then a test that it is there
  local pkg=$1
  shift
  "$@" >/dev/null 2>&1 || missing+=("$pkg")
}
need pkg-config command -v pkg-config
need libvpx-dev pkg-config --exists vpx
need fonts-wqy-microhei test -f /usr/share/fonts/truetype/wqy/wqy-microhei.ttc
if [ "$what" = test ]; then
  need chromium command -v chromium
  need poppler-utils command -v pdftoppm
  need libjna-java test -f /usr/share/java/jna.jar
  need curl command -v curl
  need aapt command -v aapt2
  need zipalign command -v zipalign
  need apksigner command -v apksigner
  need clang command -v clang
  need llvm command -v llvm-readelf
  need libc6-dev-arm64-cross test -f /usr/aarch64-linux-gnu/include/stdio.h
  need libc6-dev-amd64-cross test -f /usr/x86_64-linux-gnu/include/stdio.h
elif [ "$what" != serve ]; then
  echo "usage: scripts/packages.sh serve|test" >&2
  exit 2
fi
[ ${#missing[@]} -eq 0 ] && exit 0

echo "packages: installing ${missing[*]} (Debian)"
sudo_=""
[ "$(id -u)" = 0 ] || sudo_=sudo
install() { $sudo_ env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }
# The package lists may be missing or old on a new machine: update once and try again.
install 2>/dev/null || { $sudo_ apt-get update -qq >/dev/null && install; }
