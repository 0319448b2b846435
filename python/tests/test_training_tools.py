"""Tests of the standard-library CoNLL reader that training/ and scripts/ share
(training/conll.py); run with the package's tests (pytest python/tests)."""

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "training"))

import conll  # noqa: E402


def test_iob1_to_bio():
    # IOB1: I- opens an entity after O or after another type; B- only splits two
    # entities of one type that touch.
    tags = ["I-PER", "I-PER", "B-PER", "O", "I-ORG", "I-LOC", "I-LOC", "O"]
    assert conll.iob1_to_bio(tags) == ["B-PER", "I-PER", "B-PER", "O", "B-ORG", "B-LOC", "I-LOC", "O"]
    assert conll.iob1_to_bio([]) == []


def test_spans_conlleval_style():
    assert conll.spans(["B-PER", "I-PER", "O", "B-LOC"]) == {("PER", 0, 2), ("LOC", 3, 4)}
    # An I- after O or after another type opens an entity, as conlleval reads it.
    assert conll.spans(["O", "I-ORG", "I-MISC", "I-MISC"]) == {("ORG", 1, 2), ("MISC", 2, 4)}
    assert conll.spans(["O", "O"]) == set()


def test_read_documents(tmp_path):
    f = tmp_path / "tiny.conll"
    f.write_text(
        "-DOCSTART- -X- O O\n\n"
        "EU NNP I-NP I-ORG\nrejects VBZ I-VP O\n\n\n"
        "Peter NNP I-NP I-PER\n\n"
        "-DOCSTART- -X- O O\n\n"
        "Rome NNP I-NP I-LOC\n",
        encoding="utf-8",
    )
    docs = conll.read_documents(str(f))
    assert docs == [
        [[["EU", "NNP", "I-NP", "I-ORG"], ["rejects", "VBZ", "I-VP", "O"]], [["Peter", "NNP", "I-NP", "I-PER"]]],
        [[["Rome", "NNP", "I-NP", "I-LOC"]]],
    ]
    assert [[r[0] for r in s] for s in conll.read_sentences(str(f))] == [["EU", "rejects"], ["Peter"], ["Rome"]]
