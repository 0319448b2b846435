//! The rust-bert / tch (libtorch) backend, behind the `rust-bert` cargo feature.

use crate::error::{Error, Result};
use crate::model::{Backend, ModelFiles};

/// Loads the model in `files` on libtorch.
pub(crate) fn load(_files: &ModelFiles) -> Result<Box<dyn Backend>> {
    Err(Error::Config(
        "the rust-bert backend is not compiled in: build with `--features rust-bert` (needs libtorch 2.4.0, see scripts/setup-libtorch.sh)".into(),
    ))
}
