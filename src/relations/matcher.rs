//! Matching compiled patterns against one document.

use std::collections::HashSet;

use super::compile::*;
use super::pattern::{Elem, Pattern, Phrase, Role};
use crate::document::{Argument, Entity, EntityKind, Relation, Span, TextSpan};
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
    x: Option<Group>,
    y: Option<Group>,
    xy: Option<Group>,
    end: usize,
}

struct Sentence<'a> {
    text: &'a str,
    items: Vec<Item>,
    range: (usize, usize),
}

/// One document being matched: the compiled rules, the text, its
/// segmentation and its entities.
pub(crate) struct Matcher<'a> {
    pub rules: &'a Compiled,
    pub text: &'a str,
    pub segments: &'a Segmented,
    pub entities: &'a [Entity],
}

fn is_boundary_punct(s: &str) -> bool {
    matches!(s, "," | ";" | ":" | "(" | ")" | "[" | "]" | "\"" | "“" | "”" | "—" | "–" | "!" | "?" | "«" | "»" | "--")
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
        for (range, words) in self.segments.iter() {
            while ecur < ents.len() && self.entities[ents[ecur]].start < range.start {
                ecur += 1;
            }
            let mut items: Vec<Item> = Vec::with_capacity(words.len());
            let mut e = ecur;
            for w in words {
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
                            });
                        }
                        continue;
                    }
                }
                self.push_word(&mut items, w.start, w.end, &mut buf);
            }
            let pers: Vec<usize> = items
                .iter()
                .filter_map(|it| it.ent)
                .filter(|&i| self.entities[i].label == EntityKind::Person)
                .collect();
            let s = Sentence { text: self.text, items, range: (range.start, range.end) };
            let si = sent_pers.len();
            self.sentence(&s, &sent_pers, si, &mut out);
            sent_pers.push(pers);
        }
        out.sort_by_key(|r| (r.sentence.start, r.trigger.start));
        out
    }

    fn allowed(&self, k: &KindRule, e: usize) -> bool {
        k.arguments.contains(&self.entities[e].label)
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

    fn any_cue(&self, s: &Sentence, cues: &[Phrase], a: usize, b: usize) -> bool {
        (a..b.min(s.items.len())).any(|i| {
            s.items[i].id != NO_WORD && cues.iter().any(|p| p[0] == s.items[i].id && self.phrase_at(s, i, p, b))
        })
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

    fn sentence(&self, s: &Sentence, sent_pers: &[Vec<usize>], si: usize, out: &mut Vec<Relation>) {
        let c = self.rules;
        let n = s.items.len();
        let mut used = vec![false; n];
        let mut tried = 0usize;
        let mut made = 0usize;
        let mut seen: HashSet<(usize, usize, usize)> = HashSet::new();
        for p in 0..n {
            if used[p] || s.items[p].ent.is_some() || s.items[p].id == NO_WORD {
                continue;
            }
            let Some(list) = c.anchors.get(&s.items[p].id) else { continue };
            tried += 1;
            if tried > c.settings.max_anchors {
                break;
            }
            let mut best: Option<(usize, MatchState, usize, usize)> = None; // (kind, state, chain_start, gov_end)
            let mut best_key = (0usize, 0usize);
            for &(ki, pi) in list {
                let k = &c.kinds[ki as usize];
                let pat = &k.patterns[pi as usize];
                if let Some((st, chain, gov)) = self.try_pattern(s, k, pat, p) {
                    let lo = st.lex.iter().copied().min().unwrap_or(p);
                    let span = st.end.saturating_sub(lo);
                    let key = (pat.lexical_count * 1000 + st.lex.len(), span);
                    if best.is_none() || key > best_key {
                        best_key = key;
                        best = Some((ki as usize, st, chain, gov));
                        let _ = pi;
                    }
                }
            }
            let Some((ki, st, chain, gov)) = best else { continue };
            let k = &c.kinds[ki];
            // Which pattern won (for nominal flag): recompute by re-trying is wasteful; store in state instead.
            let nominal = has_nominal_match(&st);
            for &i in &st.lex {
                if i < n {
                    used[i] = true;
                }
            }
            self.emit(s, k, &st, nominal, chain, gov, sent_pers, si, &mut seen, &mut made, out);
            if made >= c.settings.max_pairs {
                break;
            }
        }
    }

    fn try_pattern(&self, s: &Sentence, k: &KindRule, pat: &Pattern, p: usize) -> Option<(MatchState, usize, usize)> {
        let mut st = MatchState::default();
        let mut chain = p;
        let mut gov = p;
        if pat.anchor == 1 {
            let Elem::Slot { role, adjacent } = pat.elems[0] else { return None };
            let (g, ch, gv) = if adjacent {
                if p == 0 {
                    return None;
                }
                let q = p - 1;
                let e = s.items[q].ent?;
                if !self.allowed(k, e) {
                    return None;
                }
                let g = self.group_left(s, k, q);
                let first = g.members.first().map(|m| m.pos()).unwrap_or(q);
                (g, p, first)
            } else {
                self.subject(s, k, p)?
            };
            chain = ch;
            gov = gv;
            set_role(&mut st, role, g);
        }
        if !self.match_elems(s, k, &pat.elems, pat.anchor, p, &mut st) {
            return None;
        }
        if pat.nominal {
            st.class.push(usize::MAX); // marker: nominal
        }
        // XY groups need two participants.
        if let Some(g) = &st.xy {
            if g.members.len() < 2 {
                return None;
            }
        }
        Some((st, chain, gov))
    }

    fn match_elems(
        &self,
        s: &Sentence,
        k: &KindRule,
        elems: &[Elem],
        ei: usize,
        pos: usize,
        st: &mut MatchState,
    ) -> bool {
        let n = s.items.len();
        if ei == elems.len() {
            st.end = pos;
            return true;
        }
        match &elems[ei] {
            Elem::Words { alts, optional, class } => {
                for alt in alts {
                    if self.phrase_at(s, pos, alt, n) {
                        let (l0, c0) = (st.lex.len(), st.class.len());
                        st.lex.extend(pos..pos + alt.len());
                        if *class {
                            st.class.extend(pos..pos + alt.len());
                        }
                        if self.match_elems(s, k, elems, ei + 1, pos + alt.len(), st) {
                            return true;
                        }
                        st.lex.truncate(l0);
                        st.class.truncate(c0);
                    }
                }
                if *optional {
                    return self.match_elems(s, k, elems, ei + 1, pos, st);
                }
                false
            }
            Elem::Gap => {
                for g in 0..=self.rules.settings.max_gap {
                    if g > 0 {
                        let i = pos + g - 1;
                        if i >= n {
                            return false;
                        }
                        let it = &s.items[i];
                        if it.ent.is_some() || it.punct || it.flags & (F_PREP | F_COORD | F_BREAK | F_REL | F_COMP) != 0
                        {
                            return false;
                        }
                    }
                    if self.match_elems(s, k, elems, ei + 1, pos + g, st) {
                        return true;
                    }
                }
                false
            }
            Elem::LongGap => {
                for g in 0..=2 * self.rules.settings.max_gap {
                    if g > 0 {
                        let i = pos + g - 1;
                        if i >= n {
                            return false;
                        }
                        let it = &s.items[i];
                        if it.ent.is_none()
                            && (it.punct
                                || it.flags & (F_COORD | F_BREAK | F_REL | F_COMP | F_PRON_PER | F_PRON_OTHER) != 0)
                        {
                            return false;
                        }
                    }
                    if self.match_elems(s, k, elems, ei + 1, pos + g, st) {
                        return true;
                    }
                }
                false
            }
            Elem::End => {
                let ok = pos >= n || {
                    let it = &s.items[pos];
                    it.ent.is_none()
                        && (it.punct || it.ly || it.flags & (F_PREP | F_ADV | F_BREAK | F_COORD | F_COMP | F_REL) != 0)
                };
                if ok {
                    st.end = pos;
                }
                ok
            }
            Elem::Slot { role, adjacent } => {
                let prep = if ei > 0 && matches!(elems[ei - 1], Elem::Words { .. }) && pos > 0 {
                    Some(s.items[pos - 1].id)
                } else {
                    None
                };
                let Some(g) = self.np_group(s, k, pos, *adjacent, prep) else { return false };
                let end = g.end;
                set_role(st, *role, g);
                if self.match_elems(s, k, elems, ei + 1, end, st) {
                    return true;
                }
                clear_role(st, *role);
                false
            }
        }
    }

    /// A noun phrase to the right: its argument entity (or a person pronoun is not taken here).
    fn noun_phrase_member(&self, s: &Sentence, k: &KindRule, pos: usize, max_skip: usize) -> Option<(Member, usize)> {
        let n = s.items.len();
        let mut i = pos;
        let mut skip = 0usize;
        let mut possessor: Option<(usize, usize)> = None;
        let mut included = false;
        // ", including X," : the comma closing an inclusion belongs to the phrase.
        let close = |end: usize, included: bool| {
            if included && end < n && s.text[s.items[end].start..s.items[end].end] == *"," {
                end + 1
            } else {
                end
            }
        };
        while i < n {
            let it = &s.items[i];
            if let Some(e) = it.ent {
                let poss = i + 1 < n && s.items[i + 1].flags & F_POSS != 0;
                if self.allowed(k, e) {
                    if poss {
                        if possessor.is_none() {
                            possessor = Some((e, i));
                        }
                        i += 2;
                        continue;
                    }
                    // "U.S. envoy Amos Hochstein", "Wagner chief Yevgeny Prigozhin": an entity
                    // that only modifies a title is not the head of the noun phrase.
                    if let Some(j) = self.apposed_head(s, k, i + 1) {
                        return Some((Member::Ent(s.items[j].ent.unwrap_or(e), j), close(j + 1, included)));
                    }
                    return Some((Member::Ent(e, i), close(i + 1, included)));
                }
                skip += 1;
                i += if poss { 2 } else { 1 };
            } else if it.punct && it.flags & F_POSS == 0 {
                if s.text[it.start..it.end] == *"," {
                    if let Some(len) =
                        self.rules.inclusions.iter().find(|p| self.phrase_at(s, i + 1, p, n)).map(|p| p.len())
                    {
                        i += 1 + len;
                        included = true;
                        continue;
                    }
                }
                break;
            } else if it.flags & F_COORD != 0 && skip > 0 && possessor.is_none() && self.nouns_of(s, i + 1) {
                // "judges and prosecutors of the International Criminal Court": two
                // lower-case heads before "of" are one noun phrase.
                skip += 1;
                i += 1;
            } else if it.flags & (F_PREP | F_COORD | F_BREAK | F_REL | F_COMP | F_PRON_PER | F_PRON_OTHER) != 0
                && it.flags & F_NPPREP == 0
            {
                break;
            } else {
                skip += 1;
                i += 1;
            }
            if skip > max_skip {
                break;
            }
        }
        if k.possessor {
            if let Some((e, p)) = possessor {
                return Some((Member::Ent(e, p), i.min(n).max(p + 1)));
            }
        }
        None
    }

    /// Whether one or two plain lower-case words (no entity, no trigger word) start at
    /// `i` and are followed by a noun-phrase preposition ("prosecutors of") or by an
    /// inclusion (", including").
    fn nouns_of(&self, s: &Sentence, i: usize) -> bool {
        let plain = |j: usize| {
            s.items.get(j).is_some_and(|it| {
                it.ent.is_none() && !it.punct && !it.cap && it.flags == 0 && !self.rules.anchors.contains_key(&it.id)
            })
        };
        // "of", or ", including" ("59 people and 12 groups, including X").
        let goes_on = |j: usize| {
            s.items.get(j).is_some_and(|it| {
                it.flags & F_NPPREP != 0
                    || (s.text[it.start..it.end] == *","
                        && self.rules.inclusions.iter().any(|p| self.phrase_at(s, j + 1, p, s.items.len())))
            })
        };
        plain(i) && (goes_on(i + 1) || (plain(i + 1) && goes_on(i + 2)))
    }

    /// After an argument entity, one to four title words ("envoy", "Parliament Speaker",
    /// "Secretary of State", other-type entities; no trigger word, no lower-case word
    /// in -ed or -ing) and then another argument entity (not a possessor): the position
    /// of that head entity.
    fn apposed_head(&self, s: &Sentence, k: &KindRule, from: usize) -> Option<usize> {
        let mut words = false;
        for j in from..(from + 5).min(s.items.len()) {
            let it = &s.items[j];
            if let Some(e) = it.ent {
                if self.allowed(k, e) {
                    let poss = j + 1 < s.items.len() && s.items[j + 1].flags & F_POSS != 0;
                    return (words && !poss).then_some(j);
                }
                continue;
            }
            if it.punct || (it.flags != 0 && it.flags & F_NPPREP == 0) || self.rules.anchors.contains_key(&it.id) {
                return None;
            }
            if !it.cap && it.flags == 0 {
                // A lower-case title is a noun: "envoy", "chief", "owner", not "visited" or "backing".
                let w = &s.text[it.start..it.end];
                if w.ends_with("ed") || w.ends_with("ing") {
                    return None;
                }
            }
            words = true;
        }
        None
    }

    fn np_group(&self, s: &Sentence, k: &KindRule, pos: usize, adjacent: bool, prep: Option<u32>) -> Option<Group> {
        let n = s.items.len();
        let (first, mut end) = if adjacent {
            let it = s.items.get(pos)?;
            let e = it.ent?;
            if !self.allowed(k, e) {
                return None;
            }
            (Member::Ent(e, pos), pos + 1)
        } else {
            self.noun_phrase_member(s, k, pos, self.rules.settings.max_np_skip)?
        };
        let mut members = vec![first];
        let mut confirmed = 1usize;
        let mut confirmed_end = end;
        let mut repeated = false;
        loop {
            let mut j = end;
            let mut by_and = false;
            if j < n && s.text[s.items[j].start..s.items[j].end] == *"," {
                j += 1;
            }
            if j < n && s.items[j].flags & F_COORD != 0 {
                by_and = true;
                j += 1;
            }
            if j == end {
                break;
            }
            if let Some(pid) = prep {
                if j < n && s.items[j].id == pid && s.items[j].ent.is_none() {
                    repeated = true;
                    j += 1;
                }
            }
            let Some((m, e2)) = self.noun_phrase_member(s, k, j, 4) else { break };
            members.push(m);
            end = e2;
            if by_and {
                confirmed = members.len();
                confirmed_end = end;
            }
            if members.len() > 16 {
                break;
            }
        }
        members.truncate(confirmed);
        Some(Group { members, separate: repeated, end: confirmed_end })
    }

    /// Is the item at `q` (an entity) a plausible subject-phrase start (not the object of a verb)?
    fn opens_subject(&self, s: &Sentence, q: usize) -> bool {
        let mut i = q;
        let mut skipped = 0;
        while i > 0 && skipped < 4 {
            let it = &s.items[i - 1];
            let title = it.ent.is_some() || (it.cap && !it.punct && it.flags == 0) || it.flags & F_NPPREP != 0;
            if !title {
                break;
            }
            i -= 1;
            skipped += 1;
        }
        if i == 0 {
            return true;
        }
        let it = &s.items[i - 1];
        it.punct || it.cap || it.flags & (F_COORD | F_COMP | F_BREAK | F_DET | F_REL) != 0
    }

    fn group_left(&self, s: &Sentence, k: &KindRule, q: usize) -> Group {
        self.group_left_opt(s, k, q, false)
    }

    /// `relaxed`: members need not open a subject ("urged Kerry and Lavrov to meet").
    fn group_left_opt(&self, s: &Sentence, k: &KindRule, q: usize, relaxed: bool) -> Group {
        let mut members = vec![Member::Ent(s.items[q].ent.unwrap_or(0), q)];
        let mut cur = q;
        let mut seen_and = false;
        loop {
            // Skip titles before the current member.
            let mut j = cur;
            let mut skipped = 0;
            while j > 0 && skipped < 4 {
                let it = &s.items[j - 1];
                let plain_prep = it.flags & F_PREP != 0 && it.flags & F_NPPREP == 0;
                let title = it.ent.is_some_and(|e| !self.allowed(k, e))
                    || (!it.punct && it.ent.is_none() && it.flags & !(F_NPPREP | F_PREP | F_DET) == 0 && !plain_prep);
                if !title {
                    break;
                }
                j -= 1;
                skipped += 1;
            }
            if j == 0 {
                break;
            }
            let sep = &s.items[j - 1];
            let is_comma = sep.ent.is_none() && s.text[sep.start..sep.end] == *",";
            let mut prev;
            if sep.flags & F_COORD != 0 && sep.ent.is_none() {
                if j < 2 {
                    break;
                }
                prev = j - 2;
                if s.text[s.items[prev].start..s.items[prev].end] == *"," && prev > 0 {
                    prev -= 1;
                }
            } else if is_comma && seen_and && j >= 2 {
                prev = j - 2;
            } else {
                break;
            }
            let Some(e) = s.items[prev].ent else { break };
            if !self.allowed(k, e) || (!relaxed && !self.opens_subject(s, prev)) {
                break;
            }
            if sep.flags & F_COORD != 0 {
                seen_and = true;
            }
            members.push(Member::Ent(e, prev));
            cur = prev;
            if members.len() > 16 {
                break;
            }
        }
        members.reverse();
        Group { members, separate: false, end: q + 1 }
    }

    /// "The Economic Community of West African States (ECOWAS) imposed ...": at the
    /// closing parenthesis `q`, an argument entity alone in parentheses is the subject.
    fn parenthesised_subject(&self, s: &Sentence, k: &KindRule, q: usize) -> Option<(Group, usize, usize)> {
        let e = s.items.get(q.checked_sub(1)?)?.ent?;
        let open = q.checked_sub(2)?;
        if !self.allowed(k, e) || s.text[s.items[open].start..s.items[open].end] != *"(" {
            return None;
        }
        Some((Group { members: vec![Member::Ent(e, q - 1)], separate: false, end: q }, q + 1, q - 1))
    }

    /// A subject set off by an apposition, at the apposition's closing comma `q`:
    /// "Milei, a staunch supporter of Israel who ..., met Herzog" (the entity before
    /// the opening comma, or the acronym in parentheses there), or "its commander,
    /// General Abdel Fattah al-Burhan, had met ..." (a name of at most four title words
    /// closing an apposition to a common noun). Cues inside the apposition are not
    /// part of the trigger's auxiliary chain.
    fn apposition_subject(&self, s: &Sentence, k: &KindRule, q: usize) -> Option<(Group, usize, usize)> {
        let text = |j: usize| &s.text[s.items[j].start..s.items[j].end];
        let c0 = (q.saturating_sub(30)..q).rev().find(|&j| s.items[j].punct && text(j) == ",")?;
        if c0 + 1 >= q || c0 == 0 || (c0 + 1..q).any(|j| s.items[j].punct && matches!(text(j), ";" | ":")) {
            return None;
        }
        let single = |e: usize, pos: usize| Group { members: vec![Member::Ent(e, pos)], separate: false, end: pos + 1 };
        // The head before the opening comma (or its acronym in parentheses).
        let mut head = c0 - 1;
        if text(head) == ")" && head >= 2 && text(head - 2) == "(" {
            head -= 1;
        }
        if let Some(e) = s.items[head].ent {
            let possessed = s.items.get(head + 1).is_some_and(|it| it.flags & F_POSS != 0);
            return (self.allowed(k, e) && !possessed).then(|| (single(e, head), q + 1, head));
        }
        // A name closing an apposition to a common noun.
        let last = q - 1;
        let e = s.items[last].ent?;
        let titles = c0 + 1..last;
        let plain_head = !s.items[c0 - 1].punct && s.items[c0 - 1].ent.is_none();
        if self.allowed(k, e)
            && plain_head
            && titles.len() <= 4
            && titles.clone().all(|j| !s.items[j].punct && s.items[j].ent.is_none())
        {
            return Some((single(e, last), q + 1, c0));
        }
        None
    }

    /// The subject of a trigger at `p`: (group, chain start, governing-window end).
    fn subject(&self, s: &Sentence, k: &KindRule, p: usize) -> Option<(Group, usize, usize)> {
        let mut q = p;
        let mut skipped = 0usize;
        while q > 0 {
            q -= 1;
            let it = &s.items[q];
            if let Some(e) = it.ent {
                if !self.allowed(k, e) {
                    return None;
                }
                // "a day after Hochstein held talks": a subordinator opens a clause whose
                // subject the entity is, when no preposition stands between it and the trigger.
                let subord = q > 0
                    && s.items[q - 1].flags & F_SUBORD != 0
                    && s.items[q - 1].ent.is_none()
                    && s.items[q + 1..p]
                        .iter()
                        .all(|it| it.ent.is_none() && !it.punct && it.flags & (F_PREP | F_POSS) == 0);
                if !subord && q > 0 && s.items[q - 1].flags & F_PREP != 0 && s.items[q - 1].ent.is_none() {
                    // "flew to Rome to meet": a prepositional object, not the subject.
                    skipped += 1;
                    if skipped > self.rules.settings.max_subject_skip {
                        return None;
                    }
                    continue;
                }
                // An infinitival subject ("urged X and Y to meet") may follow a verb.
                let to = self.rules.vocab.get("to").copied().unwrap_or(NO_WORD);
                let relaxed = p > 0 && s.items[p - 1].id == to && s.items[p - 1].ent.is_none();
                let g = self.group_left_opt(s, k, q, relaxed);
                let first = g.members.first().map(|m| m.pos()).unwrap_or(q);
                return Some((g, q + 1, first));
            }
            if it.flags & F_POSS != 0 {
                if k.possessor {
                    skipped += 1;
                    continue;
                }
                return None;
            }
            if it.punct {
                // Past an apposition or a parenthesis only when the trigger follows
                // within a short auxiliary chain ("..., was received by"), not a noun
                // phrase or a verb of saying ("..., told the annual meeting").
                let chain_only = skipped <= 3 && s.items[q + 1..p].iter().all(|it| it.flags & F_DET == 0);
                return match &s.text[it.start..it.end] {
                    ")" if chain_only => self.parenthesised_subject(s, k, q),
                    "," if chain_only => self.apposition_subject(s, k, q),
                    _ => None,
                };
            }
            let f = it.flags;
            if f & F_PRON_PER != 0 {
                return Some((Group { members: vec![Member::Pron(q)], separate: false, end: q + 1 }, q + 1, q));
            }
            if f & F_SPEAKER != 0 {
                // "\"We will not meet Hamas,\" Blinken told reporters": the quoted speaker.
                let m = self.quote_speaker(s, k, q, p)?;
                return Some((Group { members: vec![m], separate: false, end: q + 1 }, q + 1, q));
            }
            if f & F_PRON_OTHER != 0 {
                return None;
            }
            if f & F_REL != 0 {
                // "X, who met Y"
                if q >= 2 && s.items[q - 1].ent.is_none() && s.text[s.items[q - 1].start..s.items[q - 1].end] == *"," {
                    if let Some(e) = s.items[q - 2].ent {
                        if self.allowed(k, e) {
                            let g = self.group_left(s, k, q - 2);
                            return Some((g, q, q));
                        }
                    }
                }
                return None;
            }
            if f & F_COORD != 0 || (f & F_VCOORD != 0 && skipped <= 2) {
                // Verb coordination: "X visited Kiev and met Y", "he was not received by
                // Sanchez, but held talks with Y" -> subject of the clause before.
                let before = if f & F_VCOORD != 0 && q > 0 && s.text[s.items[q - 1].start..s.items[q - 1].end] == *"," {
                    q - 1
                } else {
                    q
                };
                let cs = self.clause_start(s, before);
                if cs >= q {
                    return None;
                }
                if s.items[cs].flags & F_PRON_PER != 0 {
                    return Some((Group { members: vec![Member::Pron(cs)], separate: false, end: cs + 1 }, q + 1, cs));
                }
                let (m, _) = self.noun_phrase_member(s, k, cs, 4)?;
                if m.pos() >= q {
                    return None;
                }
                // The entity must be followed by something verbal, not be a coordinated subject.
                let g = self.group_left(s, k, m.pos());
                let _ = g;
                return Some((Group { members: vec![m], separate: false, end: m.pos() + 1 }, q + 1, cs));
            }
            if f & (F_BREAK | F_COMP) != 0 {
                return None;
            }
            skipped += 1;
            if skipped > self.rules.settings.max_subject_skip {
                return None;
            }
        }
        None
    }

    /// The speaker of a quotation holding `q` (a first-person pronoun) and the trigger
    /// at `p`: the argument entity next to a speech verb right after the closing quote
    /// ("...," Blinken told reporters; "...," said Blinken).
    fn quote_speaker(&self, s: &Sentence, k: &KindRule, q: usize, p: usize) -> Option<Member> {
        let is_quote = |i: usize| {
            let it = &s.items[i];
            it.ent.is_none() && matches!(&s.text[it.start..it.end], "\"" | "“" | "”")
        };
        let n = s.items.len();
        if (0..q).filter(|&i| is_quote(i)).count() % 2 == 0 {
            return None;
        }
        let c = (p..n).find(|&i| is_quote(i))?;
        let speech = |i: usize| i < n && s.items[i].ent.is_none() && s.items[i].flags & F_SPEECH != 0;
        let mut after_verb = false;
        for i in c + 1..(c + 9).min(n) {
            let it = &s.items[i];
            if let Some(e) = it.ent {
                if self.allowed(k, e) && (after_verb || speech(i + 1)) {
                    return Some(Member::Ent(e, i));
                }
                continue;
            }
            if speech(i) {
                after_verb = true;
                continue;
            }
            if it.punct
                || it.flags & !(F_NPPREP | F_PREP | F_DET) != 0
                || (it.flags & F_PREP != 0 && it.flags & F_NPPREP == 0)
            {
                return None;
            }
        }
        None
    }

    fn resolve_pronoun(
        &self,
        s: &Sentence,
        q: usize,
        sent_pers: &[Vec<usize>],
        si: usize,
        exclude: &[usize],
    ) -> Option<usize> {
        let ok = |e: usize| !exclude.contains(&self.entities[e].entity_id);
        for it in &s.items[..q.min(s.items.len())] {
            if let Some(e) = it.ent {
                if self.entities[e].label == EntityKind::Person && ok(e) {
                    return Some(e);
                }
            }
        }
        let look = self.rules.settings.pronoun_lookback;
        for back in 1..=look {
            if back > si {
                break;
            }
            if let Some(e) = sent_pers[si - back].iter().copied().find(|&e| ok(e)) {
                return Some(e);
            }
            if !sent_pers[si - back].is_empty() {
                break;
            }
        }
        None
    }

    fn span(&self, a: usize, b: usize) -> TextSpan {
        TextSpan { text: self.text[a..b].to_string(), start: a, end: b }
    }

    #[allow(clippy::too_many_arguments)]
    fn emit(
        &self,
        s: &Sentence,
        k: &KindRule,
        st: &MatchState,
        nominal: bool,
        chain: usize,
        gov: usize,
        sent_pers: &[Vec<usize>],
        si: usize,
        seen: &mut HashSet<(usize, usize, usize)>,
        made: &mut usize,
        out: &mut Vec<Relation>,
    ) {
        let c = self.rules;
        let n = s.items.len();
        let class: Vec<usize> = st.class.iter().copied().filter(|&i| i < n).collect();
        let lex_lo = st.lex.iter().copied().min().unwrap_or(0);
        let lex_hi = st.lex.iter().copied().max().unwrap_or(0) + 1;
        let (tlo, thi) = if class.is_empty() {
            (lex_lo, lex_hi)
        } else {
            (class.iter().copied().min().unwrap_or(0), class.iter().copied().max().unwrap_or(0) + 1)
        };
        let groups: Vec<&Group> = [&st.x, &st.y, &st.xy].into_iter().flatten().collect();
        let mut lo = lex_lo;
        let mut hi = lex_hi.max(st.end);
        for g in &groups {
            for m in &g.members {
                lo = lo.min(m.pos());
                hi = hi.max(m.pos() + 1);
            }
        }
        let cs = self.clause_start(s, lo.min(gov));
        let ce = self.clause_end(s, hi);
        // Non-event cues cancel the relation.
        if self.any_cue(s, &k.exclude, self.clause_start(s, lo), ce) {
            return;
        }
        let (neg, modality) = if nominal {
            // Before the noun phrase: the whole clause ("ruled out a meeting between ...");
            // after it: its predicate, a few words on ("... is expected", "... has been
            // called off"), not cues inside later phrases ("... focused on a possible
            // ceasefire", "... yielded agreements to curb ...").
            let ce = ce.min(hi + c.settings.nominal_cue_window);
            let neg = self.any_cue(s, &c.negation, cs, ce) || self.any_cue(s, &c.negation_gov, cs, ce);
            let m =
                c.modality.iter().find(|m| self.any_cue(s, &m.cues, cs, ce) || self.any_cue(s, &m.governing, cs, ce));
            (neg, m)
        } else {
            let gs = self.clause_start(s, gov);
            // The auxiliary chain: from the subject to the end of the trigger words.
            let neg = self.any_cue(s, &c.negation, chain.min(thi), thi) || self.any_cue(s, &c.negation_gov, gs, gov);
            let m = c
                .modality
                .iter()
                .find(|m| self.any_cue(s, &m.cues, chain.min(thi), thi) || self.any_cue(s, &m.governing, gs, gov));
            (neg, m)
        };
        let modality = match modality_name(modality) {
            Some(m) => m,
            None if neg => c.settings.negated_modality.clone(),
            None => c.settings.default_modality.clone(),
        };
        let separate = self.any_cue(s, &c.separate, lo, hi);
        // Pairs.
        let mut pairs: Vec<(Member, Member)> = Vec::new();
        let all_pairs = |ms: &[Member], pairs: &mut Vec<(Member, Member)>| {
            for i in 0..ms.len() {
                for j in i + 1..ms.len() {
                    pairs.push((ms[i], ms[j]));
                }
            }
        };
        if let Some(g) = &st.xy {
            all_pairs(&g.members, &mut pairs);
        } else if let (Some(x), Some(y)) = (&st.x, &st.y) {
            for a in &x.members {
                for b in &y.members {
                    pairs.push((*a, *b));
                }
            }
            if k.symmetric {
                all_pairs(&x.members, &mut pairs);
                if !y.separate && !separate {
                    all_pairs(&y.members, &mut pairs);
                }
            }
        }
        let named: Vec<usize> = groups
            .iter()
            .flat_map(|g| g.members.iter())
            .filter_map(|m| match m {
                Member::Ent(e, _) => Some(self.entities[*e].entity_id),
                Member::Pron(_) => None,
            })
            .collect();
        let arg_ents: Vec<usize> = groups
            .iter()
            .flat_map(|g| g.members.iter())
            .filter_map(|m| if let Member::Ent(e, _) = m { Some(*e) } else { None })
            .collect();
        let location = self.location(s, cs, ce, thi, &arg_ents);
        for (a, b) in pairs {
            let Some(aa) = self.argument(s, a, sent_pers, si, &named) else { continue };
            let Some(bb) = self.argument(s, b, sent_pers, si, &named) else { continue };
            if aa.entity_id == bb.entity_id {
                continue;
            }
            let key = if k.symmetric {
                (aa.entity_id.min(bb.entity_id), aa.entity_id.max(bb.entity_id))
            } else {
                (aa.entity_id, bb.entity_id)
            };
            let kid = c.kinds.iter().position(|kk| kk.kind == k.kind).unwrap_or(0);
            if !seen.insert((kid, key.0, key.1)) {
                continue;
            }
            out.push(Relation {
                kind: k.kind.clone(),
                source: aa,
                target: bb,
                negated: neg,
                modality: modality.clone(),
                trigger: self.span(s.items[tlo].start, s.items[thi - 1].end),
                sentence: Span { start: s.range.0, end: s.range.1 },
                location: location.clone(),
            });
            *made += 1;
            if *made >= c.settings.max_pairs {
                return;
            }
        }
    }

    fn argument(
        &self,
        s: &Sentence,
        m: Member,
        sent_pers: &[Vec<usize>],
        si: usize,
        named: &[usize],
    ) -> Option<Argument> {
        match m {
            Member::Ent(e, _) => {
                let en = &self.entities[e];
                Some(Argument {
                    text: self.text[en.start..en.end].to_string(),
                    label: en.label.clone(),
                    start: en.start,
                    end: en.end,
                    entity_id: en.entity_id,
                })
            }
            Member::Pron(q) => {
                let e = self.resolve_pronoun(s, q, sent_pers, si, named)?;
                let it = &s.items[q];
                Some(Argument {
                    text: self.text[it.start..it.end].to_string(),
                    label: self.entities[e].label.clone(),
                    start: it.start,
                    end: it.end,
                    entity_id: self.entities[e].entity_id,
                })
            }
        }
    }

    fn location(&self, s: &Sentence, cs: usize, ce: usize, after: usize, args: &[usize]) -> Option<TextSpan> {
        let find = |a: usize, b: usize| -> Option<TextSpan> {
            for i in a..b {
                if s.items[i].flags & F_LOCPREP == 0 || s.items[i].ent.is_some() {
                    continue;
                }
                let mut j = i + 1;
                if j < b && s.items[j].flags & F_DET != 0 && s.items[j].ent.is_none() {
                    j += 1;
                }
                if j < b {
                    if let Some(e) = s.items[j].ent {
                        if self.entities[e].label == EntityKind::Location && !args.contains(&e) {
                            let en = &self.entities[e];
                            return Some(self.span(en.start, en.end));
                        }
                    }
                }
            }
            None
        };
        let ce = ce.min(s.items.len());
        find(after.min(ce), ce).or_else(|| find(cs.min(ce), after.min(ce)))
    }
}

fn modality_name(m: Option<&ModalityCat>) -> Option<String> {
    m.map(|m| m.name.clone())
}

fn has_nominal_match(st: &MatchState) -> bool {
    st.class.contains(&usize::MAX)
}

fn set_role(st: &mut MatchState, role: Role, g: Group) {
    match role {
        Role::X => st.x = Some(g),
        Role::Y => st.y = Some(g),
        Role::XY => st.xy = Some(g),
    }
}

fn clear_role(st: &mut MatchState, role: Role) {
    match role {
        Role::X => st.x = None,
        Role::Y => st.y = None,
        Role::XY => st.xy = None,
    }
}
