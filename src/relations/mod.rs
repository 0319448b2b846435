//! Stage 6, relations: rule-based relation extraction, who met whom, who
//! sanctioned whom.
//!
//! In: a text, its segmentation and its linked entities. Out: [`Relation`]s
//! between two entities, with trigger, negation, modality and place.
//!
//! Rules are data: a TOML file (the built-in one is `rules/default.toml`) lists
//! per relation kind its trigger patterns, argument types and non-event cues,
//! plus shared negation and modality cue lists; the language is described in
//! the [`RuleSet`] manual. `schema` reads the TOML and merges it with the
//! built-in file, `pattern` parses the pattern language, `compile` checks
//! everything and builds word-id tables, and `matcher` runs them over a
//! document. [`RuleSet`] compiles a file once and then runs over any number of
//! documents. Invariant: matching never runs the model; it reads words,
//! entities and, when the model has syntax heads, each word's part of speech
//! and chunk ([`RuleSet::extract_with_words`]).

mod compile;
mod matcher;
mod pattern;
mod schema;

use std::path::Path;
use std::sync::Arc;

use crate::document::{Entity, Relation, Word};
use crate::error::Error;
use crate::text::Segmented;

/// A compiled set of relation rules. Cheap to clone (shared), `Send + Sync`.
///
/// ```
/// use newsie::relations::RuleSet;
/// let rules = RuleSet::builtin();
/// assert!(rules.kinds().any(|k| k == "meeting"));
/// ```
///
/// # The rule language
///
#[doc = include_str!("MANUAL.md")]
#[derive(Clone)]
pub struct RuleSet {
    inner: Arc<compile::Compiled>,
}

impl std::fmt::Debug for RuleSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RuleSet")
            .field("kinds", &self.kinds().collect::<Vec<_>>())
            .field("patterns", &self.inner.kinds.iter().map(|k| k.patterns.len()).sum::<usize>())
            .finish()
    }
}

impl Default for RuleSet {
    /// The built-in rules (see [`RuleSet::builtin`]).
    fn default() -> Self {
        RuleSet::builtin()
    }
}

impl RuleSet {
    /// The built-in rules, compiled from `rules/default.toml`: kinds `meeting`,
    /// `sanction` and `call`.
    pub fn builtin() -> RuleSet {
        // The built-in file is tested; failing here is a build defect.
        let c = compile::compile(schema::BUILTIN, "<built-in>").expect("built-in rules/default.toml is invalid");
        RuleSet { inner: Arc::new(c) }
    }

    /// Compiles rules from TOML text. `origin` names the source in error messages
    /// (a path, or something like `<inline>`).
    ///
    /// The sections `[settings]`, `[grammar]`, `[cues]` and `[words]` may be left
    /// out, or given in part: each key missing there takes the built-in value.
    /// The `[[relation]]` tables come only from `src`.
    ///
    /// # Errors
    ///
    /// [`Error::Rules`] naming the file, the rule (relation kind) and the field at
    /// fault: a TOML syntax error, an unknown field, an unknown entity type in
    /// `arguments`, an unknown `@class` in a pattern, a malformed pattern, an empty
    /// trigger or cue list, a bad modality name, a duplicate kind, or a setting out of range.
    pub fn from_toml_str(src: &str, origin: &str) -> Result<RuleSet, Error> {
        Ok(RuleSet { inner: Arc::new(compile::compile(src, origin)?) })
    }

    /// Reads and compiles a rule file (see [`RuleSet::from_toml_str`]).
    ///
    /// # Errors
    ///
    /// [`Error::Io`] when the file cannot be read; [`Error::Rules`] when it is invalid.
    pub fn from_path(path: impl AsRef<Path>) -> Result<RuleSet, Error> {
        let path = path.as_ref();
        let src = std::fs::read_to_string(path).map_err(|source| Error::Io { path: path.to_path_buf(), source })?;
        RuleSet::from_toml_str(&src, &path.display().to_string())
    }

