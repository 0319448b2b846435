//! The candle backend: BERT, RoBERTa/XLM-R and DistilBERT token classifiers.
//!
//! - `layers`: the encoder's layers as candle modules, loaded by `vb.pp(..)`
//!   paths that mirror the checkpoint's keys (hub checkpoints load as they are);
//!   their op graph is [`CandleModel::forward_unfused`], the reference;
//! - `weights`: every weight named once, as tensors or as borrowed slices;
//! - `fused`: the fast CPU forward over those slices;
//! - `gemm`: matrix products, the crate's one checked `unsafe` call, and the
//!   panel layout dense weights are stored in;
//! - `amx`: Intel AMX detection and the tile routine both reduced precisions use;
//! - `qgemm`: int8 matrix products ([`Precision::Int8`]) and their kernels;
//! - `bgemm`: bf16 matrix products ([`Precision::Bf16`]) and their kernels;
//! - `kernels`: SIMD attention, layer norm, GELU, `exp`.

mod amx;
mod bgemm;
mod fused;
mod gemm;
mod kernels;
mod layers;
mod qgemm;
mod weights;

pub use self::bgemm::Bf16Kernel;
pub use self::qgemm::Int8Kernel;

use candle_core::{DType, Device, Module, Tensor};
use candle_nn::{Embedding, Linear, VarBuilder};
use ndarray::Array3;
use std::path::{Path, PathBuf};

use self::bgemm::BMatrix;
use self::fused::{Activation, DenseLayer, Dims, Packed, Reduced, Row, ScratchPool};
use self::layers::{Act, Layer, LayerNorm};
use self::qgemm::QMatrix;
use self::weights::{Borrowed, LayerWeights, Weights};
use super::config::{Architecture, ModelConfig};
use super::{Backend, ModelInput, Precision};
use crate::error::{Error, Result};

