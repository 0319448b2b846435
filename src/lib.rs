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
//!     println!("{:<5} {:<10} bytes {}..{}", e.label, e.text, e.start, e.end);
//! }
//! for r in &doc.relations {
//!     println!("{} {} -> {} ({})", r.kind, r.source.text, r.target.text, r.modality);
//! }
//! # Ok::<(), newsie::Error>(())
//! ```
//!
//! ## Pipeline
//!
//! The modules follow the data, one stage each (see `ARCHITECTURE.md`):
//!
//! 1. [`text`]: sentences, CoNLL-like words and the casing channel, computed
//!    once per text ([`text::Segmented`]);
//! 2. [`pipeline`]: the [`Extractor`]: tokens, windows, padded batches, logits
//!    stitched back into per-token probabilities;
//! 3. [`model`]: the model folder and the engine that runs it ([`Backend`]:
//!    candle by default, rust-bert optional, or your own);
//! 4. [`tagging`]: label schemes and decoding, probabilities to [`Mention`]s;
//! 5. [`link`]: mentions of one entity share an id ([`Entity`]);
//! 6. [`relations`]: rule-based relations between entities ([`Relation`]);
//!
//! and out comes a [`Document`]; [`html`] renders it as a page. [`registry`]
//! (and `download`) find model folders; `eval` scores CoNLL files.
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
//! * `eval`: CoNLL-2003 reading and entity scoring (`eval` module), used by the
//!   `conll_eval` example and the benches.
#![deny(missing_docs)]
// One audited exception: the call into the `gemm` kernels in `model/candle/gemm.rs`.
#![deny(unsafe_code)]

mod document;
#[cfg(feature = "download")]
pub mod download;
mod error;
#[cfg(feature = "eval")]
pub mod eval;
pub mod html;
pub mod link;
pub mod model;
pub mod pipeline;
pub mod registry;
pub mod relations;
pub mod tagging;
pub mod text;

pub use document::{Argument, Document, Entity, EntityKind, Mention, Plover, Relation, Span, TextSpan, Word};
pub use error::{Error, Result};
pub use model::{Backend, BackendKind, Precision};
pub use pipeline::{EncodedText, Extractor, ExtractorBuilder};
pub use relations::RuleSet;
pub use tagging::{Aggregation, Decoding, Lexicon, SyntaxLabels, WordSyntax};