    /// The relation kinds these rules produce, in rule-file order.
    pub fn kinds(&self) -> impl Iterator<Item = &str> + '_ {
        self.inner.kinds.iter().map(|k| k.kind.as_str())
    }

    /// Whether `kind` is symmetric (a meeting: no actor and target), `None`
    /// for a kind these rules do not produce.
    ///
    /// ```
    /// let rules = newsie::RuleSet::builtin();
    /// assert_eq!(rules.is_symmetric("meeting"), Some(true));
    /// assert_eq!(rules.is_symmetric("sanction"), Some(false));
    /// assert_eq!(rules.is_symmetric("wedding"), None);
    /// ```
    pub fn is_symmetric(&self, kind: &str) -> Option<bool> {
        self.inner.kinds.iter().find(|k| k.kind == kind).map(|k| k.symmetric)
    }

    /// Extracts relations from `text`, whose entity mentions are `entities`
    /// (byte offsets into `text`, canonical ids already assigned, for instance by
    /// entity linking). Relations come in text order of their triggers.
    ///
    /// Never panics: entities with offsets outside `text` or not on char
    /// boundaries, and entities overlapping an earlier one, are ignored.
    pub fn extract(&self, text: &str, entities: &[Entity]) -> Vec<Relation> {
        if entities.is_empty() {
            // A relation needs a named participant (a pronoun needs a named antecedent too).
            return Vec::new();
        }
        self.extract_segmented(text, &Segmented::new(text), entities, None)
    }

    /// [`RuleSet::extract`] with the part of speech and chunk of the text's
    /// words (as [`crate::Document::words`] lists them, from a model with
    /// syntax heads): the rules then also read phrases ("met Syrian officials
    /// and Pedersen": a common noun phrase coordinated with a name; a verb
    /// ends an object). Words are matched to newsie's own segmentation by byte
    /// range; a word without tags, or missing, is read without syntax.
    pub fn extract_with_words(&self, text: &str, entities: &[Entity], words: &[Word]) -> Vec<Relation> {
        if entities.is_empty() {
            return Vec::new();
        }
        let segments = Segmented::new(text);
        let mut labels = crate::tagging::SyntaxLabels::default();
        // A tag's class index; `None` past u16::MAX distinct tags.
        let index = |list: &mut Vec<String>, tag: &str| {
            let i = list.iter().position(|t| t == tag).unwrap_or_else(|| {
                list.push(tag.to_string());
                list.len() - 1
            });
            u16::try_from(i).ok()
        };
        let by_range: std::collections::HashMap<(usize, usize), &Word> =
            words.iter().map(|w| ((w.start, w.end), w)).collect();
        let mut syntax = Vec::with_capacity(segments.words().len());
        for w in segments.words() {
            let mut s = crate::tagging::WordSyntax::default();
            if let Some(word) = by_range.get(&(w.start, w.end)) {
                s.pos = word.pos.as_deref().and_then(|p| index(&mut labels.pos, p));
                if let Some(c) = word.chunk.as_deref().filter(|c| c.len() > 2 && c.is_char_boundary(2)) {
                    s.chunk = index(&mut labels.chunk, &format!("I-{}", &c[2..]));
                    s.chunk_begins = c.starts_with("B-");
                }
            }
            syntax.push(s);
        }
        let syntax = crate::tagging::Syntax { labels: &labels, words: &syntax };
        self.extract_segmented(text, &segments, entities, Some(syntax))
    }

    /// [`RuleSet::extract`] on a text already segmented (`segments` must be
    /// `Segmented::new(text)`, as the pipeline's encoding holds it).
    pub(crate) fn extract_segmented(
        &self,
        text: &str,
        segments: &Segmented,
        entities: &[Entity],
        syntax: Option<crate::tagging::Syntax<'_>>,
    ) -> Vec<Relation> {
        if entities.is_empty() {
            return Vec::new();
        }
        matcher::Matcher::new(&self.inner, text, segments, entities, syntax).run()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_compiles_and_is_send_sync() {
        fn assert_traits<T: Send + Sync + Clone + std::fmt::Debug>() {}
        assert_traits::<RuleSet>();
        let r = RuleSet::builtin();
        assert_eq!(r.kinds().collect::<Vec<_>>(), vec!["meeting", "sanction", "call"]);
    }
}
