//! bf16 matrix products for [`Precision::Bf16`](crate::model::Precision):
//! weights rounded to bfloat16 once, at load; activations rounded per call;
//! products summed in f32.
//!
//! One weight layout serves every kernel: tiles of 32 inputs × 16 output
//! columns, each 16 rows of 64 bytes, row `q` holding for each column `c` the
//! weights of inputs `2q` and `2q + 1` (the operand layout of AMX's
//! `tdpbf16ps` and of AVX-512 BF16's `vdpbf16ps`). Three kernels, picked at
//! load by what the CPU has ([`Bf16Kernel::detect`]):
//! - `Amx`: Intel AMX-BF16 tiles through `amx.rs` (Linux x86-64);
//! - `Avx512`: AVX-512 BF16 `vdpbf16ps` on 16 columns at a time;
//! - `Portable`: plain Rust.
//!
//! Each product of two bf16 values is exact in f32; the kernels differ only
//! in the order of the f32 additions (tests bound the difference).

use super::amx::{self, bf16_available as amx_bf16_available, Block, Sink, MB, NB};
use super::fused::{Activation, FusedResult};

/// Inputs per tile.
const KT: usize = 32;
/// Output columns per tile.
const NT: usize = 16;
/// bf16 values per tile.
const TILE: usize = KT * NT;

/// Which kernel computes the bf16 products.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bf16Kernel {
    /// Intel AMX-BF16 tiles (Sapphire Rapids and later, Linux x86-64).
    Amx,
    /// AVX-512 BF16 (`vdpbf16ps`).
    Avx512,
    /// Plain Rust, any CPU.
    Portable,
}

impl Bf16Kernel {
    /// The fastest kernel this CPU and operating system can run.
    pub fn detect() -> Bf16Kernel {
        [Bf16Kernel::Amx, Bf16Kernel::Avx512].into_iter().find(|k| k.is_available()).unwrap_or(Bf16Kernel::Portable)
    }

    /// Whether this CPU (and operating system) can run the kernel.
    pub fn is_available(self) -> bool {
        match self {
            Bf16Kernel::Amx => amx_bf16_available(),
            Bf16Kernel::Avx512 => avx512_available(),
            Bf16Kernel::Portable => true,
        }
    }

    /// Parses `amx`, `avx512` or `portable`.
    pub fn parse(s: &str) -> Option<Bf16Kernel> {
        match s {
            "amx" => Some(Bf16Kernel::Amx),
            "avx512" => Some(Bf16Kernel::Avx512),
            "portable" => Some(Bf16Kernel::Portable),
            _ => None,
        }
    }
}

fn avx512_available() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        std::arch::is_x86_feature_detected!("avx512f")
            && std::arch::is_x86_feature_detected!("avx512bw")
            && std::arch::is_x86_feature_detected!("avx512bf16")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

/// `x` rounded to bfloat16 (to nearest, ties to even; NaN stays NaN).
#[inline(always)]
fn to_bf16(x: f32) -> u16 {
    let u = x.to_bits();
    if x.is_nan() {
        ((u >> 16) | 0x40) as u16
    } else {
        (u.wrapping_add(0x7fff + ((u >> 16) & 1)) >> 16) as u16
    }
}

/// The f32 value of a bfloat16.
#[inline(always)]
fn from_bf16(b: u16) -> f32 {
    f32::from_bits(u32::from(b) << 16)
}

/// A `k × n` weight matrix in bf16, in the tile layout.
#[derive(Debug, Clone)]
pub(crate) struct BMatrix {
    k: usize,
    n: usize,
    /// Tiles along the inputs (`k` rounded up to [`KT`], over [`KT`]).
    k_tiles: usize,
    /// Column blocks of [`NB`] (`n` rounded up).
    n_blocks: usize,
    /// `n_blocks · 2` column tiles, each `k_tiles` tiles; zero-padded.
    tiles: Vec<u16>,
}

impl BMatrix {
    /// Rounds a row-major `k × n` matrix to bf16.
    pub(crate) fn convert(w: &[f32], k: usize, n: usize) -> FusedResult<BMatrix> {
        if w.len() != k * n || k == 0 || n == 0 {
            return Err(format!("bf16 weights: {} values for a {k}×{n} matrix", w.len()));
        }
        if w.iter().any(|v| !v.is_finite()) {
            return Err("bf16 weights: a weight is not finite".into());
        }
        let (k_tiles, n_blocks) = (k.div_ceil(KT), n.div_ceil(NB));
        let mut tiles = vec![0u16; n_blocks * 2 * k_tiles * TILE];
        for (p, row) in w.chunks_exact(n).enumerate() {
            let (kt, r) = (p / KT, p % KT);
            let within = (r / 2) * 32 + r % 2;
            for (j, &v) in row.iter().enumerate() {
                tiles[((j / NT) * k_tiles + kt) * TILE + within + (j % NT) * 2] = to_bf16(v);
            }
        }
        Ok(BMatrix { k, n, k_tiles, n_blocks, tiles })
    }

