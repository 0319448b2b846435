//! # newsie
//!
//! Reads English news and says who is in it and what they did to each other:
//! a transformer named-entity model (people, organisations, places) run on
//! [candle](https://github.com/huggingface/candle), then rule-based relation
//! extraction (who met whom, who sanctioned whom), returned as typed,
//! serde-serialisable structs with byte and char offsets.
//!
//! ```no_run
//! use newsie::Extractor;
//!
//! let extractor = Extractor::builder().build()?; // the shipped model
//! let doc = extractor.extract("Kerry expects to meet Lavrov in Rome on Thursday.")?;
//! for e in &doc.entities {
//!     println!("{:<5} {:<10} bytes {}..{}", e.kind, e.text, e.start, e.end);
//! }
//! for r in &doc.relations {
//!     println!("{} {} -> {} ({})", r.kind, r.source.text, r.target.text, r.modality);
//! }
//! # Ok::<(), newsie::Error>(())
//! ```
//!
//! ## Pipeline
//!
//! text → [`text`] (sentences, words, casing) → tokens → windows → [`model`]
//! ([`Backend`]: logits) → [`decode`] (words, labels, spans) → linking →
//! [`relations`] → [`Document`]. See `ARCHITECTURE.md`.
//!
//! ## Semantics
//!
//! * Offsets: `start`/`end` are byte offsets into the input; `&text[start..end]`
//!   is the entity's `text`. `char_start`/`char_end` count Unicode scalars.
//! * Score: the mean over the entity's words of the probability of each word's label.
//! * Long texts are split into windows of whole sentences under the model's
//!   length; nothing is truncated.
//!
//! ## Untrusted input
//!
//! Any `&str` is accepted: empty text gives an empty [`Document`]; control
//! characters, emoji and other scripts are handled; megabyte texts are
//! windowed. Work is linear in the input length. No input panics.
//!
//! ## Crate features
//!
//! * `download`: fetch registered hub models (`models.toml`) into the user cache.
//! * `rust-bert`: run the model on libtorch through rust-bert/tch instead of candle.
#![deny(missing_docs)]
// One audited exception: the call into the `gemm` kernels in `model/fused.rs`.
#![deny(unsafe_code)]

mod backend_tch;
pub mod decode;
mod document;
#[cfg(feature = "download")]
pub mod download;
mod error;
pub mod eval;
mod extractor;
pub mod labels;
pub mod link;
pub mod model;
pub mod registry;
pub mod relations;
pub mod text;

pub use decode::{Aggregation, Decoding};
pub use document::{Argument, Document, Entity, EntityKind, Relation, Span, TextSpan};
pub use error::{Error, Result};
pub use extractor::{BackendKind, Encoding, Extractor, ExtractorBuilder};
pub use model::Backend;
pub use relations::RuleSet;
