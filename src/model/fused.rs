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
//! Matrix products go through the `gemm` crate (candle's own CPU kernels); its
//! one `unsafe` entry point is wrapped by [`matmul`], which checks every bound
//! first.

use candle_core::{CpuStorage, Layout, Storage, StorageRef, Tensor};
use rayon::prelude::*;

use super::gelu;

/// The activation between the two feed-forward products.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Activation {
    GeluErf,
    GeluTanh,
    Relu,
}

/// One encoder layer's weights (post-layer-norm BERT block). Dense weights are
/// `(in, out)` row-major; the query rows of `qkv` are pre-scaled.
pub(crate) struct LayerWeights<'a> {
    pub qkv_w: &'a [f32],
    pub qkv_b: Option<&'a [f32]>,
    pub out_w: &'a [f32],
    pub out_b: Option<&'a [f32]>,
    pub norm1: (&'a [f32], &'a [f32]),
    pub ff_in_w: &'a [f32],
    pub ff_in_b: Option<&'a [f32]>,
    pub ff_out_w: &'a [f32],
    pub ff_out_b: Option<&'a [f32]>,
    pub norm2: (&'a [f32], &'a [f32]),
}

/// All weights of a token classifier.
pub(crate) struct Weights<'a> {
    pub word: &'a [f32],
    pub position: &'a [f32],
    pub token_type: Option<&'a [f32]>,
    pub emb_norm: (&'a [f32], &'a [f32]),
    pub layers: Vec<LayerWeights<'a>>,
    /// `(labels, hidden)` row-major, as stored.
    pub classifier_w: &'a [f32],
    pub classifier_b: Option<&'a [f32]>,
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

/// Working buffers of one forward call.
#[derive(Default)]
struct Scratch {
    x: Vec<f32>,
    qkv: Vec<f32>,
    ctx: Vec<f32>,
    ff: Vec<f32>,
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

/// Borrows the data of contiguous f32 CPU tensors for the duration of a forward.
pub(crate) struct Borrowed<'t> {
    guards: Vec<(StorageRef<'t>, &'t Layout)>,
}

