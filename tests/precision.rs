//! int8 and bf16 precision on the shipped model: every int8 kernel this CPU
//! runs gives the same logits (the portable fallback included, also forced
//! through the `extract` binary), every bf16 kernel nearly the same; both
//! close to f32, with the same entities on real news.

mod common;

use common::example_bin;
use ndarray::Array3;
use newsie::model::{Backend, Bf16Kernel, CandleModel, Int8Kernel, ModelConfig, ModelInput};
use newsie::{Extractor, Precision};
use std::ops::Range;
use std::path::PathBuf;
use std::process::Command;

const TEXTS: [&str; 4] = [
    "Kerry expects to meet Lavrov in Rome on Thursday.",
    "Canada announced sanctions on members of Yanukovich's government.",
    "EU leaders could decide on sanctions against Russia, officials in Brussels said.",
    "Sumitomo Mitsui and Goldman Sachs raised their forecasts, Reuters reported from Tokyo on Monday, \
     after talks between Fumio Kishida and Joe Biden at the White House ended without a deal.",
];

fn model_dir() -> PathBuf {
    Extractor::new().expect("the shipped model loads").model_dir().to_path_buf()
}

/// A padded batch of the texts, and each row's real length.
fn batch(ex: &Extractor) -> (Vec<u32>, Vec<u32>, Vec<u32>, usize, Vec<usize>) {
    let encs: Vec<_> = TEXTS.iter().map(|t| ex.encode(t).unwrap()).collect();
    let seq = encs.iter().map(|e| e.ids.len()).max().unwrap() + 2;
    let (mut ids, mut types, mut mask, mut lens) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for e in &encs {
        let n = e.ids.len() + 2;
        ids.extend([101].into_iter().chain(e.ids.iter().copied()).chain([102]).chain(std::iter::repeat_n(0, seq - n)));
        types.extend([0].into_iter().chain(e.type_ids.iter().copied()).chain(std::iter::repeat_n(0, seq - n + 1)));
        mask.extend(std::iter::repeat_n(1, n).chain(std::iter::repeat_n(0, seq - n)));
        lens.push(n);
    }
    (ids, types, mask, seq, lens)
}

fn logits(model: &CandleModel, ex: &Extractor) -> (Array3<f32>, Vec<usize>) {
    let (ids, types, mask, seq, lens) = batch(ex);
    let input =
        ModelInput { batch: TEXTS.len(), seq_len: seq, input_ids: &ids, type_ids: &types, attention_mask: &mask };
    (model.forward(&input).unwrap(), lens)
}

/// The same best entity label as f32 at every real token (and the same best
/// syntax tags at nearly every token: POS and chunk logits of close classes
/// may swap), logits within a small fraction of their range, and not exactly
/// f32's (the reduced path ran). `heads`: the column ranges of the entity
/// head, then of the syntax heads.
fn close_to_f32(what: &str, f32_logits: &Array3<f32>, q: &Array3<f32>, lens: &[usize], heads: &[Range<usize>]) {
    let (mut worst, mut range, mut tokens) = (0f32, 0f32, 0);
    let mut same = vec![0usize; heads.len()];
    for (row, &n) in lens.iter().enumerate() {
        for t in 0..n {
            let a = f32_logits.slice(ndarray::s![row, t, ..]);
            let b = q.slice(ndarray::s![row, t, ..]);
            let argmax = |v: ndarray::ArrayView1<f32>, r: &Range<usize>| {
                v.slice(ndarray::s![r.clone()])
                    .iter()
                    .enumerate()
                    .fold((0, f32::MIN), |m, (i, &x)| if x > m.1 { (i, x) } else { m })
                    .0
            };
            for (h, r) in heads.iter().enumerate() {
                same[h] += usize::from(argmax(a, r) == argmax(b, r));
            }
            tokens += 1;
            for (x, y) in a.iter().zip(b.iter()) {
                worst = worst.max((x - y).abs());
                range = range.max(x.abs());
            }
        }
    }
    assert_eq!(same[0], tokens, "{what}: best labels differ from f32 at {} of {tokens} tokens", tokens - same[0]);
    for (h, &s) in same.iter().enumerate().skip(1) {
        assert!(
            s * 100 >= tokens * 97,
            "{what}: syntax head {h} differs from f32 at {} of {tokens} tokens",
            tokens - s
        );
    }
    assert!(worst < 0.1 * range, "{what}: max logit difference {worst} (logits up to {range})");
    assert!(worst > 0.0, "{what}: logits are exactly f32's: the reduced path did not run");
}

