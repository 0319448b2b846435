//! The output types: [`Document`], [`Entity`], [`Relation`] and their parts.
//!
//! Every span carries byte offsets into the UTF-8 input (`start`, `end`), so
//! `&text[e.start..e.end] == e.text` always holds; entities also carry
//! Unicode scalar (char) offsets for JSON consumers in other languages.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The type of a named entity, mapped once from the model's `id2label`.
///
/// CoNLL-style labels (`PER`, `ORG`, `LOC`, `MISC` and their long forms such as
/// `PERSON`) map to the named variants; any other label is kept as
/// [`EntityKind::Other`] with the model's own name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum EntityKind {
    /// A person (`PER`).
    Person,
    /// An organisation, company, agency or team (`ORG`).
    Organization,
    /// A place: country, city, region (`LOC`).
    Location,
    /// Other names: nationalities, events, products (`MISC`).
    Misc,
    /// Any other label, with the model's own name for it.
    Other(String),
}

impl EntityKind {
    /// Maps a label name (without its `B-`/`I-` prefix) to a kind.
    ///
    /// ```
    /// use newsie::EntityKind;
    /// assert_eq!(EntityKind::from_label("PER"), EntityKind::Person);
    /// assert_eq!(EntityKind::from_label("GPE"), EntityKind::Other("GPE".into()));
    /// ```
    pub fn from_label(label: &str) -> EntityKind {
        match label.to_ascii_uppercase().as_str() {
            "PER" | "PERSON" => EntityKind::Person,
            "ORG" | "ORGANIZATION" | "ORGANISATION" => EntityKind::Organization,
            "LOC" | "LOCATION" => EntityKind::Location,
            "MISC" | "MISCELLANEOUS" => EntityKind::Misc,
            _ => EntityKind::Other(label.to_string()),
        }
    }

    /// The label as written in JSON: `PER`, `ORG`, `LOC`, `MISC`, or the model's own name.
    pub fn as_str(&self) -> &str {
        match self {
            EntityKind::Person => "PER",
            EntityKind::Organization => "ORG",
            EntityKind::Location => "LOC",
            EntityKind::Misc => "MISC",
            EntityKind::Other(s) => s,
        }
    }
}

impl fmt::Display for EntityKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for EntityKind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for EntityKind {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Ok(EntityKind::from_label(&s))
    }
}

/// A named-entity mention as decoding finds it, before linking gives it an
/// entity id (see [`crate::link::link`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Mention {
    /// The mention, sliced from the input (`&input[start..end]`).
    pub text: String,
    /// The entity type.
    pub label: EntityKind,
    /// Byte offset of the first byte of the mention.
    pub start: usize,
    /// Byte offset one past the last byte of the mention.
    pub end: usize,
    /// Unicode scalar offset of the first character.
    pub char_start: usize,
    /// Unicode scalar offset one past the last character.
    pub char_end: usize,
    /// Mean over the mention's words of the probability of each word's label.
    pub score: f32,
}

impl Mention {
    /// This mention as an [`Entity`] with the given canonical id.
    pub fn with_entity_id(self, entity_id: usize) -> Entity {
        let Mention { text, label, start, end, char_start, char_end, score } = self;
        Entity { text, label, start, end, char_start, char_end, score, entity_id }
    }
}

/// One named-entity mention found in the text, with the canonical id of the
/// entity it names.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entity {
    /// The mention, sliced from the input (`&input[start..end]`).
    pub text: String,
    /// The entity type.
    pub label: EntityKind,
    /// Byte offset of the first byte of the mention.
    pub start: usize,
    /// Byte offset one past the last byte of the mention.
    pub end: usize,
    /// Unicode scalar offset of the first character.
    pub char_start: usize,
    /// Unicode scalar offset one past the last character.
    pub char_end: usize,
    /// Mean over the mention's words of the probability of each word's label.
    pub score: f32,
    /// Canonical entity id inside the document: mentions of the same entity
    /// ("John Kerry", "Kerry") share it. Ids count from 0 in order of first
    /// mention. Written `entity` in JSON.
    #[serde(rename = "entity", default)]
    pub entity_id: usize,
}