impl<'t> Borrowed<'t> {
    pub(crate) fn new(tensors: &[&'t Tensor]) -> Self {
        Borrowed { guards: tensors.iter().map(|t| t.storage_and_layout()).collect() }
    }

    /// The data of tensor `i`, if it is a contiguous f32 CPU tensor.
    pub(crate) fn get(&self, i: usize) -> Option<&[f32]> {
        let (guard, layout) = self.guards.get(i)?;
        match &**guard {
            Storage::Cpu(CpuStorage::F32(v)) => {
                let (a, b) = layout.contiguous_offsets()?;
                v.get(a..b)
            }
            _ => None,
        }
    }
}

/// Runs the model on packed tokens; returns `tokens × labels` logits.
pub(crate) fn forward(w: &Weights<'_>, d: &Dims, p: &Packed<'_>, pool: &ScratchPool) -> FusedResult<Vec<f32>> {
    let mut s = pool.take();
    let out = forward_with(w, d, p, &mut s);
    pool.put(s);
    out
}

fn forward_with(w: &Weights<'_>, d: &Dims, p: &Packed<'_>, s: &mut Scratch) -> FusedResult<Vec<f32>> {
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

    embed(w, d, p, x)?;
    layer_norm_rows(x, h, w.emb_norm, d.eps)?;
    for l in &w.layers {
        // qkv = x · Wqkv + b
        fill_bias(qkv, t, 3 * h, l.qkv_b)?;
        matmul(t, 3 * h, h, x, h, Rhs::Panels(l.qkv_w), qkv, 3 * h, l.qkv_b.is_some())?;
        attention(qkv, ctx, p.rows, h, d.heads);
        // x = LN(x + ctx · Wo + bo), accumulated in place on x.
        add_bias(x, h, l.out_b)?;
        matmul(t, h, h, ctx, h, Rhs::Panels(l.out_w), x, h, true)?;
        layer_norm_rows(x, h, l.norm1, d.eps)?;
        // x = LN(x + act(x · W1 + b1) · W2 + b2)
        fill_bias(ff, t, f, l.ff_in_b)?;
        matmul(t, f, h, x, h, Rhs::Panels(l.ff_in_w), ff, f, l.ff_in_b.is_some())?;
        activate(ff, d.act);
        add_bias(x, h, l.ff_out_b)?;
        matmul(t, h, f, ff, f, Rhs::Panels(l.ff_out_w), x, h, true)?;
        layer_norm_rows(x, h, l.norm2, d.eps)?;
    }
    let mut logits = vec![0f32; t * d.labels];
    fill_bias(&mut logits, t, d.labels, w.classifier_b)?;
    matmul(t, d.labels, h, x, h, Rhs::Transposed(w.classifier_w), &mut logits, d.labels, w.classifier_b.is_some())?;
    Ok(logits)
}

fn resize(v: &mut Vec<f32>, n: usize) {
    if v.len() < n {
        v.resize(n, 0.0);
    }
}

fn embed(w: &Weights<'_>, d: &Dims, p: &Packed<'_>, x: &mut [f32]) -> FusedResult<()> {
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

fn check_len(what: &str, v: &[f32], n: usize) -> FusedResult<()> {
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
        Activation::GeluErf => gelu::gelu_parallel(x),
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

/// The right-hand matrix of a product, `k × n`.
#[derive(Clone, Copy)]
pub(crate) enum Rhs<'a> {
    /// Stored `n × k` row-major (so used transposed).
    Transposed(&'a [f32]),
    /// Pre-packed by [`pack_panels`]: blocks of [`PANEL`] output columns, each
    /// `k × PANEL` row-major (the layout gemm's kernel reads, so it is not
    /// re-packed on every call).
    Panels(&'a [f32]),
}

/// gemm re-packs its left operand when the right one is wider than a
/// threshold (8 or 16 kernel widths, about 50–100 tokens); pre-packed panels
/// are already in the packed layout, so raise it to gemm's maximum (256
/// widths, 1,536 tokens). This is a process-wide gemm setting; it only changes
/// when gemm copies, never results.
pub(crate) fn tune_gemm() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        gemm::set_lhs_packing_threshold_single_thread(256);
        gemm::set_lhs_packing_threshold_multi_thread(256);
    });
}

/// Output columns per pre-packed weight panel: a multiple of every SIMD width
/// gemm's kernels use (4 AVX-512 registers of f32).
pub(crate) const PANEL: usize = 64;

/// Packs a `k × n` row-major matrix into [`Rhs::Panels`] layout (the last
/// panel zero-padded to [`PANEL`] columns).
pub(crate) fn pack_panels(b: &[f32], k: usize, n: usize) -> Vec<f32> {
    let panels = n.div_ceil(PANEL);
    let mut out = vec![0f32; panels * k * PANEL];
    for (p, panel) in out.chunks_exact_mut(k * PANEL).enumerate() {
        let c0 = p * PANEL;
        let w = PANEL.min(n - c0);
        for (r, dst) in panel.chunks_exact_mut(PANEL).enumerate() {
            dst[..w].copy_from_slice(&b[r * n + c0..r * n + c0 + w]);
        }
    }
    out
}

/// `c[m×n] (+)= a[m×k] · rhs[k×n]`, rows of `a` and `c` `lda`/`ldc` apart.
/// With `accumulate` the product is added to `c`, else `c` is overwritten.
#[allow(clippy::too_many_arguments)]
pub(crate) fn matmul(
    m: usize,
    n: usize,
    k: usize,
    a: &[f32],
    lda: usize,
    rhs: Rhs<'_>,
    c: &mut [f32],
    ldc: usize,
    accumulate: bool,
) -> FusedResult<()> {
    if m == 0 || n == 0 {
        return Ok(());
    }
    let rhs_fits = match rhs {
        Rhs::Transposed(b) => b.len() == k * n,
        Rhs::Panels(p) => p.len() == n.div_ceil(PANEL) * k * PANEL,
    };
    let fits = lda >= k && ldc >= n && (m - 1) * lda + k <= a.len() && (m - 1) * ldc + n <= c.len() && rhs_fits;
    if !fits {
        return Err(format!("matrix product {m}×{k}·{k}×{n}: operand sizes do not match"));
    }
    if k == 0 {
        if !accumulate {
            for r in c.chunks_mut(ldc).take(m) {
                r[..n].fill(0.0);
            }
        }
        return Ok(());
    }
    let a_layout = Strides { rs: lda, cs: 1 };
    match rhs {
        // rhs[p][j] = b[j][p]
        Rhs::Transposed(b) => {
            gemm_checked(m, n, k, c, Strides { rs: ldc, cs: 1 }, a, a_layout, b, Strides { rs: 1, cs: k }, accumulate)
        }
        // One call per panel, computed as `cᵀ = panelᵀ · aᵀ` so the panel is
        // gemm's (column-major) left operand and is read in place.
        Rhs::Panels(panels) => {
            for (p, panel) in panels.chunks_exact(k * PANEL).enumerate() {
                let c0 = p * PANEL;
                let w = PANEL.min(n - c0);
                let dst = &mut c[c0..];
                let panel_t = Strides { rs: 1, cs: PANEL };
                let a_t = Strides { rs: a_layout.cs, cs: a_layout.rs };
                gemm_checked(w, m, k, dst, Strides { rs: 1, cs: ldc }, panel, panel_t, a, a_t, accumulate)?;
            }
            Ok(())
        }
    }
}

/// Element `(i, j)` of a strided matrix sits at `i·rs + j·cs`.
#[derive(Clone, Copy)]
struct Strides {
    rs: usize,
    cs: usize,
}

impl Strides {
    /// The largest index a `rows × cols` matrix (both at least 1) touches.
    fn last(self, rows: usize, cols: usize) -> usize {
        (rows - 1) * self.rs + (cols - 1) * self.cs
    }

