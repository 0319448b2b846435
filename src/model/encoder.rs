//! The candle backend: BERT, RoBERTa/XLM-R and DistilBERT token classifiers.
//!
//! Layers are private structs with `load(vb, cfg)` and `forward`; `vb.pp(..)`
//! makes the struct tree mirror the checkpoint's key tree, so hub checkpoints
//! load as they are.

use candle_core::{DType, Device, Module, Tensor};
use candle_nn::{Embedding, Linear, VarBuilder};
use ndarray::Array3;
use std::path::{Path, PathBuf};

use super::config::{Architecture, ModelConfig};
use super::{Backend, ModelInput};
use crate::error::{Error, Result};

#[derive(Debug, Clone)]
struct LayerNorm {
    weight: Tensor,
    bias: Tensor,
    eps: f32,
}

impl LayerNorm {
    fn load(vb: VarBuilder, size: usize, eps: f64) -> candle_core::Result<Self> {
        let (w, b) = if vb.contains_tensor("weight") { ("weight", "bias") } else { ("gamma", "beta") };
        Ok(LayerNorm { weight: vb.get(size, w)?, bias: vb.get(size, b)?, eps: eps as f32 })
    }

    fn forward(&self, x: &Tensor) -> candle_core::Result<Tensor> {
        candle_nn::ops::layer_norm(x, &self.weight, &self.bias, self.eps)
    }
}

fn linear(vb: VarBuilder, inp: usize, out: usize) -> candle_core::Result<Linear> {
    candle_nn::linear(inp, out, vb)
}

#[derive(Debug, Clone, Copy)]
enum Act {
    GeluErf,
    GeluTanh,
    Relu,
}

impl Act {
    fn apply(self, x: &Tensor) -> candle_core::Result<Tensor> {
        match self {
            Act::GeluErf => x.contiguous()?.apply_op1_no_bwd(&super::gelu::GeluErf),
            Act::GeluTanh => x.gelu(),
            Act::Relu => x.relu(),
        }
    }
}

#[derive(Debug, Clone)]
struct Layer {
    /// Query, key and value projections in one matrix (3·hidden × hidden); the
    /// query rows are pre-scaled by 1/√head_dim.
    qkv: Linear,
    attn_out: Linear,
    attn_norm: LayerNorm,
    ff_in: Linear,
    ff_out: Linear,
    out_norm: LayerNorm,
    heads: usize,
    head_dim: usize,
    act: Act,
}

impl Layer {
    fn load(vb: VarBuilder, cfg: &ModelConfig, arch: Architecture, act: Act) -> candle_core::Result<Self> {
        let h = cfg.hidden_size;
        let f = cfg.intermediate_size;
        let eps = cfg.layer_norm_eps;
        let (q, k, v, attn_out, attn_norm, ff_in, ff_out, out_norm) = match arch {
            Architecture::DistilBert => {
                let a = vb.pp("attention");
                (
                    linear(a.pp("q_lin"), h, h)?,
                    linear(a.pp("k_lin"), h, h)?,
                    linear(a.pp("v_lin"), h, h)?,
                    linear(a.pp("out_lin"), h, h)?,
                    LayerNorm::load(vb.pp("sa_layer_norm"), h, eps)?,
                    linear(vb.pp("ffn").pp("lin1"), h, f)?,
                    linear(vb.pp("ffn").pp("lin2"), f, h)?,
                    LayerNorm::load(vb.pp("output_layer_norm"), h, eps)?,
                )
            }
            Architecture::Bert | Architecture::Roberta => {
                let s = vb.pp("attention").pp("self");
                let o = vb.pp("attention").pp("output");
                (
                    linear(s.pp("query"), h, h)?,
                    linear(s.pp("key"), h, h)?,
                    linear(s.pp("value"), h, h)?,
                    linear(o.pp("dense"), h, h)?,
                    LayerNorm::load(o.pp("LayerNorm"), h, eps)?,
                    linear(vb.pp("intermediate").pp("dense"), h, f)?,
                    linear(vb.pp("output").pp("dense"), f, h)?,
                    LayerNorm::load(vb.pp("output").pp("LayerNorm"), h, eps)?,
                )
            }
        };
        let heads = cfg.num_attention_heads;
        let head_dim = h / heads;
        let scale = 1.0 / (head_dim as f64).sqrt();
        let weight = Tensor::cat(&[&(q.weight() * scale)?, k.weight(), v.weight()], 0)?;
        let bias = match (q.bias(), k.bias(), v.bias()) {
            (Some(qb), Some(kb), Some(vb)) => Some(Tensor::cat(&[&(qb * scale)?, kb, vb], 0)?),
            _ => None,
        };
        let qkv = Linear::new(weight, bias);
        Ok(Layer { qkv, attn_out, attn_norm, ff_in, ff_out, out_norm, heads, head_dim, act })
    }

