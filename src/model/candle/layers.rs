//! The encoder's layers as candle modules: `load` from a `VarBuilder` whose
//! `pp(..)` paths mirror the checkpoint's keys, and `forward` as candle ops
//! (the op graph the fused path is tested against).

use candle_core::Tensor;
use candle_nn::{Linear, VarBuilder};

use super::gemm::{pack_panels_transposed, PANEL};
use super::kernels::GeluErf;
use crate::model::{Architecture, ModelConfig};

#[derive(Debug, Clone)]
pub(super) struct LayerNorm {
    pub(super) weight: Tensor,
    pub(super) bias: Tensor,
    eps: f32,
}

impl LayerNorm {
    pub(super) fn load(vb: VarBuilder, size: usize, eps: f64) -> candle_core::Result<Self> {
        let (w, b) = if vb.contains_tensor("weight") { ("weight", "bias") } else { ("gamma", "beta") };
        Ok(LayerNorm { weight: vb.get(size, w)?, bias: vb.get(size, b)?, eps: eps as f32 })
    }

    pub(super) fn forward(&self, x: &Tensor) -> candle_core::Result<Tensor> {
        candle_nn::ops::layer_norm(x, &self.weight, &self.bias, self.eps)
    }
}

pub(super) fn linear(vb: VarBuilder, inp: usize, out: usize) -> candle_core::Result<Linear> {
    candle_nn::linear(inp, out, vb)
}

/// A dense layer, its weight stored once, pre-packed into panels of
/// [`PANEL`] output columns (`(panels, in, PANEL)`, see
/// `pack_panels_transposed`): the layout gemm's kernel reads, so the fused path
/// never re-packs it. The op graph multiplies by the same panels.
#[derive(Debug, Clone)]
pub(super) struct Dense {
    pub(super) panels: Tensor,
    out: usize,
    pub(super) bias: Option<Tensor>,
}

impl Dense {
    pub(super) fn new(linear: &Linear) -> candle_core::Result<Self> {
        let (n, k) = linear.weight().dims2()?;
        let packed = pack_panels_transposed(&linear.weight().flatten_all()?.to_vec1::<f32>()?, k, n);
        let panels = Tensor::from_vec(packed, (n.div_ceil(PANEL), k, PANEL), linear.weight().device())?;
        Ok(Dense { panels, out: n, bias: linear.bias().cloned() })
    }

    /// `x`: (..., in) -> (..., out), as candle ops: one product per panel.
    pub(super) fn forward(&self, x: &Tensor) -> candle_core::Result<Tensor> {
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
pub(super) enum Act {
    GeluErf,
    GeluTanh,
    Relu,
}

impl Act {
    fn apply(self, x: &Tensor) -> candle_core::Result<Tensor> {
        match self {
            Act::GeluErf => x.contiguous()?.apply_op1_no_bwd(&GeluErf),
            Act::GeluTanh => x.gelu(),
            Act::Relu => x.relu(),
        }
    }
}

#[derive(Debug, Clone)]
pub(super) struct Layer {
    /// Query, key and value projections in one matrix (3·hidden × hidden); the
    /// query rows are pre-scaled by 1/√head_dim.
    pub(super) qkv: Dense,
    pub(super) attn_out: Dense,
    pub(super) attn_norm: LayerNorm,
    pub(super) ff_in: Dense,
    pub(super) ff_out: Dense,
    pub(super) out_norm: LayerNorm,
    heads: usize,
    head_dim: usize,
    act: Act,
}

impl Layer {
    pub(super) fn load(vb: VarBuilder, cfg: &ModelConfig, act: Act) -> candle_core::Result<Self> {
        let h = cfg.hidden_size;
        let f = cfg.intermediate_size;
        let eps = cfg.layer_norm_eps;
        let (q, k, v, attn_out, attn_norm, ff_in, ff_out, out_norm) = match cfg.arch() {
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
    pub(super) fn forward(&self, x: &Tensor, mask: &Tensor) -> candle_core::Result<Tensor> {
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
