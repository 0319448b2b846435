"""CoNLL-2003 files as the project's Python tools read them (standard library only,
so scripts that must not import torch can use it).

A file is documents (split at `-DOCSTART-` lines) of sentences (split at blank
lines) of rows; a row is the line's space-separated columns (word, POS, chunk,
NER in CoNLL-2003). Tags in the files are IOB1; `iob1_to_bio` converts them and
`spans` reads entity spans conlleval-style.
"""


def read_documents(path):
    """Documents -> sentences -> rows (lists of columns). Text before the first
    `-DOCSTART-` is a document of its own; empty sentences and documents are
    left out."""
    docs, doc, sent = [], [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("-DOCSTART-") or not line.strip():
                if sent:
                    doc.append(sent)
                sent = []
                if line.startswith("-DOCSTART-") and doc:
                    docs.append(doc)
                    doc = []
                continue
            sent.append(line.split(" "))
    if sent:
        doc.append(sent)
    if doc:
        docs.append(doc)
    return docs


def read_sentences(path):
    """All sentences of a file, documents flattened: lists of rows."""
    return [s for d in read_documents(path) for s in d]


def iob1_to_bio(tags):
    """IOB1 tags (I- opens an entity unless it continues one of its type) to BIO."""
    out, prev = [], "O"
    for t in tags:
        if t == "O":
            out.append("O")
        else:
            kind = t[2:]
            if t.startswith("B-") or prev == "O" or prev[2:] != kind:
                out.append("B-" + kind)
            else:
                out.append("I-" + kind)
        prev = t
    return out


def spans(tags):
    """Entity spans (type, start, end) of a BIO tag sequence, conlleval-style: an
    I- after O or after another type opens an entity."""
    out, start, kind = set(), None, None
    for i, t in enumerate(list(tags) + ["O"]):
        if start is not None and (t == "O" or t.startswith("B-") or t[2:] != kind):
            out.add((kind, start, i))
            start, kind = None, None
        if t != "O" and start is None:
            start, kind = i, t[2:]
    return out
