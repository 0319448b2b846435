//! int8 matrix products for [`Precision::Int8`](crate::model::Precision):
//! weights quantised per output column once, at load; activations quantised
//! per row at run time; products accumulated in 32-bit integers and scaled
//! back to f32 as each block is finished.
//!
//! One weight layout serves every kernel: tiles of 64 inputs × 16 output
//! columns, each 16 rows of 64 bytes, row `q` holding for each column `c` the
//! four weights of inputs `4q..4q+4` (the operand layout of AMX's `tdpbusd`
//! and of AVX-512 VNNI's `vpdpbusd`). Three kernels compute the same integer
//! sums over it, picked at load by what the CPU has ([`Int8Kernel::detect`]):
//! - `Amx`: Intel AMX tiles (`tdpbusd`, 16×64 by 64×16 per instruction),
//!   through `amx.rs`; Linux x86-64 only;
//! - `Vnni`: AVX-512 VNNI `vpdpbusd` on 16 columns at a time;
//! - `Portable`: plain Rust loops, on every CPU.
//!
//! The VNNI kernel's loads and stores are `unsafe`: every pointer they read or
//! write comes from a slice of the right length; tests compare each kernel
//! against a naive product.

use super::amx::{self, Block, Sink, MB, NB};
use super::fused::{Activation, FusedResult};

/// Inputs per tile.
const KT: usize = 64;
/// Output columns per tile.
const NT: usize = 16;
/// Bytes per tile.
const TILE: usize = KT * NT;

/// Which integer kernel computes the products.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Int8Kernel {
    /// Intel AMX tiles (Sapphire Rapids and later, Linux x86-64).
    Amx,
    /// AVX-512 VNNI (`vpdpbusd`).
    Vnni,
    /// Plain Rust, any CPU.
    Portable,
}

impl Int8Kernel {
    /// The fastest kernel this CPU and operating system can run.
    pub fn detect() -> Int8Kernel {
        [Int8Kernel::Amx, Int8Kernel::Vnni].into_iter().find(|k| k.is_available()).unwrap_or(Int8Kernel::Portable)
    }

    /// Whether this CPU (and operating system) can run the kernel.
    pub fn is_available(self) -> bool {
        match self {
            Int8Kernel::Amx => amx::int8_available(),
            Int8Kernel::Vnni => vnni_available(),
            Int8Kernel::Portable => true,
        }
    }

    /// Parses `amx`, `vnni` or `portable`.
    pub fn parse(s: &str) -> Option<Int8Kernel> {
        match s {
            "amx" => Some(Int8Kernel::Amx),
            "vnni" => Some(Int8Kernel::Vnni),
            "portable" => Some(Int8Kernel::Portable),
            _ => None,
        }
    }
}

fn vnni_available() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        std::arch::is_x86_feature_detected!("avx512f")
            && std::arch::is_x86_feature_detected!("avx512bw")
            && std::arch::is_x86_feature_detected!("avx512vnni")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

/// A `k × n` weight matrix quantised per output column (symmetric, ±127), in
/// the tile layout.
#[derive(Debug, Clone)]
pub(crate) struct QMatrix {
    k: usize,
    n: usize,
    /// Tiles along the inputs (`k` rounded up to [`KT`], over [`KT`]).
    k_tiles: usize,
    /// Column blocks of [`NB`] (`n` rounded up).
    n_blocks: usize,
    /// `n_blocks · 2` column tiles, each `k_tiles` tiles; zero-padded.
    tiles: Vec<i8>,
    /// Per column: the real value of one integer step.
    scale: Vec<f32>,
    /// Per column: the sum of its integer weights (for the activations' zero point).
    col_sum: Vec<i32>,
}

