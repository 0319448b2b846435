//! The relation stage on pre-computed entities (linking done once before),
//! without and with the words' syntax.
//! Throughput in tokens (whitespace-separated words) of input text.
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use newsie::RuleSet;
mod common;

fn bench(c: &mut Criterion) {
    // Entities and the words' syntax computed once, outside the timing.
    let ex = newsie::Extractor::builder().threads(2).relations(false).words(true).build().unwrap();
    let rules = RuleSet::builtin();
    let mut g = c.benchmark_group("relations");
    let mut inputs =
        vec![("sample_article", vec![common::sample()]), ("generated_corpus", common::generated_corpus(200))];
    if let Some(testb) = common::testb_documents() {
        inputs.push(("conll_testb", testb));
    }
    for (name, texts) in inputs {
        let docs = ex.extract_batch(&texts).unwrap();
        let tokens: usize = texts.iter().map(|t| t.split_whitespace().count()).sum();
        g.throughput(Throughput::Elements(tokens as u64));
        g.bench_function(name, |b| {
            b.iter(|| {
                let mut n = 0;
                for (t, d) in texts.iter().zip(&docs) {
                    n += rules.extract(t, &d.entities).len();
                }
                n
            })
        });
        // The same with each word's part of speech and chunk (the shipped model's syntax heads).
        g.bench_function(format!("{name}_with_syntax"), |b| {
            b.iter(|| {
                let mut n = 0;
                for (t, d) in texts.iter().zip(&docs) {
                    n += rules.extract_with_words(t, &d.entities, &d.words).len();
                }
                n
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
