#!/usr/bin/env python3
"""Time and peak memory of `extract` at 1, 10 and 50 MB, for three kinds of
input: spaced news text, unspaced Chinese (one 'word' of CJK characters per
line), and one giant token. Shows whether cost is linear in the input and
memory bounded (texts over 1 MiB run block by block).

By default it runs the tiny fixture model (tests/fixtures/tiny-bert), so the
50 MB runs take minutes and what is measured is newsie's own work
(segmentation, tokenisation, casing, windows, decoding, linking, relations);
with the shipped model the forward pass adds time linear in the tokens.

    python3 scripts/scaling.py [--sizes 1,10,50] [--model DIR] [--threads 2]

Prints one row per run: kind, MB, seconds, MB/s, peak RSS (MB) and peak/input.
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NEWS = (
    "Secretary of State John Kerry met Russian Foreign Minister Sergei Lavrov in Rome on Thursday. "
    "Canada announced sanctions on members of Yanukovich's government, and the EU could follow. "
    "Lavrov did not talk to Andriy Deshchitsya, a Ukrainian official said.\n\n"
)
CJK = "北京市政府官员周四在东京与日本外务大臣举行会谈双方讨论了贸易问题"


def make(kind, size, path):
    with open(path, "w", encoding="utf-8") as f:
        if kind == "spaced":
            f.write(NEWS * (size // len(NEWS.encode()) + 1))
        elif kind == "cjk":
            unit = len(CJK.encode())
            f.write(CJK * (size // unit + 1))
        else:
            f.write("a" * size)


def run(exe, model, threads, path):
    cmd = [exe, "--format", "json", "--quiet", "--threads", str(threads), path]
    if model:
        cmd[1:1] = ["--model", model]
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    secs = time.monotonic() - t0
    err = proc.stderr.read().decode(errors="replace")
    if status != 0:
        sys.exit(f"extract failed on {path}: {err}")
    return secs, usage.ru_maxrss / 1024


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1,10,50", help="MB, comma-separated")
    ap.add_argument("--model", default=os.path.join(ROOT, "tests/fixtures/tiny-bert"), help="'' for the shipped model")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--kinds", default="spaced,cjk,token")
    args = ap.parse_args()
    subprocess.run(["cargo", "build", "--release", "--quiet", "--example", "extract"], cwd=ROOT, check=True)
    exe = os.path.join(ROOT, "target/release/examples/extract")
    print(f"{'kind':<7} {'MB':>4} {'seconds':>8} {'MB/s':>6} {'peak MB':>8} {'peak/input':>10}")
    with tempfile.TemporaryDirectory() as tmp:
        for kind in args.kinds.split(","):
            for mb in [int(s) for s in args.sizes.split(",")]:
                path = os.path.join(tmp, f"{kind}-{mb}.txt")
                make(kind, mb * 1_000_000, path)
                secs, peak = run(exe, args.model, args.threads, path)
                os.remove(path)
                print(f"{kind:<7} {mb:>4} {secs:>8.1f} {mb / secs:>6.2f} {peak:>8.0f} {peak / mb:>10.1f}", flush=True)


if __name__ == "__main__":
    main()
