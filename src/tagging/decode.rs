//! From per-token label probabilities to entity spans.
//!
//! Tokens are grouped into the sentence's words ([`crate::text::Segmented`]);
//! each word gets one label by the chosen [`Aggregation`] and [`Decoding`]; the
//! word tags are grouped into spans by [`super::spans`], which also repairs
//! invalid sequences.

use serde::{Deserialize, Serialize};
use std::ops::Range;

use super::labels::{self, LabelSet};
use crate::document::{EntityKind, Mention};
use crate::text::CharIndex;

/// How sub-word predictions become one prediction per word (as in the Hugging
/// Face pipeline's `aggregation_strategy`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Aggregation {
    /// The word takes the label of its first sub-word.
    #[default]
    First,
    /// The word takes the label with the highest mean probability over its sub-words.
    Average,
    /// The word takes the label of its most confident sub-word.
    Max,
}

impl std::str::FromStr for Aggregation {
    type Err = crate::Error;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "first" => Ok(Aggregation::First),
            "average" => Ok(Aggregation::Average),
            "max" => Ok(Aggregation::Max),
            _ => Err(crate::Error::Config(format!("unknown aggregation {s:?} (first, average, max)"))),
        }
    }
}

/// How word labels are chosen from their probabilities.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
#[non_exhaustive]
pub enum Decoding {
    /// The most probable well-formed sequence per sentence (Viterbi): an `I-X`
    /// only continues a `B-X` or `I-X`. Right for BIO and BIOES models; not
    /// for IOB1 models, whose entities start with `I-`.
    #[default]
    Constrained,
    /// Each word takes its most probable label; invalid sequences are repaired
    /// afterwards (an orphan `I-X` opens an entity). Works for every scheme.
    Greedy,
}

impl std::str::FromStr for Decoding {
    type Err = crate::Error;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "constrained" | "viterbi" => Ok(Decoding::Constrained),
            "greedy" | "argmax" => Ok(Decoding::Greedy),
            _ => Err(crate::Error::Config(format!("unknown decoding {s:?} (constrained, greedy)"))),
        }
    }
}

/// Turns one sentence's sub-word label probabilities into entity mentions:
/// the labelling settings of an extractor.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Decoder<'a> {
    /// The model's classes.
    pub labels: &'a LabelSet,
    /// How sub-word predictions become word predictions.
    pub aggregation: Aggregation,
    /// How word labels are chosen.
    pub decoding: Decoding,
    /// Names whose spans and types correct the model's, if any.
    pub lexicon: Option<&'a super::Lexicon>,
}

/// The tokens of each word, in order: from the first token that ends after the
/// word's start (empty tokens skipped) up to the first that starts at or
/// after its end. An empty range when no token falls in the word (only
/// characters the tokenizer drops). Shared by entity decoding and the syntax
/// heads, so both read a word through the same first token.
pub(crate) fn word_tokens<'a>(
    words: &'a [Range<usize>],
    offsets: &'a [(usize, usize)],
) -> impl Iterator<Item = Range<usize>> + 'a {
    let mut t = 0usize;
    words.iter().map(move |w| {
        // Skip tokens that end before this word (or have empty offsets).
        while t < offsets.len() && (offsets[t].1 <= w.start || offsets[t].0 == offsets[t].1) && offsets[t].0 < w.end {
            t += 1;
        }
        let first = t;
        while t < offsets.len() && offsets[t].0 < w.end {
            t += 1;
        }
        first..t
    })
}

/// One sentence as the decoder reads it: its words and its tokens with their
/// label probabilities. All offsets are byte offsets into the same text.
#[derive(Debug, Clone, Copy)]
pub(crate) struct TaggedSentence<'a> {
    /// The sentence's words, in order ([`crate::text::Segmented`]).
    pub words: &'a [Range<usize>],
    /// Each token's byte range, in order.
    pub offsets: &'a [(usize, usize)],
    /// `offsets.len() × labels` probabilities, row per token.
    pub probs: &'a [f32],
}

