"""newsie on Spark: the executor side of ``python/examples/spark_extract.py``.

It lives in the package, so executors import it by name from the installed
wheel (one ``Extractor`` per Python worker process, see
:func:`newsie.shared_extractor`). Needs ``pyarrow`` (and ``pyspark`` for
:func:`run`); neither is needed by the rest of newsie.

Tables written by :func:`run` under ``OUT``:

* ``documents/``: ``id``, ``n_entities``, ``n_relations``, ``error`` (null
  unless the article could not be read), one row per article;
* ``entities/``: ``id``, ``text``, ``label``, ``start``, ``end`` (UTF-8 byte
  offsets), ``char_start``, ``char_end``, ``score``, ``entity``;
* ``relations/``: ``id``, ``kind``, ``source_*`` and ``target_*`` (``text``,
  ``label``, ``start``, ``end``, ``entity``), ``negated``, ``modality``,
  ``trigger_text``, ``trigger_start``, ``trigger_end``, ``sentence_start``,
  ``sentence_end``, ``location_text``, ``plover_event_type``, ``plover_mode``,
  ``cameo`` (null where the relation carries no event codes).
"""

from __future__ import annotations

import os
from typing import Any, Dict, Iterator, List, Optional

import pyarrow as pa

from . import shared_extractor

__all__ = ["run", "extract_batches", "read_articles", "DOCUMENT_DDL"]

ENTITY = pa.struct([
    ("text", pa.string()), ("label", pa.string()),
    ("start", pa.int64()), ("end", pa.int64()),
    ("char_start", pa.int64()), ("char_end", pa.int64()),
    ("score", pa.float32()), ("entity", pa.int64()),
])
RELATION = pa.struct([
    ("kind", pa.string()),
    ("source_text", pa.string()), ("source_label", pa.string()),
    ("source_start", pa.int64()), ("source_end", pa.int64()), ("source_entity", pa.int64()),
    ("target_text", pa.string()), ("target_label", pa.string()),
    ("target_start", pa.int64()), ("target_end", pa.int64()), ("target_entity", pa.int64()),
    ("negated", pa.bool_()), ("modality", pa.string()),
    ("trigger_text", pa.string()), ("trigger_start", pa.int64()), ("trigger_end", pa.int64()),
    ("sentence_start", pa.int64()), ("sentence_end", pa.int64()),
    ("location_text", pa.string()),
    ("plover_event_type", pa.string()), ("plover_mode", pa.string()), ("cameo", pa.string()),
])
DOCUMENT = pa.schema([
    ("id", pa.string()),
    ("error", pa.string()),
    ("entities", pa.list_(ENTITY)),
    ("relations", pa.list_(RELATION)),
])

DOCUMENT_DDL = (
    "id string, error string, "
    "entities array<struct<text:string,label:string,start:bigint,end:bigint,char_start:bigint,"
    "char_end:bigint,score:float,entity:bigint>>, "
    "relations array<struct<kind:string,source_text:string,source_label:string,source_start:bigint,"
    "source_end:bigint,source_entity:bigint,target_text:string,target_label:string,target_start:bigint,"
    "target_end:bigint,target_entity:bigint,negated:boolean,modality:string,trigger_text:string,"
    "trigger_start:bigint,trigger_end:bigint,sentence_start:bigint,sentence_end:bigint,"
    "location_text:string,plover_event_type:string,plover_mode:string,cameo:string>>"
)
"""The Spark SQL schema of one extracted article (the Arrow schema ``DOCUMENT``)."""


def _extractor():
    """The extractor of this Python worker process: made on first use, then
    reused by every task the worker runs. Threads per task: $NEWSIE_THREADS
    (default 1, since Spark already runs one task per core)."""
    return shared_extractor(threads=int(os.environ.get("NEWSIE_THREADS", "1")))


