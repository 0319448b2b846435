//! From per-token label probabilities to entity spans.
//!
//! Tokens are grouped into CoNLL-like words ([`crate::text::words`]); each word
//! gets one label by the chosen [`Aggregation`]; the word tags are grouped into
//! spans by [`crate::labels::spans`], which also repairs invalid sequences.

use serde::{Deserialize, Serialize};
use std::ops::Range;

use crate::document::{CharIndex, Entity};
use crate::labels::{self, LabelSet};
use crate::text;

/// How sub-word predictions become one prediction per word (as in the Hugging
/// Face pipeline's `aggregation_strategy`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Aggregation {
    /// The word takes the label of its first sub-word.
    #[default]
    First,
    /// The word takes the label with the highest mean probability over its sub-words.
    Average,
    /// The word takes the label of its most confident sub-word.
    Max,
}

impl std::str::FromStr for Aggregation {
    type Err = crate::Error;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "first" => Ok(Aggregation::First),
            "average" => Ok(Aggregation::Average),
            "max" => Ok(Aggregation::Max),
            _ => Err(crate::Error::Config(format!("unknown aggregation {s:?} (first, average, max)"))),
        }
    }
}

/// Decodes the entities of one sentence.
///
/// `offsets[i]` is token `i`'s byte range in `text`, `probs` holds
/// `offsets.len() × labels.len()` probabilities, tokens in text order.
pub(crate) fn sentence_entities(
    text: &str,
    sentence: Range<usize>,
    offsets: &[(usize, usize)],
    probs: &[f32],
    labels: &LabelSet,
    aggregation: Aggregation,
    chars: &CharIndex,
    out: &mut Vec<Entity>,
) {
    let n_labels = labels.len();
    let words = text::words(text, sentence);
    if words.is_empty() {
        return;
    }
    // Per word: (label, score).
    let mut word_labels: Vec<(usize, f32)> = Vec::with_capacity(words.len());
    let mut t = 0usize;
    let mut acc = vec![0f32; n_labels];
    for w in &words {
        // Skip tokens that end before this word (or have empty offsets).
        while t < offsets.len() && (offsets[t].1 <= w.start || offsets[t].0 == offsets[t].1) && offsets[t].0 < w.end {
            t += 1;
        }
        let first = t;
        while t < offsets.len() && offsets[t].0 < w.end {
            t += 1;
        }
        let toks = first..t;
        if toks.is_empty() {
            word_labels.push((usize::MAX, 0.0));
            continue;
        }
        let row = |i: usize| &probs[i * n_labels..(i + 1) * n_labels];
        let (label, score) = match aggregation {
            Aggregation::First => argmax(row(toks.start)),
            Aggregation::Max => toks
                .clone()
                .map(|i| argmax(row(i)))
                .fold((0, f32::MIN), |best, x| if x.1 > best.1 { x } else { best }),
            Aggregation::Average => {
                acc.iter_mut().for_each(|a| *a = 0.0);
                for i in toks.clone() {
                    for (a, p) in acc.iter_mut().zip(row(i)) {
                        *a += p;
                    }
                }
                let (l, s) = argmax(&acc);
                (l, s / toks.len() as f32)
            }
        };
        word_labels.push((label, score));
    }
    let outside = labels::Tag { position: labels::Position::Outside, kind: None };
    let tags = word_labels.iter().map(|(l, _)| if *l == usize::MAX { &outside } else { labels.tag(*l) });
    for (s, e, kind) in labels::spans(tags) {
        let (start, end) = (words[s].start, words[e - 1].end);
        let score = word_labels[s..e].iter().map(|(_, p)| p).sum::<f32>() / (e - s) as f32;
        out.push(Entity {
            text: text[start..end].to_string(),
            kind,
            start,
            end,
            char_start: chars.char_of(start),
            char_end: chars.char_of(end),
            score,
            entity: 0,
        });
    }
}

fn argmax(row: &[f32]) -> (usize, f32) {
    let mut best = (0usize, f32::MIN);
    for (i, &p) in row.iter().enumerate() {
        if p > best.1 {
            best = (i, p);
        }
    }
    best
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
    use std::path::Path;

    fn labels() -> LabelSet {
        let names: Vec<String> = ["O", "B-PER", "I-PER", "B-LOC", "I-LOC"].iter().map(|s| s.to_string()).collect();
        LabelSet::parse(&names, Path::new("t")).unwrap()
    }

    fn one_hot(l: usize, p: f32) -> Vec<f32> {
        let mut v = vec![(1.0 - p) / 4.0; 5];
        v[l] = p;
        v
    }

    #[test]
    fn aggregates_sub_words() {
        // "Garcia-Margallo in Rome": tokens garcia - mar ##gall ##o in rome
        let text = "Garcia-Margallo in Rome";
        let offs = [(0, 6), (6, 7), (7, 10), (10, 14), (14, 15), (16, 18), (19, 23)];
        let mut probs = Vec::new();
        for (l, p) in [(1, 0.9), (0, 0.6), (2, 0.8), (2, 0.7), (2, 0.9), (0, 0.99), (3, 0.95)] {
            probs.extend(one_hot(l, p));
        }
        let ci = CharIndex::new(text);
        for agg in [Aggregation::First, Aggregation::Average, Aggregation::Max] {
            let mut out = Vec::new();
            sentence_entities(text, 0..text.len(), &offs, &probs, &labels(), agg, &ci, &mut out);
            let got: Vec<(&str, &str)> = out.iter().map(|e| (e.text.as_str(), e.kind.as_str())).collect();
            assert_eq!(got, vec![("Garcia-Margallo", "PER"), ("Rome", "LOC")], "{agg:?}");
            assert_eq!(&text[out[0].start..out[0].end], out[0].text);
        }
        // Score is the mean of word scores: with `first`, (0.9 + 0.95)/2 over two entities of one word each.
        let mut out = Vec::new();
        sentence_entities(text, 0..text.len(), &offs, &probs, &labels(), Aggregation::First, &ci, &mut out);
        assert!((out[0].score - 0.9).abs() < 1e-6 && (out[1].score - 0.95).abs() < 1e-6);
    }

    #[test]
    fn score_is_mean_not_product() {
        let text = "Jose Manuel Garcia";
        let offs = [(0, 4), (5, 11), (12, 18)];
        let mut probs = one_hot(1, 0.8);
        probs.extend(one_hot(2, 0.8));
        probs.extend(one_hot(2, 0.8));
        let mut out = Vec::new();
        sentence_entities(text, 0..text.len(), &offs, &probs, &labels(), Aggregation::First, &CharIndex::new(text), &mut out);
        assert_eq!(out.len(), 1);
        assert!((out[0].score - 0.8).abs() < 1e-6);
    }

    #[test]
    fn softmax_is_normalised() {
        let mut v = vec![1.0, 2.0, 3.0, 1000.0, 0.0, -1000.0];
        softmax_rows(&mut v, 3);
        assert!((v[0..3].iter().sum::<f32>() - 1.0).abs() < 1e-6);
        assert!((v[3] - 1.0).abs() < 1e-6);
    }
}
