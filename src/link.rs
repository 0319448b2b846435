//! Stage 5, linking: mentions of one entity ("John Kerry", "Kerry") get one
//! canonical id inside a document.
//!
//! In: the document's [`Mention`]s in text order. Out: the same mentions as
//! [`Entity`]s with ids `0..` in order of first mention. Reads only the
//! mentions' text and labels, never the model.

use std::collections::{HashMap, HashSet};

use crate::document::{Entity, EntityKind, Mention};

/// Normalised name tokens: lower case, no leading "the", no trailing possessive,
/// no Arabic-style article prefix on the last name ("al-Assad" -> "assad").
fn name_tokens(s: &str) -> Vec<String> {
    let lower = s.to_lowercase().replace('\u{2019}', "'");
    let mut toks: Vec<String> = lower
        .split(|c: char| c.is_whitespace())
        .map(|t| t.trim_matches(|c: char| !c.is_alphanumeric() && c != '.' && c != '-').to_string())
        .filter(|t| !t.is_empty())
        .collect();
    if toks.first().is_some_and(|t| t == "the") {
        toks.remove(0);
    }
    if let Some(last) = toks.last_mut() {
        if let Some(x) = last.strip_suffix("'s") {
            *last = x.to_string();
        }
    }
    toks.retain(|t| !t.is_empty());
    toks
}

fn strip_article(t: &str) -> &str {
    for p in ["al-", "el-", "bin-", "ibn-"] {
        if let Some(r) = t.strip_prefix(p) {
            if !r.is_empty() {
                return r;
            }
        }
    }
    t
}

/// Initials of the capitalised content words: "European Union" -> "eu".
fn initials(s: &str) -> String {
    s.split_whitespace()
        .filter(|w| !matches!(w.to_lowercase().as_str(), "of" | "the" | "and" | "for" | "&"))
        .filter_map(|w| w.chars().next())
        .filter(|c| c.is_uppercase())
        .flat_map(|c| c.to_lowercase())
        .collect()
}

/// An acronym form: "EU", "U.N.", "U.S." -> "eu", "un", "us"; None if not all capitals.
fn acronym(s: &str) -> Option<String> {
    let t = s.trim();
    let letters: String = t.chars().filter(|c| *c != '.').collect();
    if letters.len() >= 2 && letters.len() <= 6 && letters.chars().all(|c| c.is_uppercase()) {
        Some(letters.to_lowercase())
    } else {
        None
    }
}

fn compatible(a: &EntityKind, b: &EntityKind) -> bool {
    a == b
        || matches!(
            (a, b),
            (EntityKind::Location, EntityKind::Organization) | (EntityKind::Organization, EntityKind::Location)
        )
}

struct Cluster {
    kind: EntityKind,
    /// Normalised token lists of its mentions (each once).
    forms: HashSet<Vec<String>>,
    /// Raw texts of its mentions (each once).
    raw: HashSet<String>,
    /// The keys this cluster is indexed under.
    keys: HashSet<Key>,
    last_seen: usize,
}

/// What a cluster is indexed under: every match `link_fuzzy` (or an exact
/// one) can make between a mention and a cluster shares one of these keys.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    /// A normalised form, whole.
    Form(Vec<String>),
    /// The last name without "al-" (`person_match` needs it equal).
    LastName(String),
    /// The last token (a trailing part ends the longer form).
    LastToken(String),
    /// The initials of a name of two or more words ("European Union" → "eu").
    Initials(String),
    /// An acronym form ("EU", "U.N." → "un").
    Acronym(String),
}

/// The keys a mention's form `toks` and `text` put its cluster under.
fn stored_keys(toks: &[String], text: &str) -> Vec<Key> {
    let mut keys = Vec::new();
    if let Some(last) = toks.last() {
        keys.push(Key::Form(toks.to_vec()));
        keys.push(Key::LastName(strip_article(last).to_string()));
        keys.push(Key::LastToken(last.clone()));
    }
    if text.split_whitespace().count() >= 2 {
        keys.push(Key::Initials(initials(text)));
    }
    if let Some(ac) = acronym(text) {
        keys.push(Key::Acronym(ac));
    }
    keys
}

