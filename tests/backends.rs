//! The rust-bert backend (feature `rust-bert`) against the reference logits of
//! the parity fixture and against the candle backend on real news.
#![cfg(feature = "rust-bert")]

mod common;

use newsie::{BackendKind, Extractor};

#[test]
fn rust_bert_reproduces_reference_logits() {
    // Through the whole pipeline: probabilities of the fixture sentences.
    let m = common::tiny_model();
    let candle = Extractor::builder().model(m.to_str().unwrap()).build().unwrap();
    let tch = Extractor::builder().model(m.to_str().unwrap()).backend(BackendKind::RustBert).build().unwrap();
    assert_eq!(tch.backend_name(), "rust-bert");
    let exp: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(m.join("expected.json")).unwrap()).unwrap();
    for c in exp["cases"].as_array().unwrap() {
        let text = c["text"].as_str().unwrap();
        let enc = tch.encode(text).unwrap();
        let p_tch = tch.probabilities(std::slice::from_ref(&enc)).unwrap().remove(0);
        let p_candle = candle.probabilities(std::slice::from_ref(&enc)).unwrap().remove(0);
        // Reference probabilities from the reference logits (without [CLS]/[SEP]).
        let logits = c["logits"].as_array().unwrap();
        let mut worst = 0f32;
        for (t, row) in logits[1..logits.len() - 1].iter().enumerate() {
            let row: Vec<f32> = row.as_array().unwrap().iter().map(|v| v.as_f64().unwrap() as f32).collect();
            let m = row.iter().cloned().fold(f32::MIN, f32::max);
            let z: f32 = row.iter().map(|x| (x - m).exp()).sum();
            for (l, x) in row.iter().enumerate() {
                let p = (x - m).exp() / z;
                worst = worst.max((p - p_tch[t * row.len() + l]).abs()).max((p - p_candle[t * row.len() + l]).abs());
            }
        }
        assert!(worst < 1e-4, "{text}: max abs probability diff {worst}");
    }
}

#[test]
fn backends_agree_on_the_seed_article() {
    let Some(text) = common::seed_article() else { return };
    let candle = Extractor::builder().build().unwrap();
    let tch = Extractor::builder().backend(BackendKind::RustBert).build().unwrap();
    let (a, b) = (candle.extract(&text).unwrap(), tch.extract(&text).unwrap());
    let spans = |d: &newsie::Document| d.entities.iter().map(|e| (e.start, e.end, e.label.clone())).collect::<Vec<_>>();
    assert_eq!(spans(&a), spans(&b));
    assert!(a.entities.len() > 100);
    let worst = a.entities.iter().zip(&b.entities).map(|(x, y)| (x.score - y.score).abs()).fold(0f32, f32::max);
    assert!(worst < 1e-2, "scores differ by {worst}");
    assert_eq!(a.relations, b.relations);
}