def _relation_row(r: Dict[str, Any]) -> Dict[str, Any]:
    row = {"kind": r["kind"], "negated": r["negated"], "modality": r["modality"]}
    for side in ("source", "target"):
        a = r[side]
        for k in ("text", "label", "start", "end", "entity"):
            row[f"{side}_{k}"] = a[k]
    row["trigger_text"] = r["trigger"]["text"]
    row["trigger_start"] = r["trigger"]["start"]
    row["trigger_end"] = r["trigger"]["end"]
    row["sentence_start"] = r["sentence"]["start"]
    row["sentence_end"] = r["sentence"]["end"]
    row["location_text"] = (r.get("location") or {}).get("text")
    plover = r.get("plover") or {}
    row["plover_event_type"] = plover.get("event_type")
    row["plover_mode"] = plover.get("mode")
    row["cameo"] = r.get("cameo")
    return row


def extract_batches(batches: Iterator[pa.RecordBatch], batch_size: int = 256) -> Iterator[pa.RecordBatch]:
    """The executor side: Arrow batches of (id, text) in, one row per article out."""
    ex = _extractor()
    for batch in batches:
        ids: List[Optional[str]] = batch.column("id").to_pylist()
        texts: List[Optional[str]] = batch.column("text").to_pylist()
        docs: List[Optional[Dict[str, Any]]] = [None] * len(texts)
        errors: List[Optional[str]] = [None] * len(texts)
        good = [i for i, t in enumerate(texts) if isinstance(t, str)]
        for i, t in enumerate(texts):
            if not isinstance(t, str):
                errors[i] = "no text"
        try:
            for i, doc in zip(good, ex.pipe((texts[i] for i in good), batch_size=batch_size)):
                docs[i] = doc
        except Exception:  # noqa: BLE001 - one bad article must not lose the others
            for i in good:
                try:
                    docs[i] = ex.extract(texts[i])
                except Exception as e:  # noqa: BLE001
                    errors[i] = f"{type(e).__name__}: {e}"
        yield pa.RecordBatch.from_pydict(
            {
                "id": ids,
                "error": errors,
                "entities": [d["entities"] if d else [] for d in docs],
                "relations": [[_relation_row(r) for r in d["relations"]] if d else [] for d in docs],
            },
            schema=DOCUMENT,
        )


def read_articles(spark, path: str):
    """JSON lines or Parquet with `id` and `text`; `id` as a string."""
    from pyspark.sql import functions as F

    is_parquet = path.rstrip("/").endswith(".parquet") or (
        os.path.isdir(path) and any(f.endswith(".parquet") for f in os.listdir(path))
    )
    if is_parquet:
        df = spark.read.parquet(path)
    else:
        df = spark.read.schema("id string, text string").json(path)
    missing = {"id", "text"} - set(df.columns)
    if missing:
        raise SystemExit(f"{path}: no column {', '.join(sorted(missing))} (need id and text)")
    return df.select(F.col("id").cast("string").alias("id"), F.col("text").cast("string").alias("text"))


def run(spark, src: str, out: str, partitions: Optional[int] = None) -> Dict[str, int]:
    """Reads `src`, extracts, writes the three tables under `out`; returns row counts."""
    from pyspark import StorageLevel
    from pyspark.sql import functions as F

    articles = read_articles(spark, src)
    if partitions:
        articles = articles.repartition(partitions)
    # Extract once; the three tables are read from the persisted result.
    docs = articles.mapInArrow(extract_batches, DOCUMENT_DDL).persist(StorageLevel.MEMORY_AND_DISK)
    docs.select(
        "id", F.size("entities").alias("n_entities"), F.size("relations").alias("n_relations"), "error"
    ).write.mode("overwrite").parquet(os.path.join(out, "documents"))
    docs.select("id", F.inline("entities")).write.mode("overwrite").parquet(os.path.join(out, "entities"))
    docs.select("id", F.inline("relations")).write.mode("overwrite").parquet(os.path.join(out, "relations"))
    row = docs.agg(
        F.count(F.lit(1)).alias("documents"),
        F.sum(F.size("entities")).alias("entities"),
        F.sum(F.size("relations")).alias("relations"),
        F.count("error").alias("errors"),
    ).first()
    counts = {k: int(row[k] or 0) for k in ("documents", "entities", "relations", "errors")}
    docs.unpersist()
    return counts
