#!/usr/bin/env bash
# Builds a self-contained newsie wheel (abi3, CPython >= 3.9) with the shipped
# model inside the package (newsie/model), for machines without a checkout:
# a cluster's executors, a container image. `pip install ./python` does not
# need this: it reads the model from the checkout it was built from.
# Usage: scripts/build-wheel.sh [OUT_DIR]   (default: target/wheels)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
out=$(realpath -m "${1:-$repo/target/wheels}")
stage="$repo/python/newsie/model"
rm -rf "$stage"
mkdir -p "$stage" "$out"
trap 'rm -rf "$stage"' EXIT
cp "$repo"/models/newsie-minilm-conll/{config.json,model.safetensors,tokenizer.json,tokenizer_config.json,special_tokens_map.json,vocab.txt,MODEL_CARD.md} "$stage/"
CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$repo/target}" python3 -m pip wheel --no-deps -w "$out" "$repo/python"
ls -la "$out"/newsie-*.whl