    /// Whether distinct elements of a `rows × cols` matrix have distinct
    /// indices (row-major or column-major without overlap).
    fn distinct(self, rows: usize, cols: usize) -> bool {
        (self.cs == 1 && (rows == 1 || self.rs >= cols)) || (self.rs == 1 && (cols == 1 || self.cs >= rows))
    }
}

/// `dst[m×n] (+)= lhs[m×k] · rhs[k×n]` through gemm: the crate's one `unsafe`
/// call. It checks first that every index gemm computes lies inside its slice
/// and that no two destination elements share an index (gemm's threads write
/// disjoint elements); `m`, `n` and `k` must be at least 1.
#[allow(unsafe_code, clippy::too_many_arguments)]
fn gemm_checked(
    m: usize,
    n: usize,
    k: usize,
    dst: &mut [f32],
    ds: Strides,
    lhs: &[f32],
    ls: Strides,
    rhs: &[f32],
    rs: Strides,
    accumulate: bool,
) -> FusedResult<()> {
    let ok = m > 0
        && n > 0
        && k > 0
        && ds.last(m, n) < dst.len()
        && ds.distinct(m, n)
        && ls.last(m, k) < lhs.len()
        && rs.last(k, n) < rhs.len();
    if !ok {
        return Err(format!("matrix product {m}×{k}·{k}×{n}: operand layout out of bounds"));
    }
    // SAFETY: every index gemm computes, row·rs + column·cs with row and
    // column inside the shapes above, is checked to lie inside its slice;
    // destination elements have distinct indices, and `dst` is borrowed
    // mutably, so it aliases neither input.
    unsafe {
        gemm::gemm(
            m,
            n,
            k,
            dst.as_mut_ptr(),
            ds.cs as isize,
            ds.rs as isize,
            accumulate,
            lhs.as_ptr(),
            ls.cs as isize,
            ls.rs as isize,
            rhs.as_ptr(),
            rs.cs as isize,
            rs.rs as isize,
            1.0,
            1.0,
            false,
            false,
            false,
            gemm::Parallelism::Rayon(0),
        );
    }
    Ok(())
}

/// Layer norm of each `h`-wide row of `x`, in place.
fn layer_norm_rows(x: &mut [f32], h: usize, (gamma, beta): (&[f32], &[f32]), eps: f32) -> FusedResult<()> {
    check_len("layer norm weight", gamma, h)?;
    check_len("layer norm bias", beta, h)?;
    struct Op<'a> {
        x: &'a mut [f32],
        h: usize,
        gamma: &'a [f32],
        beta: &'a [f32],
        eps: f32,
    }
    impl pulp::WithSimd for Op<'_> {
        type Output = ();
        #[inline(always)]
        fn with_simd<S: pulp::Simd>(self, _simd: S) {
            for row in self.x.chunks_exact_mut(self.h) {
                let n = self.h as f32;
                let mean = lane_sum(row, |v| v) / n;
                let var = lane_sum(row, |v| (v - mean) * (v - mean)) / n;
                let inv = 1.0 / (var + self.eps).sqrt();
                for ((v, &g), &b) in row.iter_mut().zip(self.gamma).zip(self.beta) {
                    *v = (*v - mean) * inv * g + b;
                }
            }
        }
    }
    x.par_chunks_mut(h * 32).for_each(|x| pulp::Arch::new().dispatch(Op { x, h, gamma, beta, eps }));
    Ok(())
}

