//! The front door: [`Extractor`] and its builder.
//!
//! Pipeline per text: sentences → tokens (+ casing channel) → windows of whole
//! sentences under the model's length (an over-long sentence is cut into
//! overlapping windows, each token predicted by the window where it sits most
//! centrally) → length-sorted, dynamically padded batches → logits → per-token
//! probabilities stitched back into document order → words → entities →
//! same-entity linking → relations.

use std::path::PathBuf;
use std::sync::Arc;

use ndarray::Array3;
use rayon::prelude::*;
use tokenizers::Tokenizer;

use crate::decode::{self, Aggregation, Decoding};
use crate::document::{CharIndex, Document, Entity};
use crate::error::{Error, Result};
use crate::labels::LabelSet;
use crate::model::{self, Backend, CandleModel, ModelFiles, ModelInput, SpecialTokens};
use crate::registry::Registry;
use crate::relations::RuleSet;
use crate::text;

/// Where the model comes from.
#[derive(Debug, Clone, Default)]
enum ModelChoice {
    #[default]
    Default,
    NameOrDir(String),
}

/// Which inference engine runs the model.
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

/// Configures and builds an [`Extractor`]. `Clone + Default`; every setting has
/// a sensible default, so `Extractor::builder().build()?` runs the shipped model.
#[derive(Debug, Clone)]
pub struct ExtractorBuilder {
    model: ModelChoice,
    registry: Option<PathBuf>,
    backend: BackendKind,
    aggregation: Aggregation,
    decoding: Decoding,
    batch_size: usize,
    threads: Option<usize>,
    window_tokens: usize,
    overlap_tokens: Option<usize>,
    relations: bool,
    rules: Option<RuleSet>,
}

impl Default for ExtractorBuilder {
    fn default() -> Self {
        ExtractorBuilder {
            model: ModelChoice::Default,
            registry: None,
            backend: BackendKind::Candle,
            aggregation: Aggregation::First,
            decoding: Decoding::Constrained,
            batch_size: 16,
            threads: None,
            window_tokens: 128,
            overlap_tokens: None,
            relations: true,
            rules: None,
        }
    }
}

impl ExtractorBuilder {
    /// A model by registry name (see `models.toml`) or by folder path.
    pub fn model(mut self, name_or_dir: impl Into<String>) -> Self {
        self.model = ModelChoice::NameOrDir(name_or_dir.into());
        self
    }

    /// Use this registry file instead of the built-in `models.toml`.
    pub fn registry(mut self, path: impl Into<PathBuf>) -> Self {
        self.registry = Some(path.into());
        self
    }

    /// The inference engine (default: candle).
    pub fn backend(mut self, backend: BackendKind) -> Self {
        self.backend = backend;
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

    /// Windows per model call (default 16). Windows are sorted by length
    /// first, so each batch is padded only to its own longest window.
    pub fn batch_size(mut self, n: usize) -> Self {
        self.batch_size = n;
        self
    }

    /// Threads for inference (default: all cores).
    pub fn threads(mut self, n: usize) -> Self {
        self.threads = Some(n);
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

    /// Relation rules to use instead of the built-in ones.
    pub fn rules(mut self, rules: RuleSet) -> Self {
        self.rules = Some(rules);
        self
    }

    /// Loads the model and builds the extractor.
    ///
    /// # Errors
    /// [`Error::Registry`] for an unknown model name, [`Error::MissingFile`] or
    /// [`Error::InvalidModel`] for missing or corrupt model files (naming the
    /// file), [`Error::Config`] for out-of-range settings.
    pub fn build(self) -> Result<Extractor> {
        if self.batch_size == 0 {
            return Err(Error::Config("batch_size must be at least 1".into()));
        }
        if self.threads == Some(0) {
            return Err(Error::Config("threads must be at least 1".into()));
        }
        let registry = match &self.registry {
            Some(p) => Registry::from_path(p)?,
            None => Registry::builtin()?,
        };
        let dir = match &self.model {
            ModelChoice::Default => registry.resolve(registry.default_model()?)?,
            ModelChoice::NameOrDir(s) => {
                let p = PathBuf::from(s);
                if p.is_dir() {
                    p
                } else if let Some(entry) = registry.get(s) {
                    registry.resolve(entry)?
                } else {
                    return Err(Error::Registry(format!(
                        "{s:?} is neither a model folder nor a model in the registry (known: {})",
                        registry.names().join(", ")
                    )));
                }
            }
        };
        let files = ModelFiles::open(&dir)?;
        let (tokenizer, special) = model::load_tokenizer(&dir, files.config.pad_token_id)?;
        let tok_vocab = tokenizer.get_vocab_size(true);
        if tok_vocab > files.config.vocab_size {
            return Err(Error::invalid_model(
                dir.join("tokenizer.json"),
                format!("tokenizer has {tok_vocab} tokens, the model only {}", files.config.vocab_size),
            ));
        }
        let backend: Box<dyn Backend> = match self.backend {
            BackendKind::Candle => {
                Box::new(CandleModel::load(&files.weights(), &files.config, files.arch, files.labels.len())?)
            }
            BackendKind::RustBert => crate::backend_tch::load(&files, self.threads)?,
        };
        let max_tokens = files.config.max_tokens(files.arch);
        if self.window_tokens < 8 {
            return Err(Error::Config("window_tokens must be at least 8".into()));
        }
        let window = self.window_tokens.min(max_tokens);
        let budget = window - 2;
        let overlap = self.overlap_tokens.unwrap_or((budget / 4).min(32));
        if overlap * 2 >= budget {
            return Err(Error::Config(format!(
                "overlap_tokens ({overlap}) must be under half the window's {budget} content tokens"
            )));
        }
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
            tokenizer,
            special,
            casing: files.config.newsie_casing.is_some(),
            labels: files.labels,
            aggregation: self.aggregation,
            decoding: self.decoding,
            batch_size: self.batch_size,
            budget,
            overlap,
            pool,
            rules,
            model_dir: dir,
        })
    }
}

