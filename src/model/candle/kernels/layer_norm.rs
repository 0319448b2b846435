//! Layer norm of rows, in place.

use rayon::prelude::*;

use super::lane_sum;
use crate::model::candle::fused::{check_len, FusedResult};

/// Layer norm of each `h`-wide row of `x`, in place.
pub(crate) fn layer_norm_rows(x: &mut [f32], h: usize, (gamma, beta): (&[f32], &[f32]), eps: f32) -> FusedResult<()> {
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
