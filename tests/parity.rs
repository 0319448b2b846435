//! Parity with the reference implementation (transformers + torch): the tiny
//! random BERT, RoBERTa and DistilBERT token classifiers in tests/fixtures/
//! and their logits were produced by scripts/make_parity_fixture.py; newsie
//! must reproduce the logits for each architecture. `tiny-bert-syntax` also
//! has the syntax heads (part of speech, chunk): its logits are the three
//! heads' side by side, and its words' tags are the reference's.

use newsie::model::{Backend, CandleModel, ModelConfig, ModelInput};
use serde::Deserialize;
use std::path::PathBuf;

#[derive(Deserialize)]
struct Case {
    text: String,
    ids: Vec<u32>,
    type_ids: Vec<u32>,
    logits: Vec<Vec<f32>>,
    /// `tiny-bert-syntax` only: per word, byte start and end, POS and chunk tag.
    #[serde(default)]
    word_syntax: Vec<(usize, usize, String, String)>,
}

#[derive(Deserialize)]
struct Expected {
    cases: Vec<Case>,
}

const FIXTURES: [&str; 4] = ["tiny-bert", "tiny-roberta", "tiny-distilbert", "tiny-bert-syntax"];

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tiny-bert")
}

fn load() -> (CandleModel, Expected) {
    load_from(&fixture())
}

fn load_from(dir: &std::path::Path) -> (CandleModel, Expected) {
    let cfg = ModelConfig::from_file(&dir.join("config.json")).unwrap();
    let model = CandleModel::load(&dir.join("model.safetensors"), &cfg).unwrap();
    let exp: Expected = serde_json::from_str(&std::fs::read_to_string(dir.join("expected.json")).unwrap()).unwrap();
    (model, exp)
}

fn max_abs_diff(got: &ndarray::Array3<f32>, row: usize, want: &[Vec<f32>]) -> f32 {
    let mut worst = 0f32;
    for (t, w) in want.iter().enumerate() {
        for (l, v) in w.iter().enumerate() {
            worst = worst.max((got[[row, t, l]] - v).abs());
        }
    }
    worst
}

#[test]
fn logits_match_reference_one_by_one() {
    for name in FIXTURES {
        let (model, exp) = load_from(&fixture().with_file_name(name));
        one_by_one(name, &model, &exp);
    }
}

fn one_by_one(name: &str, model: &CandleModel, exp: &Expected) {
    assert_eq!(exp.cases.len(), 4);
    for c in &exp.cases {
        let n = c.ids.len();
        let mask = vec![1u32; n];
        let input =
            ModelInput { batch: 1, seq_len: n, input_ids: &c.ids, type_ids: &c.type_ids, attention_mask: &mask };
        let got = model.forward(&input).unwrap();
        let width = if name == "tiny-bert-syntax" { 9 + 46 + 21 } else { 9 };
        assert_eq!(c.logits[0].len(), width, "{name}: fixture");
        assert_eq!(got.shape(), &[1, n, width], "{name}");
        let d = max_abs_diff(&got, 0, &c.logits);
        assert!(d < 1e-4, "{name} {:?}: max abs diff {d}", c.text);
    }
}

#[test]
fn logits_match_reference_in_a_padded_batch() {
    for name in FIXTURES {
        let (model, exp) = load_from(&fixture().with_file_name(name));
        padded_batch(name, &model, &exp);
    }
}

fn padded_batch(name: &str, model: &CandleModel, exp: &Expected) {
    // Padding with the model's own pad id (RoBERTa's is 1).
    let pad_id = if name == "tiny-roberta" { 1 } else { 0 };
    let seq = exp.cases.iter().map(|c| c.ids.len()).max().unwrap();
    let (mut ids, mut types, mut mask) = (Vec::new(), Vec::new(), Vec::new());
    for c in &exp.cases {
        let pad = seq - c.ids.len();
        ids.extend(c.ids.iter().copied().chain(std::iter::repeat_n(pad_id, pad)));
        types.extend(c.type_ids.iter().copied().chain(std::iter::repeat_n(0, pad)));
        mask.extend(std::iter::repeat_n(1, c.ids.len()).chain(std::iter::repeat_n(0, pad)));
    }
    let input =
        ModelInput { batch: exp.cases.len(), seq_len: seq, input_ids: &ids, type_ids: &types, attention_mask: &mask };
    let got = model.forward(&input).unwrap();
    for (row, c) in exp.cases.iter().enumerate() {
        let d = max_abs_diff(&got, row, &c.logits);
        assert!(d < 1e-4, "{name} {:?} in batch: max abs diff {d}", c.text);
    }
}

#[test]
fn malformed_input_is_an_error_not_a_panic() {
    let (model, _) = load();
    let input = ModelInput { batch: 2, seq_len: 3, input_ids: &[2, 3], type_ids: &[0, 0], attention_mask: &[1, 1] };
    assert!(model.forward(&input).is_err());
    let long = vec![2u32; 100];
    let input =
        ModelInput { batch: 1, seq_len: 100, input_ids: &long, type_ids: &vec![0; 100], attention_mask: &vec![1; 100] };
    assert!(model.forward(&input).is_err(), "longer than max_position_embeddings (64)");
}

