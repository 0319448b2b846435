#!/usr/bin/env bash
# newsie vs the Hugging Face TokenClassificationPipeline, in one run, on this
# machine: same model files, same CoNLL eng.testb sentences, 2 threads.
# Installs the pinned Python peer into scripts/.venv (git-ignored) on first use.
#   scripts/compare-hf.sh [--rust-bert] [--threads N] [--limit N] [--model DIR]
# --rust-bert also races newsie's rust-bert backend (libtorch via scripts/setup-libtorch.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
venv=scripts/.venv
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import torch, transformers" 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --upgrade pip
  "$venv/bin/pip" install --quiet -r scripts/requirements-peer.txt
fi
if [ "${1:-}" = "--rust-bert" ]; then
  shift
  eval "$(scripts/setup-libtorch.sh)"
  cargo build --release --quiet --features rust-bert --example extract
  cp target/release/examples/extract target/release/extract-rust-bert
  export NEWSIE_TCH_EXTRACT="$PWD/target/release/extract-rust-bert"
fi
cargo build --release --quiet --example extract
exec "$venv/bin/python" scripts/compare_hf.py "$@"
