//! End to end: `extract_batch` (2 threads) over the sample article, the
//! generated corpus and (when `../shared` is there) the CoNLL eng.testb
//! documents, and single-sentence latency (40 words).
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
mod common;

const SENTENCE_40_WORDS: &str = "U.S. Secretary of State John Kerry said on Wednesday he expected to meet \
Russian Foreign Minister Sergei Lavrov again in Rome on Thursday, after talks in Paris with ministers from \
Ukraine, Russia, Britain and France failed to produce an agreement.";

fn bench(c: &mut Criterion) {
    let ex = common::extractor(2, true);
    let sample = common::sample();
    let mut g = c.benchmark_group("end_to_end");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(sample.len() as u64));
    g.bench_function("sample_article", |b| b.iter(|| ex.extract(&sample).unwrap()));
    let mut corpora = vec![("generated_corpus", common::generated_corpus(200))];
    if let Some(testb) = common::testb_documents() {
        corpora.push(("conll_testb_documents", testb));
    }
    for (name, docs) in corpora {
        let bytes: usize = docs.iter().map(|t| t.len()).sum();
        g.throughput(Throughput::Bytes(bytes as u64));
        g.bench_function(name, |b| b.iter(|| ex.extract_batch(&docs).unwrap()));
    }
    g.finish();

    assert_eq!(SENTENCE_40_WORDS.split_whitespace().count(), 40);
    let mut g = c.benchmark_group("latency");
    g.throughput(Throughput::Elements(1));
    g.bench_function("sentence_40_words", |b| b.iter(|| ex.extract(SENTENCE_40_WORDS).unwrap()));
    let int8 = common::extractor_at(2, true, newsie::Precision::Int8);
    g.bench_function("sentence_40_words_int8", |b| b.iter(|| int8.extract(SENTENCE_40_WORDS).unwrap()));
    let bf16 = common::extractor_at(2, true, newsie::Precision::Bf16);
    g.bench_function("sentence_40_words_bf16", |b| b.iter(|| bf16.extract(SENTENCE_40_WORDS).unwrap()));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
