//! The model registry: `models.toml`.
//!
//! Each `[[model]]` entry names a model and says where its files are: `path`,
//! a folder relative to the registry file (the shipped models), or `hub` plus
//! `revision`, a Hugging Face repository fetched into the user cache by the
//! `download` feature. Exactly one entry is `default = true`.

use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

const BUILTIN: &str = include_str!("../models.toml");

/// One registered model.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelEntry {
    /// The name users pass to `--model` / [`crate::ExtractorBuilder::model`].
    pub name: String,
    /// The shipped default.
    #[serde(default)]
    pub default: bool,
    /// A folder relative to the registry file.
    #[serde(default)]
    pub path: Option<String>,
    /// A Hugging Face repository id, e.g. `dslim/bert-base-NER`.
    #[serde(default)]
    pub hub: Option<String>,
    /// The hub revision (branch, tag or commit).
    #[serde(default)]
    pub revision: Option<String>,
    /// Files to fetch from the hub; the first of any `a|b` group that exists is enough.
    #[serde(default)]
    pub files: Vec<String>,
    /// Label scheme of the model (`BIO`, `IOB1`, `BIOES`, ...), informational.
    pub scheme: String,
    /// License of the weights.
    pub license: String,
    /// Size of the weights file in MB.
    pub size_mb: f64,
    /// Parameter count.
    #[serde(default)]
    pub parameters: Option<u64>,
    /// Short description.
    #[serde(default)]
    pub description: Option<String>,
    /// Measured scores (name → value), e.g. `conll2003_testb_f1`.
    #[serde(default)]
    pub scores: BTreeMap<String, f64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RegistryFile {
    model: Vec<ModelEntry>,
}

/// The parsed registry.
#[derive(Debug, Clone)]
pub struct Registry {
    entries: Vec<ModelEntry>,
    /// Folder that `path` entries are relative to.
    base: PathBuf,
}

impl Registry {
    /// The registry compiled into the crate (`models.toml` at the crate root);
    /// shipped model paths resolve against the crate's folder.
    ///
    /// # Errors
    /// [`Error::Registry`] if the built-in file is invalid (a bug).
    pub fn builtin() -> Result<Registry> {
        Self::parse(BUILTIN, "models.toml (built-in)", PathBuf::from(env!("CARGO_MANIFEST_DIR")))
    }