/// A transformer token classifier running on candle (CPU; f32, or int8 or
/// bf16 dense layers with [`CandleModel::with_precision`]).
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
    reduced: Option<Reduced>,
    syntax_columns: usize,
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
        // Syntax heads read the same hidden states: their rows join the
        // classifier's, so one product gives entity, POS and chunk logits.
        let syntax_columns = cfg.syntax_width();
        let classifier = if syntax_columns > 0 {
            let pos = candle_nn::linear(h, cfg.newsie_pos_labels.len(), vb.pp("pos_classifier"))?;
            let chunk = candle_nn::linear(h, cfg.newsie_chunk_labels.len(), vb.pp("chunk_classifier"))?;
            let w = Tensor::cat(&[classifier.weight(), pos.weight(), chunk.weight()], 0)?;
            let b = match (classifier.bias(), pos.bias(), chunk.bias()) {
                (Some(a), Some(b), Some(c)) => Some(Tensor::cat(&[a, b, c], 0)?),
                _ => None,
            };
            Linear::new(w, b)
        } else {
            classifier
        };
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
                labels: num_labels + syntax_columns,
                eps: cfg.layer_norm_eps as f32,
                act: match act {
                    Act::GeluErf => Activation::GeluErf,
                    Act::GeluTanh => Activation::GeluTanh,
                    Act::Relu => Activation::Relu,
                },
            },
            scratch: ScratchPool::default(),
            reduced: None,
            syntax_columns,
            device: vb.device().clone(),
        })
    }

    /// The model at `precision`. For [`Precision::Int8`] and
    /// [`Precision::Bf16`] the dense weights are converted now, and the kernel
    /// is the fastest this CPU runs ([`Int8Kernel::detect`],
    /// [`Bf16Kernel::detect`]) unless the environment variable
    /// `NEWSIE_INT8_KERNEL` (`amx`, `vnni`, `portable`) or `NEWSIE_BF16_KERNEL`
    /// (`amx`, `avx512`, `portable`) names one.
    ///
    /// # Errors
    /// [`Error::Config`] if the environment names an unknown kernel or one
    /// this CPU cannot run, or the weights are not finite.
    pub fn with_precision(self, precision: Precision) -> Result<Self> {
        fn from_env<K>(var: &str, parse: fn(&str) -> Option<K>, names: &str) -> Result<Option<K>> {
            match std::env::var(var) {
                Ok(name) => {
                    parse(&name).map(Some).ok_or_else(|| Error::Config(format!("{var}={name:?}: expected {names}")))
                }
                Err(_) => Ok(None),
            }
        }
        match precision {
            Precision::F32 => Ok(CandleModel { reduced: None, ..self }),
            Precision::Int8 => {
                let kernel = from_env("NEWSIE_INT8_KERNEL", Int8Kernel::parse, "amx, vnni or portable")?;
                self.with_int8_kernel(kernel.unwrap_or_else(Int8Kernel::detect))
            }
            Precision::Bf16 => {
                let kernel = from_env("NEWSIE_BF16_KERNEL", Bf16Kernel::parse, "amx, avx512 or portable")?;
                self.with_bf16_kernel(kernel.unwrap_or_else(Bf16Kernel::detect))
            }
        }
    }

    /// The four dense weights of every layer, converted by `convert` from
    /// their `(in, out)` row-major matrices.
    fn convert_dense<M: Send>(
        &self,
        convert: impl Fn(&[f32], usize, usize) -> std::result::Result<M, String> + Sync,
    ) -> Result<Vec<DenseLayer<M>>> {
        use rayon::prelude::*;
        let tensors = self.weight_tensors();
        let borrowed = Borrowed::new(&tensors);
        let slices = borrowed
            .as_ref()
            .and_then(Borrowed::slices)
            .ok_or_else(|| Error::Config("reduced precision needs the weights as contiguous f32 CPU tensors".into()))?;
        let (h, f) = (self.dims.hidden, self.dims.intermediate);
        let one = |panels: &[f32], k: usize, n: usize| -> Result<M> {
            convert(&gemm::unpack_panels(panels, k, n), k, n).map_err(Error::Config)
        };
        slices
            .layers
            .par_iter()
            .map(|l| {
                Ok(DenseLayer {
                    qkv: one(l.qkv_w, h, 3 * h)?,
                    out: one(l.out_w, h, h)?,
                    ff_in: one(l.ff_in_w, h, f)?,
                    ff_out: one(l.ff_out_w, f, h)?,
                })
            })
            .collect()
    }

    /// The model with int8 dense layers run by `kernel`.
    ///
    /// # Errors
    /// [`Error::Config`] if this CPU cannot run `kernel`.
    pub fn with_int8_kernel(self, kernel: Int8Kernel) -> Result<Self> {
        if !kernel.is_available() {
            return Err(Error::Config(format!("the {kernel:?} int8 kernel does not run on this CPU")));
        }
        let layers = self.convert_dense(QMatrix::quantize)?;
        Ok(CandleModel { reduced: Some(Reduced::Int8(layers, kernel)), ..self })
    }

    /// The model with bf16 dense layers run by `kernel`.
    ///
    /// # Errors
    /// [`Error::Config`] if this CPU cannot run `kernel`.
    pub fn with_bf16_kernel(self, kernel: Bf16Kernel) -> Result<Self> {
        if !kernel.is_available() {
            return Err(Error::Config(format!("the {kernel:?} bf16 kernel does not run on this CPU")));
        }
        let layers = self.convert_dense(BMatrix::convert)?;
        Ok(CandleModel { reduced: Some(Reduced::Bf16(layers, kernel)), ..self })
    }

    /// The precision the model runs at.
    pub fn precision(&self) -> Precision {
        match self.reduced {
            None => Precision::F32,
            Some(Reduced::Int8(..)) => Precision::Int8,
            Some(Reduced::Bf16(..)) => Precision::Bf16,
        }
    }

    /// The int8 kernel in use, if the model runs in int8.
    pub fn int8_kernel(&self) -> Option<Int8Kernel> {
        match self.reduced {
            Some(Reduced::Int8(_, k)) => Some(k),
            _ => None,
        }
    }

    /// The bf16 kernel in use, if the model runs in bf16.
    pub fn bf16_kernel(&self) -> Option<Bf16Kernel> {
        match self.reduced {
            Some(Reduced::Bf16(_, k)) => Some(k),
            _ => None,
        }
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
        let logits = match fused::forward(&weights, &self.dims, &packed, &self.scratch, self.reduced.as_ref()) {
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

    fn syntax_columns(&self) -> usize {
        self.syntax_columns
    }
}
