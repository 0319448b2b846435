#!/usr/bin/env python3
"""Race newsie against ONNX Runtime (f32 and dynamic int8) on the CPU, side by side.

Same machine, same model files, same texts (CoNLL eng.testb sentences, one text
each), same thread count, R rounds alternating the peers; medians. Run through
scripts/compare-ort.sh, which builds newsie and installs the pinned peers into
scripts/.venv.

Peers:
  newsie     target/release/examples/extract --format jsonl --threads N, the whole
             process (model load, tokenising, entities and relations, JSON out),
             once per precision (--precision f32 and int8; the int8 kernel is
             the one the CPU runs best, see NEWSIE_INT8_KERNEL in the README)
  ort-f32    the model exported from PyTorch to ONNX (opset 17), run by ONNX Runtime
             with intra_op_num_threads = N; the loop only (tokenising with the HF
             `tokenizers` library, casing ids given in token_type_ids as the model
             was trained, length-sorted batches of 32, first-subword labels)
  ort-int8   the same graph after onnxruntime.quantization.quantize_dynamic
             (weights QInt8, activations quantised per batch at run time)
  hf         the Hugging Face TokenClassificationPipeline of scripts/compare_hf.py
             (PyTorch, batch 32, its loop only; it reports entity counts, not
             word labels, so no F1); --no-hf leaves it out

Export and quantisation happen once, before the race, into target/ort/.
For each peer: sentences per second, peak memory (max RSS) and entity F1 on
testb with sentence input (exact span and type, conlleval chunks, computed here
the same way for every peer from word labels).

    scripts/compare-ort.sh [--threads N] [--rounds R] [--limit N] [--precisions f32,int8]
"""
import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "training"))


def conll(path):
    """Sentences as (words, gold tags)."""
    import conll as reader

    return [([r[0] for r in rows], [r[-1] for r in rows]) for rows in reader.read_sentences(path)]


def f1(gold, pred):
    """Entity F1 of word label sequences, with training/train_ner.py's conlleval chunks."""
    from conll import spans

    tp = fp = fn = 0
    for g, p in zip(gold, pred):
        g, p = spans(g), spans(p)
        tp += len(g & p)
        fp += len(p - g)
        fn += len(g - p)
    prec = tp / max(1, tp + fp)
    rec = tp / max(1, tp + fn)
    return 2 * prec * rec / max(1e-9, prec + rec)


def word_spans(words):
    """Char offsets of each word in " ".join(words)."""
    spans, pos = [], 0
    for w in words:
        spans.append((pos, pos + len(w)))
        pos += len(w) + 1
    return spans


def newsie_tags(words, entities):
    """Word labels (BIO) from newsie's entities (char offsets)."""
    tags = ["O"] * len(words)
    spans = word_spans(words)
    for e in entities:
        inside = [i for i, (a, b) in enumerate(spans) if a < e["char_end"] and b > e["char_start"]]
        for j, i in enumerate(inside):
            tags[i] = ("B-" if j == 0 else "I-") + e["label"]
    return tags


def export(model_dir, out_dir):
    """ONNX f32 and dynamic-int8 files of the model (made again when the weights are newer)."""
    f32 = os.path.join(out_dir, "model-f32.onnx")
    int8 = os.path.join(out_dir, "model-int8.onnx")
    weights = os.path.join(model_dir, "model.safetensors")
    fresh = lambda p: os.path.exists(p) and os.path.getmtime(p) >= os.path.getmtime(weights)
    if fresh(f32) and fresh(int8):
        return f32, int8
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from transformers import AutoModelForTokenClassification

    os.makedirs(out_dir, exist_ok=True)
    model = AutoModelForTokenClassification.from_pretrained(model_dir, torch_dtype=torch.float32).eval()
    ids = torch.ones(2, 16, dtype=torch.long)
    with torch.inference_mode():
        torch.onnx.export(
            model, (ids, torch.ones_like(ids), torch.zeros_like(ids)), f32,
            input_names=["input_ids", "attention_mask", "token_type_ids"], output_names=["logits"],
            dynamic_axes={n: {0: "batch", 1: "seq"} for n in ["input_ids", "attention_mask", "token_type_ids", "logits"]},
            opset_version=17,
        )
    quantize_dynamic(f32, int8, weight_type=QuantType.QInt8)
    return f32, int8


