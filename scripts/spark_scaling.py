"""Spark scaling note: the Spark job (python/examples/spark_extract.py) on the
first N CoNLL testb sentences (one article each) at 1 and 2 executor cores
(local[1], local[2]; one newsie thread per task), against `extract --format
jsonl` on the same input with 1 and 2 threads. Whole commands, wall clock,
side by side, R rounds, medians. Then a Spark SQL query over the result.

Usage (after `pip install ./python pyspark pyarrow` and
`cargo build --release --example extract`):
    python scripts/spark_scaling.py [--n 2000] [--rounds 3]
"""

import argparse
import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))
from compare_hf import conll_sentences as sentences  # noqa: E402


def timed(cmd):
    """Wall seconds of the whole command, and the Spark job's own time after
    its session started (None for the CLI)."""
    t = time.perf_counter()
    out = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True).stdout
    wall = time.perf_counter() - t
    m = re.search(r"\(([0-9.]+) s after the Spark session started\)", out)
    return wall, float(m.group(1)) if m else None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--conll", default=str(REPO.parent / "shared/data/conll2003/eng.testb"))
    ap.add_argument("--n", type=int, default=2000)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    sents = sentences(args.conll)[: args.n]
    exe = str(REPO / "target/release/examples/extract")
    job = [sys.executable, str(REPO / "python/examples/spark_extract.py")]
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "articles.jsonl"
        src.write_text("".join(json.dumps({"id": f"s{i}", "text": s}) + "\n" for i, s in enumerate(sents)))
        runs = {
            "extract jsonl, 1 thread": [exe, "--quiet", "--format", "jsonl", "--threads", "1", str(src)],
            "extract jsonl, 2 threads": [exe, "--quiet", "--format", "jsonl", "--threads", "2", str(src)],
            "spark local[1]": job + [str(src), f"{tmp}/out1", "--master", "local[1]", "--partitions", "1"],
            "spark local[2]": job + [str(src), f"{tmp}/out2", "--master", "local[2]", "--partitions", "2"],
        }
        times = {k: [] for k in runs}
        inner = {k: [] for k in runs}
        for _ in range(args.rounds):
            for name, cmd in runs.items():
                wall, job = timed(cmd)
                times[name].append(wall)
                if job is not None:
                    inner[name].append(job)
        print(f"{len(sents)} testb sentences as articles, {args.rounds} rounds, medians (wall clock, whole command)")
        base = statistics.median(times["extract jsonl, 2 threads"])
        for name, ts in times.items():
            m = statistics.median(ts)
            print(f"{name:26} {m:6.2f} s  {len(sents) / m:7.1f} articles/s  {m / base:5.2f}x the 2-thread CLI's time"
                  f"  (runs: {', '.join(f'{x:.2f}' for x in ts)})")
        for name, ts in inner.items():
            if ts:
                m = statistics.median(ts)
                print(f"{name:26} {m:6.2f} s  {len(sents) / m:7.1f} articles/s  once the session is up (read, "
                      f"extract, write 3 tables)  (runs: {', '.join(f'{x:.2f}' for x in ts)})")
        extra = statistics.median(times["spark local[2]"]) - base
        print(f"per-article overhead of spark local[2] over the 2-thread CLI: {extra / len(sents) * 1e3:.2f} ms "
              f"({extra:.1f} s in all, Spark start-up included)")
        job_extra = statistics.median(inner["spark local[2]"]) - base
        print(f"without the session start-up: {job_extra / len(sents) * 1e3:.2f} ms per article ({job_extra:.1f} s)")

        from pyspark.sql import SparkSession

        spark = SparkSession.builder.master("local[2]").appName("newsie-query").getOrCreate()
        spark.read.parquet(f"{tmp}/out2/relations").createOrReplaceTempView("relations")
        query = """
            SELECT least(source_text, target_text) AS a, greatest(source_text, target_text) AS b, count(*) AS n
            FROM relations WHERE kind = 'meeting' AND NOT negated
            GROUP BY 1, 2 ORDER BY n DESC, a LIMIT 5"""
        print("Spark SQL:", " ".join(query.split()))
        spark.sql(query).show(truncate=False)
        spark.stop()


if __name__ == "__main__":
    main()