    /// `(k, n)`: inputs and output columns.
    pub(crate) fn dims(&self) -> (usize, usize) {
        (self.k, self.n)
    }

    /// The tiles of column block `b`: two column tiles, `k_tiles` each.
    fn block(&self, b: usize) -> &[u16] {
        let len = 2 * self.k_tiles * TILE;
        &self.tiles[b * len..(b + 1) * len]
    }
}

/// Activations in bf16, rows padded to [`MB`] and inputs to [`KT`]; reused
/// between calls.
#[derive(Default)]
pub(crate) struct BScratch {
    a: Vec<u16>,
}

/// Sums of one block: [`MB`] rows × [`NB`] columns, row-major.
type Acc = Block<f32>;

/// `c[m×n] (+)= a[m×k] · w + bias` in bf16, rows of `a` and `c` `lda`/`ldc`
/// apart; with `accumulate` the result is added to `c`, else it overwrites
/// it. `act`, if given, is applied to each block of `c` once it is final.
#[allow(clippy::too_many_arguments)]
pub(crate) fn bmatmul(
    m: usize,
    a: &[f32],
    lda: usize,
    w: &BMatrix,
    c: &mut [f32],
    ldc: usize,
    (accumulate, bias): (bool, Option<&[f32]>),
    act: Option<Activation>,
    kernel: Bf16Kernel,
    s: &mut BScratch,
) -> FusedResult<()> {
    let (k, n) = (w.k, w.n);
    amx::check_product("bf16", (m, k, n), (a, lda), (c, ldc), bias)?;
    if m == 0 {
        return Ok(());
    }
    if !kernel.is_available() {
        return Err(format!("the {kernel:?} bf16 kernel does not run on this CPU"));
    }
    let kp = w.k_tiles * KT;
    let mp = m.div_ceil(MB) * MB;
    s.a.clear();
    s.a.resize(mp * kp, 0);
    struct Convert<'a> {
        a: &'a [f32],
        lda: usize,
        k: usize,
        kp: usize,
        out: &'a mut [u16],
    }
    impl pulp::WithSimd for Convert<'_> {
        type Output = ();
        #[inline(always)]
        fn with_simd<S: pulp::Simd>(self, _simd: S) {
            let Convert { a, lda, k, kp, out } = self;
            for (dst, src) in out.chunks_exact_mut(kp).zip(a.chunks(lda)) {
                for (d, &v) in dst[..k].iter_mut().zip(&src[..k]) {
                    *d = to_bf16(v);
                }
            }
        }
    }
    pulp::Arch::new().dispatch(Convert { a, lda, k, kp, out: &mut s.a[..m * kp] });
    let qa = &s.a;

    struct RowBlock<'a> {
        qa: &'a [u16],
        kp: usize,
        w: &'a BMatrix,
        out: Epilogue<'a>,
        kernel: Bf16Kernel,
    }
    impl pulp::WithSimd for RowBlock<'_> {
        type Output = FusedResult<()>;
        #[inline(always)]
        fn with_simd<S: pulp::Simd>(self, _simd: S) -> FusedResult<()> {
            let RowBlock { qa, kp, w, mut out, kernel } = self;
            match kernel {
                Bf16Kernel::Amx => {
                    let (a, tiles): (&[u8], &[u8]) = (bytemuck::cast_slice(qa), bytemuck::cast_slice(&w.tiles));
                    amx::rows(amx::Op::Bf16, a, 2 * kp, tiles, (w.k_tiles, w.n_blocks), &mut out)
                }
                Bf16Kernel::Avx512 => avx512::rows(qa, kp, w, &mut out),
                Bf16Kernel::Portable => {
                    portable_rows(qa, kp, w, &mut out);
                    Ok(())
                }
            }
        }
    }
    let block_rows = |r0: usize, c_rows: &mut [f32]| -> FusedResult<()> {
        let out = Epilogue { n, c_rows, ldc, rows: MB.min(m - r0), bias, accumulate, act };
        pulp::Arch::new().dispatch(RowBlock { qa: &qa[r0 * kp..(r0 + MB) * kp], kp, w, out, kernel })
    };
    amx::for_row_blocks((m, n, ldc), c, block_rows)
}

/// Writes each finished block into `c_rows`: `c (+)= acc + bias`, then `act`.
struct Epilogue<'a> {
    n: usize,
    c_rows: &'a mut [f32],
    ldc: usize,
    rows: usize,
    bias: Option<&'a [f32]>,
    accumulate: bool,
    act: Option<Activation>,
}

