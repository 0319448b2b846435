//! Stage 3, the model: a folder in Hugging Face layout, and the engines that run it.
//!
//! In: a model folder (`config.json`, `tokenizer.json` or `vocab.txt`,
//! `model.safetensors`) and, per call, a padded batch of token windows
//! ([`ModelInput`]). Out: logits, `batch × seq_len × labels` ([`Backend`]).
//!
//! - [`config`](ModelConfig): a serde mirror of `config.json`, checked, carrying
//!   its [`Architecture`];
//! - `tokenizer`: `tokenizer.json`, or a WordPiece `vocab.txt`;
//! - [`Backend`]: the one seam between newsie and an inference engine, and
//!   `load` picks one by [`BackendKind`]; a user's own engine plugs into
//!   [`crate::ExtractorBuilder::engine`];
//! - [`candle`]: the default engine (layers, the fused CPU forward, the one
//!   checked `gemm` call, SIMD kernels); `tch`: rust-bert on libtorch behind
//!   the `rust-bert` feature.
//!
//! Invariant: nothing here knows about sentences, words or entities.

pub mod candle;
mod config;
mod tch;
mod tokenizer;

pub use self::candle::{Bf16Kernel, CandleModel, Int8Kernel};
pub use config::{Architecture, ModelConfig};
pub(crate) use tokenizer::{load_tokenizer, SpecialTokens};

use crate::error::{Error, Result};
use crate::tagging::LabelSet;
use ndarray::Array3;
use std::path::{Path, PathBuf};

/// One padded batch of windows, row-major `batch × seq_len`.
#[derive(Debug, Clone, Copy)]
pub struct ModelInput<'a> {
    /// Number of rows.
    pub batch: usize,
    /// Tokens per row (after padding).
    pub seq_len: usize,
    /// Token ids.
    pub input_ids: &'a [u32],
    /// Token type ids (newsie's casing channel for casing-aware models; zeros otherwise).
    pub type_ids: &'a [u32],
    /// 1 for real tokens, 0 for padding.
    pub attention_mask: &'a [u32],
}

impl ModelInput<'_> {
    pub(crate) fn check(&self) -> Result<()> {
        let n = self.batch.checked_mul(self.seq_len).ok_or_else(|| {
            Error::Config(format!("model input of {} × {} tokens is too large", self.batch, self.seq_len))
        })?;
        if self.input_ids.len() != n || self.type_ids.len() != n || self.attention_mask.len() != n {
            return Err(Error::Config(format!(
                "model input slices must hold batch × seq_len = {n} values (ids {}, types {}, mask {})",
                self.input_ids.len(),
                self.type_ids.len(),
                self.attention_mask.len()
            )));
        }
        Ok(())
    }
}

/// An inference engine for token classification: logits for a padded batch.
///
/// Implementations must be `Send + Sync`: one model serves many threads. Plug
/// your own into an extractor with [`crate::ExtractorBuilder::engine`].
pub trait Backend: Send + Sync + std::fmt::Debug {
    /// Logits of shape `(batch, seq_len, num_labels + syntax_columns())`
    /// (see [`Backend::syntax_columns`]). Only positions whose
    /// mask is 1 carry results; padding positions are unspecified (the candle
    /// backend skips them and leaves zeros).
    ///
    /// # Errors
    /// [`Error::Inference`] if the engine fails, [`Error::Config`] if the input
    /// is malformed or longer than the model accepts.
    fn forward(&self, input: &ModelInput<'_>) -> Result<Array3<f32>>;

    /// A short name for logs and benchmarks (`candle`, `rust-bert`).
    fn name(&self) -> &'static str;

    /// How many columns [`Backend::forward`]'s logits carry after the entity
    /// labels: the model's syntax heads, part-of-speech tags then chunk tags
    /// ([`ModelConfig::syntax_width`]). 0, the default, for an engine that
    /// returns entity logits only; newsie then reads no syntax.
    fn syntax_columns(&self) -> usize {
        0
    }
}

/// Which built-in inference engine runs the model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum BackendKind {
    /// candle, pure Rust (the default).
    #[default]
    Candle,
    /// rust-bert / tch (libtorch); needs the `rust-bert` cargo feature.
    RustBert,
}

impl std::str::FromStr for BackendKind {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "candle" => Ok(BackendKind::Candle),
            "rust-bert" | "rustbert" | "tch" => Ok(BackendKind::RustBert),
            _ => Err(Error::Config(format!("unknown backend {s:?} (candle, rust-bert)"))),
        }
    }
}

/// Numeric precision of the model's matrix products (candle backend).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Precision {
    /// f32 everywhere (the default).
    #[default]
    F32,
    /// The four dense products of every layer in int8: weights quantised per
    /// output column at load, activations per row at run time, sums in 32-bit
    /// integers (AMX, AVX-512 VNNI or plain Rust, whichever the CPU runs;
    /// see [`Int8Kernel`]). Embeddings, attention, layer norm, GELU and the
    /// classifier stay f32.
    Int8,
    /// The same four products with weights and activations rounded to
    /// bfloat16 and sums in f32 (AMX-BF16, AVX-512 BF16 or plain Rust; see
    /// [`Bf16Kernel`]).
    Bf16,
}

impl std::str::FromStr for Precision {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "f32" => Ok(Precision::F32),
            "int8" => Ok(Precision::Int8),
            "bf16" => Ok(Precision::Bf16),
            _ => Err(Error::Config(format!("unknown precision {s:?} (f32, int8, bf16)"))),
        }
    }
}

impl std::fmt::Display for Precision {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Precision::F32 => "f32",
            Precision::Int8 => "int8",
            Precision::Bf16 => "bf16",
        })
    }
}

/// A model folder's files, checked and parsed: its config and label set.
#[derive(Debug)]
pub(crate) struct ModelFiles {
    pub dir: PathBuf,
    pub config: ModelConfig,
    pub labels: LabelSet,
}

impl ModelFiles {
    pub(crate) fn open(dir: &Path) -> Result<ModelFiles> {
        if !dir.is_dir() {
            return Err(Error::MissingFile {
                path: dir.into(),
                hint: "a model folder (config.json, tokenizer.json, model.safetensors)".into(),
            });
        }
        let cfg_path = dir.join("config.json");
        let config = ModelConfig::from_file(&cfg_path)?;
        let labels = LabelSet::parse(&config.labels(&cfg_path)?, &cfg_path)?;
        Ok(ModelFiles { dir: dir.into(), config, labels })
    }

    pub(crate) fn weights(&self) -> PathBuf {
        self.dir.join("model.safetensors")
    }
}

/// Loads the model in `files` on the engine `kind` at `precision`. `threads`
/// is passed to engines with a thread pool of their own (libtorch).
pub(crate) fn load(
    files: &ModelFiles,
    kind: BackendKind,
    threads: Option<usize>,
    precision: Precision,
) -> Result<Box<dyn Backend>> {
    match kind {
        BackendKind::Candle => {
            Ok(Box::new(CandleModel::load(&files.weights(), &files.config)?.with_precision(precision)?))
        }
        BackendKind::RustBert if precision != Precision::F32 => {
            Err(Error::Config(format!("precision {precision} runs on the candle backend only")))
        }
        BackendKind::RustBert => tch::load(files, threads),
    }
}
