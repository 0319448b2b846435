//! [`ExtractorBuilder`]: the settings of an [`Extractor`], checked once at `build`.

use std::path::PathBuf;
use std::sync::Arc;

use super::encode::Encoder;
use super::resolve::{self, ModelChoice};
use super::windows::WindowPlan;
use super::Extractor;
use crate::error::{Error, Result};
use crate::model::{self, Backend, BackendKind, ModelFiles, Precision};
use crate::relations::RuleSet;
use crate::tagging::{Aggregation, Decoding, Lexicon, SyntaxLabels};

/// Configures and builds an [`Extractor`]. `Clone + Default`; every setting has
/// a sensible default, so `Extractor::builder().build()?` runs the shipped model.
///
/// # Process-wide effects
///
/// Two settings outside newsie belong to the whole process, not to one
/// extractor:
/// - loading a model on the candle backend raises the `gemm` crate's
///   left-operand packing thresholds to their maximum, once, for every `gemm`
///   (and candle) user in the process. newsie's weights are stored pre-packed,
///   so re-packing is wasted work; the setting changes when gemm copies an
///   operand, never a result;
/// - on the rust-bert backend, [`threads`](Self::threads) sets libtorch's
///   global intra-op thread count (`tch::set_num_threads`), which other
///   libtorch users in the process share.
#[derive(Debug, Clone)]
pub struct ExtractorBuilder {
    model: ModelChoice,
    registry: Option<PathBuf>,
    backend: BackendKind,
    engine: Option<Arc<dyn Backend>>,
    aggregation: Aggregation,
    decoding: Decoding,
    /// None: the built-in lexicon, made at `build` (not for every builder).
    lexicon: Option<Lexicon>,
    consistent_types: bool,
    batch_size: usize,
    threads: Option<usize>,
    precision: Precision,
    window_tokens: usize,
    overlap_tokens: Option<usize>,
    relations: bool,
    words: bool,
    rules: Option<RuleSet>,
}

impl Default for ExtractorBuilder {
    fn default() -> Self {
        ExtractorBuilder {
            model: ModelChoice::Default,
            registry: None,
            backend: BackendKind::Candle,
            engine: None,
            aggregation: Aggregation::First,
            decoding: Decoding::Constrained,
            lexicon: None,
            consistent_types: true,
            batch_size: 16,
            threads: None,
            precision: Precision::F32,
            window_tokens: 128,
            overlap_tokens: None,
            relations: true,
            words: false,
            rules: None,
        }
    }
}

impl ExtractorBuilder {
    /// A model by registry name (see `models.toml`) or by folder path. Without
    /// it, `$NEWSIE_MODEL` (a folder or a name) if set, else the registry's
    /// default, the shipped model.
    pub fn model(mut self, name_or_dir: impl Into<String>) -> Self {
        self.model = ModelChoice::NameOrDir(name_or_dir.into());
        self
    }

    /// Use this registry file instead of the built-in `models.toml`.
    pub fn registry(mut self, path: impl Into<PathBuf>) -> Self {
        self.registry = Some(path.into());
        self
    }

    /// The built-in inference engine (default: candle).
    pub fn backend(mut self, backend: BackendKind) -> Self {
        self.backend = backend;
        self
    }

    /// Runs the model on an engine of your own instead of a built-in one. The
    /// model folder still supplies the tokenizer, the labels and the casing
    /// channel; the engine must return logits for those labels.
    ///
    /// ```no_run
    /// use std::sync::Arc;
    /// use newsie::model::{Backend, CandleModel, ModelConfig};
    ///
    /// let dir = std::path::Path::new("models/newsie-minilm-conll");
    /// let cfg = ModelConfig::from_file(&dir.join("config.json"))?;
    /// let engine: Arc<dyn Backend> = Arc::new(CandleModel::load(&dir.join("model.safetensors"), &cfg)?);
    /// let extractor = newsie::Extractor::builder().model("models/newsie-minilm-conll").engine(engine).build()?;
    /// # Ok::<(), newsie::Error>(())
    /// ```
    pub fn engine(mut self, engine: Arc<dyn Backend>) -> Self {
        self.engine = Some(engine);
        self
    }

    /// How sub-word predictions become word predictions (default: first).
    pub fn aggregation(mut self, a: Aggregation) -> Self {
        self.aggregation = a;
        self
    }

    /// How word labels are chosen (default: constrained, i.e. the most probable
    /// well-formed BIO sequence; use greedy for IOB1 models).
    pub fn decoding(mut self, d: Decoding) -> Self {
        self.decoding = d;
        self
    }

    /// Names whose spans and types correct the model's where it tags them
    /// (default: [`Lexicon::builtin`], armed groups, parties, international
    /// bodies, companies and products). `Lexicon::default()`, an empty one, turns the
    /// correction off; to extend the built-in one, insert into
    /// `Lexicon::builtin()` and pass it here. See [`Lexicon`] for what it changes.
    pub fn lexicon(mut self, lexicon: Lexicon) -> Self {
        self.lexicon = Some(lexicon);
        self
    }

    /// Whether one document names a person with one type throughout (default:
    /// true): a one-word mention equal to the last word of a person's full
    /// name in the same text ("Keir Starmer" ... "Starmer") is that person,
    /// and mentions of one text of which one is read as a person take the
    /// type the model is most sure of over all of them. Each text of a batch
    /// (and each block of a long text) is one document.
    pub fn consistent_types(mut self, on: bool) -> Self {
        self.consistent_types = on;
        self
    }

    /// Windows per model call (default 16). Windows are sorted by length
    /// first, so each batch is padded only to its own longest window.
    pub fn batch_size(mut self, n: usize) -> Self {
        self.batch_size = n;
        self
    }

