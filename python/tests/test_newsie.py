"""Tests of the Python package against the shipped model (run: pytest python/tests)."""

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

import newsie

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "examples" / "data" / "sample-news.txt"


@pytest.fixture(scope="module")
def ex():
    return newsie.Extractor(threads=2)


def test_meeting_in_rome(ex):
    doc = ex.extract("Kerry met Lavrov in Rome.")
    ents = [(e["text"], e["label"]) for e in doc["entities"]]
    assert ents == [("Kerry", "PER"), ("Lavrov", "PER"), ("Rome", "LOC")]
    (rel,) = doc["relations"]
    assert rel["kind"] == "meeting"
    assert {rel["source"]["text"], rel["target"]["text"]} == {"Kerry", "Lavrov"}
    assert rel["negated"] is False and rel["modality"] == "asserted"
    assert rel["location"]["text"] == "Rome"
    assert rel["plover"] == {"event_type": "CONSULT", "mode": None} and rel["cameo"] == "040"


def test_same_json_as_the_cli(ex):
    """extract() gives exactly what `extract --format json` prints."""
    exe = REPO / "target" / "release" / "examples" / "extract"
    if not exe.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{exe} missing: build it with cargo build --release --example extract")
        pytest.skip(f"{exe} not built")
    cli = subprocess.run(
        [str(exe), "--quiet", "--threads", "2", "--format", "json", str(SAMPLE)],
        check=True, capture_output=True, text=True,
    )
    assert ex.extract(SAMPLE.read_text(encoding="utf-8")) == json.loads(cli.stdout)


def test_offsets_are_python_string_offsets(ex):
    text = "Zoë Ångström 🙂 met Emmanuel Macron in Paris."
    doc = ex.extract(text)
    names = {e["text"] for e in doc["entities"]}
    assert "Emmanuel Macron" in names and "Paris" in names
    for e in doc["entities"]:
        assert text[e["char_start"]:e["char_end"]] == e["text"]
        assert text.encode("utf-8")[e["start"]:e["end"]].decode("utf-8") == e["text"]


def test_pipe_keeps_order_and_matches_extract(ex):
    texts = [
        "Kerry met Lavrov in Rome.",
        "",
        "Canada imposed sanctions on Russia.",
        "Shares in Siemens fell in Frankfurt.",
    ] * 5
    seen = []
    docs = list(ex.pipe(iter(texts), batch_size=3, progress=seen.append))
    assert len(docs) == len(texts)
    assert docs == [ex.extract(t) for t in texts]
    assert seen == [3, 6, 9, 12, 15, 18, 20]
    assert docs[1] == {"entities": [], "relations": []}


def test_pipe_is_lazy(ex):
    """pipe reads its input a batch at a time, so an endless generator works."""
    def endless():
        n = 0
        while True:
            n += 1
            yield f"Merkel met Macron in Berlin on day {n}."

    first = []
    for doc in ex.pipe(endless(), batch_size=4):
        first.append(doc)
        if len(first) == 6:
            break
    assert all(d["relations"][0]["kind"] == "meeting" for d in first)


def test_threads_share_one_extractor(ex):
    texts = [f"Kerry met Lavrov in Rome on day {i}." for i in range(8)]
    expected = [ex.extract(t) for t in texts]
    results = [None] * len(texts)
    errors = []

    def work(i):
        try:
            results[i] = ex.extract(texts[i])
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(len(texts))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert results == expected


def test_bad_input_is_a_clear_error(ex):
    with pytest.raises(TypeError, match="not str"):
        ex.extract(b"Kerry met Lavrov")
    with pytest.raises(TypeError, match="text 1 is int"):
        list(ex.pipe(["Kerry met Lavrov.", 42]))
    with pytest.raises(TypeError, match="iterable of texts"):
        list(ex.pipe("Kerry met Lavrov."))
    with pytest.raises(ValueError, match="batch_size"):
        list(ex.pipe(["a"], batch_size=0))
    with pytest.raises(ValueError, match="threads"):
        newsie.Extractor(threads=0)
    # A lone surrogate cannot be UTF-8: Python's own error, not a crash.
    with pytest.raises(UnicodeEncodeError):
        ex.extract("Kerry \ud800 met Lavrov")
    # Control characters and odd text are fine.
    assert ex.extract("\x00\x01 \u200b\n\n").get("entities") == []


