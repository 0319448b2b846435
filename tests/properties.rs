//! Property tests over random text: random Unicode, punctuation runs, mixed
//! scripts, glued punctuation, odd spaces and control characters. A fixed
//! seed and case count, so CI runs the same cases every time.

mod common;

use common::invariants::{check_document, NAMES, ODD, PUNCT, SPACES, WORDS};
use common::tiny_model;
use newsie::Extractor;
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed};
use std::sync::OnceLock;

fn config(cases: u32) -> Config {
    Config { cases, rng_seed: RngSeed::Fixed(20261127), failure_persistence: None, ..Config::default() }
}

fn tiny() -> &'static Extractor {
    static EX: OnceLock<Extractor> = OnceLock::new();
    EX.get_or_init(|| Extractor::builder().model(tiny_model().to_str().unwrap()).build().unwrap())
}

fn shipped(batch_size: usize, threads: usize) -> Extractor {
    Extractor::builder().batch_size(batch_size).threads(threads).build().unwrap()
}

fn shipped_default() -> &'static Extractor {
    static EX: OnceLock<Extractor> = OnceLock::new();
    EX.get_or_init(|| shipped(16, 2))
}

/// Random text made of news pieces, punctuation, odd characters and any char.
fn text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        3 => proptest::sample::select(NAMES).prop_map(str::to_string),
        3 => proptest::sample::select(WORDS).prop_map(str::to_string),
        2 => proptest::sample::select(PUNCT).prop_map(str::to_string),
        3 => proptest::sample::select(SPACES).prop_map(str::to_string),
        1 => proptest::sample::select(ODD).prop_map(str::to_string),
        1 => any::<char>().prop_map(String::from),
    ];
    proptest::collection::vec(piece, 0..80).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(config(300))]

    /// No panic, and every entity's text is its byte and char slice and does
    /// not start or end on punctuation or white space (tiny model: fast, and
    /// its noisy predictions put entities everywhere).
    #[test]
    fn any_text_gives_a_valid_document(t in text()) {
        let doc = tiny().extract(&t).unwrap();
        prop_assert!(check_document(&t, &doc).is_ok(), "{:?}", check_document(&t, &doc));
    }
}

proptest! {
    #![proptest_config(config(40))]

    /// The shipped model on random text: valid documents, and the same
    /// entities whatever the batch size or thread count.
    #[test]
    fn results_do_not_depend_on_batching_or_threads(ts in proptest::collection::vec(text(), 1..6)) {
        let a = shipped_default().extract_batch(&ts).unwrap();
        let one_by_one: Vec<_> = ts.iter().map(|t| shipped_default().extract(t).unwrap()).collect();
        static SMALL: OnceLock<Extractor> = OnceLock::new();
        let b = SMALL.get_or_init(|| shipped(1, 1)).extract_batch(&ts).unwrap();
        for (i, t) in ts.iter().enumerate() {
            prop_assert!(check_document(t, &a[i]).is_ok(), "{:?}", check_document(t, &a[i]));
            let spans = |d: &newsie::Document| {
                d.entities.iter().map(|e| (e.start, e.end, e.label.clone(), e.entity_id)).collect::<Vec<_>>()
            };
            prop_assert_eq!(spans(&a[i]), spans(&one_by_one[i]));
            prop_assert_eq!(spans(&a[i]), spans(&b[i]));
            for (x, y) in a[i].entities.iter().zip(&b[i].entities) {
                prop_assert!((x.score - y.score).abs() < 1e-3, "{} vs {}", x.score, y.score);
            }
        }
    }

    /// A name ending a sentence comes out without its full stop, with the
    /// same entities and ids as when the stop is spaced off (as in CoNLL).
    #[test]
    fn sentence_final_names_lose_the_full_stop(
        a in proptest::sample::select(PEOPLE),
        b in proptest::sample::select(PEOPLE),
        c in proptest::sample::select(PEOPLE),
    ) {
        let glued = format!("{a} met {b}. {c} arrived later.");
        let spaced = format!("{a} met {b} . {c} arrived later .");
        let (g, s) = (shipped_default().extract(&glued).unwrap(), shipped_default().extract(&spaced).unwrap());
        let names = |d: &newsie::Document| {
            d.entities.iter().map(|e| (e.text.clone(), e.label.clone(), e.entity_id)).collect::<Vec<_>>()
        };
        prop_assert!(g.entities.iter().all(|e| !e.text.ends_with('.')), "{glued:?}: {:?}", names(&g));
        prop_assert_eq!(names(&g), names(&s), "{:?}", glued);
    }
}

/// People's names for the sentence-final test.
const PEOPLE: &[&str] = &[
    "Abe",
    "Modi",
    "Xi",
    "Trump",
    "Putin",
    "Merkel",
    "Macron",
    "Lula",
    "Erdogan",
    "Zelenskiy",
    "Kishida",
    "Biden",
    "Sunak",
    "Scholz",
    "Ramaphosa",
    "Milei",
    "Lavrov",
    "Kerry",
    "Blinken",
    "Wang Yi",
];
