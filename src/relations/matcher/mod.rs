//! Matching compiled patterns against one document.
//!
//! `mod.rs` turns each sentence into items (words and entity mentions) and
//! runs the rules sentence by sentence; `patterns` tries the patterns anchored
//! at a word; `subject` and `phrases` fill the slots left and right of the
//! trigger; `emit` turns a match into relations.

mod emit;
mod patterns;
mod phrases;
mod subject;

use std::collections::HashSet;

use super::compile::*;
use super::pattern::{Elem, Pattern, Phrase, Role};
use crate::document::{Argument, Entity, EntityKind, Plover, Relation, Span, TextSpan};
use crate::tagging::Syntax;
use crate::text::Segmented;

/// One word or one entity mention of a sentence.
#[derive(Debug, Clone)]
struct Item {
    start: usize,
    end: usize,
    id: u32,
    flags: u32,
    ent: Option<usize>,
    cap: bool,
    punct: bool,
    boundary: bool,
    ly: bool,
    /// What the model's syntax heads say of the word (`SYN_*` bits; 0 without
    /// syntax heads). An entity item takes its first word's.
    syn: u8,
}

/// The word is a finite verb, a modal or a gerund (POS `VBD`, `VBZ`, `VBP`,
/// `MD`, `VBG`); not a past participle, often adjectival ("ousted leader").
const SYN_VERB: u8 = 1;
/// The word opens a noun-phrase chunk.
const SYN_NP_BEGIN: u8 = 2;
/// The word is inside a noun-phrase chunk.
const SYN_NP: u8 = 4;
/// The word is a common noun (POS `NN`, `NNS`).
const SYN_COMMON_NOUN: u8 = 8;
/// The word is a gerund or present participle (POS `VBG`).
const SYN_GERUND: u8 = 16;
/// The word is a verb of any form (POS `VB*`), a base form or participle too.
const SYN_ANY_VERB: u8 = 32;

/// The `SYN_*` bits of one word.
fn syn_bits(syntax: &Syntax<'_>, word: usize) -> u8 {
    let Some(w) = syntax.words.get(word) else { return 0 };
    let mut bits = 0;
    if syntax.labels.pos_of(w).is_some_and(|p| p.starts_with("VB")) {
        bits |= SYN_ANY_VERB;
    }
    match syntax.labels.pos_of(w) {
        Some("VBG") => bits |= SYN_VERB | SYN_GERUND,
        Some("VBD" | "VBZ" | "VBP" | "MD") => bits |= SYN_VERB,
        Some("NN" | "NNS") => bits |= SYN_COMMON_NOUN,
        _ => {}
    }
    if syntax.labels.chunk_of(w) == Some("NP") {
        bits |= SYN_NP;
        if w.chunk_begins {
            bits |= SYN_NP_BEGIN;
        }
    }
    bits
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Member {
    /// Entity index, item position.
    Ent(usize, usize),
    /// A person pronoun at this item position.
    Pron(usize),
}

impl Member {
    fn pos(&self) -> usize {
        match *self {
            Member::Ent(_, p) | Member::Pron(p) => p,
        }
    }
}

#[derive(Debug, Clone, Default)]
struct Group {
    members: Vec<Member>,
    separate: bool,
    end: usize,
}

#[derive(Debug, Clone, Default)]
struct MatchState {
    lex: Vec<usize>,
    class: Vec<usize>,
    /// Positions of a word class's phrase after its first word (the "to" of "sat
    /// face to face"): no cues.
    inner: Vec<usize>,
    x: Option<Group>,
    y: Option<Group>,
    xy: Option<Group>,
    end: usize,
}

struct Sentence<'a> {
    text: &'a str,
    items: Vec<Item>,
    range: (usize, usize),
    /// Every word of the sentence, those inside names too.
    words: &'a [std::ops::Range<usize>],
    /// The people (entity indices) named in the sentence before, in text order.
    prev_people: Vec<usize>,
    /// The word ids of `words`, computed the first time a pattern's `requires` asks.
    word_ids: std::cell::OnceCell<Vec<u32>>,
}

impl Sentence<'_> {
    /// The text of item `i` (a word, or a whole entity mention); empty past the end.
    fn word(&self, i: usize) -> &str {
        self.items.get(i).map_or("", |it| &self.text[it.start..it.end])
    }

    /// Whether item `i` is a comma (a word, not an entity).
    fn is_comma(&self, i: usize) -> bool {
        self.items.get(i).is_some_and(|it| it.ent.is_none()) && self.word(i) == ","
    }

    /// Whether items `i..i + 3` are a name in brackets: "(SMIC)".
    fn bracketed_name_at(&self, i: usize) -> bool {
        self.word(i) == "(" && self.items.get(i + 1).is_some_and(|it| it.ent.is_some()) && self.word(i + 2) == ")"
    }
}

