//! The one public error type.

use std::path::PathBuf;

/// Everything that can go wrong in newsie. Sources are kept: use
/// [`std::error::Error::source`] to walk the chain.
///
/// `Debug` prints the message and each cause it does not already quote, so a
/// `fn main() -> Result<(), newsie::Error>` shows users a readable error.
#[derive(thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// A model file is missing from the model folder.
    #[error("model file missing: {path} ({hint})")]
    MissingFile {
        /// The expected file.
        path: PathBuf,
        /// What was expected there.
        hint: String,
    },
    /// A model file exists but cannot be used: bad JSON, corrupt weights,
    /// unsupported architecture, unknown label scheme.
    #[error("invalid model file {path}: {message}")]
    InvalidModel {
        /// The file at fault.
        path: PathBuf,
        /// What is wrong with it.
        message: String,
        /// The underlying error, if any.
        #[source]
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    },
    /// The tokenizer failed on an input.
    #[error("tokenizer error: {0}")]
    Tokenizer(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// The model backend failed while running.
    #[error("model inference failed: {0}")]
    Inference(#[source] Box<dyn std::error::Error + Send + Sync>),
    /// A relation rule file is invalid.
    #[error("invalid rule file {file}{}{}: {message}",
        rule.as_ref().map(|r| format!(", rule `{r}`")).unwrap_or_default(),
        field.as_ref().map(|f| format!(", field `{f}`")).unwrap_or_default())]
    Rules {
        /// The rule file (or `<built-in>`).
        file: String,
        /// The rule at fault, if one is.
        rule: Option<String>,
        /// The field at fault, if one is.
        field: Option<String>,
        /// What is wrong.
        message: String,
    },
    /// The model registry (`models.toml`) is invalid or has no such model.
    #[error("model registry: {0}")]
    Registry(String),
    /// A shipped model's folder is not there: newsie was installed from a
    /// package (crates.io, a wheel), which cannot carry the model's weights.
    /// The message says how to get the model.
    #[error(
        "model {model:?} is not installed: {path} does not exist. A newsie installed from a package \
         (crates.io holds at most 10 MB; the model is {size_mb} MB) comes without its model. Get the folder \
         `models/{model}` from a checkout of the newsie repository (same version), then point newsie at it: \
         set NEWSIE_MODEL=/path/to/{model}, or call ExtractorBuilder::model(\"/path/to/{model}\") \
         (`--model DIR` in the examples, `Extractor(model=...)` in Python)"
    )]
    ModelNotInstalled {
        /// The registry name of the model.
        model: String,
        /// Where the model was expected.
        path: PathBuf,
        /// The size of its weights in MB.
        size_mb: f64,
    },
    /// A model download failed (feature `download`).
    #[error("download of {url} failed: {message}")]
    Download {
        /// The address asked for.
        url: String,
        /// What went wrong.
        message: String,
    },
    /// A builder or call option is out of range.
    #[error("invalid configuration: {0}")]
    Config(String),
}

impl std::fmt::Debug for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut message = self.to_string();
        let mut source = std::error::Error::source(self);
        while let Some(cause) = source {
            // Some messages already quote their cause.
            let cause_text = cause.to_string();
            if !message.contains(&cause_text) {
                message.push_str(": ");
                message.push_str(&cause_text);
            }
            source = cause.source();
        }
        f.write_str(&message)
    }
}

/// Shorthand for `Result<T, newsie::Error>`.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    pub(crate) fn invalid_model(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Error::InvalidModel { path: path.into(), message: message.into(), source: None }
    }

    pub(crate) fn invalid_model_src<E>(path: impl Into<PathBuf>, message: impl Into<String>, e: E) -> Self
    where
        E: std::error::Error + Send + Sync + 'static,
    {
        Error::InvalidModel { path: path.into(), message: message.into(), source: Some(Box::new(e)) }
    }
}

impl From<candle_core::Error> for Error {
    fn from(e: candle_core::Error) -> Self {
        Error::Inference(Box::new(e))
    }
}
