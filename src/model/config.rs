//! `config.json`: a plain serde mirror of the Hugging Face config, with defaults.

use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

use crate::error::{Error, Result};

/// The encoder families newsie runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Architecture {
    /// `BertForTokenClassification` (also ELECTRA-style BERT checkpoints).
    #[default]
    Bert,
    /// `RobertaForTokenClassification`, `XLMRobertaForTokenClassification`.
    Roberta,
    /// `DistilBertForTokenClassification`.
    DistilBert,
}

impl Architecture {
    /// The prefix of the encoder's weights in the checkpoint.
    pub(crate) fn prefix(self) -> &'static str {
        match self {
            Architecture::Bert => "bert",
            Architecture::Roberta => "roberta",
            Architecture::DistilBert => "distilbert",
        }
    }
}

/// The fields of `config.json` newsie reads. Unknown fields are ignored.
#[derive(Debug, Clone, Deserialize)]
pub struct ModelConfig {
    /// `architectures`, e.g. `["BertForTokenClassification"]`.
    #[serde(default)]
    pub architectures: Vec<String>,
    /// `model_type`: `bert`, `roberta`, `xlm-roberta`, `distilbert`.
    #[serde(default)]
    pub model_type: Option<String>,
    /// Vocabulary size.
    #[serde(default)]
    pub vocab_size: usize,
    /// Hidden size (`dim` for DistilBERT).
    #[serde(default, alias = "dim")]
    pub hidden_size: usize,
    /// Number of layers (`n_layers` for DistilBERT).
    #[serde(default, alias = "n_layers")]
    pub num_hidden_layers: usize,
    /// Attention heads (`n_heads` for DistilBERT).
    #[serde(default, alias = "n_heads")]
    pub num_attention_heads: usize,
    /// Feed-forward size (`hidden_dim` for DistilBERT).
    #[serde(default, alias = "hidden_dim")]
    pub intermediate_size: usize,
    /// Activation (`activation` for DistilBERT); `gelu` by default.
    #[serde(default = "default_act", alias = "activation")]
    pub hidden_act: String,
    /// Longest input the position table covers.
    #[serde(default = "default_max_pos")]
    pub max_position_embeddings: usize,
    /// Token type vocabulary (0 for DistilBERT).
    #[serde(default)]
    pub type_vocab_size: usize,
    /// Layer-norm epsilon.
    #[serde(default = "default_eps")]
    pub layer_norm_eps: f64,
    /// Padding token id (RoBERTa positions start after it).
    #[serde(default)]
    pub pad_token_id: Option<u32>,
    /// Label names by class index.
    #[serde(default)]
    pub id2label: BTreeMap<String, String>,
    /// newsie's casing channel, if the model was trained with one.
    #[serde(default)]
    pub newsie_casing: Option<String>,
    /// Part-of-speech tags of the model's syntax head, by class index (Penn
    /// Treebank tags for newsie's models); empty when the model has none. A
    /// model with syntax heads stores them as `pos_classifier.*` and
    /// `chunk_classifier.*` beside `classifier.*`; `transformers` ignores them.
    #[serde(default)]
    pub newsie_pos_labels: Vec<String>,
    /// Chunk tags of the model's syntax head (`O`, `B-NP`, `I-NP`, …), by
    /// class index; empty when the model has none.
    #[serde(default)]
    pub newsie_chunk_labels: Vec<String>,
    /// Stored dtype (informational).
    #[serde(default)]
    pub torch_dtype: Option<String>,
    /// The encoder family, found by [`ModelConfig::from_file`] from
    /// `architectures` or `model_type`.
    #[serde(skip)]
    arch: Architecture,
}

fn default_act() -> String {
    "gelu".into()
}
fn default_max_pos() -> usize {
    512
}
fn default_eps() -> f64 {
    1e-12
}