/// One document being matched: the compiled rules, the text, its
/// segmentation and its entities.
pub(crate) struct Matcher<'a> {
    pub rules: &'a Compiled,
    pub text: &'a str,
    pub segments: &'a Segmented,
    pub entities: &'a [Entity],
    /// Per entity: a MISC name after "the" and before a `group_heads` noun ("the
    /// Houthi movement", "the M23 rebel group"), which may stand where an
    /// organisation may (the NER's MISC/ORG split of armed groups varies).
    pub groups: Vec<bool>,
    /// Part of speech and chunk of every word of `segments`, when the model
    /// has syntax heads.
    pub syntax: Option<Syntax<'a>>,
}

impl<'a> Matcher<'a> {
    /// A matcher over one document.
    pub(crate) fn new(
        rules: &'a Compiled,
        text: &'a str,
        segments: &'a Segmented,
        entities: &'a [Entity],
        syntax: Option<Syntax<'a>>,
    ) -> Self {
        let groups = entities
            .iter()
            .map(|e| {
                (e.label == EntityKind::Misc && after_the(text, e.start) && group_follows(rules, text, e.end))
                    || listed_group(rules, text.get(e.start..e.end).unwrap_or(""))
            })
            .collect();
        // Syntax is read only when it covers every word.
        let syntax = syntax.filter(|s| s.words.len() == segments.words().len());
        Matcher { rules, text, segments, entities, groups, syntax }
    }
}

/// Whether `name` is one of the rules' `group_names` ("Houthis", "M23"), with
/// or without a leading "the".
fn listed_group(rules: &Compiled, name: &str) -> bool {
    let lower = name.to_lowercase().replace('\u{2019}', "'");
    let mut ids: Vec<u32> = lower.split_whitespace().map(|w| rules.vocab.get(w).copied().unwrap_or(NO_WORD)).collect();
    if lower.starts_with("the ") {
        ids.remove(0);
    }
    !ids.is_empty() && rules.group_names.contains(&ids)
}

/// Whether word id `id` is one of the one-word phrases of `list`.
fn one_word_of(list: &[Phrase], id: u32) -> bool {
    id != NO_WORD && list.iter().any(|p| p.len() == 1 && p[0] == id)
}

/// Whether the word before byte `start` of `text` is "the".
fn after_the(text: &str, start: usize) -> bool {
    text.get(..start).and_then(|t| t.split_whitespace().next_back()).is_some_and(|w| w.eq_ignore_ascii_case("the"))
}

/// Whether the words right after byte `end` of `text` are a group head noun.
fn group_follows(rules: &Compiled, text: &str, end: usize) -> bool {
    let Some(rest) = text.get(end..) else { return false };
    let mut words = rest.split_whitespace().take(2).map(|w| {
        let w = w.trim_end_matches(|c: char| !c.is_alphanumeric());
        rules.vocab.get(w.to_lowercase().as_str()).copied().unwrap_or(NO_WORD)
    });
    let (a, b) = (words.next().unwrap_or(NO_WORD), words.next().unwrap_or(NO_WORD));
    a != NO_WORD
        && rules.group_heads.iter().any(|p| match p.as_slice() {
            [x] => *x == a,
            [x, y] => *x == a && *y == b,
            _ => false,
        })
}

fn is_boundary_punct(s: &str) -> bool {
    is_dash(s) || matches!(s, "," | ";" | ":" | "(" | ")" | "[" | "]" | "\"" | "“" | "”" | "!" | "?" | "«" | "»")
}

/// A dash written as a word of its own (a wire dateline's "-", "—", "–", "--").
fn is_dash(s: &str) -> bool {
    matches!(s, "-" | "—" | "–" | "--")
}

impl<'a> Matcher<'a> {
    fn valid_entities(&self) -> Vec<usize> {
        let t = self.text;
        let mut v: Vec<usize> = (0..self.entities.len())
            .filter(|&i| {
                let e = &self.entities[i];
                e.start < e.end && e.end <= t.len() && t.is_char_boundary(e.start) && t.is_char_boundary(e.end)
            })
            .collect();
        v.sort_by_key(|&i| (self.entities[i].start, std::cmp::Reverse(self.entities[i].end)));
        let mut out: Vec<usize> = Vec::with_capacity(v.len());
        for i in v {
            if let Some(&last) = out.last() {
                if self.entities[i].start < self.entities[last].end {
                    continue;
                }
            }
            out.push(i);
        }
        out
    }

