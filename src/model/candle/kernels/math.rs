//! Scalar functions written so that loops over them vectorise: no calls, no
//! branches, no float-to-int conversion.

/// e^x for x ≤ 0 (softmax after subtracting the maximum); see [`exp`].
#[inline(always)]
pub(crate) fn exp_nonpositive(x: f32) -> f32 {
    exp(x)
}

/// erf by Abramowitz & Stegun 7.1.26, the polynomial in Horner form with fused
/// multiply-adds (single instructions inside the AVX2/AVX-512 dispatch).
#[inline(always)]
pub(crate) fn erf(x: f32) -> f32 {
    let a = x.abs();
    let t = 1.0 / 0.327_591_1f32.mul_add(a, 1.0);
    let p = 1.061_405_4f32.mul_add(t, -1.453_152);
    let p = p.mul_add(t, 1.421_413_7);
    let p = p.mul_add(t, -0.284_496_74);
    let p = p.mul_add(t, 0.254_829_6);
    let y = (-p * t).mul_add(exp(-a * a), 1.0);
    y.copysign(x)
}

/// Adding 1.5·2²³ rounds a float of magnitude below 2²² to an integer, which
/// then sits in the low mantissa bits.
const ROUND: f32 = 12_582_912.0;

/// e^x for x ≤ 0 (the only use here), relative error about 2e-7; no calls, no
/// branches and no float-to-int conversion (Rust's saturating `as i32` does not
/// vectorise), so the loop compiles to straight SIMD.
#[inline(always)]
fn exp(x: f32) -> f32 {
    let x = x.max(-87.0);
    // k = round(x / ln 2), both as a float and, from the bits of z, as an integer.
    let z = x.mul_add(std::f32::consts::LOG2_E, ROUND);
    let k = z - ROUND;
    let r = k.mul_add(-0.693_145_75, x);
    let r = k.mul_add(-1.428_606_8e-6, r);
    // e^r on [-ln2/2, ln2/2], degree-6 Taylor.
    let p = 0.001_388_889f32.mul_add(r, 0.008_333_334);
    let p = p.mul_add(r, 0.041_666_668);
    let p = p.mul_add(r, 0.166_666_67);
    let p = p.mul_add(r, 0.5);
    let p = p.mul_add(r, 1.0);
    let p = p.mul_add(r, 1.0);
    // 2^k: k + 127 into the exponent field. The low bits of z hold k (two's
    // complement, wrapping), since z's exponent is fixed by ROUND.
    let k_int = z.to_bits().wrapping_sub(ROUND.to_bits());
    let scale = f32::from_bits(k_int.wrapping_add(127) << 23);
    p * scale
}

/// Sum of `f(v)` over `xs`, in 16 independent lanes (so it vectorises without
/// reassociating floats), then the lanes.
#[inline(always)]
pub(crate) fn lane_sum(xs: &[f32], f: impl Fn(f32) -> f32) -> f32 {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exp_is_accurate_on_its_range() {
        let mut x = -87.0f32;
        while x <= 0.0 {
            let rel = ((exp(x) as f64 - (x as f64).exp()) / (x as f64).exp()).abs();
            assert!(rel < 1e-6, "exp({x}): rel error {rel}");
            x += 0.01;
        }
    }
}