impl QMatrix {
    /// Quantises a row-major `k × n` matrix.
    pub(crate) fn quantize(w: &[f32], k: usize, n: usize) -> FusedResult<QMatrix> {
        if w.len() != k * n || k == 0 || n == 0 {
            return Err(format!("int8 weights: {} values for a {k}×{n} matrix", w.len()));
        }
        let (k_tiles, n_blocks) = (k.div_ceil(KT), n.div_ceil(NB));
        let mut tiles = vec![0i8; n_blocks * 2 * k_tiles * TILE];
        let mut amax = vec![0f32; n];
        for row in w.chunks_exact(n) {
            for (m, &v) in amax.iter_mut().zip(row) {
                *m = m.max(v.abs());
            }
        }
        if let Some(j) = amax.iter().position(|m| !m.is_finite()) {
            return Err(format!("int8 weights: column {j} is not finite"));
        }
        if w.iter().any(|v| v.is_nan()) {
            return Err("int8 weights: a weight is NaN".into());
        }
        let scale: Vec<f32> = amax.iter().map(|&m| m / 127.0).collect();
        let inv: Vec<f32> = scale.iter().map(|&s| if s > 0.0 { 1.0 / s } else { 0.0 }).collect();
        let mut col_sum = vec![0i32; n];
        for (p, row) in w.chunks_exact(n).enumerate() {
            let (kt, r) = (p / KT, p % KT);
            let within = (r / 4) * 64 + r % 4;
            for (j, (&v, &f)) in row.iter().zip(&inv).enumerate() {
                // Round to nearest (see `ROUND`); the low byte is the value.
                let q = ((v * f).clamp(-127.0, 127.0) + ROUND).to_bits() as u8 as i8;
                col_sum[j] += i32::from(q);
                tiles[((j / NT) * k_tiles + kt) * TILE + within + (j % NT) * 4] = q;
            }
        }
        Ok(QMatrix { k, n, k_tiles, n_blocks, tiles, scale, col_sum })
    }

    /// `(k, n)`: inputs and output columns.
    pub(crate) fn dims(&self) -> (usize, usize) {
        (self.k, self.n)
    }

    /// The tiles of column block `b`: two column tiles, `k_tiles` each.
    fn block(&self, b: usize) -> &[i8] {
        let len = 2 * self.k_tiles * TILE;
        &self.tiles[b * len..(b + 1) * len]
    }
}

/// Where input tile `kt` of activation row `i` starts (rows `kp` bytes apart).
#[inline(always)]
fn a_at(i: usize, kt: usize, kp: usize) -> usize {
    i * kp + kt * KT
}

/// Activations quantised per row (asymmetric, 0..=255), rows padded to [`MB`]
/// and inputs to [`KT`]; reused between calls.
#[derive(Default)]
pub(crate) struct QScratch {
    a: Vec<u8>,
    scale: Vec<f32>,
    zero: Vec<i32>,
}

/// Quantises the first `k` values of `m` rows of `a` (`lda` apart).
fn quantize_rows(a: &[f32], m: usize, k: usize, lda: usize, kp: usize, s: &mut QScratch) {
    let mp = m.div_ceil(MB) * MB;
    s.a.clear();
    s.a.resize(mp * kp, 0);
    s.scale.clear();
    s.scale.resize(mp, 0.0);
    s.zero.clear();
    s.zero.resize(mp, 0);
    // Compiled for the CPU's SIMD width (pulp's run-time dispatch).
    struct Op<'a> {
        a: &'a [f32],
        m: usize,
        k: usize,
        lda: usize,
        kp: usize,
        s: &'a mut QScratch,
    }
    impl pulp::WithSimd for Op<'_> {
        type Output = ();
        #[inline(always)]
        fn with_simd<S: pulp::Simd>(self, _simd: S) {
            let Op { a, m, k, lda, kp, s } = self;
            for i in 0..m {
                let row = &a[i * lda..i * lda + k];
                let (lo, hi) = min_max(row);
                let step = (hi - lo) / 255.0;
                if !(step > 0.0 && step.is_finite()) {
                    // All zeros (or not finite: the f32 path would give NaN too).
                    s.scale[i] = if step.is_finite() { 0.0 } else { f32::NAN };
                    continue;
                }
                let z = (-lo / step).round().clamp(0.0, 255.0);
                let inv = 1.0 / step;
                s.scale[i] = step;
                s.zero[i] = z as i32;
                // Round to nearest: adding 1.5·2²³ to a float in [0, 255]
                // leaves the rounded integer in the low mantissa bits (a
                // float-to-int cast would not vectorise).
                for (q, &v) in s.a[i * kp..i * kp + k].iter_mut().zip(row) {
                    *q = (v.mul_add(inv, z).clamp(0.0, 255.0) + ROUND).to_bits() as u8;
                }
            }
        }
    }
    pulp::Arch::new().dispatch(Op { a, m, k, lda, kp, s });
}

