//! Stage 3: from label probabilities to entities (words, aggregation, spans).
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
mod common;

fn bench(c: &mut Criterion) {
    let ex = common::extractor(2, false);
    let seed = common::seed();
    let enc = ex.encode(&seed).unwrap();
    let probs = ex.probabilities(std::slice::from_ref(&enc)).unwrap().remove(0);
    let mut g = c.benchmark_group("decode");
    g.throughput(Throughput::Bytes(seed.len() as u64));
    g.bench_function("seed_article", |b| b.iter(|| ex.decode(&seed, &enc, &probs)));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
