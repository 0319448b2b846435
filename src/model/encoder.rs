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
use super::fused::{self, Activation, Borrowed, Dims, LayerWeights, Packed, Row, ScratchPool, Weights};
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

/// A dense layer, its weight stored once, pre-packed into panels of
/// [`fused::PANEL`] output columns (`(panels, in, PANEL)`, see
/// `fused::pack_panels`): the layout gemm's kernel reads, so the fused path
/// never re-packs it. The op graph multiplies by the same panels.
#[derive(Debug, Clone)]
struct Dense {
    panels: Tensor,
    out: usize,
    bias: Option<Tensor>,
}

impl Dense {
    fn new(linear: &Linear) -> candle_core::Result<Self> {
        let weight_t = linear.weight().t()?.contiguous()?;
        let (k, n) = weight_t.dims2()?;
        let packed = fused::pack_panels(&weight_t.flatten_all()?.to_vec1::<f32>()?, k, n);
        let panels = Tensor::from_vec(packed, (n.div_ceil(fused::PANEL), k, fused::PANEL), weight_t.device())?;
        Ok(Dense { panels, out: n, bias: linear.bias().cloned() })
    }

    /// `x`: (..., in) -> (..., out), as candle ops: one product per panel.
    fn forward(&self, x: &Tensor) -> candle_core::Result<Tensor> {
        let dims = x.dims();
        let inp = *dims.last().unwrap_or(&0);
        let rows = x.elem_count() / inp.max(1);
        let (p, _, w) = self.panels.dims3()?;
        let x2 = x.reshape((1, rows, inp))?.broadcast_as((p, rows, inp))?.contiguous()?;
        let y = x2.matmul(&self.panels)?.transpose(0, 1)?.reshape((rows, p * w))?.narrow(1, 0, self.out)?;
        let y = match &self.bias {
            Some(b) => y.broadcast_add(b)?,
            None => y,
        };
        let mut out = dims.to_vec();
        if let Some(last) = out.last_mut() {
            *last = self.out;
        }
        y.reshape(out)
    }
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
    qkv: Dense,
    attn_out: Dense,
    attn_norm: LayerNorm,
    ff_in: Dense,
    ff_out: Dense,
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
        let qkv = Dense::new(&Linear::new(weight, bias))?;
        Ok(Layer {
            qkv,
            attn_out: Dense::new(&attn_out)?,
            attn_norm,
            ff_in: Dense::new(&ff_in)?,
            ff_out: Dense::new(&ff_out)?,
            out_norm,
            heads,
            head_dim,
            act,
        })
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
    dims: Dims,
    scratch: ScratchPool,
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
            return Err(Error::MissingFile {
                path: weights.into(),
                hint: "the model's weights (model.safetensors)".into(),
            });
        }
        let data = std::fs::read(weights).map_err(|e| Error::Io { path: weights.into(), source: e })?;
        let device = Device::Cpu;
        let vb = VarBuilder::from_buffered_safetensors(data, DType::F32, &device)
            .map_err(|e| Error::invalid_model_src(weights, "not a readable safetensors file", e))?;
        Self::from_var_builder(vb, cfg, arch, num_labels)
            .map_err(|e| Error::invalid_model_src(PathBuf::from(weights), "weights do not match config.json", e))
    }

    fn from_var_builder(
        vb: VarBuilder,
        cfg: &ModelConfig,
        arch: Architecture,
        num_labels: usize,
    ) -> candle_core::Result<Self> {
        fused::tune_gemm();
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
            device: vb.device().clone(),
        })
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
    /// the same weights), slower on the CPU. Kept as the reference the fused
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

    /// Every weight tensor the fused path reads, in the order [`Self::fused_weights`] takes them.
    fn fused_tensors(&self) -> Option<Vec<&Tensor>> {
        let mut v = vec![self.word.embeddings(), self.position.embeddings()];
        if let Some(tt) = &self.token_type {
            v.push(tt.embeddings());
        }
        v.extend([&self.emb_norm.weight, &self.emb_norm.bias]);
        for l in &self.layers {
            v.extend([
                &l.qkv.panels,
                l.qkv.bias.as_ref()?,
                &l.attn_out.panels,
                l.attn_out.bias.as_ref()?,
                &l.attn_norm.weight,
                &l.attn_norm.bias,
                &l.ff_in.panels,
                l.ff_in.bias.as_ref()?,
                &l.ff_out.panels,
                l.ff_out.bias.as_ref()?,
                &l.out_norm.weight,
                &l.out_norm.bias,
            ]);
        }
        v.extend([self.classifier.weight(), self.classifier.bias()?]);
        Some(v)
    }

    fn fused_weights<'a>(&self, b: &'a Borrowed<'_>) -> Option<Weights<'a>> {
        let mut i = 0;
        let mut next = || {
            i += 1;
            b.get(i - 1)
        };
        let word = next()?;
        let position = next()?;
        let token_type = match self.token_type {
            Some(_) => Some(next()?),
            None => None,
        };
        let emb_norm = (next()?, next()?);
        let mut layers = Vec::with_capacity(self.layers.len());
        for _ in &self.layers {
            layers.push(LayerWeights {
                qkv_w: next()?,
                qkv_b: Some(next()?),
                out_w: next()?,
                out_b: Some(next()?),
                norm1: (next()?, next()?),
                ff_in_w: next()?,
                ff_in_b: Some(next()?),
                ff_out_w: next()?,
                ff_out_b: Some(next()?),
                norm2: (next()?, next()?),
            });
        }
        let classifier_w = next()?;
        let classifier_b = Some(next()?);
        Some(Weights { word, position, token_type, emb_norm, layers, classifier_w, classifier_b })
    }

    /// The fused forward: packs the real tokens of every row, runs the fused
    /// kernels, and scatters the logits back (padding positions get zeros).
    /// `None` when the weights are not contiguous f32 CPU tensors.
    fn forward_fused(&self, input: &ModelInput<'_>) -> Option<Result<Array3<f32>>> {
        let tensors = self.fused_tensors()?;
        let borrowed = Borrowed::new(&tensors);
        let weights = self.fused_weights(&borrowed)?;
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
        let logits = match fused::forward(&weights, &self.dims, &packed, &self.scratch) {
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