def run_peer_ort(args):
    """Runs in its own process; prints one JSON line: loop seconds, max RSS, word labels."""
    import numpy as np
    import onnxruntime as ort
    from tokenizers import Tokenizer

    from casing import token_casing

    sents = [json.loads(l)["words"] for l in open(args.texts, encoding="utf-8")]
    tok = Tokenizer.from_file(os.path.join(args.model, "tokenizer.json"))
    tok.no_padding()
    tok.no_truncation()
    cfg = json.load(open(os.path.join(args.model, "config.json")))
    id2label = {int(k): v for k, v in cfg["id2label"].items()}
    casing = cfg.get("newsie_casing") is not None
    so = ort.SessionOptions()
    so.intra_op_num_threads = args.threads
    so.inter_op_num_threads = 1
    so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    sess = ort.InferenceSession(args.onnx, so, providers=["CPUExecutionProvider"])

    t0 = time.perf_counter()
    texts = [" ".join(w) for w in sents]
    encs = tok.encode_batch(texts)
    order = sorted(range(len(texts)), key=lambda i: len(encs[i].ids))
    out_tags = [None] * len(texts)
    for b in range(0, len(order), args.batch):
        idx = order[b:b + args.batch]
        seq = max(len(encs[i].ids) for i in idx)
        ids = np.zeros((len(idx), seq), dtype=np.int64)
        mask = np.zeros_like(ids)
        types = np.zeros_like(ids)
        for r, i in enumerate(idx):
            e, text = encs[i], texts[i]
            n = len(e.ids)
            ids[r, :n] = e.ids
            mask[r, :n] = 1
            if casing:
                spans = word_spans(sents[i])
                for t, ((a, c), sp) in enumerate(zip(e.offsets, e.special_tokens_mask)):
                    if sp or c <= a:
                        continue
                    ws = next(((x, y) for x, y in spans if x <= a < y), (a, c))
                    types[r, t] = token_casing(text, a, c, ws[0], ws[1])
        logits = sess.run(["logits"], {"input_ids": ids, "attention_mask": mask, "token_type_ids": types})[0]
        best = logits.argmax(-1)
        for r, i in enumerate(idx):
            e = encs[i]
            first = {}
            for t, ((a, c), sp) in enumerate(zip(e.offsets, e.special_tokens_mask)):
                if not sp and c > a:
                    first.setdefault(a, t)
            out_tags[i] = [
                id2label[int(best[r, first[a]])] if a in first else "O" for a, _ in word_spans(sents[i])
            ]
    seconds = time.perf_counter() - t0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "max_rss_mb": rss, "tags": out_tags}))


