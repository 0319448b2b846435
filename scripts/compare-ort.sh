#!/usr/bin/env bash
# newsie vs ONNX Runtime f32 and dynamic int8, in one run, on this machine: same
# model files, same CoNLL eng.testb sentences, same threads, rounds alternating.
# Installs the pinned peers into scripts/.venv (git-ignored) on first use.
#   scripts/compare-ort.sh [--threads N] [--rounds R] [--limit N] [--model DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
venv=scripts/.venv
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import torch, transformers, onnx, onnxruntime" 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet -r scripts/requirements-peer.txt -r scripts/requirements-ort.txt
fi
cargo build --release --quiet --example extract
exec "$venv/bin/python" scripts/compare_ort.py "$@"