    /// A registry file; `path` entries resolve against its folder.
    ///
    /// # Errors
    /// [`Error::Io`] if unreadable, [`Error::Registry`] if invalid.
    pub fn from_path(path: &Path) -> Result<Registry> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::Io { path: path.into(), source: e })?;
        let base = path.parent().map(Path::to_path_buf).unwrap_or_default();
        Self::parse(&text, &path.display().to_string(), base)
    }

    /// Parses registry text.
    ///
    /// # Errors
    /// [`Error::Registry`] naming `origin` and the entry at fault.
    pub fn parse(text: &str, origin: &str, base: PathBuf) -> Result<Registry> {
        let file: RegistryFile = toml::from_str(text).map_err(|e| Error::Registry(format!("{origin}: {e}")))?;
        let defaults = file.model.iter().filter(|m| m.default).count();
        if defaults != 1 {
            return Err(Error::Registry(format!(
                "{origin}: exactly one model must be default = true, found {defaults}"
            )));
        }
        for m in &file.model {
            match (&m.path, &m.hub) {
                (Some(_), None) => {}
                (None, Some(_)) if m.revision.is_some() && !m.files.is_empty() => {}
                (None, Some(_)) => {
                    return Err(Error::Registry(format!(
                        "{origin}: model {:?}: a hub entry needs revision and files",
                        m.name
                    )))
                }
                _ => {
                    return Err(Error::Registry(format!(
                        "{origin}: model {:?}: set exactly one of path and hub",
                        m.name
                    )))
                }
            }
            if file.model.iter().filter(|o| o.name == m.name).count() > 1 {
                return Err(Error::Registry(format!("{origin}: model {:?} is listed twice", m.name)));
            }
        }
        Ok(Registry { entries: file.model, base })
    }

    /// All entries.
    pub fn entries(&self) -> &[ModelEntry] {
        &self.entries
    }

    /// Entry names.
    pub fn names(&self) -> Vec<&str> {
        self.entries.iter().map(|m| m.name.as_str()).collect()
    }

    /// The entry called `name`.
    pub fn get(&self, name: &str) -> Option<&ModelEntry> {
        self.entries.iter().find(|m| m.name == name)
    }

    /// The default entry.
    ///
    /// # Errors
    /// Never for a parsed registry; kept fallible for custom registries.
    pub fn default_model(&self) -> Result<&ModelEntry> {
        self.entries.iter().find(|m| m.default).ok_or_else(|| Error::Registry("no default model".into()))
    }

    /// The local folder of an entry: its `path`, or for a hub entry its cache
    /// folder (downloaded first when the `download` feature is on).
    ///
    /// # Errors
    /// [`Error::ModelNotInstalled`] if a `path` entry's folder is missing (a
    /// packaged newsie without its model; the message says how to get it);
    /// [`Error::Registry`] if a hub model is not in the cache and cannot be
    /// downloaded; [`Error::Download`] if the download fails.
    pub fn resolve(&self, entry: &ModelEntry) -> Result<PathBuf> {
        if let Some(p) = &entry.path {
            let dir = self.base.join(p);
            if !dir.is_dir() {
                return Err(Error::ModelNotInstalled { model: entry.name.clone(), path: dir, size_mb: entry.size_mb });
            }
            return Ok(dir);
        }
        let (Some(repo), Some(rev)) = (&entry.hub, &entry.revision) else {
            return Err(Error::Registry(format!("model {:?} has no location", entry.name)));
        };
        let dir = cache_dir()?.join(repo.replace('/', "--")).join(rev);
        if dir.join("config.json").is_file() && dir.join(".complete").is_file() {
            return Ok(dir);
        }
        #[cfg(feature = "download")]
        {
            crate::download::fetch(&crate::download::endpoint(), repo, rev, &entry.files, &dir)?;
            Ok(dir)
        }
        #[cfg(not(feature = "download"))]
        Err(Error::Registry(format!(
            "model {:?} is not in the cache ({}); build with the `download` feature to fetch it from the hub, or pass a model folder",
            entry.name,
            dir.display()
        )))
    }
}

/// The model cache: `$NEWSIE_CACHE`, else `$XDG_CACHE_HOME/newsie`, else `~/.cache/newsie`.
///
/// # Errors
/// [`Error::Registry`] if none of these can be determined.
pub fn cache_dir() -> Result<PathBuf> {
    if let Some(p) = std::env::var_os("NEWSIE_CACHE") {
        return Ok(PathBuf::from(p));
    }
    if let Some(p) = std::env::var_os("XDG_CACHE_HOME") {
        return Ok(PathBuf::from(p).join("newsie"));
    }
    std::env::var_os("HOME")
        .map(|h| PathBuf::from(h).join(".cache").join("newsie"))
        .ok_or_else(|| Error::Registry("no cache folder: set NEWSIE_CACHE".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_registry_is_valid() {
        let r = Registry::builtin().unwrap();
        let d = r.default_model().unwrap();
        assert!(d.path.is_some(), "the default model must ship in the repo");
        assert!(r.get("dslim/bert-base-NER").is_some());
    }

    #[test]
    fn rejects_bad_registries() {
        let base = PathBuf::new();
        let two = "[[model]]\nname='a'\ndefault=true\npath='x'\nscheme='BIO'\nlicense='MIT'\nsize_mb=1\n\
                   [[model]]\nname='b'\ndefault=true\npath='y'\nscheme='BIO'\nlicense='MIT'\nsize_mb=1\n";
        assert!(Registry::parse(two, "t", base.clone()).unwrap_err().to_string().contains("exactly one"));
        let both = "[[model]]\nname='a'\ndefault=true\npath='x'\nhub='o/r'\nscheme='BIO'\nlicense='MIT'\nsize_mb=1\n";
        assert!(Registry::parse(both, "t", base.clone())
            .unwrap_err()
            .to_string()
            .contains("exactly one of path and hub"));
        let unknown =
            "[[model]]\nname='a'\ndefault=true\npath='x'\nscheme='BIO'\nlicense='MIT'\nsize_mb=1\ncolour='red'\n";
        assert!(Registry::parse(unknown, "t", base).unwrap_err().to_string().contains("colour"));
    }
}