/// 1.5·2²³: see `quantize_rows`.
const ROUND: f32 = 12_582_912.0;

/// The smallest and largest value of `row`, and 0; NaN if a value is not finite.
#[inline(always)]
fn min_max(row: &[f32]) -> (f32, f32) {
    let (mut lo, mut hi, mut sum) = ([0f32; 16], [0f32; 16], [0f32; 16]);
    let chunks = row.chunks_exact(16);
    let tail = chunks.remainder();
    for c in chunks {
        for j in 0..16 {
            lo[j] = if c[j] < lo[j] { c[j] } else { lo[j] };
            hi[j] = if c[j] > hi[j] { c[j] } else { hi[j] };
            // Infinities and NaN end up NaN here (inf − inf, or NaN · 0).
            sum[j] += c[j] * 0.0;
        }
    }
    let (mut l, mut h) = (0f32, 0f32);
    for &v in tail.iter().chain(&lo) {
        l = l.min(v);
    }
    for &v in tail.iter().chain(&hi) {
        h = h.max(v);
    }
    if sum.iter().chain(tail).any(|v| !v.is_finite()) {
        return (f32::NAN, f32::NAN);
    }
    (l, h)
}

/// Integer sums of one block: [`MB`] rows × [`NB`] columns, row-major.
type Acc = Block<i32>;

/// `c[m×n] (+)= a[m×k] · w + bias` in int8, rows of `a` and `c` `lda`/`ldc`
/// apart; with `accumulate` the result is added to `c`, else it overwrites it.
/// `act`, if given, is applied to each block of `c` once it is final (while
/// it is in cache).
#[allow(clippy::too_many_arguments)]
pub(crate) fn qmatmul(
    m: usize,
    a: &[f32],
    lda: usize,
    w: &QMatrix,
    c: &mut [f32],
    ldc: usize,
    (accumulate, bias): (bool, Option<&[f32]>),
    act: Option<Activation>,
    kernel: Int8Kernel,
    s: &mut QScratch,
) -> FusedResult<()> {
    let (k, n) = (w.k, w.n);
    amx::check_product("int8", (m, k, n), (a, lda), (c, ldc), bias)?;
    if m == 0 {
        return Ok(());
    }
    if !kernel.is_available() {
        return Err(format!("the {kernel:?} int8 kernel does not run on this CPU"));
    }
    let kp = w.k_tiles * KT;
    quantize_rows(a, m, k, lda, kp, s);
    let (qa, sa, za) = (&s.a, &s.scale, &s.zero);
    // One block of MB rows: the kernel and the scaling back of each finished
    // block, all inside one run-time SIMD dispatch (so the epilogue is
    // inlined and vectorised, with no dispatch per block).
    struct RowBlock<'a> {
        qa: &'a [u8],
        kp: usize,
        out: Epilogue<'a>,
        kernel: Int8Kernel,
    }
    impl pulp::WithSimd for RowBlock<'_> {
        type Output = FusedResult<()>;
        #[inline(always)]
        fn with_simd<S: pulp::Simd>(self, _simd: S) -> FusedResult<()> {
            let RowBlock { qa, kp, mut out, kernel } = self;
            let w = out.w;
            match kernel {
                Int8Kernel::Amx => {
                    let tiles: &[u8] = bytemuck::cast_slice(&w.tiles);
                    amx::rows(amx::Op::Int8, qa, kp, tiles, (w.k_tiles, w.n_blocks), &mut out)
                }
                Int8Kernel::Vnni => vnni::rows(qa, kp, w, &mut out),
                Int8Kernel::Portable => {
                    portable_rows(qa, kp, w, &mut out);
                    Ok(())
                }
            }
        }
    }
    let block_rows = |r0: usize, c_rows: &mut [f32]| -> FusedResult<()> {
        let (scale, zero, rows) = (&sa[r0..], &za[r0..], MB.min(m - r0));
        let out = Epilogue { w, c_rows, ldc, rows, scale, zero, bias, accumulate, act };
        pulp::Arch::new().dispatch(RowBlock { qa: &qa[r0 * kp..(r0 + MB) * kp], kp, out, kernel })
    };
    amx::for_row_blocks((m, n, ldc), c, block_rows)
}

