//! Stage 3: from label probabilities to entities (words, aggregation, spans).
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
mod common;

fn bench(c: &mut Criterion) {
    let ex = common::extractor(2, false);
    let mut g = c.benchmark_group("decode");
    for (name, text) in
        [("sample_article", common::sample()), ("generated_corpus", common::generated_corpus(50).join("\n\n"))]
    {
        let enc = ex.encode(&text).unwrap();
        let probs = ex.probabilities(std::slice::from_ref(&enc)).unwrap().remove(0);
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.bench_function(name, |b| b.iter(|| ex.decode(&text, &enc, &probs)));
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