/// Reads news text and returns its entities and relations.
///
/// `Send + Sync`: build one and share it across threads (an `Arc<Extractor>`).
///
/// ```no_run
/// let extractor = newsie::Extractor::builder().build()?;
/// let doc = extractor.extract("Kerry met Lavrov in Rome.")?;
/// for e in &doc.entities {
///     println!("{} {} {}..{}", e.text, e.kind, e.start, e.end);
/// }
/// # Ok::<(), newsie::Error>(())
/// ```
#[derive(Debug)]
pub struct Extractor {
    backend: Box<dyn Backend>,
    tokenizer: Tokenizer,
    special: SpecialTokens,
    casing: bool,
    labels: LabelSet,
    aggregation: Aggregation,
    decoding: Decoding,
    batch_size: usize,
    /// Content tokens per window (window minus the two special tokens).
    budget: usize,
    overlap: usize,
    pool: Option<Arc<rayon::ThreadPool>>,
    rules: Option<RuleSet>,
    model_dir: PathBuf,
}

/// One text as the model sees it (see [`Extractor::encode`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Encoding {
    /// Token ids, sentence after sentence (no special tokens).
    pub ids: Vec<u32>,
    /// Token type ids: the casing class of each token for casing-aware models, else 0.
    pub type_ids: Vec<u32>,
    /// Byte range of each token in the text.
    pub offsets: Vec<(usize, usize)>,
    /// Byte range of each sentence.
    pub sentences: Vec<std::ops::Range<usize>>,
    /// Token range of each sentence.
    pub sentence_tokens: Vec<std::ops::Range<usize>>,
}

/// A window: a token range of one document, and the part of it (core) whose
/// predictions are kept.
#[derive(Debug, Clone, Copy)]
struct Window {
    doc: usize,
    start: usize,
    end: usize,
    core_start: usize,
    core_end: usize,
}

impl Extractor {
    /// A builder with default settings (the shipped model).
    pub fn builder() -> ExtractorBuilder {
        ExtractorBuilder::default()
    }

    /// The shipped default model with default settings.
    ///
    /// # Errors
    /// As [`ExtractorBuilder::build`].
    pub fn new() -> Result<Extractor> {
        Self::builder().build()
    }

    /// The model's label set.
    pub fn labels(&self) -> &LabelSet {
        &self.labels
    }

    /// The folder the model was loaded from.
    pub fn model_dir(&self) -> &std::path::Path {
        &self.model_dir
    }

