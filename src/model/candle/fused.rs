//! The fused CPU forward pass: the same computation as the candle op graph in
//! `encoder.rs`, on the same weight tensors, written as a few kernels.
//!
//! Why: on news sentences (about 20 tokens) the op graph spends a third of its
//! time outside matrix products: every op allocates and zero-fills its output,
//! bias and residual adds are extra passes over memory, and each op is split
//! across threads and joined again. Here
//! - padding rows are never computed: the real tokens of all rows are packed
//!   into one `tokens × hidden` matrix (ragged batching);
//! - bias and residual adds are folded into the matrix products (the output is
//!   pre-filled and the product accumulated onto it);
//! - buffers are reused per thread, so the hot loop does not allocate;
//! - attention, softmax and layer norm are plain loops compiled for the CPU's
//!   SIMD width by `pulp`'s run-time dispatch;
//! - a batch runs on the calling thread, and matrix products share their work
//!   with idle threads of the current rayon pool (so the extractor can run
//!   several batches at once without threads waiting on each other).
//!
//! Matrix products go through `gemm.rs` (the one checked `unsafe` call);
//! attention, layer norm and GELU are in `kernels/`.

use super::bgemm::{bmatmul, BMatrix, BScratch, Bf16Kernel};
use super::gemm::{matmul, Rhs};
use super::kernels::{attention, gelu, gelu_parallel, layer_norm_rows};
use super::qgemm::{qmatmul, Int8Kernel, QMatrix, QScratch};
use super::weights::Weights;

/// The weights the fused path reads: borrowed slices of the model's tensors.
pub(crate) type WeightSlices<'a> = Weights<&'a [f32]>;

/// The activation between the two feed-forward products.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Activation {
    GeluErf,
    GeluTanh,
    Relu,
}

/// Shapes and settings.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Dims {
    pub hidden: usize,
    pub intermediate: usize,
    pub heads: usize,
    pub labels: usize,
    pub eps: f32,
    pub act: Activation,
}

/// One sequence of the packed batch.
#[derive(Debug, Clone)]
pub(crate) struct Row {
    /// First packed token row.
    pub offset: usize,
    /// Token rows of this sequence.
    pub len: usize,
    /// Key mask for the sequence when it is not a plain prefix of real tokens
    /// (1 = attend); `None` when every packed token is real.
    pub key_mask: Option<Vec<bool>>,
}

/// What the fused forward reads: packed tokens and their sequences.
pub(crate) struct Packed<'a> {
    pub ids: &'a [u32],
    pub positions: &'a [u32],
    pub type_ids: &'a [u32],
    pub rows: &'a [Row],
}

/// One layer's four dense weights, in a reduced precision.
#[derive(Debug)]
pub(crate) struct DenseLayer<M> {
    pub qkv: M,
    pub out: M,
    pub ff_in: M,
    pub ff_out: M,
}

/// The dense layers of every layer in a reduced precision, with the kernel
/// that runs them.
#[derive(Debug)]
pub(crate) enum Reduced {
    Int8(Vec<DenseLayer<QMatrix>>, Int8Kernel),
    Bf16(Vec<DenseLayer<BMatrix>>, Bf16Kernel),
}

/// Which of a layer's dense weights.
#[derive(Clone, Copy)]
enum Which {
    Qkv,
    Out,
    FfIn,
    FfOut,
}

impl<M> DenseLayer<M> {
    fn get(&self, which: Which) -> &M {
        match which {
            Which::Qkv => &self.qkv,
            Which::Out => &self.out,
            Which::FfIn => &self.ff_in,
            Which::FfOut => &self.ff_out,
        }
    }
}

/// One reduced-precision dense weight and its kernel.
#[derive(Clone, Copy)]
enum DenseRef<'a> {
    Int8(&'a QMatrix, Int8Kernel),
    Bf16(&'a BMatrix, Bf16Kernel),
}

impl Reduced {
    fn layers(&self) -> usize {
        match self {
            Reduced::Int8(l, _) => l.len(),
            Reduced::Bf16(l, _) => l.len(),
        }
    }

    fn get(&self, layer: usize, which: Which) -> DenseRef<'_> {
        match self {
            Reduced::Int8(l, k) => DenseRef::Int8(l[layer].get(which), *k),
            Reduced::Bf16(l, k) => DenseRef::Bf16(l[layer].get(which), *k),
        }
    }
}

/// Working buffers of one forward call.
#[derive(Default)]
struct Scratch {
    x: Vec<f32>,
    qkv: Vec<f32>,
    ctx: Vec<f32>,
    ff: Vec<f32>,
    q: QScratch,
    b: BScratch,
}

