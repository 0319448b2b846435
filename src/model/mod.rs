//! Model loading and the backend seam.
//!
//! A model is a folder in Hugging Face layout: `config.json`, `tokenizer.json`
//! (or `vocab.txt` for WordPiece) and `model.safetensors`. [`Backend`] is the one
//! seam between newsie and an inference engine: token ids, masks and type ids
//! in, logits out. Tokenisation, decoding and relations are shared.

mod config;
mod encoder;
mod fused;
mod gelu;
mod tokenizer;

pub use config::{Architecture, ModelConfig};
pub use encoder::CandleModel;
pub(crate) use tokenizer::{load_tokenizer, SpecialTokens};

use crate::error::{Error, Result};
use crate::labels::LabelSet;
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
        let n = self.batch * self.seq_len;
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
/// Implementations must be `Send + Sync`: one model serves many threads.
pub trait Backend: Send + Sync + std::fmt::Debug {
    /// Logits of shape `(batch, seq_len, num_labels)`. Only positions whose
    /// mask is 1 carry results; padding positions are unspecified (the candle
    /// backend skips them and leaves zeros).
    ///
    /// # Errors
    /// [`Error::Inference`] if the engine fails, [`Error::Config`] if the input
    /// is malformed or longer than the model accepts.
    fn forward(&self, input: &ModelInput<'_>) -> Result<Array3<f32>>;

    /// A short name for logs and benchmarks (`candle`, `rust-bert`).
    fn name(&self) -> &'static str;
}

/// A model folder's files, checked and parsed.
#[derive(Debug)]
pub(crate) struct ModelFiles {
    pub dir: PathBuf,
    pub config: ModelConfig,
    pub arch: Architecture,
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
        let (config, arch) = ModelConfig::from_file(&cfg_path)?;
        let labels = LabelSet::parse(&config.labels(&cfg_path)?, &cfg_path)?;
        Ok(ModelFiles { dir: dir.into(), config, arch, labels })
    }

    pub(crate) fn weights(&self) -> PathBuf {
        self.dir.join("model.safetensors")
    }
}
