//! What the two reduced precisions (`qgemm` int8, `bgemm` bf16) share: the
//! block shape, size checks and the split into row blocks; and Intel AMX
//! (Linux x86-64): whether this process may use the tiles, and the one routine
//! int8 (`tdpbusd`) and bf16 (`tdpbf16ps`) run on them.
//!
//! Both lay their operands out the same way: a block of [`MB`] activation
//! rows, each a run of 64-byte tiles along the inputs, and weight tiles of
//! 16 rows × 64 bytes, two column tiles ([`NB`] columns) per column block.

/// Rows per block: two AMX tiles of 16 rows.
pub(crate) const MB: usize = 32;
/// Output columns per block: two tiles of 16.
pub(crate) const NB: usize = 32;
/// Bytes per tile (16 rows of 64).
pub(crate) const TILE_BYTES: usize = 1024;

/// Sums of one block, [`MB`] rows × [`NB`] columns, row-major.
pub(crate) type Block<T> = [T; MB * NB];

/// Receives each finished block of sums (column block `b`). A trait with an
/// inlined method rather than a closure, so that it is compiled inside the
/// caller's SIMD dispatch (a closure is compiled for the baseline CPU and
/// calls libm for `mul_add`).
pub(crate) trait Sink<T> {
    fn block(&mut self, b: usize, sums: &Block<T>);
}

/// Checks the operand sizes of a reduced-precision product
/// `c[m×n] (+)= a[m×k] · w + bias` (rows `lda` and `ldc` apart); `what`
/// names the precision in the error.
pub(crate) fn check_product(
    what: &str,
    (m, k, n): (usize, usize, usize),
    (a, lda): (&[f32], usize),
    (c, ldc): (&[f32], usize),
    bias: Option<&[f32]>,
) -> Result<(), String> {
    if m > 0
        && (bias.is_some_and(|b| b.len() != n)
            || lda < k
            || ldc < n
            || (m - 1) * lda + k > a.len()
            || (m - 1) * ldc + n > c.len())
    {
        return Err(format!("{what} product {m}×{k}·{k}×{n}: operand sizes do not match"));
    }
    Ok(())
}

/// Runs `block(r0, rows)` for each block of [`MB`] rows of `c` (`m` rows of
/// `n` values, `ldc` apart; `rows` starts at row `r0`, the last block may be
/// shorter), across the current rayon pool when there is more than one.
pub(crate) fn for_row_blocks(
    (m, n, ldc): (usize, usize, usize),
    c: &mut [f32],
    block: impl Fn(usize, &mut [f32]) -> Result<(), String> + Sync,
) -> Result<(), String> {
    use rayon::prelude::*;
    if m == 0 {
        return Ok(());
    }
    let c = &mut c[..(m - 1) * ldc + n];
    if m <= MB {
        block(0, c)
    } else {
        c.par_chunks_mut(MB * ldc).enumerate().try_for_each(|(b, rows)| block(b * MB, rows))
    }
}

/// The tile product to run.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Op {
    /// `tdpbusd`: u8 activations by i8 weights, i32 sums.
    Int8,
    /// `tdpbf16ps`: bf16 pairs by bf16 pairs, f32 sums.
    Bf16,
}

/// Whether the CPU has AMX-INT8 and the OS granted this process the tiles.
pub(crate) fn int8_available() -> bool {
    granted() && feature(25)
}

/// Whether the CPU has AMX-BF16 and the OS granted this process the tiles.
pub(crate) fn bf16_available() -> bool {
    granted() && feature(22)
}

/// Bit `bit` of CPUID leaf 7's EDX (AMX-BF16 22, AMX-TILE 24, AMX-INT8 25),
/// read once: CPUID is slow, and costs a VM exit under a hypervisor.
fn feature(bit: u32) -> bool {
    static EDX: std::sync::OnceLock<u32> = std::sync::OnceLock::new();
    let edx = *EDX.get_or_init(|| {
        #[cfg(target_arch = "x86_64")]
        {
            use std::arch::x86_64::__cpuid_count;
            if __cpuid_count(0, 0).eax >= 7 {
                __cpuid_count(7, 0).edx
            } else {
                0
            }
        }
        #[cfg(not(target_arch = "x86_64"))]
        {
            0
        }
    });
    (edx >> bit) & 1 == 1
}

