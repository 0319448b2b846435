//! Label schemes: the model's `id2label`, read once into typed tags.
//!
//! IOB1, BIO (IOB2), BIOES (also written BILOU) and plain IO labels all decode
//! with one rule set: `B-` always opens an entity, `I-` continues an open entity
//! of the same type and otherwise opens one (which is what IOB1 means, and
//! repairs invalid BIO), `E-`/`L-` close, `S-`/`U-` stand alone.

use crate::document::EntityKind;
use crate::error::{Error, Result};
use std::path::Path;

/// The position part of a tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Position {
    /// Outside any entity.
    Outside,
    /// First word of an entity.
    Begin,
    /// Inside an entity (or, in IOB1 and IO, any word of one).
    Inside,
    /// Last word of an entity (BIOES `E-`, BILOU `L-`).
    End,
    /// A one-word entity (BIOES `S-`, BILOU `U-`).
    Single,
}

/// One class of the model: a position and, unless outside, an entity type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    /// Where in an entity the word is.
    pub position: Position,
    /// The entity type (`None` for `O`).
    pub kind: Option<EntityKind>,
}

/// The model's classes in index order.
#[derive(Debug, Clone)]
pub struct LabelSet {
    tags: Vec<Tag>,
    names: Vec<String>,
}

impl LabelSet {
    /// Parses label names such as `O`, `B-PER`, `I-ORG`, `S-LOC`, `E_MISC`, `PER`.
    ///
    /// # Errors
    /// [`Error::InvalidModel`] (naming `origin`) for a label whose scheme is
    /// unknown, or if no label is `O`-like.
    pub fn parse(names: &[String], origin: &Path) -> Result<LabelSet> {
        let mut tags = Vec::with_capacity(names.len());
        for name in names {
            tags.push(parse_tag(name).ok_or_else(|| {
                Error::invalid_model(
                    origin,
                    format!("unknown label scheme for label {name:?}: expected O, or B-/I-/E-/S-/L-/U- followed by a type, or a bare type"),
                )
            })?);
        }
        if !tags.iter().any(|t| t.position == Position::Outside) {
            return Err(Error::invalid_model(origin, "no outside label (O) among the model's labels"));
        }
        Ok(LabelSet { tags, names: names.to_vec() })
    }

    /// Number of classes.
    pub fn len(&self) -> usize {
        self.tags.len()
    }

    /// Always false for a parsed set (it has at least `O`).
    pub fn is_empty(&self) -> bool {
        self.tags.is_empty()
    }

    /// The tag of class `i`.
    pub fn tag(&self, i: usize) -> &Tag {
        &self.tags[i]
    }

    /// The model's name for class `i`.
    pub fn name(&self, i: usize) -> &str {
        &self.names[i]
    }
}

fn parse_tag(name: &str) -> Option<Tag> {
    let n = name.trim();
    if n.eq_ignore_ascii_case("O") || n == "0" {
        return Some(Tag { position: Position::Outside, kind: None });
    }
    let bytes = n.as_bytes();
    if bytes.len() > 2 && (bytes[1] == b'-' || bytes[1] == b'_') {
        let position = match bytes[0].to_ascii_uppercase() {
            b'B' => Position::Begin,
            b'I' => Position::Inside,
            b'E' | b'L' => Position::End,
            b'S' | b'U' => Position::Single,
            _ => return None,
        };
        let kind = &n[2..];
        if kind.is_empty() || !kind.chars().all(|c| c.is_alphanumeric() || c == '_' || c == '-' || c == '.') {
            return None;
        }
        return Some(Tag { position, kind: Some(EntityKind::from_label(kind)) });
    }
    // A bare type: the IO scheme.
    if !n.is_empty() && n.chars().all(|c| c.is_alphanumeric() || c == '_') {
        return Some(Tag { position: Position::Inside, kind: Some(EntityKind::from_label(n)) });
    }
    None
}

