//! Windows: whole sentences packed under the model's length; an over-long
//! sentence cut into overlapping windows, each keeping a central core.

use super::encode::EncodedText;

/// A window: a token range of one document, and the part of it (core) whose
/// predictions are kept.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Window {
    /// Index of the document in the batch of texts.
    pub doc: usize,
    pub start: usize,
    pub end: usize,
    pub core_start: usize,
    pub core_end: usize,
}

impl Window {
    /// Content tokens (no special tokens).
    pub(crate) fn len(&self) -> usize {
        self.end - self.start
    }
}

/// How texts are cut into windows.
#[derive(Debug, Clone, Copy)]
pub(crate) struct WindowPlan {
    /// Content tokens per window (the window less its two special tokens).
    pub budget: usize,
    /// Tokens shared by neighbouring windows of one over-long sentence.
    pub overlap: usize,
}

impl WindowPlan {
    /// Packs whole sentences into windows of at most `budget` tokens; a longer
    /// sentence is cut into windows that overlap by `overlap` tokens. Every
    /// token lies in exactly one window core.
    pub(crate) fn windows(&self, doc: usize, t: &EncodedText, out: &mut Vec<Window>) {
        let budget = self.budget;
        let mut cur: Option<(usize, usize)> = None;
        let flush = |cur: &mut Option<(usize, usize)>, out: &mut Vec<Window>| {
            if let Some((s, e)) = cur.take() {
                if e > s {
                    out.push(Window { doc, start: s, end: e, core_start: s, core_end: e });
                }
            }
        };
        for toks in &t.sentence_tokens {
            let n = toks.len();
            if n == 0 {
                continue;
            }
            if n > budget {
                flush(&mut cur, out);
                let step = budget - self.overlap;
                let half = self.overlap / 2;
                let mut s = toks.start;
                loop {
                    let e = (s + budget).min(toks.end);
                    let last = e == toks.end;
                    let core_start = if s == toks.start { s } else { s + half };
                    let core_end = if last { e } else { e - (self.overlap - half) };
                    out.push(Window { doc, start: s, end: e, core_start, core_end });
                    if last {
                        break;
                    }
                    s += step;
                }
                continue;
            }
            if let Some((s, _)) = cur {
                if toks.end - s <= budget {
                    cur = Some((s, toks.end));
                    continue;
                }
            }
            flush(&mut cur, out);
            cur = Some((toks.start, toks.end));
        }
        flush(&mut cur, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(sentence_lens: &[usize]) -> EncodedText {
        let mut t = EncodedText::default();
        for &n in sentence_lens {
            let first = t.ids.len();
            t.ids.extend(std::iter::repeat_n(7, n));
            t.type_ids.extend(std::iter::repeat_n(0, n));
            t.offsets.extend((first..first + n).map(|i| (i, i + 1)));
            t.sentence_tokens.push(first..first + n);
        }
        t
    }

    /// Every token is in exactly one window core, cores lie inside their
    /// windows, windows respect the budget, whole sentences stay together.
    #[test]
    fn cores_partition_the_tokens() {
        let plan = WindowPlan { budget: 32, overlap: 8 };
        for lens in [vec![], vec![5], vec![10, 10, 10, 10], vec![3, 100, 4], vec![33], vec![32, 32, 1], vec![200]] {
            let t = tokens(&lens);
            let mut w = Vec::new();
            plan.windows(0, &t, &mut w);
            let mut covered = vec![0u32; t.ids.len()];
            for win in &w {
                assert!(win.len() <= 32, "{lens:?}: {win:?}");
                assert!(win.start <= win.core_start && win.core_start < win.core_end && win.core_end <= win.end);
                for c in &mut covered[win.core_start..win.core_end] {
                    *c += 1;
                }
            }
            assert!(covered.iter().all(|&c| c == 1), "{lens:?}: {covered:?}");
            if lens == vec![10, 10, 10, 10] {
                assert_eq!(w.len(), 2, "three sentences of 10 fit in 32 tokens");
            }
        }
    }
}
