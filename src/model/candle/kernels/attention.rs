//! Multi-head self-attention over packed sequences.

use rayon::prelude::*;

use super::{exp_nonpositive, lane_sum};
use crate::model::candle::fused::{resize, Row};

/// Multi-head self-attention of every sequence: `qkv` rows hold
/// `[q | k | v]` (q pre-scaled), `ctx` receives the heads side by side.
///
/// Per head, the keys are transposed into `dh × lp` (length padded to 16 with
/// zeros), so a query's scores are 16-wide multiply-adds; the softmax and the
/// weighted sum of values run in 16-float chunks too.
pub(crate) fn attention(qkv: &[f32], ctx: &mut [f32], rows: &[Row], h: usize, heads: usize) {
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
                            // Four independent sums over the head's dimensions
                            // (one chain of dependent multiply-adds would wait
                            // on each one's latency).
                            let mut acc = [[0f32; LANES]; 4];
                            let (q4, q_rest) = q.split_at(dh - dh % 4);
                            for (qs, krows) in q4.chunks_exact(4).zip(kt.chunks_exact(4 * lp)) {
                                for (j, a) in acc.iter_mut().enumerate() {
                                    let k = &krows[j * lp + ci * LANES..j * lp + (ci + 1) * LANES];
                                    for (a, &kv) in a.iter_mut().zip(k) {
                                        *a = qs[j].mul_add(kv, *a);
                                    }
                                }
                            }
                            for (&qc, krow) in q_rest.iter().zip(kt[q4.len() * lp..].chunks_exact(lp)) {
                                let k = &krow[ci * LANES..(ci + 1) * LANES];
                                for (a, &kv) in acc[0].iter_mut().zip(k) {
                                    *a = qc.mul_add(kv, *a);
                                }
                            }
                            for (l, c) in chunk.iter_mut().enumerate() {
                                *c = (acc[0][l] + acc[1][l]) + (acc[2][l] + acc[3][l]);
                            }
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
                            *s = exp_nonpositive(*s - max);
                        }
                        let inv = 1.0 / lane_sum(scores, |v| v);
                        let o = &mut o[qo..qo + dh];
                        let mut o_chunks = o.chunks_exact_mut(LANES);
                        for (oi, oc) in (&mut o_chunks).enumerate() {
                            // Two independent sums: even and odd tokens.
                            let mut acc = [[0f32; LANES]; 2];
                            let pairs = scores[..len].chunks_exact(2).zip(seq.chunks_exact(6 * h));
                            for (ps, vtoks) in pairs {
                                for (j, a) in acc.iter_mut().enumerate() {
                                    let at = j * 3 * h + vo + oi * LANES;
                                    for (a, &vv) in a.iter_mut().zip(&vtoks[at..at + LANES]) {
                                        *a = ps[j].mul_add(vv, *a);
                                    }
                                }
                            }
                            if len % 2 == 1 {
                                let at = (len - 1) * 3 * h + vo + oi * LANES;
                                for (a, &vv) in acc[0].iter_mut().zip(&seq[at..at + LANES]) {
                                    *a = scores[len - 1].mul_add(vv, *a);
                                }
                            }
                            for ((d, a), b) in oc.iter_mut().zip(acc[0]).zip(acc[1]) {
                                *d = (a + b) * inv;
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
