//! Stage 1, text: sentence boundaries, CoNLL-like words and the casing channel.
//!
//! In: the caller's `&str`. Out: byte ranges into it ([`Segmented`]: sentences
//! and their words, computed once per text and read by tokenisation, decoding
//! and relations) and the casing class of any token.
//!
//! Invariant: every range is a byte range into the caller's text and falls on
//! char boundaries. Nothing here knows about models or labels.

mod casing;
mod chars;
mod sentences;
mod words;

use std::ops::Range;

pub use casing::{casing_class, casing_classes, CASING_CLASSES};
pub(crate) use chars::CharIndex;
pub use sentences::sentences;
pub(crate) use words::is_possessive;
pub use words::words;

/// Whether `c` separates words as a BERT normaliser sees it: control
/// characters (including the ASCII white-space controls), format characters,
/// unassigned, private-use and surrogate code points, and U+FFFD.
pub(crate) fn is_break(c: char) -> bool {
    use unicode_general_category::{get_general_category, GeneralCategory as G};
    if c.is_ascii() {
        return c.is_ascii_control();
    }
    c == '\u{fffd}'
        || matches!(get_general_category(c), G::Control | G::Format | G::Unassigned | G::PrivateUse | G::Surrogate)
}

/// `text` with every [`is_break`] character replaced by spaces of the same
/// byte length (borrowed when there is none).
pub(crate) fn spaces_for_breaks(text: &str) -> std::borrow::Cow<'_, str> {
    let replaced = |c: char| is_break(c) && !matches!(c, '\t' | '\n' | '\r');
    if !text.chars().any(replaced) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if replaced(c) {
            out.extend(std::iter::repeat_n(' ', c.len_utf8()));
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// Cuts `text` into consecutive byte ranges of at most about `max` bytes that
/// cover it, cut between sentences; a sentence longer than `max` is cut at
/// white space, or at a char boundary when it has none. One range when the
/// text is not longer than `max`.
pub(crate) fn blocks(text: &str, max: usize) -> Vec<Range<usize>> {
    let max = max.max(4);
    if text.len() <= max {
        return std::iter::once(0..text.len()).collect();
    }
    let mut out = Vec::new();
    let (mut start, mut end) = (0, 0);
    for s in sentences(text) {
        if s.end - start > max && end > start {
            out.push(start..end);
            start = end;
        }
        while s.end - start > max {
            let mut limit = start + max;
            while !text.is_char_boundary(limit) {
                limit -= 1;
            }
            let cut = text[start..limit].rfind(char::is_whitespace).map(|p| start + p).filter(|&p| p > start);
            let cut = cut.unwrap_or(limit);
            out.push(start..cut);
            start = cut;
        }
        end = s.end;
    }
    if start < text.len() {
        out.push(start..text.len());
    }
    out
}

/// A text cut into sentences and each sentence into CoNLL-like words, once.
///
/// Tokenisation reads the sentences, decoding reads the words (entities are
/// whole words) and the relation matcher reads both, so all stages agree on
/// the same segmentation.
///
/// ```
/// use newsie::text::Segmented;
/// let text = "Kerry met Lavrov. They talked.";
/// let seg = Segmented::new(text);
/// let firsts: Vec<&str> = seg.iter().map(|(_, words)| &text[words[0].clone()]).collect();
/// assert_eq!(firsts, ["Kerry", "They"]);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Segmented {
    sentences: Vec<Range<usize>>,
    words: Vec<Range<usize>>,
    /// Per sentence, its range of `words`.
    sentence_words: Vec<Range<usize>>,
}

impl Segmented {
    /// Segments `text` ([`sentences`], then [`words`] of each sentence).
    pub fn new(text: &str) -> Segmented {
        let sentences = sentences(text);
        let mut words_all = Vec::new();
        let mut sentence_words = Vec::with_capacity(sentences.len());
        for s in &sentences {
            let first = words_all.len();
            words_all.extend(words(text, s.clone()));
            sentence_words.push(first..words_all.len());
        }
        Segmented { sentences, words: words_all, sentence_words }
    }

    /// Sentence byte ranges, in text order.
    pub fn sentences(&self) -> &[Range<usize>] {
        &self.sentences
    }

    /// The words of sentence `i` (byte ranges); empty if there is no sentence `i`.
    pub fn words_of(&self, i: usize) -> &[Range<usize>] {
        self.sentence_words.get(i).and_then(|r| self.words.get(r.clone())).unwrap_or(&[])
    }

    /// Every word of the text, in order.
    pub fn words(&self) -> &[Range<usize>] {
        &self.words
    }

    /// Each sentence's byte range with its words.
    pub fn iter(&self) -> impl Iterator<Item = (Range<usize>, &[Range<usize>])> + '_ {
        self.sentences.iter().enumerate().map(|(i, s)| (s.clone(), self.words_of(i)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_cover_the_text_between_sentences() {
        let text = "One two three. Four five six. Seven eight nine ten eleven twelve. 北京北京北京北京";
        for max in [4, 10, 16, 30, 1000] {
            let b = blocks(text, max);
            assert_eq!(b.first().map(|r| r.start), Some(0));
            assert_eq!(b.last().map(|r| r.end), Some(text.len()));
            for w in b.windows(2) {
                assert_eq!(w[0].end, w[1].start, "{max}: {b:?}");
            }
            for r in &b {
                assert!(text.is_char_boundary(r.start) && r.len() <= max.max(4), "{max}: {r:?}");
            }
        }
        assert_eq!(blocks(text, 30)[0], 0..29, "cut after the second sentence");
    }
}
