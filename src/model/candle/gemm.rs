//! Matrix products: the crate's one `unsafe` call, into the `gemm` crate
//! (candle's own CPU kernels), behind bound and aliasing checks; and the panel
//! layout dense weights are stored in.

use super::fused::FusedResult;

/// The right-hand matrix of a product, `k × n`.
#[derive(Clone, Copy)]
pub(crate) enum Rhs<'a> {
    /// Stored `n × k` row-major (so used transposed).
    Transposed(&'a [f32]),
    /// Pre-packed by [`pack_panels_transposed`]: blocks of [`PANEL`] output columns, each
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
/// panel zero-padded to [`PANEL`] columns); the reference for
/// [`pack_panels_transposed`].
#[cfg(test)]
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

/// The panels (see [`Rhs::Panels`]) of the transpose of `wt`, an `n × k` row-major matrix (a
/// dense layer's weight as stored), without forming the transpose.
pub(crate) fn pack_panels_transposed(wt: &[f32], k: usize, n: usize) -> Vec<f32> {
    let panels = n.div_ceil(PANEL);
    let mut out = vec![0f32; panels * k * PANEL];
    for (j, col) in wt.chunks_exact(k).enumerate().take(n) {
        let panel = &mut out[(j / PANEL) * k * PANEL..][..k * PANEL];
        for (r, &v) in col.iter().enumerate() {
            panel[r * PANEL + j % PANEL] = v;
        }
    }
    out
}

/// The row-major `k × n` matrix whose panels these are.
pub(crate) fn unpack_panels(panels: &[f32], k: usize, n: usize) -> Vec<f32> {
    let mut out = vec![0f32; k * n];
    for (p, panel) in panels.chunks_exact(k * PANEL).enumerate().take(n.div_ceil(PANEL)) {
        let c0 = p * PANEL;
        let w = PANEL.min(n - c0);
        for (r, src) in panel.chunks_exact(PANEL).enumerate() {
            out[r * n + c0..r * n + c0 + w].copy_from_slice(&src[..w]);
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
            assert_eq!(unpack_panels(&packed, k, n), b);
            let bt: Vec<f32> = (0..n * k).map(|i| b[(i % k) * n + i / k]).collect();
            assert_eq!(pack_panels_transposed(&bt, k, n), packed);
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