/// Groups a sequence of tags (one per word) into entity spans `(first, last_exclusive, kind)`,
/// repairing invalid sequences as described in the module docs.
pub fn spans<'a>(tags: impl IntoIterator<Item = &'a Tag>) -> Vec<(usize, usize, EntityKind)> {
    let mut out = Vec::new();
    let mut open: Option<(usize, EntityKind)> = None;
    let mut n = 0;
    for (i, t) in tags.into_iter().enumerate() {
        n = i + 1;
        match (&t.position, &t.kind) {
            (Position::Outside, _) | (_, None) => {
                if let Some((s, k)) = open.take() {
                    out.push((s, i, k));
                }
            }
            (pos, Some(kind)) => {
                let continues =
                    matches!(pos, Position::Inside | Position::End) && open.as_ref().is_some_and(|(_, k)| k == kind);
                if !continues {
                    if let Some((s, k)) = open.take() {
                        out.push((s, i, k));
                    }
                    open = Some((i, kind.clone()));
                }
                if matches!(pos, Position::End | Position::Single) {
                    if let Some((s, k)) = open.take() {
                        out.push((s, i + 1, k));
                    }
                }
            }
        }
    }
    if let Some((s, k)) = open {
        out.push((s, n, k));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(names: &[&str]) -> LabelSet {
        LabelSet::parse(&names.iter().map(|s| s.to_string()).collect::<Vec<_>>(), Path::new("config.json")).unwrap()
    }

    fn decode(ls: &LabelSet, seq: &[&str]) -> Vec<(usize, usize, String)> {
        let tags: Vec<&Tag> = seq.iter().map(|n| ls.tag((0..ls.len()).find(|&i| ls.name(i) == *n).unwrap())).collect();
        spans(tags).into_iter().map(|(s, e, k)| (s, e, k.to_string())).collect()
    }

    #[test]
    fn bio_and_repair() {
        let ls = set(&["O", "B-PER", "I-PER", "B-LOC", "I-LOC"]);
        assert_eq!(decode(&ls, &["B-PER", "I-PER", "O", "B-LOC"]), vec![(0, 2, "PER".into()), (3, 4, "LOC".into())]);
        // I- without B- opens; a type change inside closes and opens.
        assert_eq!(decode(&ls, &["I-PER", "I-LOC", "I-LOC"]), vec![(0, 1, "PER".into()), (1, 3, "LOC".into())]);
        // Adjacent B- B- are two entities.
        assert_eq!(decode(&ls, &["B-PER", "B-PER"]), vec![(0, 1, "PER".into()), (1, 2, "PER".into())]);
    }

    #[test]
    fn iob1() {
        let ls = set(&["O", "I-PER", "B-PER", "I-ORG"]);
        assert_eq!(
            decode(&ls, &["I-PER", "I-PER", "B-PER", "O", "I-ORG"]),
            vec![(0, 2, "PER".into()), (2, 3, "PER".into()), (4, 5, "ORG".into())]
        );
    }

    #[test]
    fn bioes_and_bilou() {
        let ls = set(&["O", "B-PER", "I-PER", "E-PER", "S-LOC", "U-ORG", "L-ORG", "B-ORG"]);
        assert_eq!(
            decode(&ls, &["B-PER", "I-PER", "E-PER", "S-LOC", "S-LOC", "B-ORG", "L-ORG", "U-ORG"]),
            vec![
                (0, 3, "PER".into()),
                (3, 4, "LOC".into()),
                (4, 5, "LOC".into()),
                (5, 7, "ORG".into()),
                (7, 8, "ORG".into())
            ]
        );
        // A dangling E- is an entity of its own.
        assert_eq!(decode(&ls, &["O", "E-PER"]), vec![(1, 2, "PER".into())]);
    }

    #[test]
    fn io_and_custom_types() {
        let ls = set(&["O", "PER", "GPE"]);
        assert_eq!(decode(&ls, &["PER", "PER", "GPE"]), vec![(0, 2, "PER".into()), (2, 3, "GPE".into())]);
        assert_eq!(ls.tag(2).kind, Some(EntityKind::Other("GPE".into())));
    }

    #[test]
    fn unknown_scheme_is_an_error() {
        let e = LabelSet::parse(&["O".into(), "X-PER".into()], Path::new("m/config.json")).unwrap_err();
        let msg = e.to_string();
        assert!(msg.contains("X-PER") && msg.contains("m/config.json"), "{msg}");
        assert!(LabelSet::parse(&["B-PER".into()], Path::new("c")).is_err());
    }
}
