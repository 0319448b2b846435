//! Shared helpers for integration tests.
#![allow(dead_code)]

use std::path::PathBuf;

/// The tiny random BERT of the parity fixture (fast; its predictions are noise).
pub fn tiny_model() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tiny-bert")
}

/// A file of `../shared/data/` (beside the checkout). Missing, it is `None`
/// (the test is skipped, with a note) on a developer's machine, but a failure
/// under `CI=true`, so a CI run can never pass by skipping.
pub fn shared_data(rel: &str) -> Option<String> {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data").join(rel);
    match std::fs::read_to_string(&path) {
        Ok(t) => Some(t),
        Err(e) if std::env::var("CI").is_ok_and(|v| v == "true") => {
            panic!("{} is needed under CI=true: {e}", path.display())
        }
        Err(e) => {
            eprintln!("skipping: {} not readable ({e})", path.display());
            None
        }
    }
}

/// The seed article (see [`shared_data`]).
pub fn seed_article() -> Option<String> {
    shared_data("seed/crimea-2014-03-05.txt")
}

/// Checks the invariants of a document against its text (see
/// [`invariants::check_document`]).
pub fn check_offsets(text: &str, doc: &newsie::Document) {
    if let Err(m) = invariants::check_document(text, doc) {
        panic!("{m}");
    }
}

/// The path of an example binary built by `cargo test` next to this test.
pub fn example_bin(name: &str) -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    exe.parent().unwrap().parent().unwrap().join("examples").join(name)
}

use newsie::{Entity, EntityKind, Mention};

/// Builds entities by finding each `(text, label)` in `text`, in order, after the previous one.
pub fn ents(text: &str, list: &[(&str, &str)]) -> Vec<Entity> {
    let mut out = Vec::new();
    let mut from = 0usize;
    for (t, l) in list {
        let start = match text[from..].find(t) {
            Some(p) => from + p,
            None => panic!("entity {t:?} not found after byte {from} in {text:?}"),
        };
        out.push(span_mention(text, start, start + t.len(), l));
        from = start + t.len();
    }
    newsie::link::link(out)
}

/// Gazetteer entities: every occurrence (whole words, non-overlapping, longest first) of the names.
pub fn gazetteer(text: &str, names: &[(&str, &str)]) -> Vec<Entity> {
    let mut names = names.to_vec();
    names.sort_by_key(|(n, _)| std::cmp::Reverse(n.len()));
    let mut spans: Vec<(usize, usize, &str)> = Vec::new();
    for (n, l) in &names {
        for (p, _) in text.match_indices(n) {
            let end = p + n.len();
            let before_ok = text[..p].chars().next_back().is_none_or(|c| !c.is_alphanumeric());
            let after_ok = text[end..].chars().next().is_none_or(|c| !c.is_alphanumeric());
            if before_ok && after_ok && !spans.iter().any(|&(s, e, _)| p < e && s < end) {
                spans.push((p, end, l));
            }
        }
    }
    spans.sort();
    newsie::link::link(spans.into_iter().map(|(start, end, l)| span_mention(text, start, end, l)).collect())
}

/// A hand-built mention of `text[start..end]` with label `label` (score 1).
pub fn span_mention(text: &str, start: usize, end: usize, label: &str) -> Mention {
    Mention {
        text: text[start..end].to_string(),
        label: EntityKind::from_label(label),
        start,
        end,
        char_start: text[..start].chars().count(),
        char_end: text[..end].chars().count(),
        score: 1.0,
    }
}

#[path = "invariants.rs"]
pub mod invariants;
