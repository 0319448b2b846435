//! Shared bench inputs: the seed article and CoNLL eng.testb documents.
#![allow(dead_code)]

use std::path::PathBuf;

fn shared(p: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data").join(p)
}

/// The seed article (the brief's canonical input).
pub fn seed() -> String {
    std::fs::read_to_string(shared("seed/crimea-2014-03-05.txt")).expect("../shared/data/seed/crimea-2014-03-05.txt")
}

/// CoNLL eng.testb sentences joined into their documents (words by spaces,
/// sentences by blank lines), as `conll_eval` feeds them.
pub fn testb_documents() -> Vec<String> {
    let docs = newsie::eval::read_conll(&shared("conll2003/eng.testb")).expect("../shared/data/conll2003/eng.testb");
    docs.iter().map(|d| d.text().0).collect()
}

/// The default extractor (shipped model), `threads` inference threads.
pub fn extractor(threads: usize, relations: bool) -> newsie::Extractor {
    newsie::Extractor::builder().threads(threads).relations(relations).build().expect("shipped model")
}