/// The keys under which a mention looks for clusters to join by a fuzzy
/// match: its last name and last token, and its acronym against stored
/// initials and its initials against stored acronyms.
fn fuzzy_query_keys(toks: &[String], text: &str) -> Vec<Key> {
    let mut keys = Vec::new();
    if let Some(last) = toks.last() {
        keys.push(Key::LastName(strip_article(last).to_string()));
        keys.push(Key::LastToken(last.clone()));
    }
    if let Some(ac) = acronym(text) {
        keys.push(Key::Initials(ac));
    }
    if text.split_whitespace().count() >= 2 {
        keys.push(Key::Acronym(initials(text)));
    }
    keys
}

/// Clusters by the keys a mention can match them on, so that each mention
/// looks only at clusters it could join (linking stays linear in the number of
/// mentions, however many there are).
#[derive(Default)]
struct Index {
    clusters: Vec<Cluster>,
    by_key: HashMap<Key, Vec<usize>>,
}

impl Index {
    /// Adds a mention's form and text to cluster `ci`, and the cluster to the
    /// keys they give.
    fn add(&mut self, ci: usize, toks: Vec<String>, text: &str) {
        let keys = stored_keys(&toks, text);
        let c = &mut self.clusters[ci];
        c.forms.insert(toks);
        c.raw.insert(text.to_string());
        for k in keys {
            if c.keys.insert(k.clone()) {
                self.by_key.entry(k).or_default().push(ci);
            }
        }
    }

    fn get(&self, key: &Key) -> &[usize] {
        self.by_key.get(key).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The most recently seen cluster among `candidates` that `accept`s.
    fn best(&self, candidates: impl Iterator<Item = usize>, accept: impl Fn(&Cluster) -> bool) -> Option<usize> {
        let mut best: Option<(usize, usize)> = None;
        for ci in candidates {
            let c = &self.clusters[ci];
            if accept(c) && best.is_none_or(|(_, ls)| c.last_seen > ls) {
                best = Some((ci, c.last_seen));
            }
        }
        best.map(|b| b.0)
    }
}

/// Gives each mention its canonical entity id ([`Entity::entity_id`], 0.. in
/// order of first mention).
///
/// - Mentions with the same normalised text and compatible types (same type, or
///   ORG/LOC) share an id.
/// - Person names link by last name: "Kerry" and "John Kerry" share an id, and so
///   do "Assad" and "Bashar al-Assad"; "Kim" does not link to "Kim Jong Un", and
///   "Kim Yong Chol" does not link to "Kim Jong Un". A short form that fits
///   several people goes to the most recently mentioned.
/// - Organisations and places also link by acronym ("EU" and "European Union")
///   and by a trailing part ("Treasury" and "U.S. Treasury").
///
/// Mentions should be sorted by start offset; the function works in input order.
pub fn link(mentions: Vec<Mention>) -> Vec<Entity> {
    Linker::default().link(mentions)
}

/// [`link`], reading `text` (the text the mentions' offsets point into) for the
/// royal and religious titles written before person names: "King Hussein" is not
/// "Saddam Hussein", and "King Salman" is not "Mohammed bin Salman". Such a
/// mention links as title and name; a later bare "Hussein" may still join it.
pub fn link_in(text: &str, mentions: Vec<Mention>) -> Vec<Entity> {
    Linker::default().link_in(text, mentions)
}

/// Titles that name a person by a given name ("King Abdullah"), so that the name
/// is no surname shared with other people.
const GIVEN_NAME_TITLES: &[&str] =
    &["King", "Queen", "Prince", "Princess", "Sheikh", "Emir", "Sultan", "Pope", "Sheikha"];

/// The given-name title right before `start` in `text`, lower-cased.
fn title_before(text: &str, start: usize) -> Option<String> {
    let before = text.get(..start)?.trim_end_matches([' ', '\u{a0}']);
    let word = before.rsplit(|c: char| !c.is_alphabetic()).next()?;
    (before.len() < start && GIVEN_NAME_TITLES.contains(&word)).then(|| word.to_lowercase())
}

/// Linking a document's mentions a part at a time: each [`Linker::link`] call
/// continues where the last one stopped, so linking the parts in order gives
/// the ids [`link`] gives for all mentions at once.
#[derive(Default)]
pub struct Linker {
    index: Index,
    seen: usize,
}

impl std::fmt::Debug for Linker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Linker").field("entities", &self.index.clusters.len()).field("mentions", &self.seen).finish()
    }
}