/// A byte range of the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Span {
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
}

/// One argument of a relation: a mention (or a resolved pronoun) and its canonical entity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Argument {
    /// The mention as written (a name, or a pronoun resolved to a person).
    pub text: String,
    /// The entity type of the canonical entity.
    pub label: EntityKind,
    /// Byte offset of the mention.
    pub start: usize,
    /// Byte offset one past the mention.
    pub end: usize,
    /// Canonical entity id (see [`Entity::entity_id`]). Written `entity` in JSON.
    #[serde(rename = "entity")]
    pub entity_id: usize,
}

/// A word or phrase of the input: the trigger of a relation, say.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TextSpan {
    /// The text, sliced from the input.
    pub text: String,
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
}

/// The PLOVER event type and mode of a relation (the ontology of NGEC and
/// POLECAT event data): `CONSULT` with mode `visit`, `host`, `third-party`,
/// `multilateral` or `phone`; `SANCTION` with mode `discontinue`. The mapping
/// from newsie's kinds is declared in the rule file (see `rules/default.toml`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plover {
    /// The event type: `CONSULT`, `SANCTION`, ...
    pub event_type: String,
    /// The mode, when the rule or the sentence says which.
    pub mode: Option<String>,
}

/// A relation between two entities: who met whom, who sanctioned whom.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Relation {
    /// The relation kind as named in the rule file (`meeting`, `sanction`, `call`, ...).
    pub kind: String,
    /// The first participant (for directed kinds, the actor: who imposes a sanction).
    pub source: Argument,
    /// The second participant (for directed kinds, the target).
    pub target: Argument,
    /// The text says the event did not or will not happen.
    pub negated: bool,
    /// `"asserted"` for events that happened or are happening; otherwise
    /// `"planned"`, `"possible"`, `"requested"`, `"considered"`, ...
    pub modality: String,
    /// The word or phrase that signals the relation ("met", "sanctions").
    pub trigger: TextSpan,
    /// The byte range of the sentence the relation was read from.
    pub sentence: Span,
    /// A place named in the same clause ("in Paris"), if any.
    pub location: Option<TextSpan>,
    /// The PLOVER event type and mode, when the rules declare them for this kind.
    #[serde(default)]
    pub plover: Option<Plover>,
    /// The CAMEO event code (`"040"`, `"042"`, `"043"`, `"044"`, `"041"`, `"163"`, ...),
    /// when the rules declare one.
    #[serde(default)]
    pub cameo: Option<String>,
}

/// One word of the input (as newsie splits words: CoNLL-like, punctuation
/// apart), with its part of speech and chunk when the model has syntax heads.
/// Listed in [`Document::words`] when [`crate::ExtractorBuilder::words`] is on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Word {
    /// The word, sliced from the input.
    pub text: String,
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
    /// Part-of-speech tag (Penn Treebank: `NNP`, `VBD`, `IN`, …); `None`
    /// when the model has no syntax heads.
    #[serde(default)]
    pub pos: Option<String>,
    /// Chunk tag in BIO form (`B-NP`, `I-NP`, `B-VP`, `O`, …); `None` when
    /// the model has no syntax heads.
    #[serde(default)]
    pub chunk: Option<String>,
}

/// What newsie read from one text: its entities and the relations between them.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// The caller's id for this text (set by the `jsonl` front end), if any.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub id: Option<serde_json::Value>,
    /// Entity mentions in text order.
    pub entities: Vec<Entity>,
    /// Relations in text order of their triggers.
    pub relations: Vec<Relation>,
    /// Every word in text order, when [`crate::ExtractorBuilder::words`] is
    /// on (empty otherwise, and then left out of JSON).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub words: Vec<Word>,
}
