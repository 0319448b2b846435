"""Casing channel shared by training and (re-implemented in Rust) inference.

The base encoder is uncased, so each token gets a casing class computed from the
original text under its offsets, carried to the model in `token_type_ids`
(`type_vocab_size` = 4). The class is that of the token's range widened by the
alphanumeric characters adjacent to it *inside its word*: "McCain" gives every
sub-word the class of the whole word, the "." of "U.S." sees "U.S", and a full
stop that is a word of its own ("Abe." is the words "Abe" and ".") is not
widened into the name before it. In training the words are CoNLL's tokens.

Letters are Unicode general category L*, upper-case letters Lu, alphanumerics
L* or N* (unicodedata, not str methods, so the definition is explicit).
Rust twin: `src/text/casing.rs` (`casing_class`); keep both identical.
"""
import unicodedata

NONE, LOWER, TITLE, UPPER = 0, 1, 2, 3
NUM_CLASSES = 4


def is_letter(c: str) -> bool:
    return unicodedata.category(c)[0] == "L"


def is_alnum(c: str) -> bool:
    return unicodedata.category(c)[0] in "LN"


def run_bounds(text: str, start: int, end: int, word_start: int, word_end: int) -> tuple[int, int]:
    """Widen [start, end) by the adjacent alphanumeric characters inside [word_start, word_end)."""
    while start > word_start and is_alnum(text[start - 1]):
        start -= 1
    while end < word_end and is_alnum(text[end]):
        end += 1
    return start, end


def casing_class(word: str) -> int:
    letters = [c for c in word if is_letter(c)]
    if not letters:
        return NONE
    uppers = sum(1 for c in letters if unicodedata.category(c) == "Lu")
    if uppers == 0:
        return LOWER
    if uppers == len(letters) and len(letters) > 1:
        return UPPER
    return TITLE


def token_casing(text: str, start: int, end: int, word_start: int, word_end: int) -> int:
    """Casing class of the token at char offsets [start, end) of `text`, whose
    word is [word_start, word_end). A token not inside its word is classed on
    its own range."""
    if end <= start:
        return NONE
    if not (word_start <= start and end <= word_end):
        return casing_class(text[start:end])
    s, e = run_bounds(text, start, end, word_start, word_end)
    return casing_class(text[s:e])
