"""Averages the weights of fine-tuned checkpoints of one architecture ("model soup").

    python training/soup.py --out training/out/soup A_DIR B_DIR [C_DIR ...]

Each input is a Hugging Face model directory (`config.json`, `model.safetensors`,
tokenizer files) trained from the same base; the output holds the element-wise mean of
every tensor (stored in the first input's dtype) and copies the other files of the first
input. Tensor names, shapes and dtypes must agree, else nothing is written.
"""

import argparse
import os
import shutil
import sys

import torch
from safetensors.torch import load_file, save_file


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", required=True, help="output model directory (created)")
    ap.add_argument("models", nargs="+", help="model directories to average (two or more)")
    args = ap.parse_args()
    if len(args.models) < 2:
        ap.error("give two or more model directories")
    states = []
    for m in args.models:
        path = os.path.join(m, "model.safetensors")
        if not os.path.isfile(path):
            print(f"error: {path} not found", file=sys.stderr)
            return 1
        states.append(load_file(path))
    first = states[0]
    for m, st in zip(args.models[1:], states[1:]):
        if st.keys() != first.keys():
            print(f"error: {m} has other tensors than {args.models[0]}", file=sys.stderr)
            return 1
        for k, v in st.items():
            if v.shape != first[k].shape or v.dtype != first[k].dtype:
                print(f"error: tensor {k} differs in shape or dtype in {m}", file=sys.stderr)
                return 1
    mean = {}
    for k, v in first.items():
        if v.is_floating_point():
            acc = torch.zeros(v.shape, dtype=torch.float32)
            for st in states:
                acc += st[k].to(torch.float32)
            mean[k] = (acc / len(states)).to(v.dtype).contiguous()
        else:
            mean[k] = v.clone()
    os.makedirs(args.out, exist_ok=True)
    for name in os.listdir(args.models[0]):
        src = os.path.join(args.models[0], name)
        if name != "model.safetensors" and os.path.isfile(src):
            shutil.copy(src, os.path.join(args.out, name))
    save_file(mean, os.path.join(args.out, "model.safetensors"), metadata={"format": "pt"})
    print(f"averaged {len(states)} models, {len(mean)} tensors -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