impl Linker {
    /// Links the next mentions of the document (in text order).
    pub fn link(&mut self, mentions: Vec<Mention>) -> Vec<Entity> {
        self.link_titled(mentions, |_| None)
    }

    /// [`Linker::link`] with the text the mentions' offsets point into, read for
    /// titles as [`link_in`] does.
    pub fn link_in(&mut self, text: &str, mentions: Vec<Mention>) -> Vec<Entity> {
        self.link_titled(mentions, |e| if e.label == EntityKind::Person { title_before(text, e.start) } else { None })
    }

    /// Links the next mentions, each with the title `title` finds for it.
    fn link_titled(&mut self, mentions: Vec<Mention>, title: impl Fn(&Mention) -> Option<String>) -> Vec<Entity> {
        let mut out = Vec::with_capacity(mentions.len());
        for e in mentions {
            let i = self.seen;
            self.seen += 1;
            let t = title(&e);
            out.push(link_one(&mut self.index, i, e, t));
        }
        out
    }
}

/// Links mention number `i` of the document.
fn link_one(index: &mut Index, i: usize, e: Mention, title: Option<String>) -> Entity {
    let mut toks = name_tokens(&e.text);
    if let Some(t) = title {
        if !toks.is_empty() && toks[0] != t {
            toks.insert(0, t);
        }
    }
    let mut found: Option<usize> = None;
    if !toks.is_empty() {
        let exact = Key::Form(toks.clone());
        found = index.best(index.get(&exact).iter().copied(), |c| compatible(&c.kind, &e.label));
        if found.is_none() {
            let keys = fuzzy_query_keys(&toks, &e.text);
            let candidates = keys.iter().flat_map(|k| index.get(k).iter().copied());
            found = index.best(candidates, |c| link_fuzzy(c, &e.label, &toks, &e.text));
        }
    }
    let ci = match found {
        Some(ci) => ci,
        None => {
            let kind = e.label.clone();
            let (forms, raw, keys) = (HashSet::new(), HashSet::new(), HashSet::new());
            index.clusters.push(Cluster { kind, forms, raw, keys, last_seen: i });
            index.clusters.len() - 1
        }
    };
    index.clusters[ci].last_seen = i;
    index.add(ci, toks, &e.text);
    e.with_entity_id(ci)
}

fn link_fuzzy(c: &Cluster, k: &EntityKind, toks: &[String], text: &str) -> bool {
    let (forms, raw) = (&c.forms, &c.raw);
    match (&c.kind, k) {
        (EntityKind::Person, EntityKind::Person) => forms.iter().any(|f| person_match(f, toks)),
        (a, b) if compatible(a, b) && matches!(a, EntityKind::Organization | EntityKind::Location) => {
            // Acronyms both ways.
            if let Some(ac) = acronym(text) {
                if raw.iter().any(|r| initials(r) == ac && r.split_whitespace().count() >= 2) {
                    return true;
                }
            }
            if raw
                .iter()
                .any(|r| acronym(r).is_some_and(|ac| initials(text) == ac && text.split_whitespace().count() >= 2))
            {
                return true;
            }
            // Trailing part: "Treasury" / "U.S. Treasury" (same type only).
            a == b
                && forms.iter().any(|f| {
                    let (short, long) = if f.len() < toks.len() { (f.as_slice(), toks) } else { (toks, f.as_slice()) };
                    !short.is_empty()
                        && short.len() < long.len()
                        && long.ends_with(short)
                        && short.iter().any(|t| t.len() > 2)
                })
        }
        _ => false,
    }
}