    fn word_item(&self, start: usize, end: usize, buf: &mut String) -> Item {
        let w = &self.text[start..end];
        buf.clear();
        for ch in w.chars() {
            if ch == '\u{2019}' {
                buf.push('\'');
            } else {
                buf.extend(ch.to_lowercase());
            }
        }
        let id = self.rules.vocab.get(buf.as_str()).copied().unwrap_or(NO_WORD);
        let punct = !w.chars().any(char::is_alphanumeric);
        Item {
            start,
            end,
            id,
            flags: self.rules.flags_of(id),
            ent: None,
            cap: w.chars().next().is_some_and(char::is_uppercase),
            punct,
            boundary: punct && is_boundary_punct(w),
            ly: buf.len() > 4 && buf.ends_with("ly"),
            syn: 0,
        }
    }

    fn push_word(&self, items: &mut Vec<Item>, start: usize, end: usize, buf: &mut String) {
        // Split contractions: "didn't" -> "did" "n't"; "he'll" -> "he" "'ll".
        let w = &self.text[start..end];
        let lw = w.to_lowercase().replace('\u{2019}', "'");
        for suf in ["n't", "'ll"] {
            if lw.len() > suf.len() + 1 && lw.ends_with(suf) {
                // Byte length of the suffix in the original text (3 chars).
                let cut = w.char_indices().rev().nth(2).map(|(b, _)| start + b);
                if let Some(cut) = cut {
                    if cut > start {
                        items.push(self.word_item(start, cut, buf));
                        items.push(self.word_item(cut, end, buf));
                        return;
                    }
                }
            }
        }
        items.push(self.word_item(start, end, buf));
    }

    /// Runs all rules over the document.
    pub(crate) fn run(&self) -> Vec<Relation> {
        let ents = self.valid_entities();
        let mut out = Vec::new();
        let mut ecur = 0usize;
        let mut buf = String::new();
        let mut sent_pers: Vec<Vec<usize>> = Vec::new();
        let mut word_base = 0;
        for (range, words) in self.segments.iter() {
            while ecur < ents.len() && self.entities[ents[ecur]].start < range.start {
                ecur += 1;
            }
            let mut items: Vec<Item> = Vec::with_capacity(words.len());
            let mut e = ecur;
            for (wi, w) in words.iter().enumerate() {
                let syn = self.syntax.as_ref().map_or(0, |sx| syn_bits(sx, word_base + wi));
                while e < ents.len() && self.entities[ents[e]].end <= w.start {
                    e += 1;
                }
                if e < ents.len() {
                    let en = &self.entities[ents[e]];
                    if en.end <= range.end && en.start < w.end && w.start < en.end {
                        if items.last().and_then(|it| it.ent) != Some(ents[e]) {
                            items.push(Item {
                                start: en.start,
                                end: en.end,
                                id: NO_WORD,
                                flags: 0,
                                ent: Some(ents[e]),
                                cap: true,
                                punct: false,
                                boundary: false,
                                ly: false,
                                syn,
                            });
                        }
                        continue;
                    }
                }
                let first = items.len();
                self.push_word(&mut items, w.start, w.end, &mut buf);
                items[first..].iter_mut().for_each(|it| it.syn = syn);
            }
            word_base += words.len();
            let pers: Vec<usize> = items
                .iter()
                .filter_map(|it| it.ent)
                .filter(|&i| self.entities[i].label == EntityKind::Person)
                .collect();
            let prev_people = sent_pers.last().cloned().unwrap_or_default();
            let s = Sentence {
                text: self.text,
                items,
                range: (range.start, range.end),
                words,
                prev_people,
                word_ids: Default::default(),
            };
            let si = sent_pers.len();
            self.sentence(&s, &sent_pers, si, &mut out);
            sent_pers.push(pers);
        }
        out.sort_by_key(|r| (r.sentence.start, r.trigger.start));
        // One fact once: a headline and its lede ("Modi, Putin hold talks" ... "Putin
        // hosted Modi for talks") tell the same event; the first telling is kept.
        let mut facts: HashSet<(String, usize, usize, bool, String)> = HashSet::new();
        out.retain(|r| {
            let (a, b) = (r.source.entity_id, r.target.entity_id);
            let symmetric = self.rules.kinds.iter().any(|k| k.kind == r.kind && k.symmetric);
            let (a, b) = if symmetric { (a.min(b), a.max(b)) } else { (a, b) };
            facts.insert((r.kind.clone(), a, b, r.negated, r.modality.clone()))
        });
        out
    }

    fn allowed(&self, k: &KindRule, e: usize) -> bool {
        k.arguments.contains(&self.entities[e].label)
            || (self.groups[e] && k.arguments.contains(&EntityKind::Organization))
    }

    fn phrase_at(&self, s: &Sentence, pos: usize, p: &[u32], limit: usize) -> bool {
        if pos + p.len() > limit.min(s.items.len()) {
            return false;
        }
        p.iter().enumerate().all(|(j, &id)| {
            let it = &s.items[pos + j];
            it.ent.is_none() && it.id == id
        })
    }

