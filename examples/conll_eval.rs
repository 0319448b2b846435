//! Entity-level precision, recall and F1 of a model on a CoNLL-2003 file,
//! through the same inference path users get (`Extractor`).
//!
//! ```text
//! cargo run --release --features eval --example conll_eval -- FILE [--model NAME_OR_DIR] [--backend candle|rust-bert]
//!     [--aggregation first|average|max] [--decoding constrained|greedy] [--threads N] [--batch-size N]
//!     [--precision f32|int8|bf16] [--lexicon FILE] [--no-lexicon] [--no-consistent-types]
//!     [--sentences]
//! ```
//!
//! Each document is given to the extractor as one text (words joined by
//! spaces, sentences by blank lines), or each sentence as a text of its own
//! with `--sentences`; predicted entities are mapped back to the words they
//! cover and compared with the gold spans (conlleval semantics: exact span and
//! type). The scores of the all-caps sentences (headlines; every letter upper
//! case) are printed first, then those of the whole file; the last line is
//! `F1 <value>` of the whole file.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use newsie::eval::{gold_spans, predicted_spans, read_conll, ConllDocument, Scores};
use newsie::{Aggregation, BackendKind, Extractor, Precision};

/// A document's text and, per sentence, the byte span of each word.
type TextWithWords = (String, Vec<Vec<(usize, usize)>>);

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("conll_eval: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let mut file: Option<PathBuf> = None;
    let mut per_sentence = false;
    let mut lexicon_flags = 0;
    let mut b = Extractor::builder().relations(false);
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut val = |n: &str| it.next().ok_or_else(|| format!("{n} needs a value"));
        match a.as_str() {
            "--model" => b = b.model(val("--model")?),
            "--backend" => b = b.backend(val("--backend")?.parse::<BackendKind>().map_err(|e| e.to_string())?),
            "--aggregation" => {
                b = b.aggregation(val("--aggregation")?.parse::<Aggregation>().map_err(|e| e.to_string())?)
            }
            "--decoding" => b = b.decoding(val("--decoding")?.parse::<newsie::Decoding>().map_err(|e| e.to_string())?),
            "--threads" => b = b.threads(val("--threads")?.parse().map_err(|_| "--threads needs a number")?),
            "--batch-size" => {
                b = b.batch_size(val("--batch-size")?.parse().map_err(|_| "--batch-size needs a number")?)
            }
            "--precision" => b = b.precision(val("--precision")?.parse::<Precision>().map_err(|e| e.to_string())?),
            "--sentences" => per_sentence = true,
            "--lexicon" => {
                lexicon_flags += 1;
                b = b.lexicon(newsie::Lexicon::from_path(val("--lexicon")?).map_err(|e| e.to_string())?)
            }
            "--no-lexicon" => {
                lexicon_flags += 1;
                b = b.lexicon(newsie::Lexicon::default())
            }
            "--no-consistent-types" => b = b.consistent_types(false),
            "-h" | "--help" => {
                println!("usage: conll_eval FILE [--model NAME_OR_DIR] [--backend candle|rust-bert] [--aggregation first|average|max] [--decoding constrained|greedy] [--threads N] [--batch-size N] [--precision f32|int8|bf16] [--lexicon FILE] [--no-lexicon] [--no-consistent-types] [--sentences]");
                return Ok(());
            }
            s if s.starts_with("--") => return Err(format!("unknown option {s}")),
            _ => file = Some(PathBuf::from(a)),
        }
    }
    if lexicon_flags > 1 {
        return Err("give one of --lexicon FILE and --no-lexicon, once".into());
    }
    let file = file.ok_or("usage: conll_eval FILE [--model NAME_OR_DIR]")?;
    let mut docs = read_conll(&file).map_err(|e| e.to_string())?;
    if per_sentence {
        docs = docs
            .into_iter()
            .flat_map(|d| d.sentences.into_iter().map(|s| ConllDocument { sentences: vec![s] }))
            .collect();
    }
    let ex = b.build().map_err(|e| e.to_string())?;
    eprintln!("conll_eval: {} documents from {}, model {}", docs.len(), file.display(), ex.model_dir().display());
    let t0 = Instant::now();
    let mut scores = Scores::default();
    let mut caps = Scores::default();
    let mut caps_sentences = 0usize;
    let mut sentences = 0usize;
    for (i, chunk) in docs.chunks(16).enumerate() {
        let texts: Vec<TextWithWords> = chunk.iter().map(|d| d.text()).collect();
        let inputs: Vec<&str> = texts.iter().map(|(t, _)| t.as_str()).collect();
        let results = ex.extract_batch(&inputs).map_err(|e| e.to_string())?;
        for ((doc, (_, ranges)), res) in chunk.iter().zip(&texts).zip(results) {
            for (sent, words) in doc.sentences.iter().zip(ranges) {
                let (lo, hi) = (words[0].0, words[words.len() - 1].1);
                let ents: Vec<_> = res.entities.iter().filter(|e| e.start >= lo && e.start < hi).cloned().collect();
                let (gold, pred) = (gold_spans(&sent.tags), predicted_spans(words, &ents));
                if all_caps(&sent.words) {
                    caps.add(&gold, &pred);
                    caps_sentences += 1;
                }
                scores.add(&gold, &pred);
                sentences += 1;
            }
        }
        if i % 4 == 3 {
            eprintln!("conll_eval: {sentences} sentences, {:.0}s", t0.elapsed().as_secs_f64());
        }
    }
    eprintln!("conll_eval: {sentences} sentences in {:.1}s", t0.elapsed().as_secs_f64());
    println!("all-caps sentences ({caps_sentences} of {sentences}):\n{caps}\n");
    println!("all sentences{}:\n{scores}", if per_sentence { ", one per input" } else { "" });
    Ok(())
}

/// Whether a sentence has letters and all of them are upper case (a headline).
fn all_caps(words: &[String]) -> bool {
    let mut letters = words.iter().flat_map(|w| w.chars()).filter(|c| c.is_alphabetic()).peekable();
    letters.peek().is_some() && letters.all(char::is_uppercase)
}
