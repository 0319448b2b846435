#!/usr/bin/env python3
"""Race newsie against the Hugging Face TokenClassificationPipeline, side by side.

Same machine, same model files, same texts (CoNLL eng.testb sentences, one text
each), same thread count. Prints sentences per second and peak memory (max RSS)
of each, and their ratio. Run through scripts/compare-hf.sh, which builds newsie
and installs the pinned Python peer into scripts/.venv.

Peers:
  newsie      target/release/examples/extract --format jsonl --threads N
              (entities and relations; the real command users run)
  newsie-tch  the same with --backend rust-bert, when that build exists
  hf          transformers TokenClassificationPipeline, PyTorch CPU,
              aggregation_strategy="first", batch_size 32, torch threads N.
              The shipped model reads a casing class per token in
              token_type_ids; the pipeline is given it (computed from its own
              offsets with training/casing.py) so it runs the model as trained.
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "training"))


def conll_sentences(path):
    """Each sentence of a CoNLL file as its words joined by spaces."""
    import conll

    return [" ".join(r[0] for r in rows) for rows in conll.read_sentences(path)]


def run_peer_hf(args):
    """Runs inside its own process; prints one JSON line with its timing."""
    import torch
    from transformers import AutoModelForTokenClassification, AutoTokenizer, TokenClassificationPipeline

    from casing import token_casing

    torch.set_num_threads(args.threads)
    with open(args.texts, encoding="utf-8") as f:
        texts = [json.loads(l)["text"] for l in f]

    class CasingPipeline(TokenClassificationPipeline):
        def preprocess(self, sentence, offset_mapping=None, **kw):
            for model_inputs in super().preprocess(sentence, offset_mapping=offset_mapping, **kw):
                if casing:
                    offs = model_inputs["offset_mapping"][0].tolist()
                    special = model_inputs["special_tokens_mask"][0].tolist()
                    # Words are whitespace-separated (CoNLL sentences); casing reads inside each word.
                    words, pos = [], 0
                    for w in sentence.split(" "):
                        words.append((pos, pos + len(w)))
                        pos += len(w) + 1
                    types = [
                        0 if sp or b <= a else token_casing(sentence, a, b, *next(((x, y) for x, y in words if x <= a < y), (a, b)))
                        for (a, b), sp in zip(offs, special)
                    ]
                    model_inputs["token_type_ids"] = torch.tensor([types])
                yield model_inputs

    t0 = time.time()
    tok = AutoTokenizer.from_pretrained(args.model)
    model = AutoModelForTokenClassification.from_pretrained(args.model, torch_dtype=torch.float32).eval()
    casing = getattr(model.config, "newsie_casing", None) is not None
    pipe = CasingPipeline(model=model, tokenizer=tok, aggregation_strategy="first", device=-1)
    load = time.time() - t0
    t1 = time.time()
    n_ents = 0
    with torch.inference_mode():
        for res in pipe(texts, batch_size=args.batch):
            n_ents += len(res)
    run = time.time() - t1
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": run, "load_seconds": load, "entities": n_ents, "max_rss_mb": rss}))


def measure(cmd, stdin_path):
    """Runs cmd with stdin from a file in a child; returns wall seconds, child max RSS (MB), stdout."""
    helper = (
        "import resource,subprocess,sys,time,json\n"
        "t=time.time()\n"
        "p=subprocess.run(sys.argv[2:],stdin=open(sys.argv[1],'rb'),capture_output=True)\n"
        "el=time.time()-t\n"
        "sys.stderr.buffer.write(p.stderr)\n"
        "if p.returncode: sys.exit(p.returncode)\n"
        "print(json.dumps({'seconds':el,'max_rss_mb':resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss/1024,'stdout':p.stdout.decode()}))\n"
    )
    out = subprocess.run([sys.executable, "-c", helper, stdin_path] + cmd, capture_output=True, text=True)
    if out.returncode:
        raise SystemExit(f"{cmd[0]} failed:\n{out.stderr[-2000:]}")
    return json.loads(out.stdout)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--conll", default=os.path.join(ROOT, "../shared/data/conll2003/eng.testb"))
    ap.add_argument("--model", default=os.path.join(ROOT, "models/newsie-minilm-conll"))
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--limit", type=int, default=0, help="first N sentences only")
    ap.add_argument("--peer", choices=["hf"], help=argparse.SUPPRESS)
    ap.add_argument("--texts", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.peer == "hf":
        return run_peer_hf(args)

    sents = conll_sentences(args.conll)
    if args.limit:
        sents = sents[: args.limit]
    fd, texts = tempfile.mkstemp(suffix=".jsonl")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        for i, s in enumerate(sents):
            f.write(json.dumps({"id": i, "text": s}) + "\n")
    n = len(sents)
    print(f"{n} sentences from {args.conll}; model {args.model}; {args.threads} threads", flush=True)

    rows = []
    exe = os.path.join(ROOT, "target/release/examples/extract")
    base = [exe, "--format", "jsonl", "--quiet", "--model", args.model, "--threads", str(args.threads)]
    # Model load is part of the newsie run (well under a second); the HF peer reports load separately.
    r = measure(base, texts)
    ents = sum(len(json.loads(l)["entities"]) for l in r["stdout"].splitlines())
    rows.append(("newsie (candle)", r["seconds"], r["max_rss_mb"], ents))
    if os.environ.get("NEWSIE_TCH_EXTRACT"):
        exe_t = os.environ["NEWSIE_TCH_EXTRACT"]
        r = measure([exe_t] + base[1:] + ["--backend", "rust-bert"], texts)
        ents = sum(len(json.loads(l)["entities"]) for l in r["stdout"].splitlines())
        rows.append(("newsie (rust-bert)", r["seconds"], r["max_rss_mb"], ents))
    peer = subprocess.run(
        [sys.executable, os.path.abspath(__file__), "--peer", "hf", "--texts", texts, "--model", args.model,
         "--threads", str(args.threads), "--batch", str(args.batch)],
        capture_output=True, text=True,
    )
    if peer.returncode:
        raise SystemExit(f"HF peer failed:\n{peer.stderr[-3000:]}")
    h = json.loads(peer.stdout.strip().splitlines()[-1])
    rows.append(("hf pipeline (torch)", h["seconds"], h["max_rss_mb"], h["entities"]))
    os.unlink(texts)

    print(f"{'peer':<22} {'seconds':>8} {'sent/s':>8} {'peak MB':>8} {'entities':>9}")
    for name, sec, rss, ents in rows:
        print(f"{name:<22} {sec:8.2f} {n / sec:8.1f} {rss:8.0f} {ents:9d}")
    hf = rows[-1]
    for name, sec, rss, _ in rows[:-1]:
        print(f"ratio {name} / hf pipeline: {(n / sec) / (n / hf[1]):.2f}x sentences/s, {rss / hf[2]:.2f}x peak memory")


if __name__ == "__main__":
    main()