/// The fused CPU forward (`forward`) and candle's op graph (`forward_unfused`)
/// agree on real tokens, for prefix masks and for a mask with a hole in it
/// (which the fused path runs unpacked, masking keys as the reference does).
#[test]
fn fused_forward_matches_the_candle_op_graph() {
    let (model, exp) = load();
    let seq = exp.cases.iter().map(|c| c.ids.len()).max().unwrap() + 3;
    let (mut ids, mut types, mut mask) = (Vec::new(), Vec::new(), Vec::new());
    for (i, c) in exp.cases.iter().enumerate() {
        let pad = seq - c.ids.len();
        ids.extend(c.ids.iter().copied().chain(std::iter::repeat_n(0, pad)));
        types.extend(c.type_ids.iter().copied().chain(std::iter::repeat_n(0, pad)));
        let mut m: Vec<u32> = std::iter::repeat_n(1, c.ids.len()).chain(std::iter::repeat_n(0, pad)).collect();
        if i == 1 {
            m[2] = 0; // a hole: not a plain prefix
        }
        mask.extend(m);
    }
    let input =
        ModelInput { batch: exp.cases.len(), seq_len: seq, input_ids: &ids, type_ids: &types, attention_mask: &mask };
    let fused = model.forward(&input).unwrap();
    let graph = model.forward_unfused(&input).unwrap();
    let mut compared = 0;
    for (row, c) in exp.cases.iter().enumerate() {
        for t in 0..c.ids.len() {
            if mask[row * seq + t] == 0 {
                continue;
            }
            for l in 0..fused.shape()[2] {
                let (a, b) = (fused[[row, t, l]], graph[[row, t, l]]);
                assert!((a - b).abs() < 1e-4, "row {row} token {t} label {l}: fused {a}, graph {b}");
                compared += 1;
            }
        }
    }
    assert!(compared > 100, "compared only {compared} logits");
    // The row with a hole differs from its unmasked reference: the mask is honoured.
    let d = max_abs_diff(&fused, 1, &exp.cases[1].logits);
    assert!(d > 1e-3, "masking a token changed nothing ({d})");
}

/// With syntax heads, the extractor lists each word with the part of speech
/// and chunk tag of its first token, as the reference computed them (chunks
/// made well-formed BIO); without them, words come without tags.
#[test]
fn words_carry_the_reference_syntax() {
    let dir = fixture().with_file_name("tiny-bert-syntax");
    let (_, exp) = load_from(&dir);
    let ex = newsie::Extractor::builder().model(dir.to_str().unwrap()).relations(false).words(true).build().unwrap();
    let labels = ex.syntax_labels().expect("the fixture has syntax heads");
    assert_eq!((labels.pos.len(), labels.chunk.len()), (46, 21));
    let mut compared = 0;
    for c in &exp.cases {
        assert!(!c.word_syntax.is_empty());
        let doc = ex.extract(&c.text).unwrap();
        let got: Vec<(usize, usize, String, String)> =
            doc.words.iter().map(|w| (w.start, w.end, w.pos.clone().unwrap(), w.chunk.clone().unwrap())).collect();
        assert_eq!(got, c.word_syntax, "{:?}", c.text);
        compared += got.len();
    }
    assert!(compared > 30, "compared only {compared} words");
    // Off by default; a model without syntax heads gives words without tags.
    let plain = newsie::Extractor::builder().model(dir.to_str().unwrap()).relations(false).build().unwrap();
    assert!(plain.extract(&exp.cases[0].text).unwrap().words.is_empty());
    let no_heads = newsie::Extractor::builder().model(fixture().to_str().unwrap()).words(true).build().unwrap();
    assert!(no_heads.syntax_labels().is_none());
    let doc = no_heads.extract("Kerry met Lavrov.").unwrap();
    let words: Vec<&str> = doc.words.iter().map(|w| w.text.as_str()).collect();
    assert_eq!(words, ["Kerry", "met", "Lavrov", "."]);
    assert!(doc.words.iter().all(|w| w.pos.is_none() && w.chunk.is_none()));
}

/// A config that declares syntax heads the weights lack is refused with a
/// message naming the missing tensor.
#[test]
fn declared_syntax_heads_must_exist() {
    let src = fixture();
    let tmp = std::env::temp_dir().join(format!("newsie-syntax-missing-{}", std::process::id()));
    std::fs::create_dir_all(&tmp).unwrap();
    for f in ["model.safetensors", "tokenizer.json", "vocab.txt"] {
        std::fs::copy(src.join(f), tmp.join(f)).unwrap();
    }
    let mut cfg: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(src.join("config.json")).unwrap()).unwrap();
    cfg["newsie_pos_labels"] = serde_json::json!(["NN", "VB"]);
    cfg["newsie_chunk_labels"] = serde_json::json!(["O", "B-NP"]);
    std::fs::write(tmp.join("config.json"), cfg.to_string()).unwrap();
    let err = newsie::Extractor::builder().model(tmp.to_str().unwrap()).build().unwrap_err();
    assert!(format!("{err:?}").contains("pos_classifier"), "{err:?}");
    cfg["newsie_chunk_labels"] = serde_json::json!(["O", "NP"]);
    std::fs::write(tmp.join("config.json"), cfg.to_string()).unwrap();
    let err = newsie::Extractor::builder().model(tmp.to_str().unwrap()).build().unwrap_err();
    assert!(err.to_string().contains("chunk tag"), "{err}");
    std::fs::remove_dir_all(&tmp).ok();
}