/// One finished block and where its rows go.
struct RowsOut<'a> {
    c: &'a mut [f32],
    ldc: usize,
    j0: usize,
    rows: usize,
    acc: &'a Acc,
    scale: &'a [f32],
    zero: &'a [i32],
    ws: &'a [f32],
    cs: &'a [i32],
    bias: Option<&'a [f32]>,
    act: Option<Activation>,
}

/// Scales a row block's sums back into `c_rows` (see [`dequantize`]).
struct Epilogue<'a> {
    w: &'a QMatrix,
    c_rows: &'a mut [f32],
    ldc: usize,
    rows: usize,
    scale: &'a [f32],
    zero: &'a [i32],
    bias: Option<&'a [f32]>,
    accumulate: bool,
    act: Option<Activation>,
}

impl Sink<i32> for Epilogue<'_> {
    #[inline(always)]
    fn block(&mut self, b: usize, acc: &Acc) {
        let j0 = b * NB;
        let cols = NB.min(self.w.n - j0);
        let out = RowsOut {
            c: &mut *self.c_rows,
            ldc: self.ldc,
            j0,
            rows: self.rows,
            acc,
            scale: self.scale,
            zero: self.zero,
            ws: &self.w.scale[j0..j0 + cols],
            cs: &self.w.col_sum[j0..j0 + cols],
            bias: self.bias.map(|b| &b[j0..j0 + cols]),
            act: self.act,
        };
        if self.accumulate {
            dequantize::<true>(out);
        } else {
            dequantize::<false>(out);
        }
    }
}

/// `c (+)= step · w_scale · (acc − zero · col_sum) + bias`, then `act`;
/// `ADD` accumulates. Inlined into the caller's SIMD dispatch.
#[inline(always)]
fn dequantize<const ADD: bool>(out: RowsOut<'_>) {
    let RowsOut { c, ldc, j0, rows, acc, scale, zero, ws, cs, bias, act } = out;
    let cols = ws.len();
    let zeros = [0f32; NB];
    let bias = bias.unwrap_or(&zeros[..cols]);
    for i in 0..rows {
        let (step, zero) = (scale[i], zero[i]);
        let dst = &mut c[i * ldc + j0..i * ldc + j0 + cols];
        let acc = &acc[i * NB..i * NB + cols];
        for ((((o, &v), &sw), &sum), &b) in dst.iter_mut().zip(acc).zip(ws).zip(cs).zip(bias) {
            let y = (step * sw).mul_add((v - zero * sum) as f32, b);
            *o = if ADD { *o + y } else { y };
        }
        if let Some(act) = act {
            act.apply(dst);
        }
    }
}

/// The portable kernel: the same sums in plain loops (inlined into the
/// caller's SIMD dispatch, so compiled for the CPU's width).
#[inline(always)]
fn portable_rows(qa: &[u8], kp: usize, w: &QMatrix, sink: &mut impl Sink<i32>) {
    let mut acc: Acc = [0; MB * NB];
    for b in 0..w.n_blocks {
        let tiles = w.block(b);
        acc.fill(0);
        for half in 0..2 {
            for kt in 0..w.k_tiles {
                let tile = &tiles[(half * w.k_tiles + kt) * TILE..][..TILE];
                for i in 0..MB {
                    let a = &qa[a_at(i, kt, kp)..][..KT];
                    let mut out = [0i32; NT];
                    for (aq, quad) in a.chunks_exact(4).zip(tile.chunks_exact(64)) {
                        for t in 0..4 {
                            let x = i32::from(aq[t]);
                            for (c, o) in out.iter_mut().enumerate() {
                                *o += x * i32::from(quad[c * 4 + t]);
                            }
                        }
                    }
                    for (o, v) in acc[i * NB + half * NT..][..NT].iter_mut().zip(out) {
                        *o += v;
                    }
                }
            }
        }
        sink.block(b, &acc);
    }
}

/// AVX-512 VNNI: eight rows by two column tiles of 16 in registers.
mod vnni {
    use super::{Acc, QMatrix, Sink, KT, MB, NB, NT, TILE};
    use crate::model::candle::fused::FusedResult;

