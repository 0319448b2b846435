"""Run newsie over a corpus of articles on Spark.

    python python/examples/spark_extract.py IN OUT [--master local[2]] [--threads 1]
    spark-submit python/examples/spark_extract.py IN OUT

IN is JSON lines or Parquet (a file or a folder) with columns ``id`` and
``text``. Every article goes through the same extractor as the Rust CLI,
inside the executors (``mapInArrow``; one ``newsie.Extractor`` per Python
worker process, reused across tasks; texts in batches through ``pipe``).
OUT gets three Parquet tables that Spark SQL can query:

* ``OUT/documents/``: one row per article: ``id``, ``n_entities``,
  ``n_relations``, ``error`` (null unless the article could not be read);
* ``OUT/entities/``: one row per entity mention: ``id``, ``text``, ``label``,
  ``start``, ``end`` (UTF-8 byte offsets), ``char_start``, ``char_end``,
  ``score``, ``entity`` (canonical entity id within the article);
* ``OUT/relations/``: one row per relation: ``id``, ``kind``, ``source_*`` and
  ``target_*`` (``text``, ``label``, ``start``, ``end``, ``entity``),
  ``negated``, ``modality``, ``trigger_text``, ``trigger_start``,
  ``trigger_end``, ``sentence_start``, ``sentence_end``, ``location_text``,
  and ``plover_event_type``, ``plover_mode``, ``cameo`` where the relation
  carries event codes (null otherwise).

``id`` is kept as a string. The extractor is built from ``NEWSIE_MODEL`` or
the model the installed package finds (see python/README.md); on a cluster,
ship a wheel built by ``scripts/build-wheel.sh`` (the model is inside it).
"""

from __future__ import annotations

import argparse
import os
import sys
import time


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("input", help="JSON lines or Parquet with id and text")
    ap.add_argument("output", help="folder for the documents/, entities/ and relations/ tables")
    ap.add_argument("--master", default=None, help="Spark master when run with python (default local[*]); "
                    "spark-submit's --master wins")
    ap.add_argument("--threads", type=int, default=1, help="newsie threads per Python worker (default 1: "
                    "Spark already runs one task per core)")
    ap.add_argument("--partitions", type=int, default=None, help="repartition the input to this many tasks")
    args = ap.parse_args(argv)
    os.environ["NEWSIE_THREADS"] = str(args.threads)

    from pyspark.sql import SparkSession

    builder = SparkSession.builder.appName("newsie-extract")
    # Under spark-submit the master comes from spark-submit; run with python, local[*].
    under_submit = "PYSPARK_GATEWAY_PORT" in os.environ
    if args.master or not under_submit:
        builder = builder.master(args.master or "local[*]")
    if not under_submit:
        # Python workers run this interpreter (its site-packages has newsie), not whatever python3 is on PATH.
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = builder.config("spark.executorEnv.NEWSIE_THREADS", str(args.threads))
    if os.environ.get("NEWSIE_MODEL"):
        builder = builder.config("spark.executorEnv.NEWSIE_MODEL", os.environ["NEWSIE_MODEL"])
    spark = builder.getOrCreate()
    try:
        from newsie.spark import run

        t0 = time.perf_counter()
        counts = run(spark, args.input, args.output, args.partitions)
        seconds = time.perf_counter() - t0
    finally:
        spark.stop()
    print(f"spark_extract: {counts['documents']} documents ({counts['errors']} with errors), "
          f"{counts['entities']} entities, {counts['relations']} relations -> {args.output} "
          f"({seconds:.2f} s after the Spark session started)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
