//! `newsie._newsie`: the compiled half of the Python package. It holds one
//! [`newsie::Extractor`] per Python `Extractor` and hands documents over as
//! JSON text (the same serialisation as `extract --format json`); the Python
//! half (`newsie/__init__.py`) turns them into dicts and adds `pipe`,
//! progress and `to_displacy`.
//!
//! The GIL is released while text is read, so Python threads run extractions
//! side by side on one extractor (it is `Send + Sync`).

use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyValueError};
use pyo3::prelude::*;

create_exception!(_newsie, NewsieError, PyException, "An error reported by newsie (model, rules or input).");

/// The library's error as a Python exception: its message and causes
/// (`newsie::Error`'s `Debug` is that text).
fn to_py(e: newsie::Error) -> PyErr {
    NewsieError::new_err(format!("{e:?}"))
}

fn json_err(e: serde_json::Error) -> PyErr {
    PyValueError::new_err(format!("document JSON: {e}"))
}

/// A loaded model plus settings (see `newsie.Extractor`).
#[pyclass(frozen, module = "newsie._newsie")]
struct Engine {
    inner: newsie::Extractor,
}

#[pymethods]
impl Engine {
    #[new]
    // One argument per Python keyword argument of `newsie.Extractor`.
    #[allow(clippy::too_many_arguments)]
    #[pyo3(signature = (model=None, threads=None, relations=true, batch_size=None, rules=None, aggregation=None, precision=None, words=false, lexicon=None, use_lexicon=true, consistent_types=true))]
    fn new(
        py: Python<'_>,
        model: Option<String>,
        threads: Option<usize>,
        relations: bool,
        batch_size: Option<usize>,
        rules: Option<String>,
        aggregation: Option<String>,
        precision: Option<String>,
        words: bool,
        lexicon: Option<String>,
        use_lexicon: bool,
        consistent_types: bool,
    ) -> PyResult<Self> {
        let mut b = newsie::Extractor::builder().relations(relations).words(words).consistent_types(consistent_types);
        if !use_lexicon {
            b = b.lexicon(newsie::Lexicon::default());
        } else if let Some(path) = lexicon {
            b = b.lexicon(newsie::Lexicon::from_path(path).map_err(to_py)?);
        }
        if let Some(m) = model {
            b = b.model(m);
        }
        if let Some(n) = threads {
            b = b.threads(n);
        }
        if let Some(n) = batch_size {
            b = b.batch_size(n);
        }
        if let Some(a) = aggregation {
            b = b.aggregation(a.parse().map_err(to_py)?);
        }
        if let Some(p) = precision {
            b = b.precision(p.parse().map_err(to_py)?);
        }
        if let Some(path) = rules {
            b = b.rules(newsie::RuleSet::from_path(path).map_err(to_py)?);
        }
        let inner = py.detach(|| b.build()).map_err(to_py)?;
        Ok(Engine { inner })
    }

    /// The folder the model was loaded from.
    #[getter]
    fn model_dir(&self) -> String {
        self.inner.model_dir().display().to_string()
    }

    /// One text as a JSON document.
    fn extract_json(&self, py: Python<'_>, text: String) -> PyResult<String> {
        let doc = py.detach(|| self.inner.extract(&text)).map_err(to_py)?;
        serde_json::to_string(&doc).map_err(json_err)
    }

    /// Many texts (one batch, windows pooled) as JSON documents, in order.
    fn extract_batch_json(&self, py: Python<'_>, texts: Vec<String>) -> PyResult<Vec<String>> {
        py.detach(|| {
            let docs = self.inner.extract_batch(&texts).map_err(to_py)?;
            docs.iter().map(|d| serde_json::to_string(d).map_err(json_err)).collect()
        })
    }

    /// The HTML page for `text` and its document (JSON, as returned above).
    fn render_html(&self, py: Python<'_>, text: String, doc_json: String, title: String) -> PyResult<String> {
        let doc: newsie::Document = serde_json::from_str(&doc_json).map_err(json_err)?;
        Ok(py.detach(|| newsie::html::render(&text, &doc, &title, self.inner.rules())))
    }
}

/// The compiled module.
#[pymodule]
fn _newsie(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Engine>()?;
    m.add("NewsieError", m.py().get_type::<NewsieError>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