/// Buffers kept between forward calls, one set per call running at the same
/// time; owned by the model, so they are freed with it.
#[derive(Default)]
pub(crate) struct ScratchPool(std::sync::Mutex<Vec<Scratch>>);

impl std::fmt::Debug for ScratchPool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ScratchPool")
    }
}

impl ScratchPool {
    fn take(&self) -> Scratch {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).pop().unwrap_or_default()
    }

    fn put(&self, s: Scratch) {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).push(s);
    }
}

/// Errors of the fused path are internal invariant breaks or bad ids; they
/// become [`crate::Error::Inference`] / [`crate::Error::Config`] upstream.
pub(crate) type FusedResult<T> = std::result::Result<T, String>;

/// Runs the model on packed tokens; returns `tokens × labels` logits. With
/// `reduced`, the four dense products of each layer run in int8 or bf16.
pub(crate) fn forward(
    w: &WeightSlices<'_>,
    d: &Dims,
    p: &Packed<'_>,
    pool: &ScratchPool,
    reduced: Option<&Reduced>,
) -> FusedResult<Vec<f32>> {
    if reduced.is_some_and(|r| r.layers() != w.layers.len()) {
        return Err("reduced-precision weights do not match the model's layers".into());
    }
    let mut s = pool.take();
    let out = forward_with(w, d, p, &mut s, reduced);
    pool.put(s);
    out
}

/// One dense layer: `c = a · W + bias`, or with `residual` `c += a · W + bias`,
/// in f32 (`panels`) or a reduced precision (`reduced`); then `act` on the
/// result if given (in a reduced precision, on each block as it is done).
#[allow(clippy::too_many_arguments)]
fn dense(
    m: usize,
    (k, n): (usize, usize),
    a: &[f32],
    (panels, bias): (&[f32], Option<&[f32]>),
    reduced: Option<DenseRef<'_>>,
    c: &mut [f32],
    residual: bool,
    act: Option<Activation>,
    (qs, bs): (&mut QScratch, &mut BScratch),
) -> FusedResult<()> {
    if let Some(b) = bias {
        check_len("bias", b, n)?;
    }
    let c = &mut c[..m * n];
    let dims = match reduced {
        Some(DenseRef::Int8(w, _)) => Some(w.dims()),
        Some(DenseRef::Bf16(w, _)) => Some(w.dims()),
        None => None,
    };
    if let Some(dims) = dims.filter(|&dims| dims != (k, n)) {
        return Err(format!("reduced-precision weights are {dims:?}, the product needs {k}×{n}"));
    }
    match reduced {
        Some(DenseRef::Int8(w, kernel)) => qmatmul(m, a, k, w, c, n, (residual, bias), act, kernel, qs),
        Some(DenseRef::Bf16(w, kernel)) => bmatmul(m, a, k, w, c, n, (residual, bias), act, kernel, bs),
        None => {
            if residual {
                add_bias(c, n, bias)?;
            } else {
                fill_bias(c, m, n, bias)?;
            }
            matmul(m, n, k, a, k, Rhs::Panels(panels), c, n, residual || bias.is_some())?;
            if let Some(act) = act {
                activate(c, act);
            }
            Ok(())
        }
    }
}

fn forward_with(
    w: &WeightSlices<'_>,
    d: &Dims,
    p: &Packed<'_>,
    s: &mut Scratch,
    reduced: Option<&Reduced>,
) -> FusedResult<Vec<f32>> {
    let (h, f) = (d.hidden, d.intermediate);
    let t = p.ids.len();
    if p.positions.len() != t || p.type_ids.len() != t {
        return Err("packed ids, positions and type ids differ in length".into());
    }
    if d.heads == 0 || h % d.heads != 0 {
        return Err(format!("hidden size {h} is not a multiple of {} heads", d.heads));
    }
    let mut next = 0;
    for r in p.rows {
        if r.offset != next || r.key_mask.as_ref().is_some_and(|m| m.len() != r.len) {
            return Err("packed rows must follow each other".into());
        }
        next += r.len;
    }
    if next != t {
        return Err("packed rows do not cover the tokens".into());
    }
    resize(&mut s.x, t * h);
    resize(&mut s.qkv, t * 3 * h);
    resize(&mut s.ctx, t * h);
    resize(&mut s.ff, t * f);
    // Exactly this batch's part of each buffer (they keep the largest size seen).
    let x = &mut s.x[..t * h];
    let qkv = &mut s.qkv[..t * 3 * h];
    let ctx = &mut s.ctx[..t * h];
    let ff = &mut s.ff[..t * f];
    let (qs, bs) = (&mut s.q, &mut s.b);

    embed(w, d, p, x)?;
    layer_norm_rows(x, h, w.emb_norm, d.eps)?;
    for (i, l) in w.layers.iter().enumerate() {
        let r = |which| reduced.map(|r| r.get(i, which));
        // qkv = x · Wqkv + b
        dense(t, (h, 3 * h), x, (l.qkv_w, l.qkv_b), r(Which::Qkv), qkv, false, None, (&mut *qs, &mut *bs))?;
        attention(qkv, ctx, p.rows, h, d.heads);
        // x = LN(x + ctx · Wo + bo), accumulated in place on x.
        dense(t, (h, h), ctx, (l.out_w, l.out_b), r(Which::Out), x, true, None, (&mut *qs, &mut *bs))?;
        layer_norm_rows(x, h, l.norm1, d.eps)?;
        // x = LN(x + act(x · W1 + b1) · W2 + b2)
        dense(t, (h, f), x, (l.ff_in_w, l.ff_in_b), r(Which::FfIn), ff, false, Some(d.act), (&mut *qs, &mut *bs))?;
        dense(t, (f, h), ff, (l.ff_out_w, l.ff_out_b), r(Which::FfOut), x, true, None, (&mut *qs, &mut *bs))?;
        layer_norm_rows(x, h, l.norm2, d.eps)?;
    }
    let mut logits = vec![0f32; t * d.labels];
    fill_bias(&mut logits, t, d.labels, w.classifier_b)?;
    matmul(t, d.labels, h, x, h, Rhs::Transposed(w.classifier_w), &mut logits, d.labels, w.classifier_b.is_some())?;
    Ok(logits)
}