def run_newsie(exe, jsonl, model, threads, precision):
    """Whole process: wall seconds, child max RSS (MB), outputs (compare_hf.measure)."""
    from compare_hf import measure

    return measure([exe, "--format", "jsonl", "--quiet", "--model", model, "--threads", str(threads),
                    "--precision", precision], jsonl)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--conll", default=os.path.join(ROOT, "../shared/data/conll2003/eng.testb"))
    ap.add_argument("--model", default=os.path.join(ROOT, "models/newsie-minilm-conll"))
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--limit", type=int, default=0, help="first N sentences only")
    ap.add_argument("--precisions", default="f32,int8", help="newsie precisions to race, comma-separated")
    ap.add_argument("--no-hf", action="store_true", help="leave out the Hugging Face pipeline peer")
    ap.add_argument("--peer", choices=["ort"], help=argparse.SUPPRESS)
    ap.add_argument("--onnx", help=argparse.SUPPRESS)
    ap.add_argument("--texts", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.peer == "ort":
        return run_peer_ort(args)

    data = conll(args.conll)
    if args.limit:
        data = data[: args.limit]
    gold = [t for _, t in data]
    n = len(data)
    f32, int8 = export(args.model, os.path.join(ROOT, "target", "ort"))
    tmp = tempfile.mkdtemp()
    jsonl = os.path.join(tmp, "in.jsonl")
    words_file = os.path.join(tmp, "words.jsonl")
    with open(jsonl, "w", encoding="utf-8") as f, open(words_file, "w", encoding="utf-8") as g:
        for i, (w, _) in enumerate(data):
            f.write(json.dumps({"id": i, "text": " ".join(w)}) + "\n")
            g.write(json.dumps({"words": w}) + "\n")
    exe = os.path.join(ROOT, "target/release/examples/extract")
    print(f"{n} testb sentences, one text each; {args.threads} threads; {args.rounds} rounds; model {args.model}",
          flush=True)
    precisions = args.precisions.split(",")
    mine = {p: f"newsie {p} (extract jsonl, whole process)" for p in precisions}
    results = {name: [] for name in mine.values()}
    results.update({"ort f32 (loop)": [], "ort int8 (loop)": []})
    if not args.no_hf:
        results["hf pipeline (loop)"] = []
    scores = {}
    for _ in range(args.rounds):
        for precision, name in mine.items():
            r = run_newsie(exe, jsonl, args.model, args.threads, precision)
            results[name].append((r["seconds"], r["max_rss_mb"]))
            docs = [json.loads(l) for l in r["stdout"].splitlines()]
            scores[name] = f1(gold, [newsie_tags(w, d["entities"]) for (w, _), d in zip(data, docs)])
        for name, path in (("ort f32 (loop)", f32), ("ort int8 (loop)", int8)):
            p = subprocess.run(
                [sys.executable, os.path.abspath(__file__), "--peer", "ort", "--onnx", path, "--texts", words_file,
                 "--model", args.model, "--threads", str(args.threads), "--batch", str(args.batch)],
                capture_output=True, text=True,
            )
            if p.returncode:
                raise SystemExit(f"{name} failed:\n{p.stderr[-3000:]}")
            o = json.loads(p.stdout.strip().splitlines()[-1])
            results[name].append((o["seconds"], o["max_rss_mb"]))
            scores[name] = f1(gold, o["tags"])
        if not args.no_hf:
            p = subprocess.run(
                [sys.executable, os.path.join(ROOT, "scripts", "compare_hf.py"), "--peer", "hf", "--texts", jsonl,
                 "--model", args.model, "--threads", str(args.threads), "--batch", str(args.batch)],
                capture_output=True, text=True,
            )
            if p.returncode:
                raise SystemExit(f"hf pipeline failed:\n{p.stderr[-3000:]}")
            o = json.loads(p.stdout.strip().splitlines()[-1])
            results["hf pipeline (loop)"].append((o["seconds"], o["max_rss_mb"]))
    print(f"{'peer':<40} {'median s':>9} {'sent/s':>8} {'peak MB':>8} {'F1':>7}  runs")
    rate = {}
    for name, rs in results.items():
        sec = statistics.median(s for s, _ in rs)
        rate[name] = n / sec
        score = f"{scores[name]:7.4f}" if name in scores else f"{'-':>7}"
        print(f"{name:<40} {sec:9.2f} {n / sec:8.1f} {max(m for _, m in rs):8.0f} {score}  "
              + ", ".join(f"{s:.2f}" for s, _ in rs))
    for precision, name in mine.items():
        me = rate[name]
        print(f"newsie {precision} / ort f32: {me / rate['ort f32 (loop)']:.2f}x sentences/s; "
              f"newsie {precision} / ort int8: {me / rate['ort int8 (loop)']:.2f}x"
              + (f"; newsie {precision} / hf pipeline: {me / rate['hf pipeline (loop)']:.2f}x" if not args.no_hf else ""))


if __name__ == "__main__":
    main()
