//! Noun-phrase slots: the argument entity of a phrase right of the trigger,
//! past titles, modifiers and "of"; coordinations of such phrases.

use super::*;

impl Matcher<'_> {
    /// A noun phrase to the right: its argument entity (or a person pronoun is not taken here).
    pub(super) fn noun_phrase_member(
        &self,
        s: &Sentence,
        k: &KindRule,
        pos: usize,
        max_skip: usize,
    ) -> Option<(Member, usize)> {
        let n = s.items.len();
        let mut i = pos;
        let mut skip = 0usize;
        let mut possessor: Option<(usize, usize)> = None;
        let mut included = false;
        // ", including X," : the comma closing an inclusion belongs to the phrase.
        let close = |end: usize, included: bool| {
            if included && end < n && s.is_comma(end) {
                end + 1
            } else {
                end
            }
        };
        // A verb's or preposition's object does not start with "of": "demanded an
        // emergency meeting of the Security Council" has no object of "meeting".
        if s.items.get(pos).is_some_and(|it| it.flags & F_NPPREP != 0 && it.ent.is_none()) {
            return None;
        }
        // "blacklisted him and 19 of his companies": a person pronoun as the whole object
        // (not the possessive "her" of "her counterpart").
        if s.items.get(pos).is_some_and(|it| it.ent.is_none())
            && self.rules.object_pronouns.iter().any(|p| p.len() == 1 && self.phrase_at(s, pos, p, n))
            && s.items
                .get(pos + 1)
                .is_none_or(|next| next.ent.is_none() && (next.punct || next.flags & (F_PREP | F_COORD | F_BREAK) != 0))
        {
            return Some((Member::Pron(pos), pos + 1));
        }
        while i < n {
            let it = &s.items[i];
            if let Some(e) = it.ent {
                let poss = i + 1 < n && s.items[i + 1].flags & F_POSS != 0;
                if self.allowed(k, e) && !self.indefinite_modifier(s, i) {
                    if let Some((e, p, end)) = poss.then(|| self.government_of(s, k, i + 1)).flatten() {
                        return Some((Member::Ent(e, p), close(end, included)));
                    }
                    if poss {
                        if possessor.is_none() {
                            possessor = Some((e, i));
                        }
                        i += 2;
                        continue;
                    }
                    // "a U.S. team headed by envoy Steve Witkoff": the leader stands for the group.
                    if let Some(j) = self.leader_after(s, k, i + 1) {
                        return Some((Member::Ent(s.items[j].ent.unwrap_or(e), j), close(j + 1, included)));
                    }
                    // "U.S. envoy Amos Hochstein", "Wagner chief Yevgeny Prigozhin": an entity
                    // that only modifies a title is not the head of the noun phrase.
                    if let Some(j) = self.apposed_head(s, k, i + 1) {
                        return Some((Member::Ent(s.items[j].ent.unwrap_or(e), j), close(j + 1, included)));
                    }
                    // "received the Governor of Rivers State, Siminalayi Fubara,": the name in
                    // apposition to a title phrase is its head, not the title's body.
                    if let Some((pe, j)) = self.apposition_to_of_object(s, k, i) {
                        return Some((Member::Ent(pe, j), close(j + 1, included)));
                    }
                    return Some((Member::Ent(e, i), close(self.group_tail(s, i + 1), included)));
                }
                skip += 1;
                i += if poss { 2 } else { 1 };
            } else if let Some(j) = (skip > 0).then(|| self.leader_after(s, k, i)).flatten() {
                // "a delegation led by Mali's Foreign Minister Ali Sani".
                return Some((Member::Ent(s.items[j].ent?, j), close(j + 1, included)));
            } else if it.punct && it.flags & F_POSS == 0 {
                if s.is_comma(i) {
                    if let Some(len) = self.inclusion_at(s, i + 1) {
                        i += 1 + len;
                        included = true;
                        continue;
                    }
                    // "his Mauritanian counterpart, Mohamed Salem Ould Merzoug,": a name in
                    // apposition to a common noun phrase is its head.
                    if skip > 0 {
                        if let Some((e, j)) = self.apposition_after(s, k, i + 1) {
                            return Some((Member::Ent(e, j), close(self.group_tail(s, j + 1), included)));
                        }
                    }
                }
                break;
            } else if it.flags & F_COORD != 0
                && i > pos
                && s.items[i - 1].ent.is_some_and(|e| !self.allowed(k, e))
                && s.items.get(i + 1).is_some_and(|next| next.ent.is_some_and(|e| !self.allowed(k, e)))
            {
                // "his Afghan and Pakistani counterparts, A and B": coordinated modifiers.
                skip += 1;
                i += 1;
            } else if it.flags & F_COORD != 0 && skip > 0 && possessor.is_none() && self.nouns_of(s, i + 1) {
                // "judges and prosecutors of the International Criminal Court": two
                // lower-case heads before "of" are one noun phrase.
                skip += 1;
                i += 1;
            } else if it.flags & (F_PREP | F_COORD | F_BREAK | F_REL | F_COMP | F_PRON_PER | F_PRON_OTHER) != 0
                && it.flags & F_NPPREP == 0
            {
                break;
            } else if it.syn & SYN_VERB != 0 && it.syn & SYN_NP == 0 && !self.adjectival_gerund(s, pos, i) {
                // A verb outside any noun phrase ends the object: "met officials and
                // praised Pedersen" has no second object (syntax heads only).
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

    /// From `j`: a lower-case title (after a determiner at most), then within four
    /// words "of" before any entity ("general secretary of", "the head of").
    pub(super) fn of_title_at(&self, s: &Sentence, j: usize) -> bool {
        let n = s.items.len();
        let lower = |i: usize| {
            s.items.get(i).is_some_and(|it| it.ent.is_none() && !it.punct && !it.cap && it.flags & !F_DET == 0)
        };
        if !lower(j) {
            return false;
        }
        for i in j + 1..n.min(j + 5) {
            let it = &s.items[i];
            if it.ent.is_none() && it.flags & F_NPPREP != 0 {
                return true;
            }
            let title_word = lower(i) || (it.cap && it.ent.is_none() && !it.punct);
            if !title_word {
                return false;
            }
        }
        false
    }

    /// The entity at `i` is the object of "of" ("the Governor of Rivers State") and a
    /// comma and a person's name in apposition follow: that person and position.
    pub(super) fn apposition_to_of_object(&self, s: &Sentence, k: &KindRule, i: usize) -> Option<(usize, usize)> {
        let mut j = i.checked_sub(1)?;
        if s.items[j].ent.is_none() && s.items[j].flags & F_DET != 0 {
            j = j.checked_sub(1)?;
        }
        let of = s.items[j].ent.is_none() && s.items[j].flags & F_NPPREP != 0;
        let comma = s.is_comma(i + 1);
        if !of || !comma {
            return None;
        }
        let (e, pos) = self.apposition_after(s, k, i + 2)?;
        (self.entities[e].label == EntityKind::Person).then_some((e, pos))
    }

    /// "met visiting Vietnamese leader Nguyen Phu Trong": a gerund that opens the
    /// noun phrase (after determiners at most) before a capitalised word or a name
    /// is a modifier, not a new predicate ("met reporters visiting Lula" is).
    pub(super) fn adjectival_gerund(&self, s: &Sentence, pos: usize, i: usize) -> bool {
        s.items[i].syn & SYN_GERUND != 0
            && s.items[pos..i].iter().all(|x| x.ent.is_none() && x.flags & F_DET != 0)
            && s.items.get(i + 1).is_some_and(|next| next.ent.is_some() || (next.cap && !next.punct))
    }

    /// "a Gaza money exchanger", "any U.S. assets", "the largest U.S. air base",
    /// "six other U.S. firms": the entity at `i` follows "a", "an", "any" or a
    /// lower-case adjective or number, and a lower-case word that is no group or
    /// representatives noun follows it; it modifies that noun.
    pub(super) fn indefinite_modifier(&self, s: &Sentence, i: usize) -> bool {
        let word = |j: usize| {
            let a = &s.items[j];
            if a.ent.is_some() {
                String::new()
            } else {
                s.text[a.start..a.end].to_ascii_lowercase()
            }
        };
        let plain_adjective = |j: usize| {
            let a = &s.items[j];
            a.ent.is_none() && !a.punct && !a.cap && a.flags == 0 && a.syn & SYN_VERB == 0
        };
        // "other", a number or a quantity word, or an adjective after a determiner.
        let quantity = |j: usize| {
            let w = word(j);
            w.chars().all(|c| c.is_ascii_digit()) || one_word_of(&self.rules.quantity_words, s.items[j].id)
        };
        let article = i > 0
            && (matches!(word(i - 1).as_str(), "a" | "an" | "any")
                || (plain_adjective(i - 1) && quantity(i - 1))
                || (i > 1
                    && plain_adjective(i - 1)
                    && s.items[i - 2].ent.is_none()
                    && s.items[i - 2].flags & F_DET != 0));
        article
            && s.items.get(i + 1).is_some_and(|next| {
                next.ent.is_none()
                    && !next.punct
                    && !next.cap
                    && next.flags == 0
                    && next.syn & SYN_VERB == 0
                    && !s.text[next.start..next.end].ends_with("ed")
                    && !self.rules.group_nouns.iter().any(|p| self.phrase_at(s, i + 1, p, s.items.len()))
                    && !self.rules.representatives.iter().any(|p| self.phrase_at(s, i + 1, p, s.items.len()))
            })
    }

    /// "Ethiopia's government": the possessive marker at `poss` follows an argument
    /// entity and precedes a government noun that no name or title follows; the
    /// entity, its position and the end of the government noun.
    pub(super) fn government_of(&self, s: &Sentence, k: &KindRule, poss: usize) -> Option<(usize, usize, usize)> {
        let n = s.items.len();
        let it = s.items.get(poss)?;
        if it.flags & F_POSS == 0 || it.ent.is_some() || poss == 0 {
            return None;
        }
        let e = s.items[poss - 1].ent.filter(|&e| self.allowed(k, e))?;
        // At most two lower-case modifiers first: "Bangladesh's interim government",
        // "China's commerce ministry".
        let modifier = |j: usize| {
            s.items
                .get(j)
                .is_some_and(|it| it.ent.is_none() && !it.punct && !it.cap && it.flags == 0 && !self.trigger_at(s, j))
        };
        let (from, g) = (0..=2).find_map(|m| {
            let from = poss + 1 + m;
            if (poss + 1..from).any(|j| !modifier(j)) {
                return None;
            }
            let g =
                self.rules.government_nouns.iter().filter(|p| self.phrase_at(s, from, p, n)).map(|p| p.len()).max()?;
            Some((from, g))
        })?;
        let end = from + g;
        // The noun ends the phrase ("Ethiopia's government and", "... junta, which"),
        // not a modifier of a noun or name after it ("Niger's junta leader, Gen. X").
        let ends = s.items.get(end).is_none_or(|next| {
            next.ent.is_none()
                && ((next.punct && next.flags & F_POSS == 0)
                    || next.ly
                    || next.flags & (F_COORD | F_PREP | F_BREAK | F_REL | F_COMP | F_ADV) != 0
                    || self.trigger_at(s, end))
        });
        ends.then_some((e, poss - 1, end))
    }

    /// The end of a name's noun phrase from `i`, past the group nouns that follow the
    /// name ("the Gran Grif gang", "the Wagner mercenary group").
    pub(super) fn group_tail(&self, s: &Sentence, mut i: usize) -> usize {
        let n = s.items.len();
        // "Semiconductor Manufacturing International Corp (SMIC)": its acronym.
        if s.bracketed_name_at(i) {
            i += 3;
        }
        // "Penny Wong of Australia": a person's country.
        let person_before = i > 0 && s.items[i - 1].ent.is_some_and(|e| self.entities[e].label == EntityKind::Person);
        if person_before
            && s.items.get(i).is_some_and(|it| it.ent.is_none() && it.flags & F_NPPREP != 0)
            && s.items
                .get(i + 1)
                .is_some_and(|it| it.ent.is_some_and(|e| self.entities[e].label == EntityKind::Location))
        {
            i += 2;
        }
        for _ in 0..2 {
            match self.rules.group_nouns.iter().find(|p| self.phrase_at(s, i, p, n)) {
                Some(p) if s.items[i].ent.is_none() => i += p.len(),
                _ => break,
            }
        }
        i
    }

    /// The leader of a group noun phrase: from `i`, at most three plain words (the
    /// group noun: "team", "delegation"), a `leaders` phrase ("headed by"), then within
    /// six words of titles, possessors and other entities ("envoy", "Mali's Foreign
    /// Minister") an argument entity; its position.
    pub(super) fn leader_after(&self, s: &Sentence, k: &KindRule, i: usize) -> Option<usize> {
        let n = s.items.len();
        let plain = |j: usize| {
            let it = &s.items[j];
            it.ent.is_none() && !it.punct && it.flags & (F_PREP | F_COORD | F_BREAK | F_REL | F_COMP) == 0
        };
        // "ECOWAS (ECOWAS) led by": an acronym in parentheses first.
        let i = if s.bracketed_name_at(i) { i + 3 } else { i };
        for group in 0..=3 {
            let at = i + group;
            if at >= n || (group > 0 && !plain(at - 1)) {
                return None;
            }
            if let Some(l) = self.rules.leaders.iter().find(|l| self.phrase_at(s, at, l, n)) {
                // Titles, nationality words and possessors ("led by Mali's Foreign
                // Minister Abdoulaye Diop") come before the leader's name.
                for j in at + l.len()..(at + l.len() + 6).min(n) {
                    if let Some(e) = s.items[j].ent {
                        let poss = s.items.get(j + 1).is_some_and(|it| it.flags & F_POSS != 0);
                        if !self.allowed(k, e) || poss {
                            continue;
                        }
                        return Some(self.apposed_head(s, k, j + 1).unwrap_or(j));
                    }
                    // "led by its commission president, Omar Touray".
                    if j > at + l.len() && s.is_comma(j) {
                        return self.apposition_after(s, k, j + 1).map(|(_, h)| h);
                    }
                    if !plain(j) {
                        return None;
                    }
                }
                return None;
            }
        }
        None
    }

    /// Whether one or two plain lower-case words (no entity, no trigger word) start at
    /// `i` and are followed by a noun-phrase preposition ("prosecutors of") or by an
    /// inclusion (", including").
    pub(super) fn nouns_of(&self, s: &Sentence, i: usize) -> bool {
        let plain = |j: usize| {
            s.items
                .get(j)
                .is_some_and(|it| it.ent.is_none() && !it.punct && !it.cap && it.flags == 0 && !self.trigger_at(s, j))
        };
        // "of", or ", including" ("59 people and 12 groups, including X").
        let goes_on = |j: usize| {
            s.items
                .get(j)
                .is_some_and(|it| it.flags & F_NPPREP != 0 || (s.is_comma(j) && self.inclusion_at(s, j + 1).is_some()))
        };
        plain(i) && (goes_on(i + 1) || (plain(i + 1) && goes_on(i + 2)))
    }

    /// "met Syrian officials and Geir Pedersen": a common noun phrase with no
    /// argument (as the syntax heads chunk it) coordinated with one that has
    /// one; that member and its end. `None` without syntax heads.
    pub(super) fn after_common_phrase(&self, s: &Sentence, k: &KindRule, pos: usize) -> Option<(Member, usize)> {
        let n = s.items.len();
        let mut i = pos;
        let mut noun = false;
        while i < n && i < pos + 5 {
            let it = &s.items[i];
            let inside = it.syn & SYN_NP != 0 && (i == pos || it.syn & SYN_NP_BEGIN == 0);
            if !inside || it.punct || it.flags & F_COORD != 0 || it.ent.is_some_and(|e| self.allowed(k, e)) {
                break;
            }
            if self.trigger_at(s, i) {
                return None;
            }
            noun |= it.syn & SYN_COMMON_NOUN != 0;
            i += 1;
        }
        if !noun || i == pos || i >= n {
            return None;
        }
        if s.is_comma(i) {
            i += 1;
        }
        if s.items.get(i)?.flags & F_COORD == 0 {
            return None;
        }
        self.noun_phrase_member(s, k, i + 1, 4)
    }

    /// One to five plain words from `j` (no trigger, punctuation or grammar word
    /// other than a determiner; entities only as modifiers: a non-argument one, or
    /// one before a lower-case word, "six other U.S. firms") ending at a
    /// preposition, punctuation or the end of the sentence: the end of that common
    /// noun phrase.
    pub(super) fn common_tail(&self, s: &Sentence, k: &KindRule, j: usize) -> Option<usize> {
        let n = s.items.len();
        let plain = |i: usize| {
            let it = &s.items[i];
            // A modifier entity is no participant: "ten other American defence firms",
            // "six other U.S. firms".
            let modifier = it.ent.is_some_and(|e| !self.allowed(k, e))
                || (it.ent.is_some()
                    && s.items.get(i + 1).is_some_and(|nx| nx.ent.is_none() && !nx.punct && !nx.cap && nx.flags == 0));
            // "70 of its affiliates".
            let of = i > j && it.flags & F_NPPREP != 0;
            modifier || (it.ent.is_none() && !it.punct && (it.flags & !F_DET == 0 || of) && !self.trigger_at(s, i))
        };
        let mut i = j;
        while i < n && i < j + 5 && plain(i) {
            i += 1;
        }
        let ends = i == n || s.items[i].punct || s.items[i].flags & F_PREP != 0;
        (i > j && ends).then_some(i)
    }

    /// "imposed sanctions on more than 250 targets, including A and B", "designated 35
    /// entities on Thursday, including A": after `from`, within the clause (no clause
    /// word, no coordinated verb) and 25 words, the first comma and an inclusion
    /// phrase, then participants; those and the end of their phrase.
    pub(super) fn later_inclusion(&self, s: &Sentence, k: &KindRule, from: usize) -> Option<(Vec<Member>, usize)> {
        let n = s.items.len();
        for j in from..n.min(from + 25) {
            let it = &s.items[j];
            if it.ent.is_some() {
                continue;
            }
            if s.is_comma(j) {
                if let Some(len) = self.inclusion_at(s, j + 1) {
                    let g = self.np_group(s, k, j + 1 + len, false, None)?;
                    let mut end = g.end;
                    if end < n && s.is_comma(end) {
                        end += 1;
                    }
                    return Some((g.members, end));
                }
                // Only the first comma may open it: ", with 10 members voting in favour
                // and five, including Russia, abstaining" is another phrase's.
                return None;
            }
            if it.boundary || it.flags & (F_BREAK | F_REL | F_COMP) != 0 {
                return None;
            }
            // "met Y and imposed sanctions on 12 firms, including Z": another predicate.
            if it.flags & F_COORD != 0
                && s.items.get(j + 1).is_some_and(|nx| {
                    nx.ent.is_none()
                        && (nx.syn & SYN_VERB != 0
                            || s.text[nx.start..nx.end].ends_with("ed")
                            || self.trigger_at(s, j + 1))
                })
            {
                return None;
            }
        }
        None
    }

    /// A common noun phrase from `pos` with no participant ("more than 250 targets",
    /// "35 entities and vessels", "members of the cartel's faction"): up to eight
    /// plain words, numbers, "of", "than" and modifier entities, ending at another
    /// preposition, punctuation or the end; its end.
    pub(super) fn common_np_end(&self, s: &Sentence, k: &KindRule, pos: usize) -> Option<usize> {
        let n = s.items.len();
        let mut i = pos;
        while i < n && i < pos + 8 {
            let it = &s.items[i];
            let w = &s.text[it.start..it.end];
            let ok = match it.ent {
                Some(e) => !self.allowed(k, e) || self.indefinite_modifier(s, i),
                None => {
                    !it.punct
                        && (it.flags & !(F_DET | F_NPPREP | F_PREP) == 0 || it.flags & F_COORD != 0)
                        && (it.flags & F_PREP == 0 || it.flags & F_NPPREP != 0 || w == "than")
                        && (it.flags & F_COORD == 0 || i > pos)
                        && !self.trigger_at(s, i)
                }
            };
            if !ok {
                break;
            }
            i += 1;
        }
        (i > pos).then_some(i)
    }

    /// The length of the inclusion phrase ("including", "such as") starting at `i`.
    pub(super) fn inclusion_at(&self, s: &Sentence, i: usize) -> Option<usize> {
        self.rules.inclusions.iter().find(|p| self.phrase_at(s, i, p, s.items.len())).map(|p| p.len())
    }

    /// The first argument entity after an inclusion ("including"), within five words
    /// of titles and other entities ("chipmaking equipment makers Naura"): its position.
    pub(super) fn included_head(&self, s: &Sentence, k: &KindRule, from: usize) -> Option<usize> {
        for j in from..(from + 6).min(s.items.len()) {
            let it = &s.items[j];
            match it.ent {
                Some(e) if self.allowed(k, e) => return Some(j),
                Some(_) => {}
                None if it.punct || it.flags & !(F_NPPREP | F_DET) != 0 => return None,
                None => {}
            }
        }
        None
    }

    /// A name in apposition after a comma at `i`: at most two capitalised title words
    /// ("Gen.", "Interior Minister"), then an argument entity that ends the phrase (punctuation, a coordinator, a preposition or the end of the
    /// sentence follows it, not a verb: "met officials, Lavrov said" has no apposition);
    /// the entity and its position.
    pub(super) fn apposition_after(&self, s: &Sentence, k: &KindRule, i: usize) -> Option<(usize, usize)> {
        let n = s.items.len();
        for j in i..(i + 3).min(n) {
            let it = &s.items[j];
            if let Some(e) = it.ent {
                if !self.allowed(k, e) {
                    return None;
                }
                let ends = s.items.get(j + 1).is_none_or(|next| {
                    (next.punct && next.flags & F_POSS == 0) || next.flags & (F_COORD | F_PREP) != 0
                });
                return ends.then_some((e, j));
            }
            // Lower-case titles too ("former premier"), not verbs ("saying").
            let w = &s.text[it.start..it.end];
            let lower_title = !it.cap && !w.ends_with("ing") && !w.ends_with("ed") && it.syn & SYN_VERB == 0;
            if !(it.cap || lower_title) || it.punct || it.flags != 0 || self.trigger_at(s, j) {
                return None;
            }
        }
        None
    }

    /// After an argument entity, one to four title words ("envoy", "Parliament Speaker",
    /// "Secretary of State", other-type entities; no trigger word, no lower-case word
    /// in -ed or -ing) and then another argument entity (not a possessor), or a comma
    /// and a name in apposition ([`Self::apposition_after`]): the position of that head
    /// entity.
    pub(super) fn apposed_head(&self, s: &Sentence, k: &KindRule, from: usize) -> Option<usize> {
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
            if words && s.is_comma(j) {
                // "seven U.S. defence companies, including Boeing Defense and ...".
                if let Some(len) = self.inclusion_at(s, j + 1) {
                    return self.included_head(s, k, j + 1 + len);
                }
                // "his Papua New Guinea counterpart, James Marape".
                return self.apposition_after(s, k, j + 1).map(|(_, h)| h);
            }
            // A capitalised preposition inside a title: "U.S. Under Secretary of State".
            let cap_prep = it.cap && it.flags & !(F_PREP | F_ADV) == 0;
            if it.punct || (it.flags != 0 && it.flags & F_NPPREP == 0 && !cap_prep) || self.trigger_at(s, j) {
                return None;
            }
            if !it.cap && it.flags == 0 {
                // A lower-case title is a noun: "envoy", "chief", "owner", not "visited" or "backing".
                let w = &s.text[it.start..it.end];
                if w.ends_with("ed") || w.ends_with("ing") {
                    return None;
                }
            }
            // "of" alone is no title: "Takeshi Iwaya of Japan" has its head first.
            words |= it.flags & F_NPPREP == 0;
        }
        None
    }

    pub(super) fn np_group(
        &self,
        s: &Sentence,
        k: &KindRule,
        pos: usize,
        adjacent: bool,
        prep: Option<u32>,
    ) -> Option<Group> {
        let n = s.items.len();
        let (first, mut end) = if adjacent {
            let it = s.items.get(pos)?;
            let e = it.ent?;
            if !self.allowed(k, e) {
                return None;
            }
            (Member::Ent(e, pos), pos + 1)
        } else {
            match self.noun_phrase_member(s, k, pos, self.rules.settings.max_np_skip) {
                Some(m) => m,
                None => self.after_common_phrase(s, k, pos)?,
            }
        };
        let mut members = vec![first];
        let mut confirmed = 1usize;
        let mut confirmed_end = end;
        let mut repeated = false;
        loop {
            let mut j = end;
            let mut by_and = false;
            if j < n && s.is_comma(j) {
                j += 1;
            }
            // "X as well as Y", "X, along with Y".
            if let Some(p) = self.rules.coordinator_phrases.iter().find(|p| self.phrase_at(s, j, p, n)) {
                j += p.len();
                by_and = true;
            } else if j < n && s.items[j].flags & F_COORD != 0 {
                by_and = true;
                j += 1;
                // "hosted A and, separately, B", "met A and, later, B": the members
                // are apart.
                if j < n && s.is_comma(j) {
                    let sep = self.rules.separate.iter().find(|p| self.phrase_at(s, j + 1, p, n)).map(|p| p.len());
                    let adverb = s.items.get(j + 1).is_some_and(|a| a.ent.is_none() && (a.ly || a.flags & F_ADV != 0));
                    if let Some(len) = sep.or(adverb.then_some(1)) {
                        let close = j + 1 + len;
                        if close < n && s.is_comma(close) {
                            repeated = true;
                            j = close + 1;
                        }
                    }
                }
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
            // "To Lam, general secretary of the Communist Party of Vietnam, and ...": a
            // comma before a lower-case title reaching a name through "of" opens an
            // apposition, not a member.
            if !by_and && self.of_title_at(s, j) {
                // ... unless a coordinator phrase follows the apposition: "X, a daughter
                // of Y, along with Z".
                let close = (j..n.min(j + 12)).find(|&i| s.is_comma(i));
                let joined = close.and_then(|c| {
                    self.rules
                        .coordinator_phrases
                        .iter()
                        .find(|p| self.phrase_at(s, c + 1, p, n))
                        .map(|p| c + 1 + p.len())
                });
                let Some(after) = joined else { break };
                let Some((m, e2)) = self.noun_phrase_member(s, k, after, 4) else { break };
                members.push(m);
                end = e2;
                confirmed = members.len();
                confirmed_end = end;
                continue;
            }

            let Some((m, e2)) = self.noun_phrase_member(s, k, j, 4) else {
                // "X and ten other officials from ...", "X and his associates": a common
                // noun phrase closing the coordination is no participant; the phrase
                // ends after it.
                if by_and {
                    if let Some(e) = self.common_tail(s, k, j) {
                        confirmed = members.len();
                        confirmed_end = e;
                    }
                }
                break;
            };
            // "with Mines and Energy Ministry Secretary-General Umar Said": a capitalised
            // institution noun among the next member's title words makes the name before
            // "and" part of that institution's name, not a member.
            let joined_name = by_and
                && j >= 2
                && matches!(members.last(), Some(Member::Ent(e, p)) if *p + 2 == j
                    && self.entities[*e].label == EntityKind::Organization)
                && s.items[j..m.pos()].iter().any(|it| {
                    // The noun alone, or ending a name the NER split off ("Energy Ministry").
                    let last = s.text[it.start..it.end].rsplit(' ').next().unwrap_or("").to_lowercase();
                    let id = self.rules.vocab.get(last.as_str()).copied().unwrap_or(NO_WORD);
                    it.cap && one_word_of(&self.rules.institution_nouns, id)
                });
            if joined_name {
                members.pop();
            }
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
        // "140 entities, including A and B, to its entity list": the comma closing an
        // inclusion belongs to the phrase.
        let first = members[0].pos();
        let included = (pos..first).any(|i| self.inclusion_at(s, i).is_some_and(|len| i + len <= first));
        if included && confirmed > 1 && confirmed_end < n && s.is_comma(confirmed_end) {
            confirmed_end += 1;
        }
        Some(Group { members, separate: repeated, end: confirmed_end })
    }
}
