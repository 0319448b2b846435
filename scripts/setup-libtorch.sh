#!/usr/bin/env bash
# Makes libtorch 2.4.0 (CPU) available for the `rust-bert` feature, from the PyPI
# wheel torch==2.4.0, in a git-ignored folder (default ./libtorch), and prints the
# environment to export.
#
# The full wheel with its CUDA dependencies is about 5 GB installed. newsie only
# needs the CPU engine, so this keeps a CPU-only layout of about 0.6 GB:
#   lib/libtorch_cpu.so, lib/libc10.so, lib/libgomp-*.so.1   (from the torch wheel)
#   lib/libcudart.so.12, lib/libcupti.so.12                   (the two small CUDA runtime
#                                                              libraries libtorch_cpu.so links to)
#   lib/libtorch.so   an empty stub: the real one only ties libtorch_cpu to libtorch_cuda,
#                     which this layout leaves out; tch links -ltorch by name
#   include/          the C++ headers tch compiles against
# The PyPI wheels use the pre-C++11 ABI, hence LIBTORCH_CXX11_ABI=0.
#
#   eval "$(scripts/setup-libtorch.sh)"     # then: cargo test --release --features rust-bert
set -euo pipefail
cd "$(dirname "$0")/.."
dest="${1:-libtorch}"
if [ ! -f "$dest/build-version" ] || [ "$(cat "$dest/build-version")" != "2.4.0" ]; then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  echo "setup-libtorch: fetching torch==2.4.0 and its CUDA runtime wheels (about 0.8 GB) ..." >&2
  python3 -m pip download --quiet --no-deps --only-binary=:all: --python-version 3.11 \
    --platform manylinux1_x86_64 --platform manylinux2014_x86_64 --platform manylinux_2_17_x86_64 \
    -d "$tmp" torch==2.4.0 nvidia-cuda-runtime-cu12==12.1.105 nvidia-cuda-cupti-cu12==12.1.105 >&2
  rm -rf "$dest.partial"
  mkdir -p "$dest.partial/lib"
  python3 - "$tmp" "$dest.partial" <<'PY' >&2
import glob, os, shutil, sys, zipfile
tmp, dest = sys.argv[1], sys.argv[2]
want_lib = ("torch/lib/libtorch_cpu.so", "torch/lib/libc10.so",
            "nvidia/cuda_runtime/lib/libcudart.so.12", "nvidia/cuda_cupti/lib/libcupti.so.12")
for whl in glob.glob(os.path.join(tmp, "*.whl")):
    with zipfile.ZipFile(whl) as z:
        for name in z.namelist():
            if name in want_lib or (name.startswith("torch/lib/libgomp") and ".so" in name):
                with z.open(name) as src, open(os.path.join(dest, "lib", os.path.basename(name)), "wb") as out:
                    shutil.copyfileobj(src, out)
            elif name.startswith("torch/include/") and not name.endswith("/"):
                path = os.path.join(dest, name[len("torch/"):])
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with z.open(name) as src, open(path, "wb") as out:
                    shutil.copyfileobj(src, out)
missing = [w for w in want_lib if not os.path.exists(os.path.join(dest, "lib", os.path.basename(w)))]
if missing:
    sys.exit(f"setup-libtorch: not found in the wheels: {missing}")
PY
  gcc -shared -o "$dest.partial/lib/libtorch.so" -x c /dev/null
  echo "2.4.0" > "$dest.partial/build-version"
  rm -rf "$dest"
  mv "$dest.partial" "$dest"
  echo "setup-libtorch: libtorch 2.4.0 (CPU) in $dest ($(du -sh "$dest" | cut -f1))" >&2
fi
abs="$(cd "$dest" && pwd)"
echo "export LIBTORCH=$abs"
echo "export LIBTORCH_CXX11_ABI=0"
echo "export LD_LIBRARY_PATH=$abs/lib\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}"
