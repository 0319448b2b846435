//! newsie's own CPU kernels for the fused forward: plain loops compiled for the
//! CPU's SIMD width by `pulp`'s run-time dispatch (AVX-512 or AVX2 where the
//! CPU has them). No `unsafe` here.
//!
//! - `math`: `exp` and `erf` that vectorise, and lane-wise sums;
//! - `gelu`: exact (erf) GELU, also as a candle op for the op graph;
//! - `layer_norm`: layer norm of rows;
//! - `attention`: multi-head self-attention over packed sequences, with its softmax.

mod attention;
mod gelu;
mod layer_norm;
mod math;

pub(crate) use attention::attention;
pub(crate) use gelu::{gelu, gelu_parallel, GeluErf};
pub(crate) use layer_norm::layer_norm_rows;
pub(crate) use math::{exp_nonpositive, lane_sum};