    /// The inference engine's name.
    pub fn backend_name(&self) -> &'static str {
        self.backend.name()
    }

    /// Entities and relations of one text. Any `&str` is accepted: empty text
    /// gives an empty document; long texts are windowed, never truncated.
    ///
    /// # Errors
    /// [`Error::Tokenizer`] or [`Error::Inference`] if the engine fails.
    pub fn extract(&self, text: &str) -> Result<Document> {
        Ok(self.extract_batch(&[text])?.pop().unwrap_or_default())
    }

    /// Entities and relations of many texts, in input order. Windows of all
    /// texts are pooled, sorted by length and padded per batch, which is much
    /// faster than calling [`Extractor::extract`] per text.
    ///
    /// # Errors
    /// As [`Extractor::extract`].
    pub fn extract_batch<S: AsRef<str> + Sync>(&self, texts: &[S]) -> Result<Vec<Document>> {
        let run = || self.extract_batch_inner(texts);
        match &self.pool {
            Some(pool) => pool.install(run),
            None => run(),
        }
    }

    /// Entities only (no linking or relations) for one text; what `extract` runs first.
    ///
    /// # Errors
    /// As [`Extractor::extract`].
    pub fn entities(&self, text: &str) -> Result<Vec<Entity>> {
        let run = || self.entities_batch(&[text]);
        let mut v = match &self.pool {
            Some(pool) => pool.install(run),
            None => run(),
        }?;
        Ok(v.pop().unwrap_or_default())
    }

    fn extract_batch_inner<S: AsRef<str> + Sync>(&self, texts: &[S]) -> Result<Vec<Document>> {
        let all = self.entities_batch(texts)?;
        Ok(texts
            .par_iter()
            .zip(all)
            .map(|(t, mut entities)| {
                let t = t.as_ref();
                crate::link::link_entities(t, &mut entities);
                let relations = match &self.rules {
                    Some(r) => r.extract(t, &entities),
                    None => Vec::new(),
                };
                Document { id: None, entities, relations }
            })
            .collect())
    }

    fn entities_batch<S: AsRef<str> + Sync>(&self, texts: &[S]) -> Result<Vec<Vec<Entity>>> {
        let docs: Vec<Encoding> = texts.par_iter().map(|t| self.encode(t.as_ref())).collect::<Result<_>>()?;
        let probs = self.probabilities(&docs)?;
        Ok(texts.par_iter().zip(&docs).zip(&probs).map(|((t, d), p)| self.decode(t.as_ref(), d, p)).collect())
    }

    /// Stage 2 of 3: label probabilities, `tokens × labels` row-major, for
    /// each encoding. Windows of all encodings are pooled, sorted by length and
    /// run in padded batches of `batch_size`. Runs on the calling thread's
    /// rayon pool (see [`ExtractorBuilder::threads`] for the one `extract` uses).
    ///
    /// # Errors
    /// [`Error::Inference`] if the backend fails.
    pub fn probabilities(&self, docs: &[Encoding]) -> Result<Vec<Vec<f32>>> {
        let mut windows = Vec::new();
        for (d, doc) in docs.iter().enumerate() {
            self.windows(d, doc, &mut windows);
        }
        // Longest first: similar lengths share a batch, so padding stays small.
        windows.sort_by_key(|w| std::cmp::Reverse(w.end - w.start));
        let n_labels = self.labels.len();
        let mut probs: Vec<Vec<f32>> = docs.iter().map(|d| vec![0f32; d.ids.len() * n_labels]).collect();
        // Batches run side by side on the pool's threads; each batch's matrix
        // products also hand work to idle threads, so one batch alone still
        // uses them all.
        let batches: Vec<&[Window]> = windows.chunks(self.batch_size).collect();
        let logits: Vec<Array3<f32>> =
            batches.par_iter().map(|batch| self.run_batch(docs, batch)).collect::<Result<_>>()?;
        for (batch, logits) in batches.iter().zip(&logits) {
            for (row, w) in batch.iter().enumerate() {
                let dst = &mut probs[w.doc];
                for tok in w.core_start..w.core_end {
                    let pos = tok - w.start + 1;
                    let out = &mut dst[tok * n_labels..(tok + 1) * n_labels];
                    for (l, o) in out.iter_mut().enumerate() {
                        *o = logits[[row, pos, l]];
                    }
                }
            }
        }
        for p in &mut probs {
            decode::softmax_rows(p, n_labels);
        }
        Ok(probs)
    }

    /// Pads one batch of windows and runs the model on it.
    fn run_batch(&self, docs: &[Encoding], batch: &[Window]) -> Result<Array3<f32>> {
        let seq = batch.iter().map(|w| w.end - w.start).max().unwrap_or(0) + 2;
        let n = batch.len() * seq;
        let (mut ids, mut types, mut mask) = (Vec::with_capacity(n), Vec::with_capacity(n), Vec::with_capacity(n));
        for w in batch {
            let doc = &docs[w.doc];
            let len = w.end - w.start;
            ids.push(self.special.cls);
            ids.extend_from_slice(&doc.ids[w.start..w.end]);
            ids.push(self.special.sep);
            ids.extend(std::iter::repeat_n(self.special.pad, seq - len - 2));
            types.push(0);
            types.extend_from_slice(&doc.type_ids[w.start..w.end]);
            types.extend(std::iter::repeat_n(0, seq - len - 1));
            mask.extend(std::iter::repeat_n(1, len + 2));
            mask.extend(std::iter::repeat_n(0, seq - len - 2));
        }
        let input =
            ModelInput { batch: batch.len(), seq_len: seq, input_ids: &ids, type_ids: &types, attention_mask: &mask };
        self.backend.forward(&input)
    }

    /// Stage 3 of 3: entities of `text` from its encoding and label
    /// probabilities (as returned by [`Extractor::probabilities`]). Decoding
    /// stops at the first sentence the encoding and probabilities do not fit
    /// (an encoding of another text, a short slice); it never panics.
    pub fn decode(&self, text: &str, enc: &Encoding, probs: &[f32]) -> Vec<Entity> {
        let n_labels = self.labels.len();
        let chars = CharIndex::new(text);
        let mut ents = Vec::new();
        for (bytes, toks) in enc.sentences.iter().zip(&enc.sentence_tokens) {
            let fits = toks.end <= enc.offsets.len()
                && toks.end * n_labels <= probs.len()
                && bytes.start <= bytes.end
                && text.is_char_boundary(bytes.start)
                && text.is_char_boundary(bytes.end)
                && enc.offsets[toks.clone()].iter().all(|&(s, e)| s <= e && e <= text.len());
            if !fits {
                break;
            }
            decode::sentence_entities(
                text,
                bytes.clone(),
                &enc.offsets[toks.clone()],
                &probs[toks.start * n_labels..toks.end * n_labels],
                &self.labels,
                self.aggregation,
                self.decoding,
                &chars,
                &mut ents,
            );
        }
        ents
    }

    /// Stage 1 of 3: what the model sees for `text`: tokens by sentence, with
    /// byte offsets and the casing channel (for casing-aware models).
    ///
    /// # Errors
    /// [`Error::Tokenizer`] if the tokenizer fails.
    pub fn encode(&self, text: &str) -> Result<Encoding> {
        self.tokenize(text)
    }

    fn tokenize(&self, text: &str) -> Result<Encoding> {
        let sentences = text::sentences(text);
        let inputs: Vec<&str> = sentences.iter().map(|r| &text[r.clone()]).collect();
        let encs = self.tokenizer.encode_batch(inputs, false).map_err(Error::Tokenizer)?;
        let total: usize = encs.iter().map(|e| e.get_ids().len()).sum();
        let mut t = Encoding {
            ids: Vec::with_capacity(total),
            type_ids: Vec::with_capacity(total),
            offsets: Vec::with_capacity(total),
            sentences: Vec::with_capacity(sentences.len()),
            sentence_tokens: Vec::with_capacity(sentences.len()),
        };
        for (range, enc) in sentences.into_iter().zip(encs) {
            let first = t.ids.len();
            for (&id, &(s, e)) in enc.get_ids().iter().zip(enc.get_offsets()) {
                let (s, e) = (range.start + s, range.start + e);
                t.ids.push(id);
                t.type_ids.push(if self.casing { text::casing_class(text, s, e) } else { 0 });
                t.offsets.push((s, e));
            }
            t.sentences.push(range);
            t.sentence_tokens.push(first..t.ids.len());
        }
        Ok(t)
    }

    /// Packs whole sentences into windows of at most `budget` tokens; a longer
    /// sentence is cut into windows that overlap by `overlap` tokens.
    fn windows(&self, doc: usize, t: &Encoding, out: &mut Vec<Window>) {
        let budget = self.budget;
        let mut cur: Option<(usize, usize)> = None;
        let flush = |cur: &mut Option<(usize, usize)>, out: &mut Vec<Window>| {
            if let Some((s, e)) = cur.take() {
                if e > s {
                    out.push(Window { doc, start: s, end: e, core_start: s, core_end: e });
                }
            }
        };
        for toks in &t.sentence_tokens {
            let n = toks.len();
            if n == 0 {
                continue;
            }
            if n > budget {
                flush(&mut cur, out);
                let step = budget - self.overlap;
                let half = self.overlap / 2;
                let mut s = toks.start;
                loop {
                    let e = (s + budget).min(toks.end);
                    let last = e == toks.end;
                    let core_start = if s == toks.start { s } else { s + half };
                    let core_end = if last { e } else { e - (self.overlap - half) };
                    out.push(Window { doc, start: s, end: e, core_start, core_end });
                    if last {
                        break;
                    }
                    s += step;
                }
                continue;
            }
            if let Some((s, _)) = cur {
                if toks.end - s <= budget {
                    cur = Some((s, toks.end));
                    continue;
                }
            }
            flush(&mut cur, out);
            cur = Some((toks.start, toks.end));
        }
        flush(&mut cur, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extractor_is_send_sync() {
        fn assert<T: Send + Sync>() {}
        assert::<Extractor>();
        assert::<ExtractorBuilder>();
        assert::<Document>();
    }
}

#[cfg(test)]
mod fixture_tests {
    use super::*;

    /// newsie's tokenisation and casing channel equal the reference's on the
    /// parity fixture (ids, byte offsets, type ids).
    #[test]
    fn tokenization_matches_reference() {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tiny-bert");
        let ex = Extractor::builder().model(dir.to_str().unwrap()).relations(false).build().unwrap();
        let exp: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join("expected.json")).unwrap()).unwrap();
        for c in exp["cases"].as_array().unwrap() {
            let text = c["text"].as_str().unwrap();
            let t = ex.tokenize(text).unwrap();
            let ids: Vec<u32> = c["ids"].as_array().unwrap().iter().map(|v| v.as_u64().unwrap() as u32).collect();
            let types: Vec<u32> =
                c["type_ids"].as_array().unwrap().iter().map(|v| v.as_u64().unwrap() as u32).collect();
            let offs: Vec<(usize, usize)> = c["offsets"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| (p[0].as_u64().unwrap() as usize, p[1].as_u64().unwrap() as usize))
                .collect();
            assert_eq!(t.ids, ids[1..ids.len() - 1], "{text}");
            assert_eq!(t.type_ids, types[1..types.len() - 1], "{text}");
            assert_eq!(t.offsets, offs, "{text}");
        }
    }
}

