//! Which model folder an extractor loads: the registry's default, a registry
//! name, or a folder path.

use std::path::PathBuf;

use crate::error::{Error, Result};
use crate::registry::Registry;

/// Where the model comes from.
#[derive(Debug, Clone, Default)]
pub(crate) enum ModelChoice {
    /// The registry's default model.
    #[default]
    Default,
    /// A folder path, or else a registry name.
    NameOrDir(String),
}

/// The model folder for `choice`, using `registry` (a path) or the built-in
/// `models.toml`. Hub models are fetched into the cache (feature `download`).
pub(crate) fn model_dir(choice: &ModelChoice, registry: Option<&PathBuf>) -> Result<PathBuf> {
    let registry = match registry {
        Some(p) => Registry::from_path(p)?,
        None => Registry::builtin()?,
    };
    match choice {
        ModelChoice::Default => registry.resolve(registry.default_model()?),
        ModelChoice::NameOrDir(s) => {
            let p = PathBuf::from(s);
            if p.is_dir() {
                Ok(p)
            } else if let Some(entry) = registry.get(s) {
                registry.resolve(entry)
            } else {
                Err(Error::Registry(format!(
                    "{s:?} is neither a model folder nor a model in the registry (known: {})",
                    registry.names().join(", ")
                )))
            }
        }
    }
}
