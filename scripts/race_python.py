"""Race: the Python package's `Extractor.pipe` against `extract --format jsonl`
on CoNLL eng.testb sentences (one sentence per text), side by side, 3 rounds,
medians. Both sides time the whole job including model load: the CLI as a
process, Python from `Extractor()` to the last document.

Usage (after `pip install ./python` and
`cargo build --release --example extract`):
    python scripts/race_python.py [--conll ../shared/data/conll2003/eng.testb] [--threads 2] [--rounds 3]
"""

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import newsie

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))
from compare_hf import conll_sentences as sentences  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--conll", default=str(REPO.parent / "shared/data/conll2003/eng.testb"))
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    sents = sentences(args.conll)
    exe = REPO / "target/release/examples/extract"
    with tempfile.TemporaryDirectory() as tmp:
        jsonl = Path(tmp) / "in.jsonl"
        jsonl.write_text("".join(json.dumps({"id": i, "text": s}) + "\n" for i, s in enumerate(sents)))
        times = {"cli jsonl": [], "python pipe (batch 64)": [], "python pipe (batch 256)": []}
        docs_py = None
        for _ in range(args.rounds):
            t = time.perf_counter()
            out = subprocess.run(
                [str(exe), "--quiet", "--format", "jsonl", "--threads", str(args.threads), str(jsonl)],
                check=True, capture_output=True, text=True,
            ).stdout
            times["cli jsonl"].append(time.perf_counter() - t)
            docs_cli = [json.loads(l) for l in out.splitlines()]
            for bs in (64, 256):
                t = time.perf_counter()
                ex = newsie.Extractor(threads=args.threads)
                docs_py = list(ex.pipe(sents, batch_size=bs))
                times[f"python pipe (batch {bs})"].append(time.perf_counter() - t)
        for d in docs_cli:
            d.pop("id")
        same = docs_cli == docs_py
    print(f"{len(sents)} sentences, {args.threads} threads, {args.rounds} rounds; identical output: {same}")
    base = len(sents) / statistics.median(times["cli jsonl"])
    for name, ts in times.items():
        rate = len(sents) / statistics.median(ts)
        print(f"{name:26} median {statistics.median(ts):6.2f} s  {rate:7.1f} sent/s  {rate / base:5.2f}x cli"
              f"  (runs: {', '.join(f'{x:.2f}' for x in ts)})")


if __name__ == "__main__":
    main()
