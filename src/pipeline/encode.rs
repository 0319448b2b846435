//! Tokenisation: a text's sentences into model tokens, with byte offsets and
//! the casing channel.

use tokenizers::Tokenizer;

use crate::error::{Error, Result};
use crate::model::SpecialTokens;
use crate::text::{self, Segmented};

/// One text as the model sees it (see [`crate::Extractor::encode`]): its
/// segmentation and its tokens, sentence after sentence.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EncodedText {
    /// The text's sentences and words, computed once and read again by
    /// decoding and relations.
    pub segments: Segmented,
    /// Token ids, sentence after sentence (no special tokens).
    pub ids: Vec<u32>,
    /// Token type ids: the casing class of each token for casing-aware models, else 0.
    pub type_ids: Vec<u32>,
    /// Byte range of each token in the text.
    pub offsets: Vec<(usize, usize)>,
    /// Token range of each sentence (parallel to `segments.sentences()`).
    pub sentence_tokens: Vec<std::ops::Range<usize>>,
}

/// The model's tokenizer and what newsie adds around it.
#[derive(Debug)]
pub(crate) struct Encoder {
    pub tokenizer: Tokenizer,
    pub special: SpecialTokens,
    /// Whether the model reads the casing channel in `token_type_ids`.
    pub casing: bool,
}

impl Encoder {
    /// Segments and tokenises `text`, one tokenizer input per sentence.
    pub(crate) fn encode(&self, text: &str) -> Result<EncodedText> {
        let segments = Segmented::new(text);
        // Characters a BERT normaliser deletes (controls, format characters)
        // would glue the words around them into one token; they are word
        // breaks, so the tokenizer sees spaces there (same byte length, so
        // offsets are unchanged).
        let clean = text::spaces_for_breaks(text);
        let inputs: Vec<&str> = segments.sentences().iter().map(|r| &clean[r.clone()]).collect();
        let encs = self.tokenizer.encode_batch(inputs, false).map_err(Error::Tokenizer)?;
        let total: usize = encs.iter().map(|e| e.get_ids().len()).sum();
        let mut t = EncodedText {
            ids: Vec::with_capacity(total),
            type_ids: Vec::with_capacity(total),
            offsets: Vec::with_capacity(total),
            sentence_tokens: Vec::with_capacity(segments.sentences().len()),
            segments: Segmented::default(),
        };
        for (i, (range, enc)) in segments.sentences().iter().zip(encs).enumerate() {
            let first = t.ids.len();
            t.ids.extend_from_slice(enc.get_ids());
            t.offsets.extend(enc.get_offsets().iter().map(|&(s, e)| (range.start + s, range.start + e)));
            if self.casing {
                t.type_ids.extend(text::casing_classes(text, segments.words_of(i), &t.offsets[first..]));
            } else {
                t.type_ids.resize(t.ids.len(), 0);
            }
            t.sentence_tokens.push(first..t.ids.len());
        }
        t.segments = segments;
        Ok(t)
    }
}
