"""The Spark job (python/examples/spark_extract.py) in local mode, on 2,233
articles: every article id comes back, and its entities and relations equal
`extract --format jsonl` on the same input. Needs pyspark and a Java runtime; CI installs both."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
TESTB = REPO.parent / "shared" / "data" / "conll2003" / "eng.testb"
EXTRACT = REPO / "target" / "release" / "examples" / "extract"
JOB = REPO / "python" / "examples" / "spark_extract.py"


def _require(ok, why):
    if not ok:
        if os.environ.get("CI") == "true":
            pytest.fail(why)
        pytest.skip(why)


def _articles():
    """CoNLL testb documents as articles (real news, 231 of them), the first
    2,000 testb sentences as articles of their own, an empty article and one
    without text."""
    docs, words, sentences = [], [], []
    for line in TESTB.read_text(encoding="utf-8").splitlines():
        w = line.split()
        if w and w[0] == "-DOCSTART-":
            if words:
                sentences.append(" ".join(words))
                words = []
            if sentences:
                docs.append("\n\n".join(sentences))
                sentences = []
        elif not w:
            if words:
                sentences.append(" ".join(words))
                words = []
        else:
            words.append(w[0])
    if words:
        sentences.append(" ".join(words))
    if sentences:
        docs.append("\n\n".join(sentences))
    rows = [{"id": f"testb-{i}", "text": t} for i, t in enumerate(docs)]
    # And the first 2,000 sentences as one-sentence articles.
    sentences = [s for d in docs for s in d.split("\n\n")][:2000]
    rows += [{"id": f"sentence-{i}", "text": t} for i, t in enumerate(sentences)]
    rows.append({"id": "empty", "text": ""})
    rows.append({"id": "no-text"})
    return rows


def test_spark_job_matches_the_cli(tmp_path):
    _require(TESTB.exists(), f"{TESTB} missing")
    _require(EXTRACT.exists(), f"{EXTRACT} missing: cargo build --release --example extract")
    _require(shutil.which("java") is not None, "no Java runtime (apt-get install openjdk-17-jre-headless)")
    try:
        import pyarrow.parquet as pq
        import pyspark  # noqa: F401
    except ImportError as e:
        _require(False, f"{e.name} is not installed (pip install pyspark pyarrow)")
    rows = _articles()
    src = tmp_path / "articles.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    out = tmp_path / "out"
    job = subprocess.run(
        [sys.executable, str(JOB), str(src), str(out), "--master", "local[2]", "--partitions", "3"],
        capture_output=True, text=True,
    )
    assert job.returncode == 0, job.stderr[-3000:]
    assert f"{len(rows)} documents (1 with errors)" in job.stdout, job.stdout

    documents = pq.read_table(out / "documents").to_pylist()
    assert sorted(d["id"] for d in documents) == sorted(r["id"] for r in rows), "every article comes back once"
    errors = {d["id"]: d["error"] for d in documents if d["error"]}
    assert errors == {"no-text": "no text"}

    # The CLI on the same articles (the one without text left out: the CLI reports it as an error line).
    cli_in = tmp_path / "cli.jsonl"
    cli_in.write_text("".join(json.dumps(r) + "\n" for r in rows if "text" in r), encoding="utf-8")
    cli = subprocess.run(
        [str(EXTRACT), "--quiet", "--format", "jsonl", "--threads", "2", str(cli_in)],
        check=True, capture_output=True, text=True,
    )
    expected = {}
    for line in cli.stdout.splitlines():
        d = json.loads(line)
        expected[d["id"]] = d

    entities = pq.read_table(out / "entities").to_pylist()
    got = {}
    for e in entities:
        got.setdefault(e.pop("id"), []).append(e)
    fields = ["text", "label", "start", "end", "char_start", "char_end", "entity"]
    n = 0
    for doc_id, d in expected.items():
        want = sorted(tuple(e[f] for f in fields) for e in d["entities"])
        have = sorted(tuple(e[f] for f in fields) for e in got.get(doc_id, []))
        assert have == want, doc_id
        # Scores are the same f32 (Parquet float), written shortest-form in the CLI's JSON.
        scores_want = sorted((e["start"], e["score"]) for e in d["entities"])
        scores_have = sorted((e["start"], e["score"]) for e in got.get(doc_id, []))
        assert all(a[0] == b[0] and abs(a[1] - b[1]) < 1e-6 for a, b in zip(scores_have, scores_want)), doc_id
        n += len(want)
    assert n == len(entities) and n > 5000

    relations = pq.read_table(out / "relations").to_pylist()
    want_rel = sorted(
        (d["id"], r["kind"], r["source"]["text"], r["target"]["text"], r["trigger"]["start"], r["negated"],
         r["modality"], (r["plover"] or {}).get("event_type"), (r["plover"] or {}).get("mode"), r["cameo"])
        for d in expected.values() for r in d["relations"]
    )
    have_rel = sorted(
        (r["id"], r["kind"], r["source_text"], r["target_text"], r["trigger_start"], r["negated"], r["modality"],
         r["plover_event_type"], r["plover_mode"], r["cameo"])
        for r in relations
    )
    assert any(r[9] for r in have_rel), "relations carry CAMEO codes"
    assert have_rel == want_rel
    counts = {d["id"]: (d["n_entities"], d["n_relations"]) for d in documents}
    for doc_id, d in expected.items():
        assert counts[doc_id] == (len(d["entities"]), len(d["relations"])), doc_id