#[cfg(test)]
mod window_tests {
    use super::*;

    fn tokens(sentence_lens: &[usize]) -> Encoding {
        let mut t = Encoding::default();
        for &n in sentence_lens {
            let first = t.ids.len();
            t.ids.extend(std::iter::repeat_n(7, n));
            t.type_ids.extend(std::iter::repeat_n(0, n));
            t.offsets.extend((first..first + n).map(|i| (i, i + 1)));
            t.sentences.push(first..first + n);
            t.sentence_tokens.push(first..first + n);
        }
        t
    }

    fn extractor(window: usize, overlap: usize) -> Extractor {
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tiny-bert");
        Extractor::builder()
            .model(dir.to_str().unwrap())
            .relations(false)
            .window_tokens(window)
            .overlap_tokens(overlap)
            .build()
            .unwrap()
    }

    /// Every token is in exactly one window core, cores lie inside their
    /// windows, windows respect the budget, whole sentences stay together.
    #[test]
    fn cores_partition_the_tokens() {
        let ex = extractor(34, 8); // 32 content tokens
        for lens in [vec![], vec![5], vec![10, 10, 10, 10], vec![3, 100, 4], vec![33], vec![32, 32, 1], vec![200]] {
            let t = tokens(&lens);
            let mut w = Vec::new();
            ex.windows(0, &t, &mut w);
            let mut covered = vec![0u32; t.ids.len()];
            for win in &w {
                assert!(win.end - win.start <= 32, "{lens:?}: {win:?}");
                assert!(win.start <= win.core_start && win.core_start < win.core_end && win.core_end <= win.end);
                for c in &mut covered[win.core_start..win.core_end] {
                    *c += 1;
                }
            }
            assert!(covered.iter().all(|&c| c == 1), "{lens:?}: {covered:?}");
            if lens == vec![10, 10, 10, 10] {
                assert_eq!(w.len(), 2, "three sentences of 10 fit in 32 tokens");
            }
        }
    }
}