impl Decoder<'_> {
    /// Appends the mentions of one sentence of `text` to `out`: a label per
    /// word, spans of words, text sliced from `text`.
    pub(crate) fn sentence(&self, text: &str, sentence: TaggedSentence<'_>, chars: &CharIndex, out: &mut Vec<Mention>) {
        let TaggedSentence { words, offsets, probs } = sentence;
        let (labels, aggregation, decoding) = (self.labels, self.aggregation, self.decoding);
        let n_labels = labels.len();
        if words.is_empty() {
            return;
        }
        // Per word: a label distribution, by the aggregation strategy.
        let outside_label = (0..n_labels).find(|&i| labels.tag(i).position == labels::Position::Outside).unwrap_or(0);
        let mut word_probs: Vec<f32> = vec![0f32; words.len() * n_labels];
        for (wi, Range { start: first, end: t }) in word_tokens(words, offsets).enumerate() {
            let dst = &mut word_probs[wi * n_labels..(wi + 1) * n_labels];
            if first == t {
                dst[outside_label] = 1.0; // no token (e.g. only characters the tokenizer drops)
                continue;
            }
            let row = |i: usize| &probs[i * n_labels..(i + 1) * n_labels];
            match aggregation {
                Aggregation::First => dst.copy_from_slice(row(first)),
                Aggregation::Max => {
                    let best =
                        (first..t).max_by(|&a, &b| argmax(row(a)).1.total_cmp(&argmax(row(b)).1)).unwrap_or(first);
                    dst.copy_from_slice(row(best));
                }
                Aggregation::Average => {
                    for i in first..t {
                        for (a, p) in dst.iter_mut().zip(row(i)) {
                            *a += p;
                        }
                    }
                    let n = (t - first) as f32;
                    dst.iter_mut().for_each(|a| *a /= n);
                }
            }
        }
        let chosen: Vec<usize> = if decoding == Decoding::Constrained {
            viterbi(&word_probs, labels)
        } else {
            word_probs.chunks(n_labels).map(|r| argmax(r).0).collect()
        };
        let word_labels: Vec<(usize, f32)> =
            chosen.iter().enumerate().map(|(wi, &l)| (l, word_probs[wi * n_labels + l])).collect();
        let tags = word_labels.iter().map(|(l, _)| labels.tag(*l));
        let from = out.len();
        for (s, e, label) in clean_spans(text, words, labels::spans(tags)) {
            let (start, end) = (words[s].start, words[e - 1].end);
            let (start, end) = if label == EntityKind::Misc { (start, end) } else { trim_compound(text, start, end) };
            let score = word_labels[s..e].iter().map(|(_, p)| p).sum::<f32>() / (e - s) as f32;
            out.push(Mention {
                text: text[start..end].to_string(),
                label,
                start,
                end,
                char_start: chars.char_of(start),
                char_end: chars.char_of(end),
                score,
            });
        }
        if let Some(lexicon) = self.lexicon {
            lexicon.apply(text, words, chars, out, from);
        }
    }
}