impl Sink<f32> for Epilogue<'_> {
    /// Column block `b` is done (inlined into the caller's SIMD dispatch).
    #[inline(always)]
    fn block(&mut self, b: usize, acc: &Acc) {
        let j0 = b * NB;
        let cols = NB.min(self.n - j0);
        let zeros = [0f32; NB];
        let bias = self.bias.map_or(&zeros[..cols], |v| &v[j0..j0 + cols]);
        for i in 0..self.rows {
            let dst = &mut self.c_rows[i * self.ldc + j0..i * self.ldc + j0 + cols];
            let acc = &acc[i * NB..i * NB + cols];
            if self.accumulate {
                for ((o, &v), &b) in dst.iter_mut().zip(acc).zip(bias) {
                    *o += v + b;
                }
            } else {
                for ((o, &v), &b) in dst.iter_mut().zip(acc).zip(bias) {
                    *o = v + b;
                }
            }
            if let Some(act) = self.act {
                act.apply(dst);
            }
        }
    }
}

/// The portable kernel: the same sums in plain loops.
#[inline(always)]
fn portable_rows(qa: &[u16], kp: usize, w: &BMatrix, out: &mut Epilogue<'_>) {
    let mut acc: Acc = [0.0; MB * NB];
    for b in 0..w.n_blocks {
        let tiles = w.block(b);
        acc.fill(0.0);
        for half in 0..2 {
            for kt in 0..w.k_tiles {
                let tile = &tiles[(half * w.k_tiles + kt) * TILE..][..TILE];
                for i in 0..MB {
                    let a = &qa[i * kp + kt * KT..][..KT];
                    let sums = &mut acc[i * NB + half * NT..][..NT];
                    for (pair, row) in a.chunks_exact(2).zip(tile.chunks_exact(2 * NT)) {
                        let (a0, a1) = (from_bf16(pair[0]), from_bf16(pair[1]));
                        for (o, wp) in sums.iter_mut().zip(row.chunks_exact(2)) {
                            *o += a0 * from_bf16(wp[0]) + a1 * from_bf16(wp[1]);
                        }
                    }
                }
            }
        }
        out.block(b, &acc);
    }
}

/// AVX-512 BF16: eight rows by two column tiles of 16 in registers.
mod avx512 {
    use super::{Acc, BMatrix, Epilogue, Sink, KT, MB, NB, NT, TILE};
    use crate::model::candle::fused::FusedResult;

    #[inline(always)]
    pub(super) fn rows(qa: &[u16], kp: usize, w: &BMatrix, out: &mut Epilogue<'_>) -> FusedResult<()> {
        if !super::avx512_available() {
            return Err("AVX-512 BF16 is not available".into());
        }
        if qa.len() < MB * kp || kp != w.k_tiles * KT {
            return Err("bf16 product: activation block does not match the weights".into());
        }
        let mut acc: Acc = [0.0; MB * NB];
        for b in 0..w.n_blocks {
            #[cfg(target_arch = "x86_64")]
            // SAFETY: the CPU has AVX-512F/BW/BF16 (checked above); `block`
            // only reads through slices whose lengths it checks.
            #[allow(unsafe_code)]
            unsafe {
                block(qa, kp, w.block(b), w.k_tiles, &mut acc);
            }
            out.block(b, &acc);
        }
        Ok(())
    }

    /// One block: `acc[i][j] = Σ_p qa[i][p] · tiles(p, j)` in f32.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx512f,avx512bw,avx512bf16")]
    fn block(qa: &[u16], kp: usize, tiles: &[u16], k_tiles: usize, acc: &mut Acc) {
        use std::arch::x86_64::*;
        let (t0, t1) = tiles.split_at(k_tiles * TILE);
        for i0 in (0..MB).step_by(8) {
            let mut r = [[_mm512_setzero_ps(); 2]; 8];
            for kt in 0..k_tiles {
                let (w0, w1) = (&t0[kt * TILE..][..TILE], &t1[kt * TILE..][..TILE]);
                for q in 0..16 {
                    let b0 = load(&w0[q * 32..q * 32 + 32]);
                    let b1 = load(&w1[q * 32..q * 32 + 32]);
                    for (i, ri) in r.iter_mut().enumerate() {
                        let at = (i0 + i) * kp + kt * KT + q * 2;
                        let pair = u32::from(qa[at]) | (u32::from(qa[at + 1]) << 16);
                        let x = bh(_mm512_set1_epi32(pair as i32));
                        ri[0] = _mm512_dpbf16_ps(ri[0], x, b0);
                        ri[1] = _mm512_dpbf16_ps(ri[1], x, b1);
                    }
                }
            }
            for (i, ri) in r.iter().enumerate() {
                for (half, v) in ri.iter().enumerate() {
                    let mut lanes = [0f32; NT];
                    // SAFETY: `lanes` is 16 writable f32s; the store is unaligned.
                    #[allow(unsafe_code)]
                    unsafe {
                        _mm512_storeu_ps(lanes.as_mut_ptr(), *v)
                    };
                    acc[(i0 + i) * NB + half * NT..][..NT].copy_from_slice(&lanes);
                }
            }
        }
    }

