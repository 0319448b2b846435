//! Which model folder an extractor loads: the registry's default (or
//! `$NEWSIE_MODEL`), a registry name, or a folder path.

use std::path::PathBuf;

use crate::error::{Error, Result};
use crate::registry::Registry;

/// The environment variable that replaces the registry default: a model
/// folder or a registry name. An explicit `ExtractorBuilder::model` wins over it.
pub const MODEL_ENV: &str = "NEWSIE_MODEL";

/// Where the model comes from.
#[derive(Debug, Clone, Default)]
pub(crate) enum ModelChoice {
    /// The registry's default model (or `$NEWSIE_MODEL`).
    #[default]
    Default,
    /// A folder path, or else a registry name.
    NameOrDir(String),
}

/// The model folder for `choice`, using `registry` (a path) or the built-in
/// `models.toml`. The default choice is `$NEWSIE_MODEL` when that is set (and
/// not empty), else the registry's default. Hub models are fetched into the
/// cache (feature `download`).
pub(crate) fn model_dir(choice: &ModelChoice, registry: Option<&PathBuf>) -> Result<PathBuf> {
    let env = std::env::var(MODEL_ENV).ok().filter(|v| !v.trim().is_empty());
    model_dir_with(choice, registry, env)
}

/// [`model_dir`] with the environment's value passed in.
pub(crate) fn model_dir_with(choice: &ModelChoice, registry: Option<&PathBuf>, env: Option<String>) -> Result<PathBuf> {
    let registry = match registry {
        Some(p) => Registry::from_path(p)?,
        None => Registry::builtin()?,
    };
    let (name_or_dir, origin) = match (choice, env) {
        (ModelChoice::NameOrDir(s), _) => (s.clone(), ""),
        (ModelChoice::Default, Some(v)) => (v, " (from $NEWSIE_MODEL)"),
        (ModelChoice::Default, None) => return registry.resolve(registry.default_model()?),
    };
    let p = PathBuf::from(&name_or_dir);
    if p.is_dir() {
        Ok(p)
    } else if let Some(entry) = registry.get(&name_or_dir) {
        registry.resolve(entry)
    } else {
        Err(Error::Registry(format!(
            "{name_or_dir:?}{origin} is neither a model folder nor a model in the registry (known: {})",
            registry.names().join(", ")
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn registry_file(dir: &std::path::Path, model_path: &str) -> PathBuf {
        let p = dir.join("models.toml");
        std::fs::write(
            &p,
            format!(
                "[[model]]\nname = \"newsie-minilm-conll\"\ndefault = true\npath = \"{model_path}\"\n\
                 scheme = \"BIO\"\nlicense = \"Apache-2.0\"\nsize_mb = 45.2\n"
            ),
        )
        .unwrap();
        p
    }

    #[test]
    fn a_packaged_crate_without_its_model_says_how_to_get_it() {
        let tmp = tempfile::tempdir().unwrap();
        let reg = registry_file(tmp.path(), "models/newsie-minilm-conll");
        let err = model_dir_with(&ModelChoice::Default, Some(&reg), None).unwrap_err();
        assert!(matches!(err, Error::ModelNotInstalled { .. }), "{err:?}");
        let msg = err.to_string();
        for needle in ["newsie-minilm-conll", "NEWSIE_MODEL", "ExtractorBuilder::model", "45.2 MB", "does not exist"] {
            assert!(msg.contains(needle), "{needle:?} missing from: {msg}");
        }
    }

    #[test]
    fn newsie_model_replaces_the_default_but_not_an_explicit_choice() {
        let tmp = tempfile::tempdir().unwrap();
        let reg = registry_file(tmp.path(), "shipped");
        std::fs::create_dir(tmp.path().join("shipped")).unwrap();
        std::fs::create_dir(tmp.path().join("mine")).unwrap();
        let mine = tmp.path().join("mine").display().to_string();
        let shipped = tmp.path().join("shipped");
        assert_eq!(model_dir_with(&ModelChoice::Default, Some(&reg), None).unwrap(), shipped);
        assert_eq!(
            model_dir_with(&ModelChoice::Default, Some(&reg), Some(mine.clone())).unwrap().display().to_string(),
            mine
        );
        let explicit = ModelChoice::NameOrDir("newsie-minilm-conll".into());
        assert_eq!(model_dir_with(&explicit, Some(&reg), Some(mine)).unwrap(), shipped);
        let err = model_dir_with(&ModelChoice::Default, Some(&reg), Some("nope".into())).unwrap_err().to_string();
        assert!(err.contains("$NEWSIE_MODEL") && err.contains("nope"), "{err}");
    }
}