    /// Whether a pattern's anchor (a trigger word or phrase: "met", "state banquet")
    /// starts at item `i`, not just its first word ("State" of "Secretary of State").
    fn trigger_at(&self, s: &Sentence, i: usize) -> bool {
        self.trigger_of(s, i, None)
    }

    /// [`Self::trigger_at`], for the patterns of kind `kind` only when it is given.
    fn trigger_of(&self, s: &Sentence, i: usize, kind: Option<&str>) -> bool {
        let Some(it) = s.items.get(i) else { return false };
        if it.ent.is_some() || it.id == NO_WORD {
            return false;
        }
        let Some(list) = self.rules.anchors.get(&it.id) else { return false };
        list.iter().any(|&(ki, pi)| {
            let k = &self.rules.kinds[ki as usize];
            if kind.is_some_and(|kind| k.kind != kind) {
                return false;
            }
            let pat = &k.patterns[pi as usize];
            match pat.elems.get(pat.anchor) {
                Some(Elem::Words { alts, .. }) => {
                    alts.iter().any(|a| a[0] == it.id && self.phrase_at(s, i, a, s.items.len()))
                }
                _ => true,
            }
        })
    }

    /// Whether one of `phrases` occurs among the sentence's words, those inside
    /// names too.
    fn sentence_has(&self, s: &Sentence, phrases: &[Phrase]) -> bool {
        let ids = s.word_ids.get_or_init(|| {
            s.words
                .iter()
                .map(|w| {
                    let lower = self.text[w.clone()].to_lowercase().replace('\u{2019}', "'");
                    self.rules.vocab.get(lower.as_str()).copied().unwrap_or(NO_WORD)
                })
                .collect()
        });
        phrases.iter().any(|p| !p.is_empty() && ids.windows(p.len()).any(|w| w == p.as_slice()))
    }

    /// Whether one of `cues` starts at item `i` and ends by `limit`.
    fn cue_at(&self, s: &Sentence, i: usize, cues: &[Phrase], limit: usize) -> bool {
        s.items
            .get(i)
            .is_some_and(|it| it.ent.is_none() && cues.iter().any(|p| p[0] == it.id && self.phrase_at(s, i, p, limit)))
    }

    fn any_cue(&self, s: &Sentence, cues: &[Phrase], a: usize, b: usize) -> bool {
        self.any_cue_except(s, cues, a, b, &[])
    }

    /// [`Self::any_cue`], but no cue may start at a position in `skip`.
    fn any_cue_except(&self, s: &Sentence, cues: &[Phrase], a: usize, b: usize, skip: &[usize]) -> bool {
        (a..b.min(s.items.len())).any(|i| {
            !skip.contains(&i)
                && s.items[i].id != NO_WORD
                // A cue starting in the window may end past it ("has been put on hold").
                && cues.iter().any(|p| {
                    p[0] == s.items[i].id && self.phrase_at(s, i, p, s.items.len()) && !self.preposition_use(s, i, p)
                })
        })
    }

    /// A one-word cue that is also a preposition, used as one: "travelled to Addis
    /// Ababa for talks" (a name, a determiner or a capitalised word follows), not
    /// "to meet".
    ///
    /// Nor after an `assertive_verbs` verb ("voted on Thursday to extend").
    fn preposition_use(&self, s: &Sentence, i: usize, cue: &[u32]) -> bool {
        // "voted (on Thursday) to extend": within four words back, past no name,
        // punctuation or clause word.
        let assertive = (i.saturating_sub(4)..i)
            .rev()
            .take_while(|&j| {
                let it = &s.items[j];
                it.ent.is_none() && !it.punct && it.flags & (F_BREAK | F_REL | F_COMP) == 0
            })
            .any(|j| one_word_of(&self.rules.assertive_verbs, s.items[j].id));
        cue.len() == 1
            && s.items[i].flags & F_PREP != 0
            && (assertive
                || s.items.get(i + 1).is_some_and(|next| next.ent.is_some() || next.cap || next.flags & F_DET != 0))
    }

    fn clause_start(&self, s: &Sentence, pos: usize) -> usize {
        let mut i = pos.min(s.items.len());
        while i > 0 {
            let it = &s.items[i - 1];
            if it.boundary || it.flags & (F_BREAK | F_REL) != 0 {
                return i;
            }
            i -= 1;
        }
        0
    }

    fn clause_end(&self, s: &Sentence, pos: usize) -> usize {
        let mut i = pos;
        while i < s.items.len() {
            let it = &s.items[i];
            if it.boundary || it.flags & (F_BREAK | F_REL) != 0 {
                return i;
            }
            i += 1;
        }
        s.items.len()
    }
}
