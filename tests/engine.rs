//! An engine of the user's own plugs into the builder (`ExtractorBuilder::engine`).

use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use ndarray::Array3;
use newsie::model::{Backend, CandleModel, ModelConfig, ModelInput};
use newsie::{Error, Extractor};

fn fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tiny-bert")
}

/// Wraps the candle model and counts its calls.
#[derive(Debug)]
struct Counting {
    inner: CandleModel,
    calls: AtomicUsize,
}

impl Backend for Counting {
    fn forward(&self, input: &ModelInput<'_>) -> newsie::Result<Array3<f32>> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        self.inner.forward(input)
    }
    fn name(&self) -> &'static str {
        "counting"
    }
}

/// Returns logits with one label too few.
#[derive(Debug)]
struct WrongShape;

impl Backend for WrongShape {
    fn forward(&self, input: &ModelInput<'_>) -> newsie::Result<Array3<f32>> {
        Ok(Array3::zeros((input.batch, input.seq_len, 1)))
    }
    fn name(&self) -> &'static str {
        "wrong-shape"
    }
}

#[test]
fn own_engine_runs_the_pipeline() {
    let dir = fixture();
    let cfg = ModelConfig::from_file(&dir.join("config.json")).unwrap();
    let engine = Arc::new(Counting {
        inner: CandleModel::load(&dir.join("model.safetensors"), &cfg).unwrap(),
        calls: AtomicUsize::new(0),
    });
    let text = "Kerry met Lavrov in Rome. Obama phoned Cameron on Monday.";
    let built_in = Extractor::builder().model(dir.to_str().unwrap()).build().unwrap();
    let own = Extractor::builder().model(dir.to_str().unwrap()).engine(engine.clone()).build().unwrap();
    assert_eq!(own.backend_name(), "counting");
    let (a, b) = (built_in.extract(text).unwrap(), own.extract(text).unwrap());
    assert!(engine.calls.load(Ordering::SeqCst) >= 1, "the engine was not called");
    let spans = |d: &newsie::Document| d.entities.iter().map(|e| (e.start, e.end, e.label.clone())).collect::<Vec<_>>();
    assert_eq!(spans(&a), spans(&b));
}

#[test]
fn engine_with_wrong_logits_is_an_error_not_a_panic() {
    let own = Extractor::builder().model(fixture().to_str().unwrap()).engine(Arc::new(WrongShape)).build().unwrap();
    match own.extract("Kerry met Lavrov in Rome.") {
        Err(Error::Inference(e)) => assert!(e.to_string().contains("shape"), "{e}"),
        other => panic!("expected an inference error, got {other:?}"),
    }
}
