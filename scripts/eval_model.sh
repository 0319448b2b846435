#!/usr/bin/env bash
# Every score issue 12 asks of an NER model, in one run, through newsie's Rust path:
# CoNLL-2003 testb (document input and one sentence per input, each with its
# all-caps sentences), the blind modern-news sets (sentences and whole
# stories), the older modern-news entity set, and the relation sets. Prints one
# summary table at the end.
#
#     scripts/eval_model.sh [--precision f32|int8|bf16] [MODEL_DIR_OR_NAME]
#                            (default: the shipped model, f32)
#
# Needs ../shared (CoNLL-2003, the relation dev set and scorer) and python3.
set -euo pipefail
cd "$(dirname "$0")/.."
precision=f32
if [ "${1:-}" = --precision ]; then
  precision=${2:?--precision needs f32 or int8}
  shift 2
fi
model=${1:-}
margs=(--precision "$precision")
[ -n "$model" ] && margs+=(--model "$model")
conll=../shared/data/conll2003/eng.testb
[ -f "$conll" ] || { echo "eval_model: $conll is missing (../shared)" >&2; exit 1; }
cargo build --release --quiet --features eval --example conll_eval --example extract
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
summary=()
for mode in doc sentences; do
  flag=(); [ $mode = sentences ] && flag=(--sentences)
  target/release/examples/conll_eval "$conll" "${margs[@]}" "${flag[@]}" 2>/dev/null >"$out/$mode"
  caps=$(grep -m1 '^F1 ' "$out/$mode" | cut -d' ' -f2)
  all=$(tail -1 "$out/$mode" | cut -d' ' -f2)
  per=$(awk '/^all sentences/{s=1} s && /^(PER|ORG|LOC|MISC) /{printf "%s %s  ", $1, $4}' "$out/$mode")
  summary+=("testb ($mode input)|$all|all-caps $caps; $per")
done
python3 scripts/eval_ner_set.py "${margs[@]}" >"$out/modern"
# f1_of FILE ROW: the F1 of one row of eval_ner_set.py's output.
f1_of() { grep -E "^  $2 " "$1" | grep -o 'F1 [0-9.]*' | cut -d' ' -f2; }
per_type() { echo "PER $(f1_of "$1" PER)  ORG $(f1_of "$1" ORG)  LOC $(f1_of "$1" LOC)  MISC $(f1_of "$1" MISC)"; }
summary+=("modern_ner_dev (blind set)|$(f1_of "$out/modern" all)|$(per_type "$out/modern")  all-caps $(f1_of "$out/modern" all-caps)")
python3 scripts/eval_ner_set.py "${margs[@]}" --gold tests/data/modern_ner_docs.jsonl >"$out/docs"
summary+=("modern_ner_docs (60 stories)|$(f1_of "$out/docs" all)|$(per_type "$out/docs")")
old=$(python3 scripts/eval_modern_ner.py "${margs[@]}" | grep -o 'F1 [0-9.]*' | tail -1 | cut -d' ' -f2)
summary+=("modern entities of relation sets|$old|")
for gold in ../shared/data/relations/dev.jsonl tests/data/relations_heldout{,2,3,4,5,6,7}.jsonl tests/data/relations_variety{,2,3}.jsonl; do
  f1=$(python3 scripts/eval_relations.py --gold "$gold" "${margs[@]}" | grep '^strict' | grep -o 'F1 [0-9.]*' | cut -d' ' -f2)
  summary+=("relations $(basename "$gold" .jsonl)|$f1|")
done
cat "$out/doc" "$out/modern"
echo
printf '%-36s %-8s %s\n' set F1 detail
for row in "${summary[@]}"; do
  IFS='|' read -r a b c <<<"$row"
  printf '%-36s %-8s %s\n' "$a" "$b" "$c"
done
