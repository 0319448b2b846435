//! Names whose entity type is known: a lexicon that corrects the model's
//! spans and types where it finds a listed name.

use std::collections::HashMap;
use std::ops::Range;

use crate::document::{EntityKind, Mention};
use crate::error::{Error, Result};
use crate::text::CharIndex;

/// The lexicon newsie ships, `rules/lexicon.tsv`: armed groups, parties,
/// international bodies, companies and products (see [`Lexicon::builtin`]).
const BUILTIN: &str = include_str!("../../rules/lexicon.tsv");

/// A list of names with the entity type each one has, applied after the model
/// has tagged a sentence.
///
/// Where a listed name occurs in the text (whole words, case as listed, or in
/// capitals in an all-caps word) and the model tagged at least one of its
/// words as part of an entity, the mentions that lie inside the name become
/// one mention of the whole name with the listed type. A model mention that
/// reaches past the name is left as it is (the model read a longer name), and
/// a listed name the model did not tag at all stays untagged (the words may
/// not be a name there). So the lexicon mends split names ("Tehrik-e-Taliban" |
/// "Pakistan") and types (an armed group read as MISC, a company read as a
/// person), and never adds an entity the model did not see.
///
/// ```
/// use newsie::{EntityKind, Lexicon};
/// let mut lex = Lexicon::default();
/// lex.insert("Hayat Tahrir al-Sham", EntityKind::Organization);
/// assert_eq!(lex.len(), 1);
/// let lex = Lexicon::parse("ORG\tArab League\n# comment\nLOC\tCox's Bazar\n").unwrap();
/// assert_eq!(lex.len(), 2);
/// ```
#[derive(Clone, Default)]
pub struct Lexicon {
    entries: Vec<Entry>,
    /// Indices of `entries` by their first word as listed and in capitals (the
    /// two forms [`same`] accepts), so a word is looked up as it stands;
    /// longest entry first.
    by_first: HashMap<String, Vec<usize>>,
}

/// The size, not the thousands of names of the built-in list (an extractor's
/// `Debug` prints it).
impl std::fmt::Debug for Lexicon {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lexicon").field("names", &self.len()).finish_non_exhaustive()
    }
}

#[derive(Debug, Clone)]
struct Entry {
    words: Vec<String>,
    /// `words` in capitals, for all-caps text.
    upper: Vec<String>,
    /// The type; `None` for words that are no name ("AI", "GDP").
    kind: Option<EntityKind>,
}

impl Lexicon {
    /// The lexicon newsie ships (`rules/lexicon.tsv`), used by default: armed
    /// groups, parties and movements, international bodies and agencies,
    /// companies, media, clubs and sports bodies (ORG), and products, brands,
    /// models and named weapons (MISC, as CoNLL-2003 types them), written for
    /// the project (the organisation lists and `misc_products.txt` of
    /// `training/names/`, without names that are also listed with another
    /// type, or that CoNLL-2003 types otherwise).
    pub fn builtin() -> Lexicon {
        static BUILT: std::sync::OnceLock<Lexicon> = std::sync::OnceLock::new();
        BUILT.get_or_init(|| Lexicon::parse(BUILTIN).expect("the built-in lexicon parses")).clone()
    }

    /// A lexicon from tab-separated lines `TYPE<TAB>name` (types as the
    /// model's labels: `PER`, `ORG`, `LOC`, `MISC`, or another label name;
    /// `O` for words that are no name, see [`Lexicon::insert_not_a_name`]).
    /// Empty lines and lines starting with `#` are skipped.
    ///
    /// # Errors
    /// [`Error::Config`] for a line without a tab, or with an empty type or name.
    pub fn parse(text: &str) -> Result<Lexicon> {
        let mut lex = Lexicon::default();
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        for (n, line) in text.lines().enumerate() {
            let line = line.trim_end_matches('\r');
            if line.trim().is_empty() || line.trim_start().starts_with('#') {
                continue;
            }
            let Some((kind, name)) = line.split_once('\t') else {
                return Err(Error::Config(format!("lexicon line {}: expected TYPE<TAB>name, got {line:?}", n + 1)));
            };
            let (kind, name) = (kind.trim(), name.trim());
            if kind.is_empty() || name.is_empty() {
                return Err(Error::Config(format!("lexicon line {}: empty type or name in {line:?}", n + 1)));
            }
            match kind {
                "O" | "o" => lex.add(name, None),
                _ => lex.add(name, Some(EntityKind::from_label(kind))),
            }
        }
        Ok(lex)
    }