/// Word spans of entities made fit for real text, where punctuation is glued
/// to words and captions carry position markers:
/// - split at a bracket ("Ranyon ( Rangoon )");
/// - trim punctuation and possessive words (`'s`) off both ends ("Abe .",
///   "Modi (", "Acme Corp 's"), except a possessive glued to the end of an
///   organisation's name ("McDonald's", "Moody's");
/// - drop photo-caption markers: "L", "R", "C", "2nd L", "L-R" ... in brackets.
fn clean_spans(
    text: &str,
    words: &[Range<usize>],
    spans: Vec<(usize, usize, EntityKind)>,
) -> Vec<(usize, usize, EntityKind)> {
    let word = |i: usize| &text[words[i].clone()];
    let is_punct = |i: usize| !word(i).chars().any(char::is_alphanumeric);
    let splits = |i: usize| matches!(word(i), "(" | ")" | "[" | "]" | "{" | "}");
    let is_edge = |i: usize| is_punct(i) || crate::text::is_possessive(word(i));
    // Whether the sentence has capitals at all (a lower-cased text has none).
    let cased = (0..words.len()).any(|i| word(i).chars().any(char::is_uppercase));
    let mut out = Vec::with_capacity(spans.len());
    for (s, e, kind) in spans {
        let mut a = s;
        while a < e {
            let mut b = a;
            while b < e && !splits(b) {
                b += 1;
            }
            let (mut x, mut y) = (a, b);
            // Each trim can bare an edge another one removes ("Kerry 's aide"):
            // trim until nothing changes.
            loop {
                let before = (x, y);
                while x < y && is_edge(x) {
                    x += 1;
                }
                while y > x && is_edge(y - 1) {
                    // "McDonald's", "Moody's": a possessive glued to the last word of
                    // an organisation the model reads it in is part of the name
                    // (CoNLL-2003 tags "Moody 's" so); "Acme Corp 's unit" is not.
                    if kind == EntityKind::Organization
                        && y - 1 > x
                        && crate::text::is_possessive(word(y - 1))
                        && words[y - 2].end == words[y - 1].start
                        && !is_edge(y - 2)
                    {
                        break;
                    }
                    y -= 1;
                }
                // "flyhalf Taha Kemara", "Ayatollah Ali Khamenei": a title or (in
                // a cased sentence) a lower-case noun before a person's name is
                // outside it (CoNLL-2003).
                while kind == EntityKind::Person && y - x >= 2 && is_title_word(word(x), cased) {
                    x += 1;
                }
                // "Brothers of Italy party", "Blackwell series": in a cased
                // sentence, a lower-case common noun after a name is outside it.
                while cased && kind != EntityKind::Misc && y - x >= 2 && trailing_noun(word(y - 1)) {
                    y -= 1;
                }
                if (x, y) == before {
                    break;
                }
            }
            // "ombudsman" in a cased sentence, a lone "The": no name. A word of
            // a script without case ("习近平") is no lower-case word.
            let no_name = y - x == 1 && matches!(word(x), "The" | "A" | "An" | "THE")
                || (cased
                    && (x..y).all(|i| !word(i).chars().any(|c| c.is_uppercase() || c.is_ascii_digit()))
                    && (x..y).any(|i| word(i).chars().any(char::is_lowercase)));
            if x < y && !no_name && !caption_marker(text, words, x, y) {
                out.push((x, y, kind.clone()));
            }
            a = b + 1;
        }
    }
    out
}

/// Titles CoNLL-2003 leaves outside a person's name.
#[rustfmt::skip]
const TITLES: &[&str] = &[
    "Justice", "Judge", "Ayatollah", "Sultan", "Emir", "King", "Queen", "Pope", "Cardinal", "Archbishop", "Bishop",
    "President", "Premier", "Chancellor", "Minister", "Senator", "Sen.", "Rep.", "Gov.", "Governor", "Mayor",
    "General", "Gen.", "Col.", "Colonel", "Lt.", "Maj.", "Major", "Capt.", "Captain", "Sgt.", "Adm.",
    "Admiral", "Marshal", "Dr.", "Mr.", "Mrs.", "Ms.", "Rev.",
];

/// Particles that start a person's name in lower case ("de Gaulle", "van Gaal").
#[rustfmt::skip]
const NAME_PARTICLES: &[&str] = &[
    "de", "da", "di", "del", "della", "dos", "das", "du", "van", "von", "der", "den", "ter", "la", "le", "al", "el",
    "bin", "ibn", "ben", "bint", "zu", "y", "af", "op",
];

/// A title, or (in a cased sentence) a lower-case word that is no name
/// particle ("flyhalf", "chatbot"): words that do not start a person's name.
fn is_title_word(w: &str, cased: bool) -> bool {
    TITLES.contains(&w) || (cased && w.chars().all(|c| c.is_lowercase()) && !NAME_PARTICLES.contains(&w))
}

/// A lower-case word after a name that is no part of it: not an
/// institution's own noun ("Interior ministry", "Ekho Moskvy radio").
fn trailing_noun(w: &str) -> bool {
    w.chars().all(|c| c.is_lowercase())
        && !matches!(
            w,
            "ministry"
                | "radio"
                | "magazine"
                | "bureau"
                | "office"
                | "agency"
                | "coast"
                | "newspaper"
                | "daily"
                | "de"
                | "da"
                | "di"
        )
}