/// Whether the CPU has AMX tiles and the OS granted this process the tile
/// state (asked once).
fn granted() -> bool {
    static GRANTED: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *GRANTED.get_or_init(request)
}

#[cfg(all(target_arch = "x86_64", target_os = "linux"))]
fn request() -> bool {
    if !(feature(24) && std::arch::is_x86_feature_detected!("xsave")) {
        return false;
    }
    const ARCH_REQ_XCOMP_PERM: libc::c_long = 0x1023;
    const XFEATURE_XTILEDATA: libc::c_long = 18;
    // SAFETY: arch_prctl(ARCH_REQ_XCOMP_PERM) only asks the kernel to allow
    // the AMX tile state for this process; it reads no memory.
    #[allow(unsafe_code)]
    let rc = unsafe { libc::syscall(libc::SYS_arch_prctl, ARCH_REQ_XCOMP_PERM, XFEATURE_XTILEDATA) };
    rc == 0
}

#[cfg(not(all(target_arch = "x86_64", target_os = "linux")))]
fn request() -> bool {
    false
}

/// For every column block `b < n_blocks`: the block of sums of the [`MB`]
/// activation rows `a` (rows `a_stride` bytes apart, `k_tiles` tiles of 64
/// bytes each) times weight column tiles `2b` and `2b + 1` of `tiles`
/// (`k_tiles` tiles of [`TILE_BYTES`] each), handed to `sink`.
///
/// # Errors
/// If the CPU cannot run `op`, or an operand is too short for its shape.
#[inline(always)]
pub(crate) fn rows<T: bytemuck::Pod>(
    op: Op,
    a: &[u8],
    a_stride: usize,
    tiles: &[u8],
    (k_tiles, n_blocks): (usize, usize),
    sink: &mut impl Sink<T>,
) -> Result<(), String> {
    let ok = match op {
        Op::Int8 => int8_available(),
        Op::Bf16 => bf16_available(),
    };
    if !ok {
        return Err("AMX is not available for this product".into());
    }
    // Tile loads read 16 rows of 64 bytes: activation rows `a_stride` apart
    // from byte `kt·64` of rows 0 and 16; weight tiles are contiguous. Stores
    // write 16 rows of 64 bytes, `NB·4` apart, into the block of sums.
    if std::mem::size_of::<T>() != 4
        || k_tiles == 0
        || a_stride < k_tiles * 64
        || a.len() < (MB - 1) * a_stride + k_tiles * 64
        || tiles.len() < n_blocks * 2 * k_tiles * TILE_BYTES
    {
        return Err("AMX product: operands do not match their shapes".into());
    }
    imp::rows(op, a, a_stride, tiles, (k_tiles, n_blocks), sink);
    Ok(())
}

#[cfg(all(target_arch = "x86_64", target_os = "linux"))]
mod imp {
    use super::{Block, Op, Sink, MB, NB, TILE_BYTES};
    use std::arch::asm;

    /// Tile configuration: palette 1, eight tiles of 16 rows × 64 bytes.
    #[repr(C, align(64))]
    struct Config([u8; 64]);

    const CONFIG: Config = {
        let mut c = [0u8; 64];
        c[0] = 1;
        let mut t = 0;
        while t < 8 {
            c[16 + 2 * t] = 64;
            c[48 + t] = 16;
            t += 1;
        }
        Config(c)
    };