pub(crate) fn resize(v: &mut Vec<f32>, n: usize) {
    if v.len() < n {
        v.resize(n, 0.0);
    }
}

fn embed(w: &WeightSlices<'_>, d: &Dims, p: &Packed<'_>, x: &mut [f32]) -> FusedResult<()> {
    let h = d.hidden;
    let row = |table: &[f32], i: u32, what: &str| -> FusedResult<std::ops::Range<usize>> {
        let start = i as usize * h;
        if start + h > table.len() {
            return Err(format!("{what} {i} is outside the model's embedding table ({} rows)", table.len() / h));
        }
        Ok(start..start + h)
    };
    for (k, dst) in x.chunks_exact_mut(h).take(p.ids.len()).enumerate() {
        let word = &w.word[row(w.word, p.ids[k], "token id")?];
        let pos = &w.position[row(w.position, p.positions[k], "position")?];
        for ((o, &a), &b) in dst.iter_mut().zip(word).zip(pos) {
            *o = a + b;
        }
        if let Some(tt) = w.token_type {
            let ty = &tt[row(tt, p.type_ids[k], "token type id")?];
            for (o, &a) in dst.iter_mut().zip(ty) {
                *o += a;
            }
        }
    }
    Ok(())
}

pub(crate) fn check_len(what: &str, v: &[f32], n: usize) -> FusedResult<()> {
    if v.len() != n {
        return Err(format!("{what}: expected {n} values, found {}", v.len()));
    }
    Ok(())
}

/// Sets each of the first `rows` rows of `dst` (`cols` wide) to `bias`.
fn fill_bias(dst: &mut [f32], rows: usize, cols: usize, bias: Option<&[f32]>) -> FusedResult<()> {
    if let Some(b) = bias {
        check_len("bias", b, cols)?;
        for r in dst.chunks_exact_mut(cols).take(rows) {
            r.copy_from_slice(b);
        }
    }
    Ok(())
}

/// Adds `bias` to every row of `dst`.
fn add_bias(dst: &mut [f32], cols: usize, bias: Option<&[f32]>) -> FusedResult<()> {
    if let Some(b) = bias {
        check_len("bias", b, cols)?;
        for r in dst.chunks_exact_mut(cols) {
            for (o, &v) in r.iter_mut().zip(b) {
                *o += v;
            }
        }
    }
    Ok(())
}

fn activate(x: &mut [f32], act: Activation) {
    match act {
        Activation::GeluErf => gelu_parallel(x),
        _ => act.apply(x),
    }
}

impl Activation {
    /// The activation of every value of `x`, in place (inlined, so it
    /// vectorises inside a SIMD-dispatched loop).
    #[inline(always)]
    pub(crate) fn apply(self, x: &mut [f32]) {
        match self {
            Activation::GeluErf => {
                for v in x {
                    *v = gelu(*v);
                }
            }
            Activation::GeluTanh => {
                for v in x {
                    let u = *v;
                    *v = 0.5 * u * (1.0 + (0.797_884_6 * (u + 0.044_715 * u * u * u)).tanh());
                }
            }
            Activation::Relu => {
                for v in x {
                    *v = v.max(0.0);
                }
            }
        }
    }
}