def test_missing_model_and_bad_rules_are_newsie_errors(tmp_path):
    with pytest.raises(newsie.NewsieError, match="neither a model folder nor a model in the registry"):
        newsie.Extractor(model=str(tmp_path / "no-such-model"))
    (tmp_path / "config.json").write_text("{}")
    with pytest.raises(newsie.NewsieError, match="model file missing|invalid model file"):
        newsie.Extractor(model=str(tmp_path))
    rules = tmp_path / "rules.toml"
    rules.write_text("[[relation]]\nkind = 'meeting'\ncolour = 'red'\n")
    with pytest.raises(newsie.NewsieError, match="invalid rule file"):
        newsie.Extractor(rules=str(rules))


def test_to_displacy(ex):
    text = "Kerry met Lavrov in Rome."
    doc = ex.extract(text)
    d = newsie.to_displacy(doc, text)
    assert d["text"] == text
    assert d["ents"] == [
        {"start": 0, "end": 5, "label": "PER"},
        {"start": 10, "end": 16, "label": "PER"},
        {"start": 20, "end": 24, "label": "LOC"},
    ]
    with pytest.raises(ValueError, match="needs the text"):
        newsie.to_displacy(doc)
    with pytest.raises(ValueError, match="not in this text"):
        newsie.to_displacy(doc, "something else entirely")


def test_html_page(ex):
    text = SAMPLE.read_text(encoding="utf-8")
    page = ex.to_html(text, title="sample <news>")
    assert page.startswith("<!DOCTYPE html>")
    assert "sample &lt;news&gt;" in page
    assert '<mark class="PER"' in page and "<svg" in page
    assert "<script" not in page


def test_relations_off():
    ex = newsie.Extractor(relations=False, threads=1)
    doc = ex.extract("Kerry met Lavrov in Rome.")
    assert doc["relations"] == [] and len(doc["entities"]) == 3


def test_precision(ex):
    text = "Kerry met Lavrov in Rome."
    want = [(e["text"], e["label"]) for e in ex.extract(text)["entities"]]
    for p in ("int8", "bf16"):
        doc = newsie.Extractor(precision=p, threads=1).extract(text)
        assert [(e["text"], e["label"]) for e in doc["entities"]] == want
        assert [r["kind"] for r in doc["relations"]] == ["meeting"]
    with pytest.raises(newsie.NewsieError, match="unknown precision"):
        newsie.Extractor(precision="f16")


def test_words(ex):
    """words=True lists every word with its offsets, part of speech and chunk
    (the shipped model has syntax heads); off by default."""
    text = "Kerry met Lavrov in Rome."
    assert "words" not in ex.extract(text)
    words = newsie.Extractor(words=True, threads=1).extract(text)["words"]
    assert [w["text"] for w in words] == ["Kerry", "met", "Lavrov", "in", "Rome", "."]
    assert all(text[w["start"]:w["end"]] == w["text"] for w in words)
    assert [w["pos"] for w in words] == ["NNP", "VBD", "NNP", "IN", "NNP", "."]
    assert [w["chunk"] for w in words] == ["B-NP", "B-VP", "B-NP", "B-PP", "B-NP", "O"]


def test_import_does_not_load_a_model():
    """Importing is cheap; the model loads when an Extractor is made."""
    code = "import newsie, sys; print(newsie.__version__)"
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    assert out.stdout.strip() == newsie.__version__


def test_shared_extractor_is_one_per_process_and_settings():
    a = newsie.shared_extractor(threads=1)
    assert newsie.shared_extractor(threads=1) is a
    assert newsie.shared_extractor(threads=1, relations=False) is not a


def test_lexicon_and_consistent_types(ex, tmp_path):
    text = "G20 finance ministers met in Rio. Keir Starmer flew in. Starmer said the Acme Widgets board agreed."
    ents = {(e["text"], e["label"]) for e in ex.extract(text)["entities"]}
    assert ("G20", "ORG") in ents and ("Starmer", "PER") in ents
    raw = newsie.Extractor(threads=1, relations=False, lexicon=False, consistent_types=False)
    raw_ents = {(e["text"], e["label"]) for e in raw.extract(text)["entities"]}
    assert ("G20", "ORG") not in raw_ents
    own = tmp_path / "names.tsv"
    own.write_text("LOC\tAcme Widgets\n")  # a type no model would give it, to see the file act
    mine = newsie.Extractor(threads=1, relations=False, lexicon=own)
    mine_ents = {(e["text"], e["label"]) for e in mine.extract(text)["entities"]}
    assert ("Acme Widgets", "LOC") in mine_ents
    assert ("G20", "ORG") not in mine_ents  # the file replaces the built-in list
    bad = tmp_path / "bad.tsv"
    bad.write_text("no tab\n")
    with pytest.raises(newsie.NewsieError, match="TYPE<TAB>name"):
        newsie.Extractor(threads=1, lexicon=bad)
