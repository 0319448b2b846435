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
        // "Rival Palestinian factions Hamas and Fatah", "Russian oil majors Rosneft and
        // Lukoil": a plural common noun heading the coordination at the start of a
        // clause, after capitalised words, entities and at most two lower-case words.
        if i > 0 && skipped < 4 {
            let it = &s.items[i - 1];
            let w = &s.text[it.start..it.end];
            if !it.cap && !it.punct && it.flags == 0 && w.len() > 3 && w.ends_with('s') && !self.trigger_at(s, i - 1) {
                i -= 1;
                let mut lower = 0;
                while i > 0 && {
                    let t = &s.items[i - 1];
                    let plain_lower = !t.cap
                        && !t.punct
                        && t.ent.is_none()
                        && t.flags == 0
                        && lower < 2
                        && t.syn & SYN_VERB == 0
                        && !s.text[t.start..t.end].ends_with("ed");
                    lower += usize::from(plain_lower);
                    t.ent.is_some() || (t.cap && !t.punct && t.flags == 0) || plain_lower
                } {
                    i -= 1;
                }
            }
        }
        if i == 0 {
            return true;
        }
        // "Delegations from Russia and Ukraine sat face to face".
        if self.represented_from(s, i) {
            return true;
        }
        let it = &s.items[i - 1];
        // "delegations led by A and B met": members after a leaders phrase.
        let led = self.rules.leaders.iter().any(|l| i >= l.len() && self.phrase_at(s, i - l.len(), l, i));
        led || it.punct || it.cap || it.flags & (F_COORD | F_COMP | F_BREAK | F_DET | F_REL) != 0
    }

    /// The words before position `i` are a `representatives` noun and "from" or
    /// "of" ("delegations from", "negotiators of").
    pub(super) fn represented_from(&self, s: &Sentence, i: usize) -> bool {
        if i < 2 {
            return false;
        }
        let prep = &s.items[i - 1];
        let from = prep.ent.is_none() && matches!(&s.text[prep.start..prep.end], "from" | "of");
        from && self.rules.representatives.iter().any(|p| i > p.len() && self.phrase_at(s, i - 1 - p.len(), p, i - 1))
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
                // Also before a lower-case title ("Kremlin investment envoy Kirill Dmitriev").
                // Not when the entity itself closes a coordination of its type ("Tesla and
                // SpaceX chief Elon Musk": both companies modify the title).
                let lower_title = s.items[j].flags == 0 && !self.trigger_at(s, j);
                let coordinated_modifier = || {
                    j >= 3
                        && s.items[j - 2].flags & F_COORD != 0
                        && s.items[j - 2].ent.is_none()
                        && s.items[j - 3]
                            .ent
                            .zip(it.ent)
                            .is_some_and(|(a, b)| self.entities[a].label == self.entities[b].label)
                };
                let modifier = it.ent.is_some()
                    && j < cur
                    && s.items[j].ent.is_none()
                    && !s.items[j].punct
                    && (s.items[j].cap || (lower_title && !coordinated_modifier()));
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
            let is_comma = s.is_comma(j - 1);
            let mut prev;
            if sep.flags & F_COORD != 0 && sep.ent.is_none() {
                if j < 2 {
                    break;
                }
                prev = j - 2;
                if s.is_comma(prev) && prev > 0 {
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
            // "The African National Congress (ANC) and the Democratic Alliance": the name
            // before its acronym in parentheses.
            if prev >= 3 && s.word(prev) == ")" && s.word(prev - 2) == "(" && s.items[prev - 1].ent.is_some() {
                if s.items[prev - 3].ent.is_some() {
                    prev -= 3;
                } else {
                    prev -= 1;
                }
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
        if !self.allowed(k, e) || s.word(open) != "(" {
            return None;
        }
        // The name before the acronym, with the members coordinated before it.
        if let Some(name) = open.checked_sub(1).filter(|&j| s.items[j].ent.is_some_and(|e| self.allowed(k, e))) {
            let mut g = self.group_left(s, k, name);
            if g.members.len() > 1 {
                // The acronym stands for the last member, as when it is alone.
                if let Some(last) = g.members.last_mut() {
                    *last = Member::Ent(e, q - 1);
                }
                let first = g.members.first().map_or(name, |m| m.pos());
                return Some((Group { end: q, ..g }, q + 1, first));
            }
        }
        Some((Group { members: vec![Member::Ent(e, q - 1)], separate: false, end: q }, q + 1, q - 1))
    }

    /// "The two leaders - Aleksandar Vucic and Viktor Orban - conferred": at the
    /// closing dash `q`, the participants between the dashes (not a wire
    /// dateline's dash: the opening dash follows a common noun).
    pub(super) fn dashed_subject(&self, s: &Sentence, k: &KindRule, q: usize) -> Option<(Group, usize, usize)> {
        let last = q.checked_sub(1)?;
        s.items[last].ent.filter(|&e| self.allowed(k, e))?;
        let open = (q.saturating_sub(16)..last).rev().find(|&j| s.items[j].punct && is_dash(s.word(j)))?;
        let head = open.checked_sub(1).map(|j| &s.items[j])?;
        if head.ent.is_some() || head.punct || head.cap {
            return None;
        }
        let g = self.group_left(s, k, last);
        let first = g.members.first()?.pos();
        (first > open).then(|| (Group { end: q, ..g }, q + 1, first))
    }

    /// A subject set off by an apposition, at the apposition's closing comma `q`:
    /// "Milei, a staunch supporter of Israel who ..., met Herzog" (the entity before
    /// the opening comma, or the acronym in parentheses there), or "its commander,
    /// General Abdel Fattah al-Burhan, had met ..." (a name of at most four title words
    /// closing an apposition to a common noun). Cues inside the apposition are not
    /// part of the trigger's auxiliary chain.
    pub(super) fn apposition_subject(&self, s: &Sentence, k: &KindRule, q: usize) -> Option<(Group, usize, usize)> {
        let c0 = (q.saturating_sub(30)..q).rev().find(|&j| s.is_comma(j))?;
        // A dash ends a dateline, not an apposition: "DOHA, Dec 11 (Reuters) - ...
        // talks in Doha, hosted by Qatar".
        let stop = |j: usize| s.items[j].punct && (matches!(s.word(j), ";" | ":") || is_dash(s.word(j)));
        if c0 + 1 >= q || c0 == 0 || (c0 + 1..q).any(stop) {
            return None;
        }
        let single = |e: usize, pos: usize| Group { members: vec![Member::Ent(e, pos)], separate: false, end: pos + 1 };
        // The head before the opening comma (or its acronym in parentheses).
        let mut head = c0 - 1;
        if s.word(head) == ")" && head >= 2 && s.word(head - 2) == "(" {
            head -= 1;
        }
        if let Some(e) = s.items[head].ent {
            // "The head of the African Union Commission, Mahmoud Ali Youssouf, sat down
            // with": the head before the comma only names the title's body; the name in
            // apposition is the subject.
            if let Some(name) = self.name_for_of_object(s, k, head, c0, q) {
                return Some((single(name.0, name.1), q + 1, c0));
            }
            let possessed = s.items.get(head + 1).is_some_and(|it| it.flags & F_POSS != 0);
            if !self.allowed(k, e) || possessed {
                return None;
            }
            // "Britain and Canada, along with three other governments, imposed ...".
            let g = self.group_left(s, k, head);
            let first = g.members.first().map_or(head, |m| m.pos());
            return Some((Group { end: head + 1, ..g }, q + 1, first));
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
            // "Rasmussen and Greenland's foreign minister, Vivian Motzfeldt, met": a
            // member coordinated before the common noun phrase joins the subject.
            let first = self.coordinated_before(s, k, c0).unwrap_or(c0);
            let mut g = single(e, last);
            if first < c0 {
                let mut left = self.group_left(s, k, first);
                left.members.push(Member::Ent(e, last));
                left.end = last + 1;
                g = left;
            }
            return Some((g, q + 1, first.min(c0)));
        }
        None
    }

    /// The entity at `head` is the object of "of" in a title phrase ("the head of
    /// the IAEA") and the apposition between the commas `c0` and `q` is one name
    /// (after at most two capitalised title words): that name and its position.
    fn name_for_of_object(
        &self,
        s: &Sentence,
        k: &KindRule,
        head: usize,
        c0: usize,
        q: usize,
    ) -> Option<(usize, usize)> {
        let before = |j: usize| s.items.get(j).filter(|it| it.ent.is_none());
        let mut j = head.checked_sub(1)?;
        if before(j).is_some_and(|it| it.flags & F_DET != 0) {
            j = j.checked_sub(1)?;
        }
        if before(j).is_none_or(|it| it.flags & F_NPPREP == 0) {
            return None;
        }
        let last = q.checked_sub(1)?;
        let e = s.items[last].ent.filter(|&e| self.allowed(k, e))?;
        if self.entities[e].label != EntityKind::Person || last < c0 + 1 || last - (c0 + 1) > 2 {
            return None;
        }
        s.items[c0 + 1..last].iter().all(|it| it.ent.is_none() && it.cap && !it.punct).then_some((e, last))
    }

    /// The common noun phrase that ends right before the comma `c0` ("Greenland's
    /// foreign minister") follows a coordinator and an argument entity that opens
    /// a subject ("Rasmussen and"): that entity's position.
    fn coordinated_before(&self, s: &Sentence, k: &KindRule, c0: usize) -> Option<usize> {
        let mut j = c0;
        let mut steps = 0;
        while j > 0 && steps < 6 {
            let it = &s.items[j - 1];
            if it.flags & F_COORD != 0 && it.ent.is_none() {
                break;
            }
            if (it.punct && it.flags & F_POSS == 0) || it.flags & (F_BREAK | F_REL | F_COMP | F_PREP) != 0 {
                return None;
            }
            j -= 1;
            steps += 1;
        }
        if j < 2 || j == c0 || s.items[j - 1].flags & F_COORD == 0 {
            return None;
        }
        let e = s.items[j - 2].ent?;
        (self.allowed(k, e) && self.opens_subject(s, j - 2)).then_some(j - 2)
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
        // "signed an executive order imposing sanctions": the order's signer imposes.
        if p > 0 && one_word_of(&self.rules.instrument_nouns, s.items[p - 1].id) {
            return false;
        }
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
                let represented = self.represented_from(s, q);
                if !led
                    && !subord
                    && !represented
                    && q > 0
                    && s.items[q - 1].flags & F_PREP != 0
                    && s.items[q - 1].ent.is_none()
                {
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
                // "is to visit Washington next month to meet Y": a verb's object with
                // words between it and "to" is no infinitival subject; look further left.
                let before = q.checked_sub(1).map(|b| &s.items[b]);
                let verb_object = relaxed
                    && q + 2 < p
                    && before.is_some_and(|b| {
                        let verb = b.syn & SYN_ANY_VERB != 0 || self.trigger_at(s, q - 1);
                        b.ent.is_none() && !b.punct && !b.cap && b.flags == 0 && verb
                    })
                    && s.items[q + 1..p - 1].iter().all(|it| it.ent.is_none() && !it.punct);
                if verb_object {
                    skipped += 1;
                    if skipped > self.rules.settings.max_subject_skip {
                        return None;
                    }
                    continue;
                }
                let mut g = self.group_left_opt(s, k, q, relaxed);
                if let Some(m) = self.headline_partner(s, k, &g, p) {
                    g.members.insert(0, m);
                }
                let first = g.members.first().map(|m| m.pos()).unwrap_or(q);
                return Some((g, q + 1, first));
            }
            if let Some(g) = self.the_two(s, q) {
                // "The two leaders later held talks": the last two people named.
                return Some((g, q + 1, q.saturating_sub(2)));
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
            if s.is_comma(q) {
                // "met Y on Tuesday and, separately, held talks with Z": back to "and".
                if let Some(c) = self.separate_before(s, q) {
                    q = c + 1;
                    continue;
                }
            }
            if it.punct {
                // Past an apposition or a parenthesis only when the trigger follows
                // within a short auxiliary chain ("..., was received by"), not a noun
                // phrase or a verb of saying ("..., told the annual meeting").
                let chain_only = skipped <= 3 && s.items[q + 1..p].iter().all(|it| it.flags & F_DET == 0);
                return match &s.text[it.start..it.end] {
                    ")" if chain_only => self.parenthesised_subject(s, k, q),
                    "," if chain_only => self.apposition_subject(s, k, q),
                    d if chain_only && is_dash(d) => self.dashed_subject(s, k, q),
                    _ => None,
                };
            }
            let f = it.flags;
            if f & F_PRON_PER != 0 {
                // "Zelenskiy said he would not meet Y": the speaker, not the first
                // person of the sentence.
                if let Some(g) = self.reported_subject(s, k, q) {
                    let person =
                        |m: &Member| matches!(m, Member::Ent(e, _) if self.entities[*e].label == EntityKind::Person);
                    if let [m] = g.members[..] {
                        if person(&m) {
                            return Some((Group { members: vec![m], separate: false, end: q + 1 }, q + 1, q));
                        }
                    }
                }
                return Some((Group { members: vec![Member::Pron(q)], separate: false, end: q + 1 }, q + 1, q));
            }
            if f & F_SPEAKER != 0 {
                // "\"We will not meet Hamas,\" Blinken told reporters": the quoted speaker.
                let m = self.quote_speaker(s, k, q, p)?;
                return Some((Group { members: vec![m], separate: false, end: q + 1 }, q + 1, q));
            }
            if f & F_PRON_OTHER != 0 {
                // "Russia's foreign ministry said on Saturday it had banned Y": "it" or
                // "they" right after a verb of saying stands for its subject.
                let c = self.rules;
                let starts = |i: usize, cues: &[Phrase]| self.cue_at(s, i, cues, p);
                let chain = (q + 1..p).all(|i| {
                    let w = &s.items[i];
                    w.ent.is_none()
                        && (w.ly
                            || w.flags & F_ADV != 0
                            || starts(i, &c.auxiliaries)
                            || starts(i, &c.negation)
                            || (i > q + 1 && starts(i - 1, &c.negation) && w.flags & F_BREAK != 0)
                            || c.modality.iter().any(|m| starts(i, &m.cues)))
                });
                if !chain {
                    return None;
                }
                return self.reported_subject(s, k, q).map(|g| {
                    let first = g.members.first().map_or(q, |m| m.pos());
                    (g, q + 1, first)
                });
            }
            if f & F_REL != 0 {
                // "X, who met Y"
                if q >= 2 && s.is_comma(q - 1) {
                    if let Some(e) = s.items[q - 2].ent {
                        if self.allowed(k, e) {
                            let g = self.group_left(s, k, q - 2);
                            return Some((g, q, q));
                        }
                    }
                }
                return None;
            }
            // "had not yet sanctioned": "yet" after a negation is an adverb.
            let after_negation =
                q > 0 && s.items[q - 1].ent.is_none() && one_word_of(&self.rules.negation, s.items[q - 1].id);
            if f & (F_BREAK | F_VCOORD) != 0 && f & F_COORD == 0 && after_negation {
                skipped += 1;
                continue;
            }
            if f & F_COORD != 0 || (f & F_VCOORD != 0 && skipped <= 2) {
                // Verb coordination: "X visited Kiev and met Y", "he was not received by
                // Sanchez, but held talks with Y" -> subject of the clause before.
                // ", and later met": the clause before the comma.
                let before = if q > 0 && s.is_comma(q - 1) { q - 1 } else { q };
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
                // "A, B, C and D arrived in Kyiv and met Y": the clause's subject may be a
                // coordination (its last member, then back to its first).
                let last = self
                    .np_group(s, k, m.pos(), false, None)
                    .and_then(|g| g.members.last().copied())
                    .filter(|l| l.pos() < q && matches!(l, Member::Ent(..)));
                if let Some(l) = last {
                    let g = self.group_left(s, k, l.pos());
                    if g.members.iter().any(|x| x.pos() == m.pos()) {
                        let first = g.members.first().map_or(cs, |x| x.pos());
                        return Some((g, q + 1, first.min(cs)));
                    }
                }
                return Some((Group { members: vec![m], separate: false, end: m.pos() + 1 }, q + 1, cs));
            }
            if f & (F_BREAK | F_COMP) != 0 {
                return None;
            }
            // "Sybiha urged partners to tighten sanctions": the one urged, a common
            // noun here, is the subject of the infinitive, not the one who urges.
            if self.urged_common_object(s, q, p) {
                return None;
            }
            skipped += 1;
            if skipped > self.rules.settings.max_subject_skip {
                return None;
            }
        }
        None
    }

    /// "X said (on Saturday) (that) it ...": the pronoun "it", "they", "he" or "she" at `q`
    /// follows, within four words of time and "that", a verb of saying; the
    /// subject of that verb.
    fn reported_subject(&self, s: &Sentence, k: &KindRule, q: usize) -> Option<Group> {
        let it = &s.items[q];
        if !one_word_of(&self.rules.reported_pronouns, it.id) {
            return None;
        }
        let mut j = q;
        for _ in 0..5 {
            j = j.checked_sub(1)?;
            let w = &s.items[j];
            if w.ent.is_none() && w.flags & F_SPEECH != 0 {
                let (g, _, _) = self.subject(s, k, j)?;
                return g.members.iter().all(|m| matches!(m, Member::Ent(..))).then_some(g);
            }
            let filler = w.ent.is_none() && !w.punct && w.flags & !(F_COMP | F_PREP) == 0;
            if !filler {
                return None;
            }
        }
        None
    }

    /// The item at `q` starts a governing request cue ("urged", "called on"), a
    /// lower-case common noun follows it, and the trigger at `p` is an infinitive.
    fn urged_common_object(&self, s: &Sentence, q: usize, p: usize) -> bool {
        let c = self.rules;
        let len = c
            .modality
            .iter()
            .flat_map(|m| m.governing.iter())
            .filter(|g| g[0] == s.items[q].id && self.phrase_at(s, q, g, p))
            .map(|g| g.len())
            .max();
        let Some(len) = len else { return false };
        let infinitive = p > 0 && s.word(p - 1).eq_ignore_ascii_case("to");
        let object =
            s.items.get(q + len).is_some_and(|o| o.ent.is_none() && !o.punct && !o.cap && o.flags & !F_DET == 0);
        infinitive && object && s.items[q + len..p].iter().all(|it| it.ent.is_none())
    }

    /// "the two leaders" ending at `q` (a plural noun for people after "the two"):
    /// the last two different people named before it in this sentence, or else in
    /// the one before.
    fn the_two(&self, s: &Sentence, q: usize) -> Option<Group> {
        if q < 2 || s.items[q].ent.is_some() {
            return None;
        }
        let word = |j: usize| s.word(j).to_ascii_lowercase();
        // "when the two meet".
        if word(q) == "two" && word(q - 1) == "the" {
            return self.last_two_people(s, q - 1, q);
        }
        let people_noun = one_word_of(&self.rules.pair_nouns, s.items[q].id);
        if !people_noun || word(q - 1) != "two" || word(q - 2) != "the" {
            return None;
        }
        self.last_two_people(s, q - 2, q)
    }

    /// The last two different people named before position `before` (in this
    /// sentence, else the one before), as a group ending at `q`.
    fn last_two_people(&self, s: &Sentence, before: usize, q: usize) -> Option<Group> {
        let here: Vec<usize> = s.items[..before]
            .iter()
            .filter_map(|it| it.ent)
            .filter(|&e| self.entities[e].label == EntityKind::Person)
            .collect();
        let mut picked: Vec<usize> = Vec::new();
        for &e in here.iter().rev().chain(s.prev_people.iter().rev()) {
            let id = self.entities[e].entity_id;
            if !picked.iter().any(|&p| self.entities[p].entity_id == id) {
                picked.push(e);
            }
            if picked.len() == 2 {
                break;
            }
        }
        if picked.len() < 2 {
            return None;
        }
        picked.reverse();
        let members = picked.into_iter().map(|e| Member::Ent(e, before)).collect();
        Some(Group { members, separate: false, end: q + 1 })
    }

    /// The comma at `q` closes ", separately ," right after a coordinator: the
    /// coordinator's position.
    pub(super) fn separate_before(&self, s: &Sentence, q: usize) -> Option<usize> {
        let len = self.rules.separate.iter().find(|p| q > p.len() && self.phrase_at(s, q - p.len(), p, q))?.len();
        let open = q.checked_sub(len + 1)?;
        let coord = open.checked_sub(1)?;
        (s.is_comma(open) && s.items[coord].ent.is_none() && s.items[coord].flags & F_COORD != 0).then_some(coord)
    }

    /// Headline coordination by a comma alone: "Modi, Xi meet on sidelines of summit",
    /// "Japan, Philippines hold security talks". Only for a lone subject right after
    /// "ENTITY ," at the start of the sentence (or after a dateline's dash), with a
    /// plural present verb ("meet", "hold", "talk", "sit") as the trigger, which a
    /// single subject would not take ("In Beijing, Xi meets ...").
    fn headline_partner(&self, s: &Sentence, k: &KindRule, g: &Group, p: usize) -> Option<Member> {
        let [Member::Ent(_, q)] = g.members[..] else { return None };
        let verb = s.word(p);
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
    ///
    /// Also after a comma ("The Treasury took aim at Hamas's network on Friday,
    /// sanctioning Y"), and, when no trigger comes first, with the subject that
    /// opens the sentence ("Macron and Modi toured the site after holding talks").
    fn gerund_subject(&self, s: &Sentence, k: &KindRule, p: usize) -> Option<(Group, usize, usize)> {
        let it = s.items.get(p)?;
        let before = s.items.get(p.checked_sub(1)?)?;
        let comma = s.is_comma(p - 1);
        // "..., while keeping sanctions on Y": a clause breaker before a gerund too.
        let breaker = before.ent.is_none() && before.flags & F_BREAK != 0;
        if (before.flags & F_SUBORD == 0 && !comma && !breaker)
            || before.ent.is_some()
            || !s.text[it.start..it.end].ends_with("ing")
        {
            return None;
        }
        if s.items[..p - 1].iter().any(|w| w.flags & (F_BREAK | F_REL | F_COMP) != 0 && w.ent.is_none()) {
            return None;
        }
        // With syntax, a verb ("the U.S. sanctions programme" has no subject to lend).
        let with_syntax = self.syntax.is_some();
        let main = (0..p - 1).find(|&a| {
            let w = &s.items[a];
            // A trigger word, not the "'s" that anchors "X= 's @meeting_noun with Y".
            w.ent.is_none()
                && !w.punct
                && w.flags & F_POSS == 0
                && self.trigger_at(s, a)
                && (!with_syntax || w.syn & SYN_ANY_VERB != 0)
        });
        // The sentence's opening subject first: "Trump signed an order ending the U.S.
        // sanctions programme, while keeping sanctions on Y" (the first trigger word
        // may be a noun).
        let g = match (self.opening_subject(s, k, p - 1), main) {
            (Some(g), _) => g,
            (None, Some(main)) => self.subject(s, k, main)?.0,
            (None, None) => return None,
        };
        let first = g.members.first().map(|m| m.pos()).unwrap_or(p);
        Some((g, p, first))
    }

    /// The subject that opens the sentence (after a wire dateline): argument
    /// entities, coordinated, followed by a lower-case word that is no
    /// preposition, all before `limit`.
    fn opening_subject(&self, s: &Sentence, k: &KindRule, limit: usize) -> Option<Group> {
        let start = (0..limit.min(12)).find(|&j| s.items[j].punct && is_dash(s.word(j))).map_or(0, |d| d + 1);
        let g = self.np_group(s, k, start, false, None)?;
        let first = g.members.first()?.pos();
        // Only titles and modifiers before the first member.
        if s.items[start..first].iter().any(|it| it.punct || it.flags & (F_PREP | F_BREAK | F_COMP | F_REL) != 0) {
            return None;
        }
        let next = s.items.get(g.end).filter(|_| g.end < limit)?;
        let verbish = next.ent.is_none() && !next.punct && !next.cap && next.flags & (F_PREP | F_COORD | F_POSS) == 0;
        (verbish && g.members.iter().all(|m| matches!(m, Member::Ent(..)))).then_some(g)
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
