//! The candle backend: BERT, RoBERTa/XLM-R and DistilBERT token classifiers.
//!
//! - `layers`: the encoder's layers as candle modules, loaded by `vb.pp(..)`
//!   paths that mirror the checkpoint's keys (hub checkpoints load as they are);
//!   their op graph is [`CandleModel::forward_unfused`], the reference;
//! - `weights`: every weight named once, as tensors or as borrowed slices;
//! - `fused`: the fast CPU forward over those slices;
//! - `gemm`: matrix products, the crate's one checked `unsafe` call, and the
//!   panel layout dense weights are stored in;
//! - `qgemm`: int8 matrix products ([`Precision::Int8`]) and their kernels;
//! - `kernels`: SIMD attention, layer norm, GELU, `exp`.

mod fused;
mod gemm;
mod kernels;
mod layers;
mod qgemm;
mod weights;

pub use self::qgemm::Int8Kernel;

use candle_core::{DType, Device, Module, Tensor};
use candle_nn::{Embedding, Linear, VarBuilder};
use ndarray::Array3;
use std::path::{Path, PathBuf};

use self::fused::{Activation, Dims, Int8Weights, Packed, QLayer, Row, ScratchPool};
use self::layers::{Act, Layer, LayerNorm};
use self::qgemm::QMatrix;
use self::weights::{Borrowed, LayerWeights, Weights};
use super::config::{Architecture, ModelConfig};
use super::{Backend, ModelInput, Precision};
use crate::error::{Error, Result};

/// A transformer token classifier running on candle (CPU; f32, or int8 dense
/// layers with [`CandleModel::with_precision`]).
#[derive(Debug)]
pub struct CandleModel {
    word: Embedding,
    position: Embedding,
    token_type: Option<Embedding>,
    emb_norm: LayerNorm,
    layers: Vec<Layer>,
    classifier: Linear,
    arch: Architecture,
    pad_id: u32,
    max_tokens: usize,
    dims: Dims,
    scratch: ScratchPool,
    int8: Option<Int8Weights>,
    device: Device,
}

impl CandleModel {
    /// Loads `model.safetensors` for the given config (its architecture and
    /// number of labels).
    ///
    /// # Errors
    /// [`Error::MissingFile`] if the weights are absent, [`Error::InvalidModel`]
    /// if they are corrupt or lack a tensor the config calls for.
    pub fn load(weights: &Path, cfg: &ModelConfig) -> Result<Self> {
        if !weights.is_file() {
            return Err(Error::MissingFile {
                path: weights.into(),
                hint: "the model's weights (model.safetensors)".into(),
            });
        }
        let data = std::fs::read(weights).map_err(|e| Error::Io { path: weights.into(), source: e })?;
        let device = Device::Cpu;
        let vb = VarBuilder::from_buffered_safetensors(data, DType::F32, &device)
            .map_err(|e| Error::invalid_model_src(weights, "not a readable safetensors file", e))?;
        Self::from_var_builder(vb, cfg)
            .map_err(|e| Error::invalid_model_src(PathBuf::from(weights), "weights do not match config.json", e))
    }

    fn from_var_builder(vb: VarBuilder, cfg: &ModelConfig) -> candle_core::Result<Self> {
        gemm::tune_gemm();
        let (arch, num_labels) = (cfg.arch(), cfg.num_labels());
        let act = match cfg.hidden_act.as_str() {
            "gelu" => Act::GeluErf,
            "relu" => Act::Relu,
            _ => Act::GeluTanh,
        };
        let enc = if vb.contains_tensor(&format!("{}.embeddings.word_embeddings.weight", arch.prefix())) {
            vb.pp(arch.prefix())
        } else {
            vb.clone()
        };
        let h = cfg.hidden_size;
        let e = enc.pp("embeddings");
        let word = candle_nn::embedding(cfg.vocab_size, h, e.pp("word_embeddings"))?;
        let position = candle_nn::embedding(cfg.max_position_embeddings, h, e.pp("position_embeddings"))?;
        let token_type = if cfg.type_vocab_size > 0 && arch != Architecture::DistilBert {
            Some(candle_nn::embedding(cfg.type_vocab_size, h, e.pp("token_type_embeddings"))?)
        } else {
            None
        };
        let emb_norm = LayerNorm::load(e.pp("LayerNorm"), h, cfg.layer_norm_eps)?;
        let layer_root = match arch {
            Architecture::DistilBert => enc.pp("transformer").pp("layer"),
            _ => enc.pp("encoder").pp("layer"),
        };
        let layers = (0..cfg.num_hidden_layers)
            .map(|i| Layer::load(layer_root.pp(i), cfg, act))
            .collect::<candle_core::Result<Vec<_>>>()?;
        let classifier = candle_nn::linear(h, num_labels, vb.pp("classifier"))?;
        Ok(CandleModel {
            word,
            position,
            token_type,
            emb_norm,
            layers,
            classifier,
            arch,
            pad_id: cfg.pad_id(),
            max_tokens: cfg.max_tokens(),
            dims: Dims {
                hidden: h,
                intermediate: cfg.intermediate_size,
                heads: cfg.num_attention_heads,
                labels: num_labels,
                eps: cfg.layer_norm_eps as f32,
                act: match act {
                    Act::GeluErf => Activation::GeluErf,
                    Act::GeluTanh => Activation::GeluTanh,
                    Act::Relu => Activation::Relu,
                },
            },
            scratch: ScratchPool::default(),
            int8: None,
            device: vb.device().clone(),
        })
    }