    /// 32 bf16 values from a slice of exactly 32.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx512f,avx512bf16")]
    fn load(s: &[u16]) -> std::arch::x86_64::__m512bh {
        let s: &[u16; 32] = s.try_into().expect("a tile row is 32 values");
        // SAFETY: `s` is 64 readable bytes; the load is unaligned.
        #[allow(unsafe_code)]
        let v = unsafe { std::arch::x86_64::_mm512_loadu_si512(s.as_ptr().cast()) };
        bh(v)
    }

    /// The same 512 bits as 32 bf16 values.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx512f,avx512bf16")]
    fn bh(v: std::arch::x86_64::__m512i) -> std::arch::x86_64::__m512bh {
        // SAFETY: both are plain 512-bit vectors; every bit pattern is a
        // valid value of either.
        #[allow(unsafe_code)]
        unsafe {
            std::mem::transmute::<std::arch::x86_64::__m512i, std::arch::x86_64::__m512bh>(v)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(n: usize, seed: u32) -> Vec<f32> {
        (0..n).map(|i| (((i as u32).wrapping_mul(2_654_435_761) ^ seed) % 1000) as f32 / 500.0 - 1.0).collect()
    }

    fn kernels() -> Vec<Bf16Kernel> {
        [Bf16Kernel::Amx, Bf16Kernel::Avx512, Bf16Kernel::Portable].into_iter().filter(|k| k.is_available()).collect()
    }

    #[test]
    fn rounding_to_bf16() {
        assert_eq!(to_bf16(1.0), 0x3f80);
        assert_eq!(from_bf16(to_bf16(-2.5)), -2.5);
        // 1 + 2^-8 is halfway between two bf16 values: ties to even (1.0).
        assert_eq!(to_bf16(1.0 + 1.0 / 256.0), 0x3f80);
        assert_eq!(to_bf16(1.0 + 3.0 / 256.0), 0x3f82);
        assert!(from_bf16(to_bf16(f32::NAN)).is_nan());
        assert_eq!(from_bf16(to_bf16(f32::INFINITY)), f32::INFINITY);
    }

    #[test]
    fn every_kernel_matches_the_product_of_the_rounded_operands() {
        assert!(kernels().contains(&Bf16Kernel::Portable));
        for &(m, k, n) in &[(1, 1, 1), (7, 33, 150), (40, 384, 64), (65, 130, 48), (3, 64, 16)] {
            let a = values(m * k, 1);
            let wf = values(k * n, 2);
            let w = BMatrix::convert(&wf, k, n).unwrap();
            let bias = values(n, 3);
            let r = |x: f32| from_bf16(to_bf16(x));
            for kernel in kernels() {
                let mut c = vec![0.5f32; m * n];
                bmatmul(m, &a, k, &w, &mut c, n, (true, Some(&bias)), None, kernel, &mut BScratch::default()).unwrap();
                for i in 0..m {
                    for j in 0..n {
                        let want: f64 =
                            (0..k).map(|p| f64::from(r(a[i * k + p])) * f64::from(r(wf[p * n + j]))).sum::<f64>()
                                + f64::from(bias[j])
                                + 0.5;
                        let got = f64::from(c[i * n + j]);
                        assert!(
                            (got - want).abs() < 1e-4 * (k as f64),
                            "{kernel:?} {m}x{k}x{n} ({i},{j}): {got} vs {want}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn bad_sizes_are_errors() {
        let w = BMatrix::convert(&values(8 * 16, 5), 8, 16).unwrap();
        let a = values(3 * 8, 6);
        let mut short = vec![0f32; 3 * 16 - 1];
        let s = &mut BScratch::default();
        assert!(bmatmul(3, &a, 8, &w, &mut short, 16, (false, None), None, Bf16Kernel::Portable, s).is_err());
        let mut c = vec![0f32; 3 * 16];
        assert!(bmatmul(3, &a, 8, &w, &mut c, 16, (false, Some(&[0.0; 3])), None, Bf16Kernel::Portable, s).is_err());
        assert!(BMatrix::convert(&[1.0; 5], 2, 3).is_err());
        assert!(BMatrix::convert(&[f32::NAN; 6], 2, 3).is_err());
    }
}