/// For each kernel the CPU runs (`kernels`, the portable one among them):
/// the model converted by `convert`, its logits close to f32's, and checked
/// against the first kernel's logits by `agree(kernel, first, these)`.
fn each_kernel<K: Copy + std::fmt::Debug>(
    kernels: &[K],
    convert: impl Fn(CandleModel, K) -> CandleModel,
    agree: impl Fn(K, &Array3<f32>, &Array3<f32>),
) {
    let dir = model_dir();
    let ex = Extractor::new().unwrap();
    let cfg = ModelConfig::from_file(&dir.join("config.json")).unwrap();
    let load = || CandleModel::load(&dir.join("model.safetensors"), &cfg).unwrap();
    let (f32_logits, lens) = logits(&load(), &ex);
    // Entity labels, then the syntax heads' tags when the model has them.
    let (n, p, c) = (cfg.num_labels(), cfg.newsie_pos_labels.len(), cfg.newsie_chunk_labels.len());
    let mut heads = Vec::with_capacity(3);
    heads.push(0..n);
    if p > 0 {
        heads.extend([n..n + p, n + p..n + p + c]);
    }
    assert_eq!(f32_logits.shape()[2], n + p + c);
    let mut first: Option<Array3<f32>> = None;
    for &kernel in kernels {
        let (q, _) = logits(&convert(load(), kernel), &ex);
        if let Some(first) = &first {
            agree(kernel, first, &q);
        }
        close_to_f32(&format!("{kernel:?}"), &f32_logits, &q, &lens, &heads);
        first.get_or_insert(q);
    }
}

#[test]
fn every_bf16_kernel_gives_nearly_the_same_logits_close_to_f32() {
    let kernels: Vec<_> =
        [Bf16Kernel::Amx, Bf16Kernel::Avx512, Bf16Kernel::Portable].into_iter().filter(|k| k.is_available()).collect();
    assert!(kernels.contains(&Bf16Kernel::Portable));
    let convert = |model: CandleModel, kernel| {
        let model = model.with_bf16_kernel(kernel).unwrap();
        assert_eq!(model.precision(), Precision::Bf16);
        assert_eq!(model.bf16_kernel(), Some(kernel));
        model
    };
    // Products of bf16 values are exact in f32; kernels add them in
    // different orders, which moves logits by rounding only. Six layers of
    // bf16 activations carry that on: bound it by 1% of the logits' range
    // (measured: 0.019 and 0.014 against AMX for AVX-512 and portable,
    // logits up to 9.0).
    each_kernel(&kernels, convert, |kernel, first, q| {
        let worst = q.iter().zip(first.iter()).map(|(a, b)| (a - b).abs()).fold(0f32, f32::max);
        let range = first.iter().fold(0f32, |m, v| m.max(v.abs()));
        assert!(worst < 0.01 * range, "{kernel:?} differs from the first kernel by {worst} (range {range})");
    });
}

#[test]
fn every_int8_kernel_gives_the_same_logits_close_to_f32() {
    let kernels: Vec<_> =
        [Int8Kernel::Amx, Int8Kernel::Vnni, Int8Kernel::Portable].into_iter().filter(|k| k.is_available()).collect();
    assert!(kernels.contains(&Int8Kernel::Portable), "the portable kernel runs everywhere");
    let convert = |model: CandleModel, kernel| {
        let model = model.with_int8_kernel(kernel).unwrap();
        assert_eq!(model.precision(), Precision::Int8);
        assert_eq!(model.int8_kernel(), Some(kernel));
        model
    };
    // Integer sums are exact and scaled back by the same code: the kernels
    // agree to rounding of the f32 epilogue.
    each_kernel(&kernels, convert, |kernel, first, q| {
        let worst = q.iter().zip(first.iter()).map(|(a, b)| (a - b).abs()).fold(0f32, f32::max);
        assert!(worst < 1e-4, "{kernel:?} differs from the first kernel by {worst}");
    });
}