    /// The model at `precision`. For [`Precision::Int8`] the dense weights are
    /// quantised now, and the kernel is the fastest this CPU runs
    /// ([`Int8Kernel::detect`]) unless the environment variable
    /// `NEWSIE_INT8_KERNEL` names one (`amx`, `vnni`, `portable`).
    ///
    /// # Errors
    /// [`Error::Config`] if `NEWSIE_INT8_KERNEL` names an unknown kernel or one
    /// this CPU cannot run; [`Error::Inference`] if the weights cannot be
    /// read back.
    pub fn with_precision(self, precision: Precision) -> Result<Self> {
        match precision {
            Precision::F32 => Ok(CandleModel { int8: None, ..self }),
            Precision::Int8 => {
                let kernel = match std::env::var("NEWSIE_INT8_KERNEL") {
                    Ok(name) => Int8Kernel::parse(&name).ok_or_else(|| {
                        Error::Config(format!("NEWSIE_INT8_KERNEL={name:?}: expected amx, vnni or portable"))
                    })?,
                    Err(_) => Int8Kernel::detect(),
                };
                self.with_int8_kernel(kernel)
            }
        }
    }

    /// The model with int8 dense layers run by `kernel`.
    ///
    /// # Errors
    /// [`Error::Config`] if this CPU cannot run `kernel`.
    pub fn with_int8_kernel(self, kernel: Int8Kernel) -> Result<Self> {
        if !kernel.is_available() {
            return Err(Error::Config(format!("the {kernel:?} int8 kernel does not run on this CPU")));
        }
        let tensors = self.weight_tensors();
        let borrowed = Borrowed::new(&tensors);
        let slices = borrowed
            .as_ref()
            .and_then(Borrowed::slices)
            .ok_or_else(|| Error::Config("int8 needs the weights as contiguous f32 CPU tensors".into()))?;
        let (h, f) = (self.dims.hidden, self.dims.intermediate);
        let quantize = |panels: &[f32], k: usize, n: usize| -> Result<QMatrix> {
            QMatrix::quantize(&gemm::unpack_panels(panels, k, n), k, n).map_err(Error::Config)
        };
        use rayon::prelude::*;
        let layers = slices
            .layers
            .par_iter()
            .map(|l| {
                Ok(QLayer {
                    qkv: quantize(l.qkv_w, h, 3 * h)?,
                    out: quantize(l.out_w, h, h)?,
                    ff_in: quantize(l.ff_in_w, h, f)?,
                    ff_out: quantize(l.ff_out_w, f, h)?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        drop(slices);
        drop(borrowed);
        drop(tensors);
        Ok(CandleModel { int8: Some(Int8Weights { layers, kernel }), ..self })
    }

    /// The precision the model runs at.
    pub fn precision(&self) -> Precision {
        if self.int8.is_some() {
            Precision::Int8
        } else {
            Precision::F32
        }
    }

    /// The int8 kernel in use, if the model runs in int8.
    pub fn int8_kernel(&self) -> Option<Int8Kernel> {
        self.int8.as_ref().map(|q| q.kernel)
    }

    /// The longest window (in tokens, special tokens included) this model accepts.
    pub fn max_tokens(&self) -> usize {
        self.max_tokens
    }

    /// Position ids of one row, as the reference implementation computes them.
    fn positions(&self, mask_row: &[u32], out: &mut Vec<u32>) {
        let mut next = 0u32;
        for &m in mask_row {
            out.push(match self.arch {
                Architecture::Roberta if m == 0 => self.pad_id,
                Architecture::Roberta => {
                    next += 1;
                    self.pad_id + next
                }
                _ => {
                    next += 1;
                    next - 1
                }
            });
        }
    }

    /// The candle op graph, op by op.
    fn run(&self, input: &ModelInput<'_>) -> candle_core::Result<Tensor> {
        let (b, s) = (input.batch, input.seq_len);
        let ids = Tensor::from_slice(input.input_ids, (b, s), &self.device)?;
        let mut positions = Vec::with_capacity(b * s);
        for row in input.attention_mask.chunks(s) {
            self.positions(row, &mut positions);
        }
        let positions = Tensor::from_vec(positions, (b, s), &self.device)?;
        let mut x = (self.word.forward(&ids)? + self.position.forward(&positions)?)?;
        if let Some(tt) = &self.token_type {
            let types = Tensor::from_slice(input.type_ids, (b, s), &self.device)?;
            x = (x + tt.forward(&types)?)?;
        }
        let mut x = self.emb_norm.forward(&x)?;
        let mask: Vec<f32> = input.attention_mask.iter().map(|&m| if m == 0 { -1e9 } else { 0.0 }).collect();
        let mask = Tensor::from_vec(mask, (b, 1, 1, s), &self.device)?;
        for layer in &self.layers {
            x = layer.forward(&x, &mask)?;
        }
        self.classifier.forward(&x)
    }
}

impl CandleModel {
    fn check(&self, input: &ModelInput<'_>) -> Result<()> {
        input.check()?;
        if input.seq_len > self.max_tokens() {
            return Err(Error::Config(format!(
                "window of {} tokens exceeds the model's {} positions",
                input.seq_len,
                self.max_tokens()
            )));
        }
        Ok(())
    }

    /// Logits computed by candle's op graph, one op at a time: the same
    /// function as [`Backend::forward`] (which runs newsie's fused kernels on
    /// the same weights), slower on the CPU, and always in f32. Kept as the reference the fused
    /// path is tested against, and used where the fused path does not apply.
    ///
    /// # Errors
    /// As [`Backend::forward`].
    pub fn forward_unfused(&self, input: &ModelInput<'_>) -> Result<Array3<f32>> {
        self.check(input)?;
        let logits = self.run(input)?;
        let (b, s, l) = logits.dims3()?;
        let data = logits.flatten_all()?.to_vec1::<f32>()?;
        Array3::from_shape_vec((b, s, l), data).map_err(|e| Error::Inference(Box::new(e)))
    }

    /// Every weight tensor the fused path reads, by name.
    fn weight_tensors(&self) -> Weights<&Tensor> {
        Weights {
            word: self.word.embeddings(),
            position: self.position.embeddings(),
            token_type: self.token_type.as_ref().map(Embedding::embeddings),
            emb_norm: (&self.emb_norm.weight, &self.emb_norm.bias),
            layers: self
                .layers
                .iter()
                .map(|l| LayerWeights {
                    qkv_w: &l.qkv.panels,
                    qkv_b: l.qkv.bias.as_ref(),
                    out_w: &l.attn_out.panels,
                    out_b: l.attn_out.bias.as_ref(),
                    norm1: (&l.attn_norm.weight, &l.attn_norm.bias),
                    ff_in_w: &l.ff_in.panels,
                    ff_in_b: l.ff_in.bias.as_ref(),
                    ff_out_w: &l.ff_out.panels,
                    ff_out_b: l.ff_out.bias.as_ref(),
                    norm2: (&l.out_norm.weight, &l.out_norm.bias),
                })
                .collect(),
            classifier_w: self.classifier.weight(),
            classifier_b: self.classifier.bias(),
        }
    }

    /// The fused forward: packs the real tokens of every row, runs the fused
    /// kernels, and scatters the logits back (padding positions get zeros).
    /// `None` when the weights are not contiguous f32 CPU tensors.
    fn forward_fused(&self, input: &ModelInput<'_>) -> Option<Result<Array3<f32>>> {
        let tensors = self.weight_tensors();
        let borrowed = Borrowed::new(&tensors)?;
        let weights = borrowed.slices()?;
        let (b, s) = (input.batch, input.seq_len);
        let mut ids = Vec::with_capacity(b * s);
        let mut types = Vec::with_capacity(b * s);
        let mut positions = Vec::with_capacity(b * s);
        let mut rows = Vec::with_capacity(b);
        let mut row_positions = Vec::with_capacity(s);
        for r in 0..b {
            let span = r * s..(r + 1) * s;
            let mask = &input.attention_mask[span.clone()];
            row_positions.clear();
            self.positions(mask, &mut row_positions);
            let real = mask.iter().take_while(|&&m| m != 0).count();
            // A plain prefix of real tokens is packed alone; any other mask
            // keeps the whole row and masks the keys, as the reference does.
            let (len, key_mask) = if mask[real..].iter().all(|&m| m == 0) {
                (real, None)
            } else {
                (s, Some(mask.iter().map(|&m| m != 0).collect()))
            };
            rows.push(Row { offset: ids.len(), len, key_mask });
            ids.extend_from_slice(&input.input_ids[span.start..span.start + len]);
            types.extend_from_slice(&input.type_ids[span.start..span.start + len]);
            positions.extend_from_slice(&row_positions[..len]);
        }
        let packed = Packed { ids: &ids, positions: &positions, type_ids: &types, rows: &rows };
        let logits = match fused::forward(&weights, &self.dims, &packed, &self.scratch, self.int8.as_ref()) {
            Ok(l) => l,
            Err(msg) => return Some(Err(Error::Config(msg))),
        };
        let labels = self.dims.labels;
        let mut out = Array3::<f32>::zeros((b, s, labels));
        for (r, row) in rows.iter().enumerate() {
            for t in 0..row.len {
                let src = &logits[(row.offset + t) * labels..(row.offset + t + 1) * labels];
                for (l, &v) in src.iter().enumerate() {
                    out[[r, t, l]] = v;
                }
            }
        }
        Some(Ok(out))
    }
}

impl Backend for CandleModel {
    fn forward(&self, input: &ModelInput<'_>) -> Result<Array3<f32>> {
        self.check(input)?;
        match self.forward_fused(input) {
            Some(result) => result,
            None => self.forward_unfused(input),
        }
    }

    fn name(&self) -> &'static str {
        "candle"
    }
}