    #[inline(always)]
    pub(super) fn rows(qa: &[u8], kp: usize, w: &QMatrix, sink: &mut impl Sink<i32>) -> FusedResult<()> {
        if !super::vnni_available() {
            return Err("AVX-512 VNNI is not available".into());
        }
        if qa.len() < MB * kp || kp != w.k_tiles * KT {
            return Err("int8 product: activation block does not match the weights".into());
        }
        let mut acc: Acc = [0; MB * NB];
        for b in 0..w.n_blocks {
            let tiles = w.block(b);
            #[cfg(target_arch = "x86_64")]
            // SAFETY: the CPU has AVX-512F/BW/VNNI (checked above); `block`
            // only reads through slices whose lengths it checks.
            #[allow(unsafe_code)]
            unsafe {
                block(qa, kp, tiles, w.k_tiles, &mut acc);
            }
            sink.block(b, &acc);
        }
        Ok(())
    }

    /// One block: `acc[i][j] = Σ_p qa[i][p] · tiles(p, j)`.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx512f,avx512bw,avx512vnni")]
    fn block(qa: &[u8], kp: usize, tiles: &[i8], k_tiles: usize, acc: &mut Acc) {
        use std::arch::x86_64::*;
        let (t0, t1) = tiles.split_at(k_tiles * TILE);
        for i0 in (0..MB).step_by(8) {
            let mut r = [[_mm512_setzero_si512(); 2]; 8];
            for kt in 0..k_tiles {
                let (w0, w1) = (&t0[kt * TILE..][..TILE], &t1[kt * TILE..][..TILE]);
                for q in 0..16 {
                    let b0 = load(&w0[q * 64..q * 64 + 64]);
                    let b1 = load(&w1[q * 64..q * 64 + 64]);
                    for (i, ri) in r.iter_mut().enumerate() {
                        let at = super::a_at(i0 + i, kt, kp) + q * 4;
                        let quad = &qa[at..at + 4];
                        let x = _mm512_set1_epi32(i32::from_le_bytes([quad[0], quad[1], quad[2], quad[3]]));
                        ri[0] = _mm512_dpbusd_epi32(ri[0], x, b0);
                        ri[1] = _mm512_dpbusd_epi32(ri[1], x, b1);
                    }
                }
            }
            for (i, ri) in r.iter().enumerate() {
                for (half, v) in ri.iter().enumerate() {
                    let lanes: [i32; NT] = to_array(*v);
                    acc[(i0 + i) * NB + half * NT..][..NT].copy_from_slice(&lanes);
                }
            }
        }
    }

