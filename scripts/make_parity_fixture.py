#!/usr/bin/env python3
"""Build the parity fixture: a tiny, randomly initialised BERT token classifier
(fixed seed) in Hugging Face layout, plus its logits from the reference
implementation (transformers + torch) for a few sentences.

tests/parity.rs loads the same files with newsie and asserts the logits match.
The casing channel is exercised too: the tiny model has type_vocab_size 4 and
`newsie_casing`, and the token type ids come from training/casing.py.

    python scripts/make_parity_fixture.py tests/fixtures/tiny-bert
"""
import json
import os
import sys

import torch
from tokenizers import Tokenizer
from tokenizers.models import WordPiece
from tokenizers.normalizers import BertNormalizer
from tokenizers.pre_tokenizers import BertPreTokenizer
from transformers import BertConfig, BertForTokenClassification

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "training"))
from casing import token_casing  # noqa: E402

SENTENCES = [
    "U.S. Secretary of State John Kerry met Sergei Lavrov in Rome.",
    "Canada announced sanctions on members of Yanukovich's government.",
    "Zoë Müller-Lüdenscheidt visited São Paulo 🎉 today",
    "EU leaders could decide on sanctions against Russia.",
]
LABELS = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC"]


def main(out):
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(1234)
    # A small vocabulary: special tokens, characters, and the sentences' lowercased words.
    words = set()
    pre = BertPreTokenizer()
    norm = BertNormalizer(lowercase=True)
    for s in SENTENCES:
        for w, _ in pre.pre_tokenize_str(norm.normalize_str(s)):
            words.add(w)
    chars = sorted({c for w in words for c in w})
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + chars + ["##" + c for c in chars]
    vocab += sorted(w for w in words if len(w) > 1 and w not in vocab)[::2]  # half the words whole
    with open(os.path.join(out, "vocab.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(vocab) + "\n")
    tok = Tokenizer(WordPiece({t: i for i, t in enumerate(vocab)}, unk_token="[UNK]"))
    tok.normalizer = norm
    tok.pre_tokenizer = pre
    tok.save(os.path.join(out, "tokenizer.json"))

    cfg = BertConfig(
        vocab_size=len(vocab), hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
        intermediate_size=64, max_position_embeddings=64, type_vocab_size=4,
        id2label=dict(enumerate(LABELS)), label2id={l: i for i, l in enumerate(LABELS)},
    )
    cfg.architectures = ["BertForTokenClassification"]
    cfg.newsie_casing = "alnum_run_v1"
    model = BertForTokenClassification(cfg).eval()
    # Larger weights than the default init, so differences would show.
    with torch.no_grad():
        for p in model.parameters():
            p.add_(torch.randn_like(p) * 0.05)
    model.save_pretrained(out, safe_serialization=True)

    cases = []
    for s in SENTENCES:
        enc = tok.encode(s, add_special_tokens=False)
        cls, sep = vocab.index("[CLS]"), vocab.index("[SEP]")
        ids = [cls] + enc.ids + [sep]
        # Byte offsets (newsie's convention) of each token.
        b = [len(s[:i].encode("utf-8")) for i in range(len(s) + 1)]
        offsets = [(b[a], b[e]) for a, e in enc.offsets]
        types = [0] + [token_casing(s, a, e) for a, e in enc.offsets] + [0]
        with torch.no_grad():
            logits = model(
                input_ids=torch.tensor([ids]), token_type_ids=torch.tensor([types]),
                attention_mask=torch.ones(1, len(ids), dtype=torch.long),
            ).logits[0]
        cases.append({"text": s, "ids": ids, "type_ids": types, "offsets": offsets, "logits": logits.tolist()})
    with open(os.path.join(out, "expected.json"), "w", encoding="utf-8") as f:
        json.dump({"generator": "scripts/make_parity_fixture.py", "cases": cases}, f)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "tests/fixtures/tiny-bert")
