"""Casing channel shared by training and (re-implemented in Rust) inference.

The base encoder is uncased, so each token gets a casing class computed from the
original text under its offsets, carried to the model in `token_type_ids`
(`type_vocab_size` = 4). The class is that of the token's range widened
by the alphanumeric characters adjacent to it on either side, so "McCain" gives
every sub-word the class of the whole word (and the "." of "U.S." sees "U.S").
Rust twin: `src/text.rs::casing_class`; keep both identical.
"""

NONE, LOWER, TITLE, UPPER = 0, 1, 2, 3
NUM_CLASSES = 4


def run_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen [start, end) to the enclosing run of alphanumeric characters."""
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    n = len(text)
    while end < n and text[end].isalnum():
        end += 1
    return start, end


def casing_class(word: str) -> int:
    letters = [c for c in word if c.isalpha()]
    if not letters:
        return NONE
    uppers = sum(1 for c in letters if c.isupper())
    if uppers == 0:
        return LOWER
    if uppers == len(letters) and len(letters) > 1:
        return UPPER
    return TITLE


def token_casing(text: str, start: int, end: int) -> int:
    """Casing class of the token at char offsets [start, end) of `text`."""
    if end <= start:
        return NONE
    s, e = run_bounds(text, start, end)
    return casing_class(text[s:e])
