#!/usr/bin/env python3
"""Relation scores of newsie on a gold JSONL set (default: the dev set).

Runs the `extract` example (`--format jsonl`) over the gold texts, with the
shipped model unless --model says otherwise, and scores its relations with the
project's scorer. Python standard library only.

A relation argument's `text` is its mention as written; where that mention is a
resolved pronoun ("he", "him"), the scorer (which compares names) is given the
longest mention of the argument's canonical entity instead. Nothing else is
changed.

    python3 scripts/eval_relations.py [--gold FILE] [--model NAME_OR_DIR] [--pred-out FILE] [--verbose]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(ROOT, "..", "shared")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gold", default=os.path.join(SHARED, "data/relations/dev.jsonl"))
    ap.add_argument("--scorer", default=os.path.join(SHARED, "tools/score_relations.py"))
    ap.add_argument("--model", default=None)
    ap.add_argument("--precision", default="f32", choices=["f32", "int8", "bf16"], help="extract --precision")
    ap.add_argument("--pred-out", default=None, help="keep the predictions here")
    ap.add_argument("--verbose", action="store_true")
    args = ap.parse_args()

    subprocess.run(["cargo", "build", "--release", "--quiet", "--example", "extract"], cwd=ROOT, check=True)
    exe = os.path.join(ROOT, "target/release/examples/extract")
    with open(args.gold, encoding="utf-8") as f:
        gold = [json.loads(line) for line in f if line.strip()]
    inp = "".join(json.dumps({"id": g["id"], "text": g["text"]}) + "\n" for g in gold)
    cmd = [exe, "--format", "jsonl", "--quiet"] + (["--model", args.model] if args.model else []) + ["--precision", args.precision]
    out = subprocess.run(cmd, input=inp.encode(), capture_output=True, check=True).stdout.decode()

    preds = []
    for line in out.splitlines():
        d = json.loads(line)
        names = {}
        for e in d.get("entities", []):
            if len(e["text"]) > len(names.get(e["entity"], "")):
                names[e["entity"]] = e["text"]
        rels = []
        for r in d.get("relations", []):
            r = dict(r)
            for side in ("source", "target"):
                a = dict(r[side])
                if a["text"].lower() in ("he", "she", "him", "her") and a["entity"] in names:
                    a["text"] = names[a["entity"]]
                r[side] = a
            rels.append(r)
        preds.append({"id": d["id"], "relations": rels, "entities": d.get("entities", [])})
    path = args.pred_out or tempfile.mkstemp(suffix=".jsonl")[1]
    with open(path, "w", encoding="utf-8") as f:
        for p in preds:
            f.write(json.dumps(p) + "\n")
    cmd = [sys.executable, args.scorer, args.gold, path] + (["--verbose"] if args.verbose else [])
    sys.exit(subprocess.run(cmd).returncode)


if __name__ == "__main__":
    main()
