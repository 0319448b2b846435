#!/usr/bin/env bash
# newsie as others take it: as a path dependency, as a git dependency, and as
# the crate that `cargo package` makes (what crates.io would serve). Each is
# built from a small crate outside the repository that runs the README's
# example; the packaged crate must also say exactly how to get the model it
# cannot carry (crates.io holds at most 10 MB, the model is 45 MB).
# Usage: scripts/check-dependency.sh   (from anywhere; needs git and cargo)
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# One target folder and the repository's lock file: dependencies build once.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$repo/target}"

# The README's Rust example, as a main function.
example() {
  echo 'fn main() -> Result<(), newsie::Error> {'
  awk '/^```rust$/{on=1; next} on && /^```$/{exit} on && !/^# /{print "    " $0}' "$repo/README.md"
  echo '    Ok(())'
  echo '}'
}

# new_crate NAME DEPENDENCY-SPEC
new_crate() {
  mkdir -p "$work/$1/src"
  printf '[package]\nname = "%s"\nversion = "0.0.0"\nedition = "2021"\npublish = false\n\n[dependencies]\nnewsie = %s\n' \
    "$1" "$2" > "$work/$1/Cargo.toml"
  example > "$work/$1/src/main.rs"
  cp "$repo/Cargo.lock" "$work/$1/Cargo.lock"
}

check_output() {
  grep -q "PER Kerry" "$1" && grep -q "meeting: Kerry -> Lavrov" "$1" \
    || { echo "unexpected output:"; cat "$1"; exit 1; }
}

echo "== path dependency"
new_crate uses-path "{ path = \"$repo\" }"
cargo run --quiet --release --manifest-path "$work/uses-path/Cargo.toml" > "$work/path.out"
check_output "$work/path.out"
cat "$work/path.out"

echo "== git dependency (HEAD of $repo)"
new_crate uses-git "{ git = \"file://$repo\" }"
cargo run --quiet --release --manifest-path "$work/uses-git/Cargo.toml" > "$work/git.out"
check_output "$work/git.out"

echo "== cargo package"
(cd "$repo" && cargo package --allow-dirty --no-verify --quiet)
crate=$(ls "$CARGO_TARGET_DIR"/package/newsie-*.crate 2>/dev/null || ls "$repo"/target/package/newsie-*.crate)
size=$(stat -c %s "$crate")
echo "$crate: $size bytes"
[ "$size" -lt 10000000 ] || { echo "package over crates.io's 10 MB limit"; exit 1; }
tar -xzf "$crate" -C "$work"
pkg=$(ls -d "$work"/newsie-*/)
new_crate uses-package "{ path = \"$pkg\" }"
# Without its model the packaged crate must say how to get it.
if NEWSIE_MODEL= cargo run --quiet --release --manifest-path "$work/uses-package/Cargo.toml" > /dev/null 2> "$work/missing.err"; then
  echo "the packaged crate ran without a model"; exit 1
fi
cat "$work/missing.err"
grep -q "is not installed" "$work/missing.err" && grep -q "NEWSIE_MODEL" "$work/missing.err" \
  || { echo "the missing-model error does not say how to get it"; exit 1; }
# With NEWSIE_MODEL it runs.
NEWSIE_MODEL="$repo/models/newsie-minilm-conll" \
  cargo run --quiet --release --manifest-path "$work/uses-package/Cargo.toml" > "$work/package.out"
check_output "$work/package.out"
echo "== newsie works as a path, git and packaged dependency"
