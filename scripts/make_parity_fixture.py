#!/usr/bin/env python3
"""Build the parity fixtures: tiny, randomly initialised token classifiers (fixed
seed) in Hugging Face layout, plus their logits from the reference
implementation (transformers + torch) for a few sentences.

    tests/fixtures/tiny-bert        BERT, WordPiece, with newsie's casing channel
    tests/fixtures/tiny-roberta     RoBERTa, byte-level BPE (positions start after the pad id)
    tests/fixtures/tiny-distilbert  DistilBERT, WordPiece (no token types)
    tests/fixtures/tiny-bert-syntax BERT with the casing channel and the syntax heads
                                    (part of speech and chunk, training/train_ner.py's
                                    BertWithSyntax); its logits are entity, POS and
                                    chunk logits side by side, and `word_syntax` gives
                                    each word's most probable POS and chunk tags

tests/parity.rs loads the same files with newsie and asserts the logits match;
src/pipeline/mod.rs's fixture test checks newsie's tokenisation and casing ids.
For the BERT fixture the casing ids come from training/casing.py, with each
token's word found by the simple word rule below (whitespace chunks, a final
".", "," or "'s" split off), which is newsie's word rule on these sentences.

    scripts/.venv/bin/python scripts/make_parity_fixture.py [tests/fixtures]
"""
import json
import os
import sys

import torch
from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers
from transformers import (
    BertConfig,
    BertForTokenClassification,
    DistilBertConfig,
    DistilBertForTokenClassification,
    RobertaConfig,
    RobertaForTokenClassification,
)

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "training"))
from casing import token_casing  # noqa: E402

SENTENCES = [
    "U.S. Secretary of State John Kerry met Sergei Lavrov in Rome.",
    "Canada announced sanctions on members of Yanukovich's government.",
    "Zoë Müller-Lüdenscheidt visited São Paulo 🎉 today",
    "EU leaders could decide on sanctions against Russia.",
]
LABELS = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC"]
ABBREVIATIONS = {"U.S."}


def words(s):
    """Char spans of the words of `s` (the rule newsie applies to these sentences)."""
    out, i = [], 0
    for chunk in s.split():
        start = s.index(chunk, i)
        end = start + len(chunk)
        i = end
        tail = []
        if chunk[-1] in ".," and chunk not in ABBREVIATIONS and len(chunk) > 1:
            tail.append((end - 1, end))
            end -= 1
        if s[start:end].endswith("'s") and end - start > 2:
            tail.append((end - 2, end))
            end -= 2
        out.append((start, end))
        out.extend(reversed(tail))
    return out


def word_of(spans, s, e):
    return next(((a, b) for a, b in spans if a <= s and e <= b), (s, e))


def wordpiece(norm):
    """A small WordPiece vocabulary: specials, characters, half the sentences' words."""
    pre = pre_tokenizers.BertPreTokenizer()
    ws = set()
    for s in SENTENCES:
        for w, _ in pre.pre_tokenize_str(norm.normalize_str(s)):
            ws.add(w)
    chars = sorted({c for w in ws for c in w})
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + chars + ["##" + c for c in chars]
    vocab += sorted(w for w in ws if len(w) > 1 and w not in vocab)[::2]
    tok = Tokenizer(models.WordPiece({t: i for i, t in enumerate(vocab)}, unk_token="[UNK]"))
    tok.normalizer = norm
    tok.pre_tokenizer = pre
    return tok, vocab


def byte_level_bpe():
    """A small byte-level BPE trained on the sentences, RoBERTa style."""
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=400, special_tokens=["<s>", "<pad>", "</s>", "<unk>", "<mask>"],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False,
    )
    tok.train_from_iterator(SENTENCES * 3, trainer)
    tok.post_processor = processors.RobertaProcessing(("</s>", 2), ("<s>", 0), trim_offsets=True)
    return tok


def perturb(model):
    # Larger weights than the default init, so differences would show.
    with torch.no_grad():
        for p in model.parameters():
            p.add_(torch.randn_like(p) * 0.05)
    return model.eval()