    /// `x`: (batch, seq, hidden); `mask`: additive, (batch, 1, 1, seq).
    fn forward(&self, x: &Tensor, mask: &Tensor) -> candle_core::Result<Tensor> {
        let (b, s, h) = x.dims3()?;
        // (b, s, 3h) -> (3, b, heads, s, head_dim)
        let qkv = self
            .qkv
            .forward(x)?
            .reshape((b, s, 3, self.heads, self.head_dim))?
            .permute((2, 0, 3, 1, 4))?
            .contiguous()?;
        let (q, k, v) = (qkv.get(0)?, qkv.get(1)?, qkv.get(2)?);
        let scores = q.matmul(&k.t()?)?.broadcast_add(mask)?;
        let probs = candle_nn::ops::softmax_last_dim(&scores)?;
        let ctx = probs.matmul(&v)?.transpose(1, 2)?.reshape((b, s, h))?;
        let x = self.attn_norm.forward(&(self.attn_out.forward(&ctx)? + x)?)?;
        let ff = self.ff_out.forward(&self.act.apply(&self.ff_in.forward(&x)?)?)?;
        self.out_norm.forward(&(ff + x)?)
    }
}

/// A transformer token classifier running on candle (CPU, f32).
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
    device: Device,
}

impl CandleModel {
    /// Loads `model.safetensors` for the given config.
    ///
    /// # Errors
    /// [`Error::MissingFile`] if the weights are absent, [`Error::InvalidModel`]
    /// if they are corrupt or lack a tensor the config calls for.
    pub fn load(weights: &Path, cfg: &ModelConfig, arch: Architecture, num_labels: usize) -> Result<Self> {
        if !weights.is_file() {
            return Err(Error::MissingFile { path: weights.into(), hint: "the model's weights (model.safetensors)".into() });
        }
        let data = std::fs::read(weights).map_err(|e| Error::Io { path: weights.into(), source: e })?;
        let device = Device::Cpu;
        let vb = VarBuilder::from_buffered_safetensors(data, DType::F32, &device)
            .map_err(|e| Error::invalid_model_src(weights, "not a readable safetensors file", e))?;
        Self::from_var_builder(vb, cfg, arch, num_labels)
            .map_err(|e| Error::invalid_model_src(PathBuf::from(weights), "weights do not match config.json", e))
    }

    fn from_var_builder(vb: VarBuilder, cfg: &ModelConfig, arch: Architecture, num_labels: usize) -> candle_core::Result<Self> {
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
            .map(|i| Layer::load(layer_root.pp(i), cfg, arch, act))
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
            pad_id: cfg.pad_id(arch),
            max_tokens: cfg.max_tokens(arch),
            device: vb.device().clone(),
        })
    }

    /// The longest window (in tokens, special tokens included) this model accepts.
    pub fn max_tokens(&self) -> usize {
        self.max_tokens
    }

    fn run(&self, input: &ModelInput<'_>) -> candle_core::Result<Tensor> {
        let (b, s) = (input.batch, input.seq_len);
        let ids = Tensor::from_slice(input.input_ids, (b, s), &self.device)?;
        let mut positions = Vec::with_capacity(b * s);
        for row in input.attention_mask.chunks(s) {
            let mut next = 0u32;
            for &m in row {
                positions.push(match self.arch {
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

impl Backend for CandleModel {
    fn forward(&self, input: &ModelInput<'_>) -> Result<Array3<f32>> {
        input.check()?;
        if input.seq_len > self.max_tokens() {
            return Err(Error::Config(format!(
                "window of {} tokens exceeds the model's {} positions",
                input.seq_len,
                self.max_tokens()
            )));
        }
        let logits = self.run(input)?;
        let (b, s, l) = logits.dims3()?;
        let data = logits.flatten_all()?.to_vec1::<f32>()?;
        Array3::from_shape_vec((b, s, l), data).map_err(|e| Error::Inference(Box::new(e)))
    }

    fn name(&self) -> &'static str {
        "candle"
    }
}