/// Whether words `s..e` sit inside brackets whose whole content is a photo
/// caption's position marker: "(L)", "(R)", "(C)", "(2nd L)", "(L-R)", "(top)".
fn caption_marker(text: &str, words: &[Range<usize>], s: usize, e: usize) -> bool {
    let word = |i: usize| &text[words[i].clone()];
    let open = (s.saturating_sub(3)..s).rev().find(|&i| word(i) == "(");
    let close = (e..(e + 3).min(words.len())).find(|&i| word(i) == ")");
    let (Some(open), Some(close)) = (open, close) else { return false };
    let inner: Vec<&str> = text[words[open].end..words[close].start].split_whitespace().collect();
    let place = |w: &str| {
        matches!(w, "L" | "R" | "C" | "L-R" | "R-L" | "top" | "bottom" | "centre" | "center" | "front" | "back")
    };
    let ordinal = |w: &str| {
        let digits = w.trim_end_matches(|c: char| c.is_ascii_alphabetic());
        !digits.is_empty()
            && digits.chars().all(|c| c.is_ascii_digit())
            && matches!(&w[digits.len()..], "st" | "nd" | "rd" | "th")
    };
    match inner.as_slice() {
        [w] => place(w),
        [n, w] => ordinal(n) && place(w),
        _ => false,
    }
}

/// English words that follow a name in a hyphenated compound ("European
/// Union-brokered", "Saudi-led", "Kremlin-backed").
#[rustfmt::skip]
const COMPOUND_SUFFIXES: &[&str] = &[
    "led", "backed", "based", "brokered", "owned", "run", "controlled", "funded", "sponsored", "allied", "linked",
    "held", "occupied", "dominated", "born", "made", "speaking", "style", "era", "friendly", "affiliated",
    "aligned", "appointed", "installed", "supported", "armed", "inspired", "trained", "imposed", "proposed",
    "drafted", "mediated", "hosted", "annexed", "designated", "listed", "registered", "flagged", "focused",
    "operated", "built", "administered", "ruled", "headquartered", "financed", "organised", "organized",
];

/// Lower-case prefixes joined to a name ("pro-Western", "anti-Kremlin", "ex-Soviet").
const COMPOUND_PREFIXES: &[&str] = &["pro", "anti", "ex", "non", "post", "pre", "neo", "pan", "mid"];

/// Cuts a compound affix off a person, organisation or place name. Words
/// follow CoNLL, where "U.S.-led" is one word (tagged MISC as a whole); when
/// the model runs a name into such a word ("European Union-brokered" as ORG),
/// the name is the part before "-brokered". Returns the (possibly) narrower
/// byte range; never an empty one.
fn trim_compound(text: &str, start: usize, end: usize) -> (usize, usize) {
    let s = &text[start..end];
    let has_name = |part: &str| part.chars().any(char::is_alphanumeric);
    let mut b = s.len();
    if let Some(h) = s.rfind('-') {
        if COMPOUND_SUFFIXES.contains(&&s[h + 1..]) && has_name(&s[..h]) {
            b = h;
        }
    }
    let mut a = 0;
    if let Some(h) = s[..b].find('-') {
        if COMPOUND_PREFIXES.contains(&&s[..h]) && has_name(&s[h + 1..b]) {
            a = h + 1;
        }
    }
    (start + a, start + b)
}

/// Whether tag `b` may follow tag `a` in a well-formed BIO / BIOES sequence
/// (`a` = `None` at the start of a sentence).
fn allowed(a: Option<&labels::Tag>, b: &labels::Tag) -> bool {
    use labels::Position::*;
    let continues = matches!(b.position, Inside | End);
    let open = a.is_some_and(|a| matches!(a.position, Begin | Inside) && a.kind == b.kind);
    if continues {
        return open;
    }
    // A new tag may not leave a BIOES entity open (B-/I- must end with E-/I-...).
    true
}