    /// Reads [`Lexicon::parse`]'s format from a file.
    ///
    /// # Errors
    /// [`Error::Io`] if the file cannot be read; as [`Lexicon::parse`].
    pub fn from_path(path: impl AsRef<std::path::Path>) -> Result<Lexicon> {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path).map_err(|source| Error::Io { path: path.to_path_buf(), source })?;
        Lexicon::parse(&text)
    }

    /// Adds a name with its type; a name listed again takes the new type. A
    /// name without words (only spaces) is ignored.
    pub fn insert(&mut self, name: &str, kind: EntityKind) {
        self.add(name, Some(kind));
    }

    /// Lists words that are no name, whatever the model says: a mention that
    /// is exactly these words is dropped ("AI", "EV" in today's news).
    pub fn insert_not_a_name(&mut self, words: &str) {
        self.add(words, None);
    }

    fn add(&mut self, name: &str, kind: Option<EntityKind>) {
        let words: Vec<String> =
            crate::text::words(name, 0..name.len()).into_iter().map(|r| name[r].to_string()).collect();
        let Some(first) = words.first().cloned() else { return };
        let known = self.by_first.get(&first).and_then(|list| list.iter().find(|&&j| self.entries[j].words == words));
        if let Some(&j) = known {
            self.entries[j].kind = kind;
            return;
        }
        let upper = words.iter().map(|w| w.to_uppercase()).collect::<Vec<_>>();
        let keys = if upper[0] == first { vec![first] } else { vec![first, upper[0].clone()] };
        let j = self.entries.len();
        self.entries.push(Entry { words, upper, kind });
        for key in keys {
            let list = self.by_first.entry(key).or_default();
            list.push(j);
            list.sort_by_key(|&j| std::cmp::Reverse(self.entries[j].words.len()));
        }
    }

    /// The number of names.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the lexicon lists no name.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The longest entry that starts at word `i` of `words`, and its length in words.
    fn longest_at(&self, text: &str, words: &[Range<usize>], i: usize) -> Option<(&Entry, usize)> {
        let first = text.get(words[i].clone())?;
        let candidates = self.by_first.get(first)?;
        candidates
            .iter()
            .map(|&j| &self.entries[j])
            .find(|e| {
                i + e.words.len() <= words.len()
                    && (0..e.words.len())
                        .all(|k| text.get(words[i + k].clone()).is_some_and(|t| same(t, &e.words[k], &e.upper[k])))
            })
            .map(|e| (e, e.words.len()))
    }

    /// Applies the lexicon to the mentions of one sentence, `mentions[from..]`
    /// (in text order, not overlapping), whose words are `words`. Linear in
    /// the words and mentions; the mentions are only moved when a listed name
    /// changes one.
    pub(crate) fn apply(
        &self,
        text: &str,
        words: &[Range<usize>],
        chars: &CharIndex,
        mentions: &mut Vec<Mention>,
        from: usize,
    ) {
        let Some(ms) = mentions.get(from..).filter(|ms| !ms.is_empty() && !self.is_empty()) else { return };
        // Ranges of `ms` in order, each with what takes its place (None: nothing).
        let mut edits: Vec<(Range<usize>, Option<Mention>)> = Vec::new();
        let mut next = 0; // the first mention of `ms` not yet passed
        let mut i = 0;
        while i < words.len() {
            let Some((entry, n)) = self.longest_at(text, words, i) else {
                i += 1;
                continue;
            };
            let (a, b) = (words[i].start, words[i + n - 1].end);
            i += n;
            while next < ms.len() && ms[next].end <= a {
                next += 1;
            }
            let inside = next..ms[next..].iter().position(|m| m.start >= b).map_or(ms.len(), |p| next + p);
            let Some(first) = ms.get(inside.clone()).and_then(<[Mention]>::first) else { continue };
            if ms[inside.clone()].iter().any(|m| m.start < a || m.end > b) {
                continue; // the model read a name past the listed one
            }
            let exact = inside.len() == 1 && first.start == a && first.end == b;
            let replacement = match &entry.kind {
                None if exact => None, // no name: dropped
                None => continue,
                Some(kind) if exact && first.label == *kind => continue,
                Some(kind) => Some(Mention {
                    text: text[a..b].to_string(),
                    label: kind.clone(),
                    start: a,
                    end: b,
                    char_start: chars.char_of(a),
                    char_end: chars.char_of(b),
                    score: ms[inside.clone()].iter().map(|m| m.score).sum::<f32>() / inside.len() as f32,
                }),
            };
            next = inside.end;
            edits.push((inside, replacement));
        }
        if edits.is_empty() {
            return;
        }
        let old = mentions.split_off(from);
        let mut edits = edits.into_iter().peekable();
        for (k, m) in old.into_iter().enumerate() {
            match edits.peek() {
                Some((r, _)) if r.contains(&k) => {
                    if k + 1 == r.end {
                        mentions.extend(edits.next().and_then(|(_, rep)| rep));
                    }
                }
                _ => mentions.push(m),
            }
        }
    }
}

