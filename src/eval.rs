//! CoNLL-2003 evaluation: reading the files, and entity-level scoring with
//! conlleval semantics (an entity counts when its span and type are exact).
//!
//! Used by the `conll_eval` example, which runs the same inference path users get.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use crate::document::{Entity, EntityKind};
use crate::error::{Error, Result};
use crate::tagging::{spans, Position, Tag};

/// One CoNLL sentence: words and their gold tags as written (IOB1 or BIO).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sentence {
    /// The words.
    pub words: Vec<String>,
    /// The gold NER tags, one per word.
    pub tags: Vec<String>,
}

/// A CoNLL document (`-DOCSTART-` separates them).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ConllDocument {
    /// Its sentences.
    pub sentences: Vec<Sentence>,
}

/// Parses CoNLL text (word first, NER tag last, space-separated; blank lines
/// between sentences).
///
/// # Errors
/// [`Error::Config`] naming the line for a line with a single column.
pub fn parse_conll(text: &str) -> Result<Vec<ConllDocument>> {
    let mut docs = vec![ConllDocument::default()];
    let mut cur = Sentence::default();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim_end();
        if line.starts_with("-DOCSTART-") {
            if !cur.words.is_empty() {
                docs.last_mut().expect("non-empty").sentences.push(std::mem::take(&mut cur));
            }
            if !docs.last().expect("non-empty").sentences.is_empty() {
                docs.push(ConllDocument::default());
            }
            continue;
        }
        if line.trim().is_empty() {
            if !cur.words.is_empty() {
                docs.last_mut().expect("non-empty").sentences.push(std::mem::take(&mut cur));
            }
            continue;
        }
        let cols: Vec<&str> = line.split_whitespace().collect();
        if cols.len() < 2 {
            return Err(Error::Config(format!("CoNLL line {}: expected a word and a tag, got {line:?}", i + 1)));
        }
        cur.words.push(cols[0].to_string());
        cur.tags.push(cols[cols.len() - 1].to_string());
    }
    if !cur.words.is_empty() {
        docs.last_mut().expect("non-empty").sentences.push(cur);
    }
    docs.retain(|d| !d.sentences.is_empty());
    Ok(docs)
}

/// Reads and parses a CoNLL file.
///
/// # Errors
/// [`Error::Io`] if unreadable; as [`parse_conll`].
pub fn read_conll(path: &Path) -> Result<Vec<ConllDocument>> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::Io { path: path.into(), source: e })?;
    parse_conll(&text)
}

impl ConllDocument {
    /// The document as text: words joined by spaces, sentences separated by a
    /// blank line; and each word's byte range in it, per sentence.
    pub fn text(&self) -> (String, Vec<Vec<(usize, usize)>>) {
        let mut text = String::new();
        let mut ranges = Vec::with_capacity(self.sentences.len());
        for (si, s) in self.sentences.iter().enumerate() {
            if si > 0 {
                text.push_str("\n\n");
            }
            let mut r = Vec::with_capacity(s.words.len());
            for (wi, w) in s.words.iter().enumerate() {
                if wi > 0 {
                    text.push(' ');
                }
                r.push((text.len(), text.len() + w.len()));
                text.push_str(w);
            }
            ranges.push(r);
        }
        (text, ranges)
    }
}

/// Entity spans `(first_word, last_word_exclusive, type)` of a gold tag
/// sequence (IOB1 or BIO), conlleval-style.
pub fn gold_spans(tags: &[String]) -> Vec<(usize, usize, EntityKind)> {
    let parsed: Vec<Tag> = tags
        .iter()
        .map(|t| match t.split_once('-') {
            Some((p, k)) => Tag {
                position: if p == "B" { Position::Begin } else { Position::Inside },
                kind: Some(EntityKind::from_label(k)),
            },
            None => Tag { position: Position::Outside, kind: None },
        })
        .collect();
    spans(&parsed)
}

/// Word spans of predicted entities: every word the entity overlaps.
pub fn predicted_spans(words: &[(usize, usize)], entities: &[Entity]) -> Vec<(usize, usize, EntityKind)> {
    let mut out = Vec::new();
    for e in entities {
        let first = words.iter().position(|&(s, t)| t > e.start && s < e.end);
        let last = words.iter().rposition(|&(s, t)| t > e.start && s < e.end);
        if let (Some(f), Some(l)) = (first, last) {
            out.push((f, l + 1, e.label.clone()));
        }
    }
    out
}

/// Counts of true positives, false positives and false negatives.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Predicted and gold.
    pub tp: usize,
    /// Predicted, not gold.
    pub fp: usize,
    /// Gold, not predicted.
    pub fn_: usize,
}

