//! The syntax heads: part of speech and chunk per word, from the extra logit
//! columns of a model trained with them (`newsie_pos_labels`,
//! `newsie_chunk_labels` in `config.json`).
//!
//! Each word takes the tags its first token predicts (the most probable of
//! each head); chunk tags are then made well-formed BIO within the sentence
//! (an `I-X` that does not continue an `X` chunk opens one).

use std::ops::Range;

/// The syntax heads' tag names, in class order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyntaxLabels {
    /// Part-of-speech tags (Penn Treebank for newsie's models).
    pub pos: Vec<String>,
    /// Chunk tags: `O`, `B-NP`, `I-NP`, ….
    pub chunk: Vec<String>,
}

impl SyntaxLabels {
    /// Logit columns the two heads take: POS tags, then chunk tags.
    pub fn width(&self) -> usize {
        self.pos.len() + self.chunk.len()
    }

    /// The most probable POS and chunk classes of one token's syntax logits
    /// (`width()` values); `None` for a row of the wrong length.
    pub(crate) fn argmax(&self, row: &[f32]) -> Option<TokenSyntax> {
        if row.len() != self.width() || self.pos.is_empty() || self.chunk.is_empty() {
            return None;
        }
        let (pos, chunk) = row.split_at(self.pos.len());
        Some(TokenSyntax { pos: argmax(pos) as u16, chunk: argmax(chunk) as u16 })
    }

    /// Per word of one sentence (`words`, byte ranges), the tags of its first
    /// token (`offsets`, `tokens` parallel; the token entity decoding reads
    /// first, [`super::decode::word_tokens`]), chunks repaired to BIO. A word
    /// without tokens gets POS and chunk `None`.
    pub(crate) fn words(
        &self,
        words: &[Range<usize>],
        offsets: &[(usize, usize)],
        tokens: &[TokenSyntax],
        out: &mut Vec<WordSyntax>,
    ) {
        let mut prev_chunk: Option<&str> = None;
        for toks in super::decode::word_tokens(words, offsets) {
            let Some(tok) = (!toks.is_empty()).then(|| tokens.get(toks.start)).flatten() else {
                out.push(WordSyntax::default());
                prev_chunk = None;
                continue;
            };
            let pos = self.pos.get(tok.pos as usize).map(String::as_str);
            let mut chunk = self.chunk.get(tok.chunk as usize).map(String::as_str);
            // "I-NP" after "O" or after another type's chunk opens a chunk.
            let mut begins = chunk.is_some_and(|c| c.starts_with("B-"));
            if let Some(c) = chunk.filter(|c| c.starts_with("I-")) {
                let continues = prev_chunk.is_some_and(|p| p.len() > 2 && p[2..] == c[2..]);
                begins = !continues;
            }
            if chunk == Some("O") {
                chunk = None;
            }
            out.push(WordSyntax { pos: pos.map(|_| tok.pos), chunk: chunk.map(|_| tok.chunk), chunk_begins: begins });
            prev_chunk = chunk;
        }
    }

    /// The POS tag of a word, if it has one.
    pub fn pos_of(&self, w: &WordSyntax) -> Option<&str> {
        w.pos.and_then(|p| self.pos.get(p as usize)).map(String::as_str)
    }

    /// The chunk type of a word (`NP`, `VP`, `PP`, …), without its `B-`/`I-`
    /// prefix; `None` outside chunks.
    pub fn chunk_of(&self, w: &WordSyntax) -> Option<&str> {
        w.chunk.and_then(|c| self.chunk.get(c as usize)).and_then(|c| c.get(2..))
    }

    /// The word's chunk tag in BIO form (`B-NP`, `I-VP`, `O`), after repair.
    pub fn chunk_tag(&self, w: &WordSyntax) -> String {
        match self.chunk_of(w) {
            Some(kind) if w.chunk_begins => format!("B-{kind}"),
            Some(kind) => format!("I-{kind}"),
            None => "O".into(),
        }
    }
}

/// The syntax of a text's words: tag names and one [`WordSyntax`] per word of
/// its segmentation, in order (`Segmented::words`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Syntax<'a> {
    pub labels: &'a SyntaxLabels,
    pub words: &'a [WordSyntax],
}

/// The most probable class of one head for one token.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct TokenSyntax {
    pub pos: u16,
    pub chunk: u16,
}

/// One word's part of speech and chunk, as class indices of [`SyntaxLabels`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WordSyntax {
    /// POS class; `None` when no token of the word was read.
    pub pos: Option<u16>,
    /// Chunk class; `None` outside chunks (`O`) or when unread.
    pub chunk: Option<u16>,
    /// The word opens a chunk (BIO `B-`, after repair).
    pub chunk_begins: bool,
}

fn argmax(v: &[f32]) -> usize {
    let mut best = 0;
    for (i, &x) in v.iter().enumerate() {
        if x > v[best] {
            best = i;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels() -> SyntaxLabels {
        SyntaxLabels {
            pos: vec!["NNP".into(), "VBD".into(), "IN".into()],
            chunk: vec!["O".into(), "B-NP".into(), "I-NP".into(), "B-VP".into(), "I-VP".into()],
        }
    }

    #[test]
    fn argmax_splits_the_two_heads() {
        let l = labels();
        let t = l.argmax(&[0.0, 2.0, 1.0, 0.0, 0.0, 0.0, 0.0, 5.0]).unwrap();
        assert_eq!(t, TokenSyntax { pos: 1, chunk: 4 });
        assert!(l.argmax(&[0.0; 3]).is_none());
    }

    #[test]
    fn words_take_their_first_token_and_chunks_are_repaired() {
        let l = labels();
        // "Kerry met Lavrov": Kerry = 2 tokens, met, Lavrov.
        let words = [0..5, 6..9, 10..16];
        let offsets = [(0, 3), (3, 5), (6, 9), (10, 16)];
        let tokens = [
            TokenSyntax { pos: 0, chunk: 2 }, // I-NP at the start: opens an NP
            TokenSyntax { pos: 1, chunk: 0 }, // second piece of Kerry: ignored
            TokenSyntax { pos: 1, chunk: 4 }, // I-VP after NP: opens a VP
            TokenSyntax { pos: 0, chunk: 2 }, // I-NP after VP: opens an NP
        ];
        let mut out = Vec::new();
        l.words(&words, &offsets, &tokens, &mut out);
        let tags: Vec<(Option<&str>, String)> = out.iter().map(|w| (l.pos_of(w), l.chunk_tag(w))).collect();
        assert_eq!(
            tags,
            vec![(Some("NNP"), "B-NP".into()), (Some("VBD"), "B-VP".into()), (Some("NNP"), "B-NP".into())]
        );
        // A word without tokens gets no tags; fewer tokens than offsets never panics.
        let mut out = Vec::new();
        l.words(&[0..5, 20..22], &offsets, &tokens[..1], &mut out);
        assert_eq!(out[1], WordSyntax::default());
    }
}
