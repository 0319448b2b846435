//! Shared bench inputs. Every group runs from the repository alone: the
//! shipped sample article and a generated news corpus. The CoNLL eng.testb
//! groups run only when `../shared/data/conll2003/eng.testb` is beside the
//! repository, and say so when it is not.
#![allow(dead_code)]

use std::path::PathBuf;

/// The sample article shipped in `examples/data/sample-news.txt`.
pub fn sample() -> String {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples/data/sample-news.txt");
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

const PEOPLE: [&str; 12] = [
    "Annalena Baerbock",
    "Mauro Vieira",
    "Wang Yi",
    "Melanie Joly",
    "Antony Blinken",
    "Sergei Lavrov",
    "Penny Wong",
    "Subrahmanyam Jaishankar",
    "Yoko Kamikawa",
    "Hakan Fidan",
    "Ronald Lamola",
    "Alicia Barcena",
];
const PLACES: [&str; 10] =
    ["Geneva", "Brasilia", "Jakarta", "Nairobi", "Ankara", "Canberra", "New Delhi", "Tokyo", "Mexico City", "Doha"];
const ORGS: [&str; 8] = [
    "the European Union",
    "the United Nations",
    "the African Union",
    "Siemens",
    "Reuters",
    "the World Bank",
    "NATO",
    "the U.S. Treasury",
];
const FRAMES: [&str; 8] = [
    "{P} met {Q} in {L} on Thursday, officials said.",
    "{O} imposed sanctions on three companies in {L}, {P} told reporters.",
    "{P} did not meet {Q} during the visit to {L}.",
    "{Q} is expected to hold talks with {P} in {L} next week.",
    "Speaking in {L}, {P} said {O} could impose new measures soon.",
    "{O} said on Monday that {P} had spoken to {Q} by telephone.",
    "Shares in {O} fell 3 percent in {L} after the announcement.",
    "{P} and {Q} agreed to meet again in {L} before the summit of {O}.",
];

/// A generated news corpus of `docs` documents (4 to 9 sentences each, with
/// real punctuation), the same for every run: names, places and
/// organisations in fixed sentence frames, picked by a simple LCG.
pub fn generated_corpus(docs: usize) -> Vec<String> {
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = |n: usize| {
        state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        ((state >> 33) as usize) % n
    };
    (0..docs)
        .map(|_| {
            let sentences = 4 + next(6);
            let mut doc = String::new();
            for i in 0..sentences {
                let p = next(PEOPLE.len());
                let q = (p + 1 + next(PEOPLE.len() - 1)) % PEOPLE.len();
                let s = FRAMES[next(FRAMES.len())]
                    .replace("{P}", PEOPLE[p])
                    .replace("{Q}", PEOPLE[q])
                    .replace("{L}", PLACES[next(PLACES.len())])
                    .replace("{O}", ORGS[next(ORGS.len())]);
                if i > 0 {
                    doc.push(' ');
                }
                let mut chars = s.chars();
                if let Some(c) = chars.next() {
                    doc.extend(c.to_uppercase());
                    doc.push_str(chars.as_str());
                }
            }
            doc
        })
        .collect()
}

/// CoNLL eng.testb documents (words joined by spaces, sentences by a blank
/// line, as `conll_eval` feeds them), or `None` with a note on stderr when
/// `../shared` is not beside the repository.
pub fn testb_documents() -> Option<Vec<String>> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data/conll2003/eng.testb");
    let Ok(text) = std::fs::read_to_string(&p) else {
        eprintln!("skipping the CoNLL eng.testb groups: {} not found", p.display());
        return None;
    };
    let mut docs = Vec::new();
    let mut doc = String::new();
    let mut sentence = String::new();
    let end_sentence = |doc: &mut String, sentence: &mut String| {
        if !sentence.is_empty() {
            if !doc.is_empty() {
                doc.push_str("\n\n");
            }
            doc.push_str(sentence);
            sentence.clear();
        }
    };
    for line in text.lines() {
        let word = line.split_whitespace().next();
        match word {
            None => end_sentence(&mut doc, &mut sentence),
            Some("-DOCSTART-") => {
                end_sentence(&mut doc, &mut sentence);
                if !doc.is_empty() {
                    docs.push(std::mem::take(&mut doc));
                }
            }
            Some(w) => {
                if !sentence.is_empty() {
                    sentence.push(' ');
                }
                sentence.push_str(w);
            }
        }
    }
    end_sentence(&mut doc, &mut sentence);
    if !doc.is_empty() {
        docs.push(doc);
    }
    Some(docs)
}

/// The default extractor (shipped model), `threads` inference threads.
pub fn extractor(threads: usize, relations: bool) -> newsie::Extractor {
    extractor_at(threads, relations, newsie::Precision::F32)
}

/// As [`extractor`], at `precision`.
pub fn extractor_at(threads: usize, relations: bool, precision: newsie::Precision) -> newsie::Extractor {
    newsie::Extractor::builder()
        .threads(threads)
        .relations(relations)
        .precision(precision)
        .build()
        .expect("shipped model")
}