/// Person names: the shorter's last token is the longer's last token (ignoring
/// "al-"), and every token of the shorter occurs in the longer.
fn person_match(a: &[String], b: &[String]) -> bool {
    if a.is_empty() || b.is_empty() {
        return false;
    }
    let (short, long) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let ls = strip_article(short.last().map(String::as_str).unwrap_or(""));
    let ll = strip_article(long.last().map(String::as_str).unwrap_or(""));
    if ls != ll || ls.len() < 2 {
        return false;
    }
    if short.len() == long.len() {
        return short == long;
    }
    short.iter().all(|t| long.iter().any(|u| strip_article(u) == strip_article(t)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mention(text: &str, label: &str) -> Mention {
        let label = EntityKind::from_label(label);
        Mention { text: text.into(), label, start: 0, end: 0, char_start: 0, char_end: 0, score: 1.0 }
    }

    /// Ids of the listed person names, found in order in `text`, linked with the text.
    fn ids_in(text: &str, names: &[&str]) -> Vec<usize> {
        let mut from = 0;
        let ms = names
            .iter()
            .map(|n| {
                let start = from + text[from..].find(n).expect("name in text");
                from = start + n.len();
                Mention { start, end: from, ..mention(n, "PER") }
            })
            .collect();
        link_in(text, ms).iter().map(|e| e.entity_id).collect()
    }

    #[test]
    fn a_given_name_after_a_royal_title_is_no_surname() {
        let t = "Saddam Hussein met Jordan's King Hussein. Hussein said the talks went well.";
        assert_eq!(ids_in(t, &["Saddam Hussein", "Hussein", "Hussein"]), vec![0, 1, 1]);
        let t = "Mohammed bin Salman thanked King Salman and Crown Prince Mohammed bin Salman.";
        assert_eq!(ids_in(t, &["Mohammed bin Salman", "Salman", "Mohammed bin Salman"]), vec![0, 1, 0]);
        // Without a title the surname links as before.
        let t = "Saddam Hussein spoke. Hussein said so.";
        assert_eq!(ids_in(t, &["Saddam Hussein", "Hussein"]), vec![0, 0]);
    }

    fn ids(list: &[(&str, &str)]) -> Vec<usize> {
        link(list.iter().map(|(t, k)| mention(t, k)).collect()).iter().map(|e| e.entity_id).collect()
    }

    #[test]
    fn links_people_by_last_name() {
        assert_eq!(
            ids(&[("John Kerry", "PER"), ("Lavrov", "PER"), ("Kerry", "PER"), ("Sergei Lavrov", "PER")]),
            vec![0, 1, 0, 1]
        );
        assert_eq!(ids(&[("Kim Jong Un", "PER"), ("Kim", "PER"), ("Kim Yong Chol", "PER")]), vec![0, 1, 2]);
        assert_eq!(ids(&[("Bashar al-Assad", "PER"), ("Assad", "PER")]), vec![0, 0]);
        assert_eq!(ids(&[("Hillary Clinton", "PER"), ("Bill Clinton", "PER"), ("Clinton", "PER")]), vec![0, 1, 1]);
    }

    #[test]
    fn links_orgs_and_places() {
        assert_eq!(
            ids(&[("European Union", "ORG"), ("EU", "ORG"), ("Russia", "LOC"), ("Russia", "ORG")]),
            vec![0, 0, 1, 1]
        );
        assert_eq!(
            ids(&[("U.S. Treasury", "ORG"), ("Treasury", "ORG"), ("United Nations", "ORG"), ("U.N.", "ORG")]),
            vec![0, 0, 1, 1]
        );
        assert_eq!(ids(&[("Washington", "LOC"), ("Washington", "PER")]), vec![0, 1]);
    }
}
