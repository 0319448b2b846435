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
        let inputs: Vec<&str> = segments.sentences().iter().map(|r| &text[r.clone()]).collect();
        let encs = self.tokenizer.encode_batch(inputs, false).map_err(Error::Tokenizer)?;
        let total: usize = encs.iter().map(|e| e.get_ids().len()).sum();
        let mut t = EncodedText {
            ids: Vec::with_capacity(total),
            type_ids: Vec::with_capacity(total),
            offsets: Vec::with_capacity(total),
            sentence_tokens: Vec::with_capacity(segments.sentences().len()),
            segments: Segmented::default(),
        };
        for (range, enc) in segments.sentences().iter().zip(encs) {
            let first = t.ids.len();
            for (&id, &(s, e)) in enc.get_ids().iter().zip(enc.get_offsets()) {
                let (s, e) = (range.start + s, range.start + e);
                t.ids.push(id);
                t.type_ids.push(if self.casing { text::casing_class(text, s, e) } else { 0 });
                t.offsets.push((s, e));
            }
            t.sentence_tokens.push(first..t.ids.len());
        }
        t.segments = segments;
        Ok(t)
    }
}
