//! A seeded random-input soak: random news-like and hostile texts through the
//! whole pipeline with the shipped model, checking after every document that
//! nothing panicked and every invariant of `tests/common/invariants.rs` holds
//! (offsets, slices, no entity edge on punctuation or white space).
//!
//! ```text
//! cargo run --release --example soak -- [--seconds N] [--seed S] [--threads T] [--batch B]
//! ```
//!
//! Prints progress every 60 s and a summary (texts, bytes, entities, failures)
//! at the end; every failing input is printed escaped, to become a regression
//! test. Exit status 1 if any text failed.

#[path = "../tests/common/invariants.rs"]
#[allow(dead_code)]
mod invariants;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::time::{Duration, Instant};

use invariants::{check_document, random_text, Rng};
use newsie::Extractor;

fn main() -> std::process::ExitCode {
    let mut seconds = 60u64;
    let mut seed = 1u64;
    let mut threads = 1usize;
    let mut batch = 16usize;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut num = |name: &str| -> u64 {
            let v = args.next().and_then(|v| v.parse().ok());
            v.unwrap_or_else(|| {
                eprintln!("soak: {name} needs a number");
                std::process::exit(2)
            })
        };
        match a.as_str() {
            "--seconds" => seconds = num("--seconds"),
            "--seed" => seed = num("--seed"),
            "--threads" => threads = num("--threads") as usize,
            "--batch" => batch = num("--batch").max(1) as usize,
            _ => {
                eprintln!("usage: soak [--seconds N] [--seed S] [--threads T] [--batch B]");
                return std::process::ExitCode::from(2);
            }
        }
    }
    let ex = match Extractor::builder().threads(threads).build() {
        Ok(ex) => ex,
        Err(e) => {
            eprintln!("soak: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let mut rng = Rng(seed.max(1));
    let (t0, mut last) = (Instant::now(), Instant::now());
    let (mut texts, mut bytes, mut entities, mut relations, mut failures) = (0u64, 0u64, 0u64, 0u64, 0u64);
    eprintln!("soak: seed {seed}, {threads} thread(s), {seconds} s");
    while t0.elapsed() < Duration::from_secs(seconds) {
        let batch_texts: Vec<String> = (0..batch)
            .map(|_| if rng.below(50) == 0 { random_text(&mut rng, 3000) } else { random_text(&mut rng, 60) })
            .collect();
        let result = catch_unwind(AssertUnwindSafe(|| ex.extract_batch(&batch_texts)));
        let docs = match result {
            Ok(Ok(docs)) => docs,
            Ok(Err(e)) => {
                failures += 1;
                println!("ERROR {e}: one of {:?}", batch_texts);
                continue;
            }
            Err(_) => {
                failures += 1;
                println!("PANIC on one of {:?}", batch_texts);
                continue;
            }
        };
        for (t, d) in batch_texts.iter().zip(&docs) {
            texts += 1;
            bytes += t.len() as u64;
            entities += d.entities.len() as u64;
            relations += d.relations.len() as u64;
            if let Err(m) = check_document(t, d) {
                failures += 1;
                println!("INVARIANT {m}\n  input: {t:?}");
            }
        }
        if last.elapsed() >= Duration::from_secs(60) {
            last = Instant::now();
            eprintln!(
                "soak: {:.0} s, {texts} texts, {:.1} MB, {entities} entities, {relations} relations, {failures} failures",
                t0.elapsed().as_secs_f64(),
                bytes as f64 / 1e6
            );
        }
    }
    let cpu = t0.elapsed().as_secs_f64();
    println!(
        "soak: seed {seed}: {texts} texts ({:.1} MB), {entities} entities, {relations} relations, {failures} failures in {cpu:.0} s on {threads} thread(s)",
        bytes as f64 / 1e6
    );
    if failures == 0 {
        std::process::ExitCode::SUCCESS
    } else {
        std::process::ExitCode::FAILURE
    }
}