/// The most probable well-formed tag sequence (log-probability sum): an
/// `I-X` only continues a `B-X` or `I-X`. Words are rows of `probs`.
pub(crate) fn viterbi(probs: &[f32], labels: &LabelSet) -> Vec<usize> {
    let n = labels.len();
    let words = probs.len() / n;
    if words == 0 {
        return Vec::new();
    }
    let lp = |w: usize, l: usize| probs[w * n + l].max(1e-12).ln();
    let mut score: Vec<f32> =
        (0..n).map(|l| if allowed(None, labels.tag(l)) { lp(0, l) } else { f32::NEG_INFINITY }).collect();
    let mut back: Vec<usize> = vec![0; words * n];
    let mut next = vec![0f32; n];
    for w in 1..words {
        for l in 0..n {
            let tag = labels.tag(l);
            let mut best = (f32::NEG_INFINITY, 0usize);
            for (p, &sp) in score.iter().enumerate() {
                if sp > best.0 && allowed(Some(labels.tag(p)), tag) {
                    best = (sp, p);
                }
            }
            next[l] = best.0 + lp(w, l);
            back[w * n + l] = best.1;
        }
        std::mem::swap(&mut score, &mut next);
    }
    let mut l = (0..n).max_by(|&a, &b| score[a].total_cmp(&score[b])).unwrap_or(0);
    let mut path = vec![0; words];
    for w in (0..words).rev() {
        path[w] = l;
        l = back[w * n + l];
    }
    path
}