impl ModelConfig {
    /// Reads and checks `config.json`.
    ///
    /// # Errors
    /// [`Error::MissingFile`] if absent, [`Error::InvalidModel`] if unreadable,
    /// not JSON, or describing an unsupported model.
    pub fn from_file(path: &Path) -> Result<ModelConfig> {
        if !path.is_file() {
            return Err(Error::MissingFile { path: path.into(), hint: "the model's config.json".into() });
        }
        let text = std::fs::read_to_string(path).map_err(|e| Error::Io { path: path.into(), source: e })?;
        let mut cfg: ModelConfig =
            serde_json::from_str(&text).map_err(|e| Error::invalid_model_src(path, "not a valid config.json", e))?;
        let arch = cfg.architecture().ok_or_else(|| {
            Error::invalid_model(
                path,
                format!(
                    "unsupported architecture {:?} (model_type {:?}); newsie runs BERT, RoBERTa/XLM-R and DistilBERT token classifiers",
                    cfg.architectures, cfg.model_type
                ),
            )
        })?;
        let bad = |m: &str| Err(Error::invalid_model(path, m.to_string()));
        if cfg.hidden_size == 0 || cfg.num_hidden_layers == 0 || cfg.num_attention_heads == 0 {
            return bad("hidden_size, num_hidden_layers and num_attention_heads must be set and non-zero");
        }
        if !cfg.hidden_size.is_multiple_of(cfg.num_attention_heads) {
            return bad("hidden_size is not a multiple of num_attention_heads");
        }
        if cfg.intermediate_size == 0 || cfg.vocab_size == 0 {
            return bad("intermediate_size and vocab_size must be set and non-zero");
        }
        if cfg.id2label.is_empty() {
            return bad("no id2label: not a token-classification model");
        }
        if !matches!(cfg.hidden_act.as_str(), "gelu" | "gelu_new" | "gelu_pytorch_tanh" | "relu") {
            return bad(&format!("unsupported activation {:?}", cfg.hidden_act));
        }
        if let Some(c) = &cfg.newsie_casing {
            if c != "alnum_run_v1" {
                return bad(&format!("unknown newsie_casing scheme {c:?} (this version knows alnum_run_v1)"));
            }
            if cfg.type_vocab_size < crate::text::CASING_CLASSES as usize {
                return bad("newsie_casing needs type_vocab_size >= 4");
            }
        }
        if cfg.newsie_pos_labels.is_empty() != cfg.newsie_chunk_labels.is_empty() {
            return bad("newsie_pos_labels and newsie_chunk_labels go together: both or neither");
        }
        if cfg.newsie_pos_labels.len() > 1024 || cfg.newsie_chunk_labels.len() > 1024 {
            return bad("newsie_pos_labels and newsie_chunk_labels hold at most 1024 tags each");
        }
        if let Some(t) = cfg
            .newsie_chunk_labels
            .iter()
            .find(|t| t.as_str() != "O" && !(t.len() > 2 && (t.starts_with("B-") || t.starts_with("I-"))))
        {
            return bad(&format!("chunk tag {t:?} is not O, B-TYPE or I-TYPE"));
        }
        cfg.arch = arch;
        Ok(cfg)
    }

    fn architecture(&self) -> Option<Architecture> {
        let from_name = |s: &str| {
            let s = s.to_ascii_lowercase();
            if s.starts_with("distilbert") {
                Some(Architecture::DistilBert)
            } else if s.starts_with("roberta")
                || s.starts_with("xlmroberta")
                || s.starts_with("xlm-roberta")
                || s.starts_with("camembert")
            {
                Some(Architecture::Roberta)
            } else if s.starts_with("bert") {
                Some(Architecture::Bert)
            } else {
                None
            }
        };
        self.architectures
            .iter()
            .filter(|a| a.ends_with("ForTokenClassification"))
            .find_map(|a| from_name(a))
            .or_else(|| self.model_type.as_deref().and_then(from_name))
    }

    /// The encoder family.
    pub fn arch(&self) -> Architecture {
        self.arch
    }

    /// Number of classes (`id2label` entries).
    pub fn num_labels(&self) -> usize {
        self.id2label.len()
    }

    /// Columns the syntax heads add after the entity labels: part-of-speech
    /// tags, then chunk tags (0 without syntax heads).
    pub fn syntax_width(&self) -> usize {
        self.newsie_pos_labels.len() + self.newsie_chunk_labels.len()
    }

    /// The padding token id: `pad_token_id`, else 1 for RoBERTa and 0 otherwise.
    pub fn pad_id(&self) -> u32 {
        self.pad_token_id.unwrap_or(if self.arch == Architecture::Roberta { 1 } else { 0 })
    }

    /// The longest window (in tokens, special tokens included) the model accepts:
    /// its position table, less the `pad_id + 1` offset RoBERTa positions start at.
    pub fn max_tokens(&self) -> usize {
        match self.arch {
            Architecture::Roberta => self.max_position_embeddings.saturating_sub(self.pad_id() as usize + 1),
            _ => self.max_position_embeddings,
        }
    }

    /// Labels in class order. Fails if the ids are not exactly `0..n`.
    pub(crate) fn labels(&self, path: &Path) -> Result<Vec<String>> {
        let mut v: Vec<(usize, String)> = Vec::with_capacity(self.id2label.len());
        for (k, l) in &self.id2label {
            let i: usize =
                k.parse().map_err(|_| Error::invalid_model(path, format!("id2label key {k:?} is not a number")))?;
            v.push((i, l.clone()));
        }
        v.sort();
        for (want, (i, _)) in v.iter().enumerate() {
            if *i != want {
                return Err(Error::invalid_model(
                    path,
                    format!("id2label ids are not 0..{} (missing {want})", v.len()),
                ));
            }
        }
        Ok(v.into_iter().map(|(_, l)| l).collect())
    }
}