    /// Threads for inference (default: all cores): the extractor gets a rayon
    /// pool of its own. On the rust-bert backend this also sets libtorch's
    /// process-wide thread count (see the type's docs).
    pub fn threads(mut self, n: usize) -> Self {
        self.threads = Some(n);
        self
    }

    /// Numeric precision of the model's matrix products (default
    /// [`Precision::F32`]). [`Precision::Int8`] and [`Precision::Bf16`] run
    /// the dense layers in int8 or bf16 on the candle backend (faster where
    /// the CPU has AMX or VNNI; see the README for accuracy and speed); the
    /// rust-bert backend and engines given with [`engine`](Self::engine)
    /// refuse anything but f32 at [`build`](Self::build).
    pub fn precision(mut self, p: Precision) -> Self {
        self.precision = p;
        self
    }

    /// Longest window in tokens, special tokens included (default 128, the
    /// shipped model's training length; capped by the model's positions).
    pub fn window_tokens(mut self, n: usize) -> Self {
        self.window_tokens = n;
        self
    }

    /// Overlap between windows when one sentence is longer than a window
    /// (default: 32, or a quarter of the window if that is less).
    pub fn overlap_tokens(mut self, n: usize) -> Self {
        self.overlap_tokens = Some(n);
        self
    }

    /// Run the relation stage (default: true).
    pub fn relations(mut self, on: bool) -> Self {
        self.relations = on;
        self
    }

    /// List every word in [`crate::Document::words`], with its part of speech
    /// and chunk when the model has syntax heads (default: false; the shipped
    /// model has them).
    pub fn words(mut self, on: bool) -> Self {
        self.words = on;
        self
    }

    /// Relation rules to use instead of the built-in ones.
    pub fn rules(mut self, rules: RuleSet) -> Self {
        self.rules = Some(rules);
        self
    }

    /// Loads the model and builds the extractor.
    ///
    /// # Errors
    /// [`Error::Registry`] for an unknown model name, [`Error::ModelNotInstalled`]
    /// when the shipped model is not there (a packaged newsie; the message says
    /// how to get it), [`Error::MissingFile`] or
    /// [`Error::InvalidModel`] for missing or corrupt model files (naming the
    /// file), [`Error::Config`] for out-of-range settings.
    pub fn build(self) -> Result<Extractor> {
        if self.batch_size == 0 {
            return Err(Error::Config("batch_size must be at least 1".into()));
        }
        if self.threads == Some(0) {
            return Err(Error::Config("threads must be at least 1".into()));
        }
        let dir = resolve::model_dir(&self.model, self.registry.as_ref())?;
        let files = ModelFiles::open(&dir)?;
        let (tokenizer, special) = model::load_tokenizer(&dir, files.config.pad_token_id)?;
        let tok_vocab = tokenizer.get_vocab_size(true);
        if tok_vocab > files.config.vocab_size {
            return Err(Error::invalid_model(
                dir.join("tokenizer.json"),
                format!("tokenizer has {tok_vocab} tokens, the model only {}", files.config.vocab_size),
            ));
        }
        let windows = self.window_plan(files.config.max_tokens())?;
        let backend: Arc<dyn Backend> = match self.engine {
            Some(_) if self.precision != Precision::F32 => {
                return Err(Error::Config(format!(
                    "precision {} applies to the built-in backends; set it on your own engine",
                    self.precision
                )))
            }
            Some(engine) => engine,
            None => Arc::from(model::load(&files, self.backend, self.threads, self.precision)?),
        };
        let syntax = match backend.syntax_columns() {
            0 => None,
            n if n == files.config.syntax_width() => Some(SyntaxLabels {
                pos: files.config.newsie_pos_labels.clone(),
                chunk: files.config.newsie_chunk_labels.clone(),
            }),
            n => {
                return Err(Error::Config(format!(
                    "the engine returns {n} syntax columns; config.json declares {}",
                    files.config.syntax_width()
                )))
            }
        };
        let pool = match self.threads {
            Some(n) => Some(Arc::new(
                rayon::ThreadPoolBuilder::new()
                    .num_threads(n)
                    .build()
                    .map_err(|e| Error::Config(format!("cannot start {n} threads: {e}")))?,
            )),
            None => None,
        };
        let rules = if self.relations { Some(self.rules.unwrap_or_default()) } else { None };
        Ok(Extractor {
            backend,
            encoder: Encoder { tokenizer, special, casing: files.config.newsie_casing.is_some() },
            labels: files.labels,
            syntax,
            words: self.words,
            aggregation: self.aggregation,
            decoding: self.decoding,
            lexicon: self.lexicon.unwrap_or_else(Lexicon::builtin),
            consistent_types: self.consistent_types,
            batch_size: self.batch_size,
            windows,
            pool,
            rules,
            model_dir: dir,
        })
    }

    /// The window settings, checked against the model's longest input.
    fn window_plan(&self, max_tokens: usize) -> Result<WindowPlan> {
        if self.window_tokens < 8 {
            return Err(Error::Config("window_tokens must be at least 8".into()));
        }
        let window = self.window_tokens.min(max_tokens);
        if window < 8 {
            return Err(Error::Config(format!(
                "the model takes at most {max_tokens} tokens per window; newsie needs at least 8"
            )));
        }
        let budget = window - 2;
        let overlap = self.overlap_tokens.unwrap_or((budget / 4).min(32));
        if overlap * 2 >= budget {
            return Err(Error::Config(format!(
                "overlap_tokens ({overlap}) must be under half the window's {budget} content tokens"
            )));
        }
        Ok(WindowPlan { budget, overlap })
    }
}