def cases(tok, model, cls, sep, casing, token_types, syntax=False):
    out = []
    for s in SENTENCES:
        enc = tok.encode(s, add_special_tokens=False)
        ids = [cls] + enc.ids + [sep]
        b = [len(s[:i].encode("utf-8")) for i in range(len(s) + 1)]
        offsets = [(b[a], b[e]) for a, e in enc.offsets]  # newsie's byte offsets
        if casing:
            spans = words(s)
            types = [0] + [token_casing(s, a, e, *word_of(spans, a, e)) for a, e in enc.offsets] + [0]
        else:
            types = [0] * len(ids)
        args = dict(input_ids=torch.tensor([ids]), attention_mask=torch.ones(1, len(ids), dtype=torch.long))
        if token_types:
            args["token_type_ids"] = torch.tensor([types])
        with torch.no_grad():
            res = model(**args)
        logits = res.logits[0]
        case = {"text": s, "ids": ids, "type_ids": types, "offsets": offsets}
        if syntax:
            pos, chunk = res.pos_logits[0], res.chunk_logits[0]
            logits = torch.cat([logits, pos, chunk], dim=-1)
            # Each word's tags: those of its first token (ids[0] is [CLS]).
            spans = words(s)
            firsts = {}
            for t, (a, e) in enumerate(enc.offsets):
                firsts.setdefault(word_of(spans, a, e), t + 1)
            tags, prev = [], "O"
            for w in spans:
                if w not in firsts:
                    continue
                c = model.config.newsie_chunk_labels[int(chunk[firsts[w]].argmax())]
                if c.startswith("I-") and prev[2:] != c[2:]:
                    c = "B-" + c[2:]  # an I- that continues no chunk opens one
                prev = c
                tags.append([b[w[0]], b[w[1]], model.config.newsie_pos_labels[int(pos[firsts[w]].argmax())], c])
            case["word_syntax"] = tags
        case["logits"] = logits.tolist()
        out.append(case)
    return out


def save(out, tok, model, cs, vocab=None):
    os.makedirs(out, exist_ok=True)
    tok.save(os.path.join(out, "tokenizer.json"))
    if vocab is not None:
        with open(os.path.join(out, "vocab.txt"), "w", encoding="utf-8") as f:
            f.write("\n".join(vocab) + "\n")
    model.save_pretrained(out, safe_serialization=True)
    with open(os.path.join(out, "expected.json"), "w", encoding="utf-8") as f:
        json.dump({"generator": "scripts/make_parity_fixture.py", "cases": cs}, f)


def labels_cfg():
    return dict(id2label=dict(enumerate(LABELS)), label2id={l: i for i, l in enumerate(LABELS)})


def main(root):
    torch.manual_seed(1234)
    tok, vocab = wordpiece(normalizers.BertNormalizer(lowercase=True))
    cfg = BertConfig(
        vocab_size=len(vocab), hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
        intermediate_size=64, max_position_embeddings=64, type_vocab_size=4, **labels_cfg(),
    )
    cfg.architectures = ["BertForTokenClassification"]
    cfg.newsie_casing = "alnum_run_v1"
    model = perturb(BertForTokenClassification(cfg))
    cls, sep = vocab.index("[CLS]"), vocab.index("[SEP]")
    save(os.path.join(root, "tiny-bert"), tok, model, cases(tok, model, cls, sep, True, True), vocab)

    torch.manual_seed(1235)
    tok = byte_level_bpe()
    cfg = RobertaConfig(
        vocab_size=tok.get_vocab_size(), hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
        intermediate_size=64, max_position_embeddings=66, type_vocab_size=1, pad_token_id=1,
        bos_token_id=0, eos_token_id=2, **labels_cfg(),
    )
    cfg.architectures = ["RobertaForTokenClassification"]
    model = perturb(RobertaForTokenClassification(cfg))
    save(os.path.join(root, "tiny-roberta"), tok, model, cases(tok, model, 0, 2, False, False))

    torch.manual_seed(1236)
    tok, vocab = wordpiece(normalizers.BertNormalizer(lowercase=True))
    cfg = DistilBertConfig(
        vocab_size=len(vocab), dim=32, n_layers=2, n_heads=4, hidden_dim=64,
        max_position_embeddings=64, **labels_cfg(),
    )
    cfg.architectures = ["DistilBertForTokenClassification"]
    model = perturb(DistilBertForTokenClassification(cfg))
    cls, sep = vocab.index("[CLS]"), vocab.index("[SEP]")
    save(os.path.join(root, "tiny-distilbert"), tok, model, cases(tok, model, cls, sep, False, False), vocab)

    from train_ner import CHUNK_TAGS, POS_TAGS, BertWithSyntax  # noqa: E402

    torch.manual_seed(1237)
    tok, vocab = wordpiece(normalizers.BertNormalizer(lowercase=True))
    cfg = BertConfig(
        vocab_size=len(vocab), hidden_size=32, num_hidden_layers=2, num_attention_heads=4,
        intermediate_size=64, max_position_embeddings=64, type_vocab_size=4, **labels_cfg(),
    )
    cfg.newsie_casing = "alnum_run_v1"
    cfg.newsie_pos_labels = POS_TAGS
    cfg.newsie_chunk_labels = CHUNK_TAGS
    model = perturb(BertWithSyntax(cfg))
    cls, sep = vocab.index("[CLS]"), vocab.index("[SEP]")
    out = os.path.join(root, "tiny-bert-syntax")
    save(out, tok, model, cases(tok, model, cls, sep, True, True, syntax=True), vocab)
    with open(os.path.join(out, "config.json"), encoding="utf-8") as f:
        saved = json.load(f)
    saved["architectures"] = ["BertForTokenClassification"]
    with open(os.path.join(out, "config.json"), "w", encoding="utf-8") as f:
        json.dump(saved, f, indent=2, sort_keys=True)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "tests/fixtures")