/// A word of the text against a listed word: equal, or the text's word has
/// letters, none in lower case, and equals the listed word in capitals
/// ("PETRONAS", the "'S" of "COX'S BAZAR").
fn same(text_word: &str, listed: &str, listed_upper: &str) -> bool {
    text_word == listed
        || (text_word.chars().any(char::is_alphabetic)
            && !text_word.chars().any(char::is_lowercase)
            && text_word == listed_upper)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Applies `lex` to `t` with the model's mentions `model` (text, type), in
    /// order; returns the mentions as (text, type).
    fn apply(lex: &Lexicon, t: &str, model: &[(&str, &str)]) -> Vec<(String, String)> {
        let words = crate::text::words(t, 0..t.len());
        let mut pos = 0;
        let mut ms: Vec<Mention> = model
            .iter()
            .map(|(m, k)| {
                let start = pos + t[pos..].find(m).unwrap();
                pos = start + m.len();
                Mention {
                    text: m.to_string(),
                    label: EntityKind::from_label(k),
                    start,
                    end: pos,
                    char_start: start,
                    char_end: pos,
                    score: 0.8,
                }
            })
            .collect();
        lex.apply(t, &words, &CharIndex::new(t), &mut ms, 0);
        for m in &ms {
            assert_eq!(&t[m.start..m.end], m.text);
        }
        ms.into_iter().map(|m| (m.text, m.label.as_str().to_string())).collect()
    }

    fn pairs(v: &[(&str, &str)]) -> Vec<(String, String)> {
        v.iter().map(|(a, b)| (a.to_string(), b.to_string())).collect()
    }

    fn lexicon() -> Lexicon {
        Lexicon::parse(
            "ORG\tTehrik-e-Taliban Pakistan\nORG\tArab League\nORG\tPetronas\nORG\tBank of America\nO\tAI\n\
             ORG\tHamas\n",
        )
        .unwrap()
    }

    #[test]
    fn mends_split_names_and_types_where_the_model_sees_a_name() {
        let lex = lexicon();
        let t = "Pakistan blamed the Tehrik-e-Taliban Pakistan (TTP) and the Arab League chief met Petronas.";
        let got = apply(
            &lex,
            t,
            &[
                ("Pakistan", "LOC"),
                ("Tehrik-e-Taliban", "ORG"),
                ("Pakistan", "LOC"),
                ("TTP", "ORG"),
                ("Arab League", "MISC"),
                ("Petronas", "PER"),
            ],
        );
        let want = [
            ("Pakistan", "LOC"),
            ("Tehrik-e-Taliban Pakistan", "ORG"),
            ("TTP", "ORG"),
            ("Arab League", "ORG"),
            ("Petronas", "ORG"),
        ];
        assert_eq!(got, pairs(&want));
    }

    #[test]
    fn never_adds_shortens_or_stretches_past_the_model() {
        let lex = lexicon();
        // Untagged words stay untagged; a longer name the model read stays whole.
        let t = "Hamas said Bank of America Merrill Lynch and AI firms grew.";
        let got = apply(&lex, t, &[("Bank of America Merrill Lynch", "ORG")]);
        assert_eq!(got, pairs(&[("Bank of America Merrill Lynch", "ORG")]));
        // A model span that crosses the listed name's edge is left alone.
        let t = "the Arab League summit";
        assert_eq!(apply(&lex, t, &[("League summit", "MISC")]), pairs(&[("League summit", "MISC")]));
    }

    #[test]
    fn words_that_are_no_name_are_dropped_only_when_alone() {
        let lex = lexicon();
        let t = "AI stocks rose and the AI Act passed.";
        let got = apply(&lex, t, &[("AI", "ORG"), ("AI Act", "MISC")]);
        assert_eq!(got, pairs(&[("AI Act", "MISC")]));
    }

    #[test]
    fn capitals_match_in_all_caps_words_only() {
        let lex = lexicon();
        let t = "PETRONAS TO DRILL; Petronas. petronas";
        let got = apply(&lex, t, &[("PETRONAS", "PER"), ("Petronas", "PER"), ("petronas", "PER")]);
        assert_eq!(got, pairs(&[("PETRONAS", "ORG"), ("Petronas", "ORG"), ("petronas", "PER")]));
    }

    #[test]
    fn merged_mentions_have_char_offsets_and_capitals_match_possessives() {
        let lex = Lexicon::parse("ORG\tZoë Holdings Group\nLOC\tCox's Bazar\n").unwrap();
        let t = "Ünal of Zoë Holdings Group flew to COX'S BAZAR.";
        let words = crate::text::words(t, 0..t.len());
        let chars = CharIndex::new(t);
        let mention = |s: &str, k: &str| {
            let start = t.find(s).unwrap();
            let end = start + s.len();
            let (char_start, char_end) = (chars.char_of(start), chars.char_of(end));
            Mention { text: s.into(), label: EntityKind::from_label(k), start, end, char_start, char_end, score: 0.8 }
        };
        let mut ms = vec![
            mention("Ünal", "PER"),
            mention("Zoë", "PER"),
            mention("Holdings Group", "ORG"),
            mention("COX", "LOC"),
        ];
        // The decoder asked for the last mention's offsets before the lexicon
        // runs; the merged ones lie behind them.
        lex.apply(t, &words, &chars, &mut ms, 0);
        let got: Vec<(&str, usize, usize)> = ms.iter().map(|m| (m.text.as_str(), m.char_start, m.char_end)).collect();
        let at = |s: &str| {
            let b = t.find(s).unwrap();
            (t[..b].chars().count(), t[..b + s.len()].chars().count())
        };
        let want: Vec<(&str, usize, usize)> =
            ["Ünal", "Zoë Holdings Group", "COX'S BAZAR"].iter().map(|s| (*s, at(s).0, at(s).1)).collect();
        assert_eq!(got, want);
        assert_eq!(ms[2].label, EntityKind::Location);
    }

    #[test]
    fn parse_errors_name_the_line() {
        let err = Lexicon::parse("ORG\tHamas\nno tab here\n").unwrap_err().to_string();
        assert!(err.contains("line 2") && err.contains("TYPE<TAB>name"), "{err}");
        let err = Lexicon::parse("ORG\t  \n").unwrap_err().to_string();
        assert!(err.contains("line 1") && err.contains("empty"), "{err}");
        assert!(Lexicon::from_path("/no/such/lexicon.tsv").is_err());
        // A byte-order mark, an indented comment and a lower-case `o` are fine.
        let lex = Lexicon::parse("\u{feff}ORG\tHamas\n  # note\no\tAI\n").unwrap();
        assert_eq!(apply(&lex, "Hamas and AI", &[("Hamas", "PER"), ("AI", "ORG")]), pairs(&[("Hamas", "ORG")]));
        // Relisting a name changes its type, not the count.
        let mut lex = Lexicon::parse("# c\n\nMISC\tHouthi\n").unwrap();
        lex.insert("Houthi", EntityKind::Organization);
        assert_eq!(lex.len(), 1);
        assert!(Lexicon::builtin().len() > 1000);
        assert_eq!(format!("{:?}", Lexicon::parse("ORG\tHamas\n").unwrap()), "Lexicon { names: 1, .. }");
        assert!(Lexicon::default().is_empty());
    }
}
