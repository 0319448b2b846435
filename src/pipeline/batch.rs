//! Batching and stitching: windows padded into one model input, and the
//! logits of each window's core written back into document order as
//! probabilities.

use ndarray::Array3;

use super::encode::EncodedText;
use super::windows::Window;
use crate::error::{Error, Result};
use crate::model::{ModelInput, SpecialTokens};
use crate::tagging::{SyntaxLabels, TokenSyntax};

/// One batch of windows, each wrapped in the special tokens and padded to the
/// batch's longest window.
#[derive(Debug, Clone, Default)]
pub(crate) struct PaddedBatch {
    rows: usize,
    seq_len: usize,
    ids: Vec<u32>,
    types: Vec<u32>,
    mask: Vec<u32>,
}

impl PaddedBatch {
    /// `[CLS] window [SEP] [PAD]…` for every window of `batch`.
    pub(crate) fn new(docs: &[EncodedText], batch: &[Window], special: SpecialTokens) -> PaddedBatch {
        let seq = batch.iter().map(Window::len).max().unwrap_or(0) + 2;
        let n = batch.len() * seq;
        let (mut ids, mut types, mut mask) = (Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n));
        for w in batch {
            let doc = &docs[w.doc];
            let len = w.len();
            ids.push(special.cls);
            ids.extend_from_slice(&doc.ids[w.start..w.end]);
            ids.push(special.sep);
            ids.extend(std::iter::repeat_n(special.pad, seq - len - 2));
            types.push(0);
            types.extend_from_slice(&doc.type_ids[w.start..w.end]);
            types.extend(std::iter::repeat_n(0, seq - len - 1));
            mask.extend(std::iter::repeat_n(1, len + 2));
            mask.extend(std::iter::repeat_n(0, seq - len - 2));
        }
        PaddedBatch { rows: batch.len(), seq_len: seq, ids, types, mask }
    }

    /// The batch as the engine reads it.
    pub(crate) fn input(&self) -> ModelInput<'_> {
        ModelInput {
            batch: self.rows,
            seq_len: self.seq_len,
            input_ids: &self.ids,
            type_ids: &self.types,
            attention_mask: &self.mask,
        }
    }

    /// Checks that an engine's logits have this batch's shape and `labels` classes.
    pub(crate) fn check_logits(&self, logits: &Array3<f32>, labels: usize) -> Result<()> {
        let want = (self.rows, self.seq_len, labels);
        if logits.dim() != want {
            return Err(Error::Inference(
                format!("the engine returned logits of shape {:?}, expected {want:?}", logits.dim()).into(),
            ));
        }
        Ok(())
    }
}

/// One text's model output in document order: entity-label logits (turned
/// into probabilities once stitched), `tokens × labels`, and per token the
/// syntax heads' most probable classes (empty when the model has none).
#[derive(Debug, Clone, Default)]
pub(crate) struct Scores {
    pub probs: Vec<f32>,
    pub syntax: Vec<TokenSyntax>,
}

/// Writes the logits of each window's core into `out` (per document): the
/// first `labels` columns into `probs`, the syntax columns (when `syntax`)
/// as classes. Window row `row` of `logits` belongs to `batch[row]`.
pub(crate) fn stitch(
    batch: &[Window],
    logits: &Array3<f32>,
    labels: usize,
    syntax: Option<&SyntaxLabels>,
    out: &mut [Scores],
) {
    let width = labels + syntax.map_or(0, SyntaxLabels::width);
    let mut row_buf = vec![0f32; width];
    for (row, w) in batch.iter().enumerate() {
        let dst = &mut out[w.doc];
        for tok in w.core_start..w.core_end {
            let pos = tok - w.start + 1;
            for (l, o) in row_buf.iter_mut().enumerate() {
                *o = logits[[row, pos, l]];
            }
            dst.probs[tok * labels..(tok + 1) * labels].copy_from_slice(&row_buf[..labels]);
            if let Some(t) = syntax.and_then(|s| s.argmax(&row_buf[labels..])) {
                dst.syntax[tok] = t;
            }
        }
    }
}

/// In-place softmax of each `n`-wide row.
pub(crate) fn softmax_rows(data: &mut [f32], n: usize) {
    for row in data.chunks_mut(n) {
        let m = row.iter().copied().fold(f32::MIN, f32::max);
        let mut sum = 0.0;
        for x in row.iter_mut() {
            *x = (*x - m).exp();
            sum += *x;
        }
        if sum > 0.0 && sum.is_finite() {
            row.iter_mut().for_each(|x| *x /= sum);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn softmax_is_normalised() {
        let mut v = vec![1.0, 2.0, 3.0, 1000.0, 0.0, -1000.0];
        softmax_rows(&mut v, 3);
        assert!((v[0..3].iter().sum::<f32>() - 1.0).abs() < 1e-6);
        assert!((v[3] - 1.0).abs() < 1e-6);
    }
}