#[test]
fn int8_finds_the_same_entities_as_f32_on_the_sample_article() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/data/sample-news.txt")).unwrap();
    let f32_doc = Extractor::new().unwrap().extract(&text).unwrap();
    let int8 = Extractor::builder().precision(Precision::Int8).build().unwrap();
    let int8_doc = int8.extract(&text).unwrap();
    let key = |d: &newsie::Document| d.entities.iter().map(|e| (e.start, e.end, e.label.clone())).collect::<Vec<_>>();
    assert!(!f32_doc.entities.is_empty());
    assert_eq!(key(&int8_doc), key(&f32_doc));
    assert_eq!(int8_doc.relations.len(), f32_doc.relations.len());
}

/// The fallback path forced on the command line (`NEWSIE_INT8_KERNEL`) gives
/// the same output as the kernel the CPU picks, and a kernel the CPU lacks or
/// an unknown name is a clear error.
#[test]
fn extract_forces_the_portable_kernel() {
    let sample = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/data/sample-news.txt");
    let run = |kernel: Option<&str>| {
        let mut cmd = Command::new(example_bin("extract"));
        cmd.args(["--format", "json", "--precision", "int8", "--quiet", sample]);
        match kernel {
            Some(k) => cmd.env("NEWSIE_INT8_KERNEL", k),
            None => cmd.env_remove("NEWSIE_INT8_KERNEL"),
        };
        cmd.output().unwrap()
    };
    let detected = run(None);
    assert!(detected.status.success(), "{}", String::from_utf8_lossy(&detected.stderr));
    let portable = run(Some("portable"));
    assert!(portable.status.success(), "{}", String::from_utf8_lossy(&portable.stderr));
    assert!(String::from_utf8_lossy(&detected.stdout).contains("\"entities\""));
    assert_eq!(portable.stdout, detected.stdout);
    let bf16 = Command::new(example_bin("extract"))
        .args(["--format", "json", "--precision", "bf16", "--quiet", sample])
        .env("NEWSIE_BF16_KERNEL", "portable")
        .output()
        .unwrap();
    assert!(bf16.status.success(), "{}", String::from_utf8_lossy(&bf16.stderr));
    let unknown = run(Some("gpu"));
    assert!(!unknown.status.success());
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("NEWSIE_INT8_KERNEL"));
    for k in [Int8Kernel::Amx, Int8Kernel::Vnni] {
        if !k.is_available() {
            let out = run(Some(if k == Int8Kernel::Amx { "amx" } else { "vnni" }));
            assert!(!out.status.success(), "{k:?} is not on this CPU, yet extract ran");
        }
    }
}

#[test]
fn precision_settings_are_checked() {
    assert_eq!("int8".parse::<Precision>().unwrap(), Precision::Int8);
    assert_eq!("f32".parse::<Precision>().unwrap(), Precision::F32);
    assert_eq!("bf16".parse::<Precision>().unwrap(), Precision::Bf16);
    assert!("f16".parse::<Precision>().is_err());
    // A user's own engine has its own precision.
    let dir = model_dir();
    let cfg = ModelConfig::from_file(&dir.join("config.json")).unwrap();
    let engine = std::sync::Arc::new(CandleModel::load(&dir.join("model.safetensors"), &cfg).unwrap());
    let err = Extractor::builder().engine(engine).precision(Precision::Int8).build().unwrap_err();
    assert!(err.to_string().contains("own engine"), "{err}");
}

/// Activations are quantised per row, so a text's int8 result does not depend
/// on what else is in its batch.
#[test]
fn int8_results_do_not_depend_on_batching() {
    let int8 = Extractor::builder().precision(Precision::Int8).batch_size(3).build().unwrap();
    let alone: Vec<_> = TEXTS.iter().map(|t| int8.extract(t).unwrap()).collect();
    let together = int8.extract_batch(&TEXTS).unwrap();
    for (a, b) in alone.iter().zip(&together) {
        assert_eq!(serde_json::to_string(a).unwrap(), serde_json::to_string(b).unwrap());
    }
    assert!(together.iter().map(|d| d.entities.len()).sum::<usize>() >= 10);
}
