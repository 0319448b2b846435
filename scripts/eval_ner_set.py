#!/usr/bin/env python3
"""Entity scores of newsie on a JSONL set with inline gold entities, per type.

Each line: {"id", "text", "entities": [["surface", "PER"|"ORG"|"LOC"|"MISC"], ...]}
with entities in text order (tests/data/modern_ner_dev.jsonl is such a set).
Runs the `extract` example (`--format jsonl --no-relations`) over the texts and
scores exact span and type, like conlleval: overall, per type, and on the
all-caps items (texts whose letters are all upper case) alone. Per-type rows
count a span under its gold type for misses and its predicted type for extras.

    python3 scripts/eval_ner_set.py [--gold FILE] [--model NAME_OR_DIR] [--verbose] [--extract-args="..."]

(--extract-args takes its value after "=", since it starts with "--":
--extract-args="--no-lexicon --no-consistent-types".)
"""
import argparse
import json
import os
import subprocess
from collections import Counter

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def gold_spans(text, items):
    """Byte spans of the listed entities, each searched from the end of the previous one."""
    out, pos = set(), 0
    for name, label in items:
        i = text.find(name, pos)
        if i < 0:
            raise SystemExit(f"gold entity {name!r} not found in order in {text!r}")
        out.add((len(text[:i].encode()), len(text[: i + len(name)].encode()), label))
        pos = i + len(name)
    return out


def all_caps(text):
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def prf(tp, fp, fn):
    p = tp / max(1, tp + fp)
    r = tp / max(1, tp + fn)
    return p, r, 2 * p * r / max(1e-9, p + r)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gold", default=os.path.join(ROOT, "tests/data/modern_ner_dev.jsonl"))
    ap.add_argument("--model", default=None)
    ap.add_argument("--precision", default="f32", choices=["f32", "int8", "bf16"], help="extract --precision")
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--extract-args", default="", help="more options for extract, e.g. '--no-lexicon --no-consistent-types'")
    args = ap.parse_args()
    subprocess.run(["cargo", "build", "--release", "--quiet", "--example", "extract"], cwd=ROOT, check=True)
    exe = os.path.join(ROOT, "target/release/examples/extract")
    docs = [json.loads(l) for l in open(args.gold, encoding="utf-8") if l.strip()]
    inp = "".join(json.dumps({"id": d["id"], "text": d["text"]}) + "\n" for d in docs)
    cmd = [exe, "--format", "jsonl", "--quiet", "--no-relations"] + (["--model", args.model] if args.model else []) + ["--precision", args.precision] + args.extract_args.split()
    out = subprocess.run(cmd, input=inp.encode(), capture_output=True, check=True).stdout.decode().splitlines()
    assert len(out) == len(docs), "one output line per input line"
    counts = {}  # group -> Counter(tp, fp, fn)
    for d, line in zip(docs, out):
        pred = {(e["start"], e["end"], e["label"]) for e in json.loads(line)["entities"]}
        gold = gold_spans(d["text"], d["entities"])
        groups = ["all"] + (["all-caps items"] if all_caps(d["text"]) else [])
        for s, e, l in gold | pred:
            kind = "tp" if (s, e, l) in gold and (s, e, l) in pred else ("fn" if (s, e, l) in gold else "fp")
            for g in groups + [l]:
                counts.setdefault(g, Counter())[kind] += 1
        if args.verbose:
            tb = d["text"].encode()
            for s, e, l in sorted(gold - pred):
                print(f"  miss  {d['id']}: {tb[s:e].decode()} {l}")
            for s, e, l in sorted(pred - gold):
                print(f"  extra {d['id']}: {tb[s:e].decode()} {l}")
    n_caps = sum(all_caps(d["text"]) for d in docs)
    print(f"{args.gold}: {len(docs)} texts ({n_caps} all-caps), exact span and type")
    for g in ["all", "PER", "ORG", "LOC", "MISC", "all-caps items"]:
        c = counts.get(g)
        if c:
            p, r, f = prf(c["tp"], c["fp"], c["fn"])
            print(f"  {g:15} P {p:.4f} R {r:.4f} F1 {f:.4f}  (tp {c['tp']} fp {c['fp']} fn {c['fn']})")


if __name__ == "__main__":
    main()