/// Sum of `f(v)` over `xs`, in 16 independent lanes (so it vectorises without
/// reassociating floats), then the lanes.
#[inline(always)]
fn lane_sum(xs: &[f32], f: impl Fn(f32) -> f32) -> f32 {
    let mut acc = [0f32; 16];
    let chunks = xs.chunks_exact(16);
    let tail = chunks.remainder();
    for c in chunks {
        for (a, &v) in acc.iter_mut().zip(c) {
            *a += f(v);
        }
    }
    let mut s: f32 = acc.iter().sum();
    for &v in tail {
        s += f(v);
    }
    s
}

/// Multi-head self-attention of every sequence: `qkv` rows hold
/// `[q | k | v]` (q pre-scaled), `ctx` receives the heads side by side.
///
/// Per head, the keys are transposed into `dh × lp` (length padded to 16 with
/// zeros), so a query's scores are 16-wide multiply-adds; the softmax and the
/// weighted sum of values run in 16-float chunks too.
fn attention(qkv: &[f32], ctx: &mut [f32], rows: &[Row], h: usize, heads: usize) {
    let dh = h / heads;
    // Each sequence is a task with its own slice of `ctx` (rows follow each other).
    let mut parts = Vec::with_capacity(rows.len());
    let mut rest = ctx;
    for row in rows {
        let (part, tail) = rest.split_at_mut(row.len * h);
        parts.push((row, part));
        rest = tail;
    }
    struct Op<'a> {
        qkv: &'a [f32],
        out: &'a mut [f32],
        buf: &'a mut [f32],
        row: &'a Row,
        h: usize,
        heads: usize,
    }
    impl pulp::WithSimd for Op<'_> {
        type Output = ();
        #[inline(always)]
        fn with_simd<S: pulp::Simd>(self, _simd: S) {
            let (h, dh) = (self.h, self.h / self.heads);
            {
                let row = self.row;
                let len = row.len;
                let lp = len.div_ceil(LANES) * LANES;
                let (kt, scores) = self.buf.split_at_mut(dh * lp);
                let scores = &mut scores[..lp];
                let seq = &self.qkv[row.offset * 3 * h..(row.offset + len) * 3 * h];
                let out = self.out;
                for head in 0..self.heads {
                    let (qo, ko, vo) = (head * dh, h + head * dh, 2 * h + head * dh);
                    kt.fill(0.0);
                    for (j, tok) in seq.chunks_exact(3 * h).enumerate() {
                        for (c, &v) in tok[ko..ko + dh].iter().enumerate() {
                            kt[c * lp + j] = v;
                        }
                    }
                    for (tok, o) in seq.chunks_exact(3 * h).zip(out.chunks_exact_mut(h)) {
                        let q = &tok[qo..qo + dh];
                        for (ci, chunk) in scores.chunks_exact_mut(LANES).enumerate() {
                            let mut acc = [0f32; LANES];
                            for (&qc, krow) in q.iter().zip(kt.chunks_exact(lp)) {
                                let k = &krow[ci * LANES..(ci + 1) * LANES];
                                for (a, &kv) in acc.iter_mut().zip(k) {
                                    *a = qc.mul_add(kv, *a);
                                }
                            }
                            chunk.copy_from_slice(&acc);
                        }
                        for s in &mut scores[len..] {
                            *s = f32::NEG_INFINITY;
                        }
                        if let Some(mask) = &row.key_mask {
                            for (s, &keep) in scores.iter_mut().zip(mask) {
                                if !keep {
                                    *s = -1e9;
                                }
                            }
                        }
                        let mut lane_max = [f32::NEG_INFINITY; LANES];
                        for chunk in scores.chunks_exact(LANES) {
                            for (m, &s) in lane_max.iter_mut().zip(chunk) {
                                *m = m.max(s);
                            }
                        }
                        let max = lane_max.iter().fold(f32::NEG_INFINITY, |m, &s| m.max(s));
                        for s in scores.iter_mut() {
                            *s = gelu::exp_nonpositive(*s - max);
                        }
                        let inv = 1.0 / lane_sum(scores, |v| v);
                        let o = &mut o[qo..qo + dh];
                        let mut o_chunks = o.chunks_exact_mut(LANES);
                        for (oi, oc) in (&mut o_chunks).enumerate() {
                            let mut acc = [0f32; LANES];
                            for (&p, vtok) in scores.iter().zip(seq.chunks_exact(3 * h)) {
                                let v = &vtok[vo + oi * LANES..vo + (oi + 1) * LANES];
                                for (a, &vv) in acc.iter_mut().zip(v) {
                                    *a = p.mul_add(vv, *a);
                                }
                            }
                            for (d, a) in oc.iter_mut().zip(acc) {
                                *d = a * inv;
                            }
                        }
                        let done = dh - o_chunks.into_remainder().len();
                        for c in done..dh {
                            let mut acc = 0f32;
                            for (&p, vtok) in scores.iter().zip(seq.chunks_exact(3 * h)) {
                                acc = p.mul_add(vtok[vo + c], acc);
                            }
                            o[c] = acc * inv;
                        }
                    }
                }
            }
        }
    }
    // One key/score buffer per rayon job (not per sequence), grown as needed.
    parts.into_par_iter().for_each_init(Vec::new, |buf: &mut Vec<f32>, (row, out)| {
        let lp = row.len.div_ceil(LANES) * LANES;
        resize(buf, dh * lp + lp);
        pulp::Arch::new().dispatch(Op { qkv, out, buf: &mut buf[..dh * lp + lp], row, h, heads });
    });
}

