//! Stage 4, tagging: from label probabilities to entity mentions.
//!
//! In: per token, a probability for each of the model's classes, and the
//! sentence's words. Out: [`Mention`](crate::Mention)s, each whole words, with
//! text sliced from the input, byte and char offsets and a score.
//!
//! [`labels`] reads the model's `id2label` into typed tags once, at load time
//! (IOB1, BIO, BIOES/BILOU, IO); `decode` picks a label per word
//! ([`Aggregation`], [`Decoding`]) and groups labelled words into spans.
//! Invariant: a mention never splits a word, and its text is `&input[start..end]`.

mod agree;
mod decode;
pub mod labels;
mod lexicon;
mod syntax;

pub(crate) use agree::agree_types;
pub use decode::{Aggregation, Decoding};
pub(crate) use decode::{Decoder, TaggedSentence};
pub use labels::{spans, LabelSet, Position, Tag};
pub use lexicon::Lexicon;
pub(crate) use syntax::{Syntax, TokenSyntax};
pub use syntax::{SyntaxLabels, WordSyntax};
