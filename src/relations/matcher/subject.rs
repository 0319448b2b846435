//! Subject slots: the participants left of a trigger, across auxiliary
//! chains, relative clauses, appositions, parentheses, verb coordination and
//! quotes.

use super::*;

impl Matcher<'_> {
    /// Is the item at `q` (an entity) a plausible subject-phrase start (not the object of a verb)?
    pub(super) fn opens_subject(&self, s: &Sentence, q: usize) -> bool {
        let mut i = q;
        let mut skipped = 0;
        while i > 0 && skipped < 4 {
            let it = &s.items[i - 1];
            // "Ukraine's Rustem Umerov".
            if it.flags & F_POSS != 0 && it.ent.is_none() && i >= 2 && s.items[i - 2].ent.is_some() {
                i -= 2;
                skipped += 1;
                continue;
            }
            let title = it.ent.is_some() || (it.cap && !it.punct && it.flags == 0) || it.flags & F_NPPREP != 0;
            if !title {
                break;
            }
            i -= 1;
            skipped += 1;
        }
        // "Rival Palestinian factions Hamas and Fatah": a plural common noun heading
        // the coordination at the start of a clause.
        if i > 0 && skipped < 4 {
            let it = &s.items[i - 1];
            let w = &s.text[it.start..it.end];
            if !it.cap
                && !it.punct
                && it.flags == 0
                && w.len() > 3
                && w.ends_with('s')
                && !self.rules.anchors.contains_key(&it.id)
            {
                i -= 1;
                while i > 0 && {
                    let t = &s.items[i - 1];
                    t.ent.is_some() || (t.cap && !t.punct && t.flags == 0)
                } {
                    i -= 1;
                }
            }
        }
        if i == 0 {
            return true;
        }
        let it = &s.items[i - 1];
        // "delegations led by A and B met": members after a leaders phrase.
        let led = self.rules.leaders.iter().any(|l| i >= l.len() && self.phrase_at(s, i - l.len(), l, i));
        led || it.punct || it.cap || it.flags & (F_COORD | F_COMP | F_BREAK | F_DET | F_REL) != 0
    }

    pub(super) fn group_left(&self, s: &Sentence, k: &KindRule, q: usize) -> Group {
        self.group_left_opt(s, k, q, false)
    }

    /// `relaxed`: members need not open a subject ("urged Kerry and Lavrov to meet").
    pub(super) fn group_left_opt(&self, s: &Sentence, k: &KindRule, q: usize, relaxed: bool) -> Group {
        let mut members = vec![Member::Ent(s.items[q].ent.unwrap_or(0), q)];
        let mut cur = q;
        let mut seen_and = false;
        loop {
            // Skip titles before the current member.
            let mut j = cur;
            let mut skipped = 0;
            while j > 0 && skipped < 4 {
                let it = &s.items[j - 1];
                // "Malaysia's Anwar Ibrahim": a possessor before a member modifies it.
                if it.flags & F_POSS != 0 && it.ent.is_none() && j >= 2 && s.items[j - 2].ent.is_some() {
                    j -= 2;
                    skipped += 1;
                    continue;
                }
                let plain_prep = it.flags & F_PREP != 0 && it.flags & F_NPPREP == 0;
                // An argument entity right before a capitalised title modifies it
                // ("Uzbek President Shavkat Mirziyoyev" with "Uzbek" read as a place).
                let modifier =
                    it.ent.is_some() && j < cur && s.items[j].ent.is_none() && s.items[j].cap && !s.items[j].punct;
                let title = it.ent.is_some_and(|e| !self.allowed(k, e))
                    || modifier
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
                // "In Beijing, Xi and Putin met": a fronted place phrase is no member.
                let fronted = prev > 0 && {
                    let b = &s.items[prev - 1];
                    b.ent.is_none() && b.flags & F_PREP != 0 && b.flags & F_NPPREP == 0
                };
                if fronted {
                    break;
                }
            } else {
                break;
            }
            // "Colombia's government and the ELN": the possessor stands for its government.
            if s.items[prev].ent.is_none() {
                // Government nouns are one or two words (three at most here).
                let gov = (prev.saturating_sub(3).max(1)..=prev).find_map(|poss| {
                    self.government_of(s, k, poss).filter(|&(_, _, end)| end == prev + 1).map(|(_, p, _)| p)
                });
                match gov {
                    Some(p) => prev = p,
                    None => break,
                }
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
    pub(super) fn parenthesised_subject(&self, s: &Sentence, k: &KindRule, q: usize) -> Option<(Group, usize, usize)> {
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
    pub(super) fn apposition_subject(&self, s: &Sentence, k: &KindRule, q: usize) -> Option<(Group, usize, usize)> {
        let text = |j: usize| &s.text[s.items[j].start..s.items[j].end];
        let c0 = (q.saturating_sub(30)..q).rev().find(|&j| s.items[j].punct && text(j) == ",")?;
        // A dash ends a dateline, not an apposition: "DOHA, Dec 11 (Reuters) - ...
        // talks in Doha, hosted by Qatar".
        let stop = |j: usize| s.items[j].punct && (matches!(text(j), ";" | ":") || is_dash(text(j)));
        if c0 + 1 >= q || c0 == 0 || (c0 + 1..q).any(stop) {
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
        // Title words; an entity among them modifies a title ("Senate President Hun Sen").
        let title_word = |j: usize| !s.items[j].punct && s.items[j].ent.is_none();
        let titled = titles.clone().all(|j| !s.items[j].punct)
            && (titles.clone().all(title_word) || (titles.len() >= 2 && title_word(last - 1) && s.items[last - 1].cap));
        if self.allowed(k, e) && plain_head && titles.len() <= 4 && titled {
            return Some((single(e, last), q + 1, c0));
        }
        None
    }

    /// "met reporters visiting Lula": a participle right after a common noun
    /// modifies that noun, whose subject it is (syntax heads only). Not after a
    /// word the rules know ("announced sanctions targeting Y" are X's
    /// sanctions), nor after a prepositional object ("Berisha, who was at the
    /// time meeting Y").
    fn participle_of_noun(&self, s: &Sentence, p: usize) -> bool {
        let noun = |i: usize| {
            let it = &s.items[i];
            it.ent.is_none() && it.id == NO_WORD && it.syn & SYN_COMMON_NOUN != 0
        };
        if s.items.get(p).is_none_or(|t| t.syn & SYN_GERUND == 0) || p == 0 || !noun(p - 1) {
            return false;
        }
        // The noun phrase's first word, then the word before it.
        let mut start = p - 1;
        while start > 0 && s.items[start].syn & SYN_NP_BEGIN == 0 && s.items[start - 1].syn & SYN_NP != 0 {
            start -= 1;
        }
        start == 0 || s.items[start - 1].flags & F_PREP == 0
    }

    /// The subject of a trigger at `p`: (group, chain start, governing-window end).
    pub(super) fn subject(&self, s: &Sentence, k: &KindRule, p: usize) -> Option<(Group, usize, usize)> {
        if let Some(found) = self.gerund_subject(s, k, p) {
            return Some(found);
        }
        if self.participle_of_noun(s, p) {
            return None;
        }
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
                // "A Hamas delegation led by X met Y": the leader is the subject.
                let led = self.rules.leaders.iter().any(|l| q >= l.len() && self.phrase_at(s, q - l.len(), l, q));
                if !led && !subord && q > 0 && s.items[q - 1].flags & F_PREP != 0 && s.items[q - 1].ent.is_none() {
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
                let mut g = self.group_left_opt(s, k, q, relaxed);
                if let Some(m) = self.headline_partner(s, k, &g, p) {
                    g.members.insert(0, m);
                }
                let first = g.members.first().map(|m| m.pos()).unwrap_or(q);
                return Some((g, q + 1, first));
            }
            if it.flags & F_POSS != 0 {
                // "Ethiopia's government met ...".
                if let Some((_, pos, end)) = self.government_of(s, k, q) {
                    if end <= p && s.items[end..p].iter().all(|it| it.ent.is_none()) {
                        let g = self.group_left(s, k, pos);
                        let first = g.members.first().map(|m| m.pos()).unwrap_or(pos);
                        return Some((g, q + 1, first));
                    }
                }
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

    /// Headline coordination by a comma alone: "Modi, Xi meet on sidelines of summit",
    /// "Japan, Philippines hold security talks". Only for a lone subject right after
    /// "ENTITY ," at the start of the sentence (or after a dateline's dash), with a
    /// plural present verb ("meet", "hold", "talk", "sit") as the trigger, which a
    /// single subject would not take ("In Beijing, Xi meets ...").
    fn headline_partner(&self, s: &Sentence, k: &KindRule, g: &Group, p: usize) -> Option<Member> {
        let [Member::Ent(_, q)] = g.members[..] else { return None };
        let verb = &s.text[s.items[p].start..s.items[p].end];
        if !matches!(verb, "meet" | "hold" | "talk" | "sit") || q < 2 || q + 1 != p {
            return None;
        }
        let comma = &s.items[q - 1];
        if comma.ent.is_some() || s.text[comma.start..comma.end] != *"," {
            return None;
        }
        let e = s.items[q - 2].ent.filter(|&e| self.allowed(k, e))?;
        let start = q - 2 == 0 || {
            let before = &s.items[q - 3];
            before.punct && is_dash(&s.text[before.start..before.end])
        };
        start.then_some(Member::Ent(e, q - 2))
    }

    /// "X met Y in Madrid, a day after hosting Z": a gerund right after a subordinator
    /// ("after", "before") has the subject of the sentence's first trigger before it.
    /// Cues of that clause do not reach the gerund (its chain starts at `p`).
    fn gerund_subject(&self, s: &Sentence, k: &KindRule, p: usize) -> Option<(Group, usize, usize)> {
        let it = s.items.get(p)?;
        let before = s.items.get(p.checked_sub(1)?)?;
        if before.flags & F_SUBORD == 0 || before.ent.is_some() || !s.text[it.start..it.end].ends_with("ing") {
            return None;
        }
        let main = (0..p - 1).find(|&a| {
            let w = &s.items[a];
            // A trigger word, not the "'s" that anchors "X= 's @meeting_noun with Y".
            w.ent.is_none() && !w.punct && w.flags & F_POSS == 0 && self.rules.anchors.contains_key(&w.id)
        })?;
        if s.items[main..p].iter().any(|w| w.flags & F_BREAK != 0) {
            return None;
        }
        let (g, _, _) = self.subject(s, k, main)?;
        let first = g.members.first().map(|m| m.pos()).unwrap_or(main);
        Some((g, p, first))
    }

    /// The speaker of a quotation holding `q` (a first-person pronoun) and the trigger
    /// at `p`: the argument entity next to a speech verb right after the closing quote
    /// ("...," Blinken told reporters; "...," said Blinken).
    pub(super) fn quote_speaker(&self, s: &Sentence, k: &KindRule, q: usize, p: usize) -> Option<Member> {
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
}
