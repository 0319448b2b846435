//! The rust-bert / tch (libtorch) backend, behind the `rust-bert` cargo feature.
//!
//! It runs the same safetensors weights through rust-bert's
//! `BertForTokenClassification` on libtorch 2.4.0 (see
//! `scripts/setup-libtorch.sh`). Tokenisation, windowing, decoding and relations
//! stay shared with the candle backend: only [`Backend::forward`] differs.

use crate::error::{Error, Result};
use crate::model::{Backend, ModelFiles};

/// Loads the model in `files` on libtorch.
#[cfg(not(feature = "rust-bert"))]
pub(crate) fn load(_files: &ModelFiles, _threads: Option<usize>) -> Result<Box<dyn Backend>> {
    Err(Error::Config(
        "the rust-bert backend is not compiled in: build with `--features rust-bert` (needs libtorch 2.4.0, see scripts/setup-libtorch.sh)".into(),
    ))
}

#[cfg(feature = "rust-bert")]
pub(crate) use imp::load;

#[cfg(feature = "rust-bert")]
mod imp {
    use super::*;
    use crate::model::{Architecture, ModelInput};
    use ndarray::Array3;
    use rust_bert::bert::{BertConfig, BertForTokenClassification};
    use rust_bert::Activation;
    use std::collections::HashMap;
    use std::panic::{catch_unwind, AssertUnwindSafe};
    use tch::{nn, Device, Kind, Tensor};

    /// rust-bert's BERT token classifier on libtorch (CPU). tch tensors are
    /// `Send` but not `Sync`, so calls from several threads take turns; each
    /// call uses libtorch's own thread pool.
    struct TchModel {
        model: std::sync::Mutex<(BertForTokenClassification, nn::VarStore)>,
        num_labels: usize,
        max_positions: usize,
    }

    impl std::fmt::Debug for TchModel {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.debug_struct("TchModel").field("num_labels", &self.num_labels).finish_non_exhaustive()
        }
    }

    pub(crate) fn load(files: &ModelFiles, threads: Option<usize>) -> Result<Box<dyn Backend>> {
        let cfg = &files.config;
        let cfg_path = files.dir.join("config.json");
        if files.config.arch() != Architecture::Bert {
            return Err(Error::invalid_model(
                &cfg_path,
                format!(
                    "the rust-bert backend runs BERT token classifiers; this model is {:?} (use the candle backend)",
                    files.config.arch()
                ),
            ));
        }
        let hidden_act = match cfg.hidden_act.as_str() {
            "gelu" => Activation::gelu,
            "gelu_new" | "gelu_pytorch_tanh" => Activation::gelu_new,
            "relu" => Activation::relu,
            other => {
                return Err(Error::invalid_model(
                    &cfg_path,
                    format!("activation {other:?} is not supported by rust-bert"),
                ))
            }
        };
        let id2label: HashMap<i64, String> =
            (0..files.labels.len()).map(|i| (i as i64, files.labels.name(i).to_string())).collect();
        let config = BertConfig {
            hidden_act,
            attention_probs_dropout_prob: 0.0,
            hidden_dropout_prob: 0.0,
            hidden_size: cfg.hidden_size as i64,
            initializer_range: 0.02,
            intermediate_size: cfg.intermediate_size as i64,
            max_position_embeddings: cfg.max_position_embeddings as i64,
            num_attention_heads: cfg.num_attention_heads as i64,
            num_hidden_layers: cfg.num_hidden_layers as i64,
            type_vocab_size: cfg.type_vocab_size.max(1) as i64,
            vocab_size: cfg.vocab_size as i64,
            output_attentions: Some(false),
            output_hidden_states: Some(false),
            is_decoder: Some(false),
            label2id: Some(id2label.iter().map(|(k, v)| (v.clone(), *k)).collect()),
            id2label: Some(id2label),
        };
        if let Some(n) = threads {
            tch::set_num_threads(n as i32);
        }
        let weights = files.weights();
        if !weights.is_file() {
            return Err(Error::MissingFile { path: weights, hint: "the model's weights (model.safetensors)".into() });
        }
        let mut vs = nn::VarStore::new(Device::Cpu);
        let model = BertForTokenClassification::new(vs.root(), &config)
            .map_err(|e| Error::invalid_model_src(&cfg_path, "rust-bert cannot build the model", e))?;
        vs.load(&weights).map_err(|e| Error::invalid_model_src(&weights, "rust-bert cannot load the weights", e))?;
        Ok(Box::new(TchModel {
            model: std::sync::Mutex::new((model, vs)),
            num_labels: files.labels.len(),
            max_positions: cfg.max_position_embeddings,
        }))
    }

    impl Backend for TchModel {
        fn forward(&self, input: &ModelInput<'_>) -> Result<Array3<f32>> {
            input.check()?;
            if input.seq_len > self.max_positions {
                return Err(Error::Config(format!(
                    "window of {} tokens exceeds the model's {} positions",
                    input.seq_len, self.max_positions
                )));
            }
            let (b, s) = (input.batch as i64, input.seq_len as i64);
            let to_tensor =
                |v: &[u32]| Tensor::from_slice(&v.iter().map(|&x| x as i64).collect::<Vec<i64>>()).view([b, s]);
            // rust-bert unwraps internally; a libtorch error must not become a panic for our callers.
            let guard = self.model.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            let logits = catch_unwind(AssertUnwindSafe(|| {
                tch::no_grad(|| {
                    let ids = to_tensor(input.input_ids);
                    let types = to_tensor(input.type_ids);
                    let mask = to_tensor(input.attention_mask);
                    let out = guard.0.forward_t(Some(&ids), Some(&mask), Some(&types), None, None, false);
                    out.logits.to_kind(Kind::Float).contiguous()
                })
            }))
            .map_err(|p| {
                let msg = p
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_else(|| "libtorch failed".into());
                Error::Inference(msg.into())
            })?;
            let n = (b * s) as usize * self.num_labels;
            let mut data = vec![0f32; n];
            logits.f_copy_data(&mut data, n).map_err(|e| Error::Inference(Box::new(e)))?;
            Array3::from_shape_vec((b as usize, s as usize, self.num_labels), data)
                .map_err(|e| Error::Inference(Box::new(e)))
        }

        fn name(&self) -> &'static str {
            "rust-bert"
        }
    }
}