/// SIMD width the attention loops are blocked for (one AVX-512 register of f32).
const LANES: usize = 16;

#[cfg(test)]
mod tests {
    use super::*;

    fn naive(m: usize, n: usize, k: usize, a: &[f32], b: &[f32]) -> Vec<f32> {
        let mut c = vec![0f32; m * n];
        for i in 0..m {
            for j in 0..n {
                c[i * n + j] = (0..k).map(|p| a[i * k + p] * b[p * n + j]).sum();
            }
        }
        c
    }

    fn values(n: usize, seed: u32) -> Vec<f32> {
        (0..n).map(|i| (((i as u32).wrapping_mul(2_654_435_761) ^ seed) % 1000) as f32 / 500.0 - 1.0).collect()
    }

    #[test]
    fn panel_products_match_a_naive_product() {
        // n = 150: two full panels and a partial one; m = 7 rows.
        for &(m, n, k) in &[(7, 150, 33), (1, 64, 1), (20, 10, 16)] {
            let a = values(m * k, 1);
            let b = values(k * n, 2);
            let want = naive(m, n, k, &a, &b);
            let packed = pack_panels(&b, k, n);
            let mut c = vec![0f32; m * n];
            matmul(m, n, k, &a, k, Rhs::Panels(&packed), &mut c, n, false).unwrap();
            let worst = c.iter().zip(&want).map(|(x, y)| (x - y).abs()).fold(0f32, f32::max);
            assert!(worst < 1e-4, "{m}x{k}x{n}: {worst}");
            // Accumulating adds the product on top.
            matmul(m, n, k, &a, k, Rhs::Panels(&packed), &mut c, n, true).unwrap();
            let worst = c.iter().zip(&want).map(|(x, y)| (x - 2.0 * y).abs()).fold(0f32, f32::max);
            assert!(worst < 1e-4, "{m}x{k}x{n} accumulated: {worst}");
        }
    }

    #[test]
    fn transposed_products_match_and_bad_sizes_are_errors() {
        let (m, n, k) = (5, 9, 12);
        let a = values(m * k, 3);
        let b = values(k * n, 4);
        let bt: Vec<f32> = (0..n * k).map(|i| b[(i % k) * n + i / k]).collect();
        let mut c = vec![0f32; m * n];
        matmul(m, n, k, &a, k, Rhs::Transposed(&bt), &mut c, n, false).unwrap();
        let want = naive(m, n, k, &a, &b);
        assert!(c.iter().zip(&want).all(|(x, y)| (x - y).abs() < 1e-4));
        let mut short = vec![0f32; m * n - 1];
        assert!(matmul(m, n, k, &a, k, Rhs::Transposed(&bt), &mut short, n, false).is_err());
        assert!(matmul(m, n, k, &a[1..], k, Rhs::Transposed(&bt), &mut c, n, false).is_err());
        assert!(matmul(m, n, k, &a, k, Rhs::Panels(&bt), &mut c, n, false).is_err());
    }

    #[test]
    fn gemm_refuses_overlapping_or_out_of_bounds_layouts() {
        let (a, b) = (values(4, 5), values(4, 6));
        let mut c = vec![0f32; 4];
        let rm = |rs| Strides { rs, cs: 1 };
        assert!(gemm_checked(2, 2, 2, &mut c, rm(2), &a, rm(2), &b, rm(2), false).is_ok());
        // Rows one apart with two columns: elements (0,1) and (1,0) collide.
        assert!(gemm_checked(2, 2, 2, &mut c, rm(1), &a, rm(2), &b, rm(2), false).is_err());
        assert!(gemm_checked(2, 3, 2, &mut c, rm(3), &a, rm(2), &b, rm(3), false).is_err());
        assert!(gemm_checked(2, 2, 0, &mut c, rm(2), &a, rm(2), &b, rm(2), false).is_err());
    }
}