impl Counts {
    /// Precision (0 when nothing was predicted).
    pub fn precision(&self) -> f64 {
        ratio(self.tp, self.tp + self.fp)
    }
    /// Recall (0 when there is no gold entity).
    pub fn recall(&self) -> f64 {
        ratio(self.tp, self.tp + self.fn_)
    }
    /// F1, the harmonic mean of precision and recall.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

fn ratio(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// Entity-level scores, overall and per type.
#[derive(Debug, Clone, Default)]
pub struct Scores {
    /// All types together.
    pub overall: Counts,
    /// Per type label (`PER`, `ORG`, ...).
    pub by_type: BTreeMap<String, Counts>,
}

impl Scores {
    /// Adds one sentence: gold and predicted spans are compared exactly (span and type).
    pub fn add(&mut self, gold: &[(usize, usize, EntityKind)], pred: &[(usize, usize, EntityKind)]) {
        for g in gold {
            let c = self.by_type.entry(g.2.to_string()).or_default();
            if pred.contains(g) {
                c.tp += 1;
                self.overall.tp += 1;
            } else {
                c.fn_ += 1;
                self.overall.fn_ += 1;
            }
        }
        for p in pred {
            if !gold.contains(p) {
                self.by_type.entry(p.2.to_string()).or_default().fp += 1;
                self.overall.fp += 1;
            }
        }
    }
}

impl fmt::Display for Scores {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{:<8} {:>9} {:>9} {:>9} {:>7} {:>7} {:>7}",
            "type", "precision", "recall", "F1", "tp", "fp", "fn"
        )?;
        let row = |f: &mut fmt::Formatter<'_>, name: &str, c: &Counts| {
            writeln!(
                f,
                "{:<8} {:>9.4} {:>9.4} {:>9.4} {:>7} {:>7} {:>7}",
                name,
                c.precision(),
                c.recall(),
                c.f1(),
                c.tp,
                c.fp,
                c.fn_
            )
        };
        for (k, c) in &self.by_type {
            row(f, k, c)?;
        }
        row(f, "overall", &self.overall)?;
        write!(f, "F1 {:.4}", self.overall.f1())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tags(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn gold_iob1_and_bio_spans() {
        let k = |s: &str| EntityKind::from_label(s);
        // IOB1: B- only between adjacent entities of one type.
        assert_eq!(
            gold_spans(&tags("I-PER I-PER B-PER O I-LOC I-ORG")),
            vec![(0, 2, k("PER")), (2, 3, k("PER")), (4, 5, k("LOC")), (5, 6, k("ORG"))]
        );
        assert_eq!(gold_spans(&tags("B-PER I-PER O B-LOC")), vec![(0, 2, k("PER")), (3, 4, k("LOC"))]);
    }

    #[test]
    fn scorer_counts_exact_matches_only() {
        let k = |s: &str| EntityKind::from_label(s);
        let mut s = Scores::default();
        let gold = vec![(0, 2, k("PER")), (3, 4, k("LOC")), (5, 6, k("ORG"))];
        // One exact, one wrong type, one wrong span (too short), one spurious.
        let pred = vec![(0, 2, k("PER")), (3, 4, k("ORG")), (5, 6, k("ORG")), (7, 8, k("MISC"))];
        s.add(&gold, &pred);
        assert_eq!(s.overall, Counts { tp: 2, fp: 2, fn_: 1 });
        assert_eq!(s.by_type["ORG"], Counts { tp: 1, fp: 1, fn_: 0 });
        assert_eq!(s.by_type["LOC"], Counts { tp: 0, fp: 0, fn_: 1 });
        assert!((s.overall.precision() - 0.5).abs() < 1e-12);
        assert!((s.overall.recall() - 2.0 / 3.0).abs() < 1e-12);
        assert!((s.overall.f1() - 4.0 / 7.0).abs() < 1e-12);
        let printed = s.to_string();
        assert!(printed.ends_with("F1 0.5714"), "{printed}");
        // Nothing predicted, nothing gold: zeros, no NaN.
        assert_eq!(Scores::default().overall.f1(), 0.0);
    }

    #[test]
    fn parses_documents_and_maps_entities_to_words() {
        let src = "-DOCSTART- -X- -X- O\n\nEU NNP B-NP I-ORG\nrejects VBZ B-VP O\nU.S. NNP I-NP I-LOC\n\n\
                   Peter NNP B-NP I-PER\n\n-DOCSTART- -X- O O\n\nRome NNP I-NP I-LOC\n";
        let docs = parse_conll(src).unwrap();
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].sentences.len(), 2);
        let (text, ranges) = docs[0].text();
        assert_eq!(text, "EU rejects U.S.\n\nPeter");
        let ent = |s: &str, kind: &str| {
            let start = text.find(s).unwrap();
            Entity {
                text: s.into(),
                label: EntityKind::from_label(kind),
                start,
                end: start + s.len(),
                char_start: start,
                char_end: start + s.len(),
                score: 1.0,
                entity_id: 0,
            }
        };
        // A prediction covering part of a word counts for the whole word.
        let pred = predicted_spans(&ranges[0], &[ent("EU", "ORG"), ent("U.S", "LOC")]);
        assert_eq!(pred, gold_spans(&docs[0].sentences[0].tags));
        assert!(parse_conll("word\n").is_err());
    }
}