    /// 64 bytes from a slice of exactly 64.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx512f")]
    fn load(s: &[i8]) -> std::arch::x86_64::__m512i {
        let s: &[i8; 64] = s.try_into().expect("a tile row is 64 bytes");
        // SAFETY: `s` is 64 readable bytes; the load is unaligned.
        #[allow(unsafe_code)]
        unsafe {
            std::arch::x86_64::_mm512_loadu_si512(s.as_ptr().cast())
        }
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx512f")]
    fn to_array(v: std::arch::x86_64::__m512i) -> [i32; NT] {
        let mut out = [0i32; NT];
        // SAFETY: `out` is 16 writable i32s; the store is unaligned.
        #[allow(unsafe_code)]
        unsafe {
            std::arch::x86_64::_mm512_storeu_si512(out.as_mut_ptr().cast(), v)
        };
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(n: usize, seed: u32) -> Vec<f32> {
        (0..n).map(|i| (((i as u32).wrapping_mul(2_654_435_761) ^ seed) % 1000) as f32 / 500.0 - 1.0).collect()
    }

    fn kernels() -> Vec<Int8Kernel> {
        [Int8Kernel::Amx, Int8Kernel::Vnni, Int8Kernel::Portable].into_iter().filter(|k| k.is_available()).collect()
    }

    /// The exact integer result the kernels must reproduce, dequantised the
    /// same way, from the quantised operands read back naively.
    fn reference(m: usize, a: &[f32], w: &QMatrix) -> Vec<f32> {
        let kp = w.k_tiles * KT;
        let mut s = QScratch::default();
        quantize_rows(a, m, w.k, w.k, kp, &mut s);
        let wq = |p: usize, j: usize| {
            let (nt, c, kt, r) = (j / NT, j % NT, p / KT, p % KT);
            i32::from(w.tiles[(nt * w.k_tiles + kt) * TILE + (r / 4) * 64 + c * 4 + r % 4])
        };
        let mut out = vec![0f32; m * w.n];
        for i in 0..m {
            for j in 0..w.n {
                let acc: i32 = (0..w.k).map(|p| i32::from(s.a[a_at(i, p / KT, kp) + p % KT]) * wq(p, j)).sum();
                out[i * w.n + j] = s.scale[i] * w.scale[j] * (acc - s.zero[i] * w.col_sum[j]) as f32;
            }
        }
        out
    }

    #[test]
    fn every_kernel_matches_the_naive_integer_product() {
        assert!(kernels().contains(&Int8Kernel::Portable));
        // Shapes with partial row blocks, column blocks and input tiles.
        for &(m, k, n) in &[(1, 1, 1), (7, 33, 150), (40, 384, 64), (65, 130, 48), (3, 64, 16)] {
            let a = values(m * k, 1);
            let wf = values(k * n, 2);
            let w = QMatrix::quantize(&wf, k, n).unwrap();
            let want = reference(m, &a, &w);
            for kernel in kernels() {
                let mut c = vec![0f32; m * n];
                qmatmul(m, &a, k, &w, &mut c, n, (false, None), None, kernel, &mut QScratch::default()).unwrap();
                let worst = c.iter().zip(&want).map(|(x, y)| (x - y).abs()).fold(0f32, f32::max);
                assert!(worst < 1e-4, "{kernel:?} {m}x{k}x{n}: {worst}");
                // Accumulating adds the same product on top.
                qmatmul(m, &a, k, &w, &mut c, n, (true, None), None, kernel, &mut QScratch::default()).unwrap();
                let worst = c.iter().zip(&want).map(|(x, y)| (x - 2.0 * y).abs()).fold(0f32, f32::max);
                assert!(worst < 1e-4, "{kernel:?} {m}x{k}x{n} accumulated: {worst}");
            }
        }
    }

    #[test]
    fn the_int8_product_is_close_to_the_f32_product() {
        let (m, k, n) = (20, 384, 96);
        let a = values(m * k, 3);
        let wf = values(k * n, 4);
        let w = QMatrix::quantize(&wf, k, n).unwrap();
        let mut c = vec![0f32; m * n];
        qmatmul(m, &a, k, &w, &mut c, n, (false, None), None, Int8Kernel::Portable, &mut QScratch::default()).unwrap();
        let (mut err2, mut exact2) = (0f64, 0f64);
        for i in 0..m {
            for j in 0..n {
                let exact: f32 = (0..k).map(|p| a[i * k + p] * wf[p * n + j]).sum();
                err2 += f64::from(c[i * n + j] - exact).powi(2);
                exact2 += f64::from(exact).powi(2);
            }
        }
        // Rounding both operands to 255 steps over [-1, 1] leaves an error
        // of about 1% of the products' spread (measured 0.75%).
        let relative = (err2 / exact2).sqrt();
        assert!(relative < 0.02, "relative RMS error {relative}");
        assert!(relative > 0.0, "the product went through int8");
    }

    #[test]
    fn strided_rows_zero_rows_and_bad_sizes() {
        let (m, k, n) = (3, 8, 16);
        let w = QMatrix::quantize(&values(k * n, 5), k, n).unwrap();
        // Rows 10 apart, the middle one all zeros.
        let mut a = values(m * 10, 6);
        a[10..18].fill(0.0);
        let mut c = vec![1f32; m * 20];
        qmatmul(m, &a, 10, &w, &mut c, 20, (false, None), None, Int8Kernel::Portable, &mut QScratch::default())
            .unwrap();
        assert!(c[20..36].iter().all(|&v| v == 0.0));
        assert!(c[16..20].iter().all(|&v| v == 1.0), "columns past n are left alone");
        let mut short = vec![0f32; m * n - 1];
        assert!(qmatmul(
            m,
            &a,
            10,
            &w,
            &mut short,
            n,
            (false, None),
            None,
            Int8Kernel::Portable,
            &mut QScratch::default()
        )
        .is_err());
        assert!(qmatmul(
            m,
            &a[..20],
            10,
            &w,
            &mut c,
            20,
            (false, None),
            None,
            Int8Kernel::Portable,
            &mut QScratch::default()
        )
        .is_err());
        assert!(QMatrix::quantize(&[1.0; 5], 2, 3).is_err());
        assert!(QMatrix::quantize(&[f32::INFINITY; 6], 2, 3).is_err());
    }
}
