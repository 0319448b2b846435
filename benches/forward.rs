//! Stage 2: the model forward pass (candle, 2 threads) at batch 1, 8 and 32,
//! on windows of 40 real tokens (a 40-word news sentence is about 50 tokens;
//! the median CoNLL window is shorter). Throughput in windows. f32 is
//! `windows_of_40_tokens/B`; int8 is `int8_KERNEL/B` and bf16 `bf16_KERNEL/B`
//! for each kernel this CPU runs (int8's portable one at batch 1 and 8 only,
//! bf16's not at all: they are slow).
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use newsie::model::{Backend, Bf16Kernel, CandleModel, Int8Kernel, ModelConfig, ModelInput};
mod common;

fn bench(c: &mut Criterion) {
    let ex = common::extractor(2, false);
    let dir = ex.model_dir().to_path_buf();
    let cfg = ModelConfig::from_file(&dir.join("config.json")).unwrap();
    let load = || CandleModel::load(&dir.join("model.safetensors"), &cfg).unwrap();
    let mut models = vec![("windows_of_40_tokens", load())];
    for (name, kernel) in
        [("int8_amx", Int8Kernel::Amx), ("int8_vnni", Int8Kernel::Vnni), ("int8_portable", Int8Kernel::Portable)]
    {
        if kernel.is_available() {
            models.push((name, load().with_int8_kernel(kernel).unwrap()));
        }
    }
    for (name, kernel) in [("bf16_amx", Bf16Kernel::Amx), ("bf16_avx512", Bf16Kernel::Avx512)] {
        if kernel.is_available() {
            models.push((name, load().with_bf16_kernel(kernel).unwrap()));
        }
    }
    let enc = ex.encode(&common::generated_corpus(20).join(" ")).unwrap();
    let seq = 42; // [CLS] + 40 tokens + [SEP]
    let pool = rayon::ThreadPoolBuilder::new().num_threads(2).build().unwrap();
    let mut g = c.benchmark_group("forward");
    for batch in [1usize, 8, 32] {
        let mut ids = Vec::new();
        let mut types = Vec::new();
        for b in 0..batch {
            let s = (b * 40) % (enc.ids.len() - 40);
            ids.push(101);
            ids.extend_from_slice(&enc.ids[s..s + 40]);
            ids.push(102);
            types.push(0);
            types.extend_from_slice(&enc.type_ids[s..s + 40]);
            types.push(0);
        }
        let mask = vec![1u32; batch * seq];
        let input = ModelInput { batch, seq_len: seq, input_ids: &ids, type_ids: &types, attention_mask: &mask };
        g.throughput(Throughput::Elements(batch as u64));
        for (name, model) in &models {
            if *name == "int8_portable" && batch == 32 {
                continue;
            }
            g.bench_with_input(BenchmarkId::new(*name, batch), &input, |b, input| {
                b.iter(|| pool.install(|| model.forward(input).unwrap()))
            });
        }
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