fn argmax(row: &[f32]) -> (usize, f32) {
    let mut best = (0usize, f32::MIN);
    for (i, &p) in row.iter().enumerate() {
        if p > best.1 {
            best = (i, p);
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn labels() -> LabelSet {
        let names: Vec<String> = ["O", "B-PER", "I-PER", "B-LOC", "I-LOC"].iter().map(|s| s.to_string()).collect();
        LabelSet::parse(&names, Path::new("t")).unwrap()
    }

    fn one_hot(l: usize, p: f32) -> Vec<f32> {
        let mut v = vec![(1.0 - p) / 4.0; 5];
        v[l] = p;
        v
    }

    /// Decodes `text` as one sentence with the given token offsets and probabilities.
    fn decode(
        text: &str,
        offs: &[(usize, usize)],
        probs: &[f32],
        ls: &LabelSet,
        agg: Aggregation,
        dec: Decoding,
    ) -> Vec<Mention> {
        let words = crate::text::words(text, 0..text.len());
        let decoder = Decoder { labels: ls, aggregation: agg, decoding: dec, lexicon: None };
        let mut out = Vec::new();
        decoder.sentence(text, TaggedSentence { words: &words, offsets: offs, probs }, &CharIndex::new(text), &mut out);
        out
    }

    #[test]
    fn aggregates_sub_words() {
        // "Garcia-Margallo in Rome": tokens garcia - mar ##gall ##o in rome
        let text = "Garcia-Margallo in Rome";
        let offs = [(0, 6), (6, 7), (7, 10), (10, 14), (14, 15), (16, 18), (19, 23)];
        let mut probs = Vec::new();
        for (l, p) in [(1, 0.9), (0, 0.6), (2, 0.8), (2, 0.7), (2, 0.9), (0, 0.99), (3, 0.95)] {
            probs.extend(one_hot(l, p));
        }
        for agg in [Aggregation::First, Aggregation::Average, Aggregation::Max] {
            let out = decode(text, &offs, &probs, &labels(), agg, Decoding::Greedy);
            let got: Vec<(&str, &str)> = out.iter().map(|e| (e.text.as_str(), e.label.as_str())).collect();
            assert_eq!(got, vec![("Garcia-Margallo", "PER"), ("Rome", "LOC")], "{agg:?}");
            assert_eq!(&text[out[0].start..out[0].end], out[0].text);
        }
        // Score is the mean of word scores: with `first`, (0.9 + 0.95)/2 over two entities of one word each.
        let out = decode(text, &offs, &probs, &labels(), Aggregation::First, Decoding::Greedy);
        assert!((out[0].score - 0.9).abs() < 1e-6 && (out[1].score - 0.95).abs() < 1e-6);
    }

    #[test]
    fn score_is_mean_not_product() {
        let text = "Jose Manuel Garcia";
        let offs = [(0, 4), (5, 11), (12, 18)];
        let mut probs = one_hot(1, 0.8);
        probs.extend(one_hot(2, 0.8));
        probs.extend(one_hot(2, 0.8));
        let out = decode(text, &offs, &probs, &labels(), Aggregation::First, Decoding::Greedy);
        assert_eq!(out.len(), 1);
        assert!((out[0].score - 0.8).abs() < 1e-6);
    }

    #[test]
    fn constrained_decoding_forbids_orphan_inside_tags() {
        // "Garcia Margallo": greedy reads O I-PER (repaired to a one-word entity);
        // Viterbi prefers B-PER I-PER when that sequence is more probable overall.
        let ls = labels();
        let mut probs = vec![0.50, 0.45, 0.05, 0.0, 0.0]; // word 1: O 0.50, B-PER 0.45
        probs.extend([0.05, 0.05, 0.90, 0.0, 0.0]); // word 2: I-PER 0.90
        assert_eq!(viterbi(&probs, &ls), vec![1, 2]);
        // A sentence-initial I- is impossible: it becomes the best allowed tag.
        assert_eq!(viterbi(&[0.1, 0.2, 0.7, 0.0, 0.0], &ls), vec![1]);
        assert!(viterbi(&[], &ls).is_empty());
        let text = "Garcia Margallo";
        let offs = [(0, 6), (7, 15)];
        let greedy = decode(text, &offs, &probs, &ls, Aggregation::First, Decoding::Greedy);
        let viterbi_out = decode(text, &offs, &probs, &ls, Aggregation::First, Decoding::Constrained);
        assert_eq!(greedy.iter().map(|e| e.text.as_str()).collect::<Vec<_>>(), vec!["Margallo"]);
        assert_eq!(viterbi_out.iter().map(|e| e.text.as_str()).collect::<Vec<_>>(), vec!["Garcia Margallo"]);
    }

    /// Punctuation and possessives never start or end an entity, brackets and
    /// slashes split one, and caption markers are not entities.
    #[test]
    fn spans_fit_real_text() {
        let t = "Baz Ratner ( REUTERS ) said Acme Corp 's unit ( R ) met Modi ( 2nd L ) at Procter & Gamble .";
        let words = crate::text::words(t, 0..t.len());
        let span = |a: &str| {
            let i = words.iter().position(|w| &t[w.clone()] == a).unwrap();
            i
        };
        let org = EntityKind::Organization;
        let all = vec![
            (span("Baz"), span(")") + 1, org.clone()),
            (span("Acme"), span("'s") + 1, org.clone()),
            (span("R"), span("R") + 1, EntityKind::Location),
            (span("Modi"), span("Modi") + 2, EntityKind::Person),
            (span("2nd"), span("L") + 1, EntityKind::Location),
            (span("Procter"), words.len(), org.clone()),
        ];
        let got: Vec<&str> =
            clean_spans(t, &words, all).into_iter().map(|(s, e, _)| &t[words[s].start..words[e - 1].end]).collect();
        assert_eq!(got, ["Baz Ratner", "REUTERS", "Acme Corp", "Modi", "Procter & Gamble"]);
        // Found by the soak: a run of possessives after a name is trimmed off.
        let t = "the IMF 's's's";
        let words = crate::text::words(t, 0..t.len());
        let spans = vec![(1, 4, EntityKind::Organization)];
        let got: Vec<&str> =
            clean_spans(t, &words, spans).into_iter().map(|(s, e, _)| &t[words[s].start..words[e - 1].end]).collect();
        assert_eq!(got, ["IMF"]);
        // A possessive glued to an organisation's name stays when the model reads it
        // in the name; a person's or place's never does.
        let t = "McDonald's and Kerry's";
        let words = crate::text::words(t, 0..t.len());
        let spans = vec![(0, 2, EntityKind::Organization), (3, 5, EntityKind::Person)];
        let got: Vec<&str> =
            clean_spans(t, &words, spans).into_iter().map(|(s, e, _)| &t[words[s].start..words[e - 1].end]).collect();
        assert_eq!(got, ["McDonald's", "Kerry"]);
    }

    /// Cleans `spans` (word index ranges with types) of `t` and returns their texts.
    fn cleaned(t: &str, spans: &[(&str, &str, EntityKind)]) -> Vec<String> {
        let words = crate::text::words(t, 0..t.len());
        let at = |w: &str| words.iter().position(|r| &t[r.clone()] == w).unwrap();
        let spans = spans.iter().map(|(a, b, k)| (at(a), at(b) + 1, k.clone())).collect();
        clean_spans(t, &words, spans)
            .into_iter()
            .map(|(s, e, _)| t[words[s].start..words[e - 1].end].to_string())
            .collect()
    }

    #[test]
    fn titles_and_common_nouns_are_outside_names() {
        let (per, org, misc) = (EntityKind::Person, EntityKind::Organization, EntityKind::Misc);
        let t = "flyhalf Taha Kemara met Ayatollah Ali Khamenei and Col. Assimi Goita of the Brothers of Italy party";
        let got = cleaned(
            t,
            &[
                ("flyhalf", "Kemara", per.clone()),
                ("Ayatollah", "Khamenei", per.clone()),
                ("Col.", "Goita", per.clone()),
                ("Brothers", "party", org.clone()),
            ],
        );
        assert_eq!(got, ["Taha Kemara", "Ali Khamenei", "Assimi Goita", "Brothers of Italy"]);
        // Name particles stay; a lone word is never emptied; MISC keeps its
        // lower-case words ("Chinese New Year holiday" is CoNLL's call); an
        // institution's own noun stays ("Interior ministry").
        let t = "de Gaulle and al-Sharaa met President and the Interior ministry for World Cup qualifying";
        let got = cleaned(
            t,
            &[
                ("de", "Gaulle", per.clone()),
                ("al-Sharaa", "al-Sharaa", per.clone()),
                ("President", "President", per.clone()),
                ("Interior", "ministry", org.clone()),
                ("World", "qualifying", misc.clone()),
            ],
        );
        assert_eq!(got, ["de Gaulle", "al-Sharaa", "President", "Interior ministry", "World Cup qualifying"]);
        // A lone "The" and a lower-case word in a cased sentence are no names;
        // in a lower-cased text a name may be lower case.
        let t = "The Thunder and the ombudsman met";
        let got = cleaned(
            t,
            &[
                ("The", "The", org.clone()),
                ("Thunder", "Thunder", org.clone()),
                ("ombudsman", "ombudsman", org.clone()),
            ],
        );
        assert_eq!(got, ["Thunder"]);
        // In a lower-cased text nothing is trimmed for being lower case.
        let t = "john kerry met the european union in new york";
        let got = cleaned(
            t,
            &[
                ("john", "kerry", per.clone()),
                ("european", "union", org.clone()),
                ("new", "york", EntityKind::Location),
            ],
        );
        assert_eq!(got, ["john kerry", "european union", "new york"]);
        // A trim that bares a possessive trims it too; a caseless script stays.
        let t = "Minister Kerry 's aide met 习近平 in Beijing";
        let got = cleaned(t, &[("Minister", "'s", per.clone()), ("习近平", "习近平", per.clone())]);
        assert_eq!(got, ["Kerry", "习近平"]);
    }

    #[test]
    fn compound_affixes_are_cut_off_names() {
        fn cut(t: &str) -> &str {
            let (a, b) = trim_compound(t, 0, t.len());
            &t[a..b]
        }
        assert_eq!(cut("European Union-brokered"), "European Union");
        assert_eq!(cut("Saudi-led"), "Saudi");
        assert_eq!(cut("U.S.-backed"), "U.S.");
        assert_eq!(cut("pro-Kremlin"), "Kremlin");
        assert_eq!(cut("ex-Soviet-backed"), "Soviet");
        // Names with hyphens stay whole.
        for name in ["Ban Ki-moon", "Garcia-Margallo", "Al-Qaeda", "Kim Jong-un", "Bashar al-Assad", "-led", "pro-"] {
            assert_eq!(cut(name), name);
        }
    }
}