    /// Bounds and the CPU are checked by the caller (`amx::rows`).
    #[allow(unsafe_code)]
    #[inline(always)]
    pub(super) fn rows<T: bytemuck::Pod>(
        op: Op,
        a: &[u8],
        a_stride: usize,
        tiles: &[u8],
        (k_tiles, n_blocks): (usize, usize),
        sink: &mut impl Sink<T>,
    ) {
        let mut sums: Block<T> = [T::zeroed(); MB * NB];
        let a0 = a.as_ptr();
        let column_tile = k_tiles * TILE_BYTES;
        // SAFETY: the caller confirmed the CPU and the kernel's grant; the
        // configuration is a valid palette-1 layout.
        unsafe { asm!("ldtilecfg [{0}]", in(reg) CONFIG.0.as_ptr(), options(nostack, readonly)) };
        for b in 0..n_blocks {
            let b0 = tiles[2 * b * column_tile..].as_ptr();
            let b1 = tiles[(2 * b + 1) * column_tile..].as_ptr();
            // SAFETY: tiles 0-3 are zeroed accumulators; each iteration loads
            // 16 rows × 64 bytes of activations at bytes `kt·64` and
            // `16·a_stride + kt·64` (the last byte read is
            // 31·a_stride + kt·64 + 63 < a.len(), checked by the caller), and
            // one tile of each weight column tile (inside `tiles`, checked to
            // hold 2·n_blocks column tiles). Stores write 16 rows of 64 bytes,
            // NB·4 bytes apart, at elements 0, 16, 16·NB and 16·NB + 16 of
            // `sums` (MB·NB elements of 4 bytes; any bit pattern is a valid
            // `T`). No tile register is used by compiled code, so tiles keep
            // their values between the asm blocks.
            unsafe {
                asm!("tilezero tmm0", "tilezero tmm1", "tilezero tmm2", "tilezero tmm3", options(nostack, nomem));
                for kt in 0..k_tiles {
                    let (a0, a1) = (a0.add(kt * 64), a0.add(16 * a_stride + kt * 64));
                    let (b0, b1) = (b0.add(kt * TILE_BYTES), b1.add(kt * TILE_BYTES));
                    asm!(
                        "tileloadd tmm4, [{a0} + {lda} * 1]",
                        "tileloadd tmm5, [{a1} + {lda} * 1]",
                        "tileloadd tmm6, [{b0} + {s64} * 1]",
                        "tileloadd tmm7, [{b1} + {s64} * 1]",
                        a0 = in(reg) a0, a1 = in(reg) a1, b0 = in(reg) b0, b1 = in(reg) b1,
                        lda = in(reg) a_stride, s64 = in(reg) 64usize,
                        options(nostack, readonly),
                    );
                    match op {
                        Op::Int8 => asm!(
                            "tdpbusd tmm0, tmm4, tmm6",
                            "tdpbusd tmm1, tmm4, tmm7",
                            "tdpbusd tmm2, tmm5, tmm6",
                            "tdpbusd tmm3, tmm5, tmm7",
                            options(nostack, nomem),
                        ),
                        Op::Bf16 => asm!(
                            "tdpbf16ps tmm0, tmm4, tmm6",
                            "tdpbf16ps tmm1, tmm4, tmm7",
                            "tdpbf16ps tmm2, tmm5, tmm6",
                            "tdpbf16ps tmm3, tmm5, tmm7",
                            options(nostack, nomem),
                        ),
                    }
                }
                let c = sums.as_mut_ptr();
                asm!(
                    "tilestored [{c0} + {ldc} * 1], tmm0",
                    "tilestored [{c1} + {ldc} * 1], tmm1",
                    "tilestored [{c2} + {ldc} * 1], tmm2",
                    "tilestored [{c3} + {ldc} * 1], tmm3",
                    c0 = in(reg) c,
                    c1 = in(reg) c.add(16),
                    c2 = in(reg) c.add(16 * NB),
                    c3 = in(reg) c.add(16 * NB + 16),
                    ldc = in(reg) NB * 4,
                    options(nostack),
                );
            }
            sink.block(b, &sums);
        }
        // SAFETY: releases this thread's tile state.
        unsafe { asm!("tilerelease", options(nostack, nomem)) };
    }
}

#[cfg(not(all(target_arch = "x86_64", target_os = "linux")))]
mod imp {
    use super::{Op, Sink};
    pub(super) fn rows<T>(_: Op, _: &[u8], _: usize, _: &[u8], _: (usize, usize), _: &mut impl Sink<T>) {}
}
