#!/usr/bin/env python3
"""Entity F1 on modern news sentences: the relation dev set and the held-out set,
with the entities a careful annotator marks (tests/data/*_entities.json, written by
hand, CoNLL conventions: titles outside PER, nationality adjectives MISC).

CoNLL-2003 is 1996 news; this set checks names the training data never saw
(Biden, Xi, Modi, Zelenskiy). Exact span and type, like conlleval.

    python3 scripts/eval_modern_ner.py [--model NAME_OR_DIR]
"""
import argparse
import json
import os
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SETS = [
    (os.path.join(ROOT, "../shared/data/relations/dev.jsonl"), os.path.join(ROOT, "tests/data/dev_entities.json")),
    (os.path.join(ROOT, "tests/data/relations_heldout.jsonl"), os.path.join(ROOT, "tests/data/relations_heldout_entities.json")),
]


def gold_spans(text, items):
    out, pos = set(), 0
    for name, label in items:
        i = text.find(name, pos)
        if i < 0:
            continue
        out.add((len(text[:i].encode()), len(text[: i + len(name)].encode()), label))
        pos = i + len(name)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", default=None)
    ap.add_argument("--precision", default="f32", choices=["f32", "int8", "bf16"], help="extract --precision")
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()
    subprocess.run(["cargo", "build", "--release", "--quiet", "--example", "extract"], cwd=ROOT, check=True)
    exe = os.path.join(ROOT, "target/release/examples/extract")
    tp = fp = fn = 0
    for texts_path, ents_path in SETS:
        docs = [json.loads(l) for l in open(texts_path, encoding="utf-8") if l.strip()]
        gold = json.load(open(ents_path, encoding="utf-8"))
        inp = "".join(json.dumps({"id": d["id"], "text": d["text"]}) + "\n" for d in docs)
        cmd = [exe, "--format", "jsonl", "--quiet", "--no-relations"] + (["--model", args.model] if args.model else []) + ["--precision", args.precision]
        out = subprocess.run(cmd, input=inp.encode(), capture_output=True, check=True).stdout.decode()
        for d, line in zip(docs, out.splitlines()):
            pred = {(e["start"], e["end"], e["label"]) for e in json.loads(line)["entities"]}
            g = gold_spans(d["text"], gold.get(d["id"], []))
            tp += len(g & pred)
            fp += len(pred - g)
            fn += len(g - pred)
            if args.verbose:
                tb = d["text"].encode()
                for s, e, l in sorted(g - pred):
                    print(f"  miss  {d['id']}: {tb[s:e].decode()} {l}")
                for s, e, l in sorted(pred - g):
                    print(f"  extra {d['id']}: {tb[s:e].decode()} {l}")
    p = tp / max(1, tp + fp)
    r = tp / max(1, tp + fn)
    f = 2 * p * r / max(1e-9, p + r)
    print(f"modern-news entities: P {p:.4f} R {r:.4f} F1 {f:.4f} (tp {tp} fp {fp} fn {fn})")


if __name__ == "__main__":
    main()
