//! Stage 1: sentence splitting, tokenisation and the casing channel.
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
mod common;

fn bench(c: &mut Criterion) {
    let ex = common::extractor(2, false);
    let mut inputs =
        vec![("sample_article", common::sample()), ("generated_corpus", common::generated_corpus(200).join("\n\n"))];
    if let Some(testb) = common::testb_documents() {
        inputs.push(("conll_testb", testb.join("\n\n")));
    }
    let mut g = c.benchmark_group("tokenize");
    for (name, text) in &inputs {
        g.throughput(Throughput::Bytes(text.len() as u64));
        g.bench_function(*name, |b| b.iter(|| ex.encode(text).unwrap()));
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
