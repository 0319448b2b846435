//! Trying the patterns anchored at a word: elements matched left to right,
//! slots filled, the best match kept.

use super::*;

impl Matcher<'_> {
    pub(super) fn sentence(&self, s: &Sentence, sent_pers: &[Vec<usize>], si: usize, out: &mut Vec<Relation>) {
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
            let mut best: Option<(usize, usize, MatchState, usize, usize)> = None; // (kind, pattern, state, chain_start, gov_end)
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
                        best = Some((ki as usize, pi as usize, st, chain, gov));
                    }
                }
            }
            let Some((ki, pi, st, chain, gov)) = best else { continue };
            let k = &c.kinds[ki];
            let pat = &k.patterns[pi];
            // Which pattern won (for nominal flag): recompute by re-trying is wasteful; store in state instead.
            let nominal = has_nominal_match(&st);
            for &i in &st.lex {
                if i < n {
                    used[i] = true;
                }
            }
            self.emit(s, k, pat, &st, nominal, chain, gov, sent_pers, si, &mut seen, &mut made, out);
            if made >= c.settings.max_pairs {
                break;
            }
        }
    }

    pub(super) fn try_pattern(
        &self,
        s: &Sentence,
        k: &KindRule,
        pat: &Pattern,
        p: usize,
    ) -> Option<(MatchState, usize, usize)> {
        if !pat.requires.is_empty() && !self.sentence_has(s, &pat.requires) {
            return None;
        }
        let mut st = MatchState::default();
        let mut chain = p;
        let mut gov = p;
        if pat.anchor == 1 {
            let Elem::Slot { role, adjacent, person } = pat.elems[0] else { return None };
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
            let people = g.members.iter().all(|m| match m {
                Member::Ent(e, _) => self.entities[*e].label == EntityKind::Person,
                Member::Pron(_) => true,
            });
            if person && !people {
                return None;
            }
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

    pub(super) fn match_elems(
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
                        let (l0, c0, i0) = (st.lex.len(), st.class.len(), st.inner.len());
                        st.lex.extend(pos..pos + alt.len());
                        if *class {
                            st.class.extend(pos..pos + alt.len());
                            st.inner.extend(pos + 1..pos + alt.len());
                        }
                        if self.match_elems(s, k, elems, ei + 1, pos + alt.len(), st) {
                            return true;
                        }
                        st.lex.truncate(l0);
                        st.class.truncate(c0);
                        st.inner.truncate(i0);
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
                        // A gap may hold a modifier that is no argument ("joining Western
                        // sanctions"), not an argument entity.
                        if it.ent.is_some_and(|e| self.allowed(k, e))
                            || it.punct
                            || it.flags & (F_PREP | F_COORD | F_BREAK | F_REL | F_COMP) != 0
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
            Elem::Slot { role, adjacent, person } => {
                let prep = if ei > 0 && matches!(elems[ei - 1], Elem::Words { .. }) && pos > 0 {
                    Some(s.items[pos - 1].id)
                } else {
                    None
                };
                let g = match self.np_group(s, k, pos, *adjacent, prep) {
                    Some(g) => g,
                    // A common object whose participants an inclusion names later
                    // ("sanctioned 20 firms on Monday, including A and B"): empty for
                    // now; the inclusion fills it when the match is emitted.
                    None if *role == Role::Y && !*adjacent => {
                        let Some(end) = self.common_np_end(s, k, pos) else { return false };
                        if self.later_inclusion(s, k, end).is_none_or(|(m, _)| m.is_empty()) {
                            return false;
                        }
                        Group { members: Vec::new(), separate: false, end }
                    }
                    None => return false,
                };
                if *person && !self.people_after_titles(s, pos, &g) {
                    return false;
                }
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

    /// Whether every member of `g` is a person and the words from `pos` to the
    /// first member are titles: capitalised words, "of", possessives, other
    /// entities ("Serbian President", "Secretary of State", "Jordan's King").
    fn people_after_titles(&self, s: &Sentence, pos: usize, g: &Group) -> bool {
        let people = g.members.iter().all(|m| match m {
            Member::Ent(e, _) => self.entities[*e].label == EntityKind::Person,
            Member::Pron(_) => false,
        });
        let first = g.members.first().map_or(pos, |m| m.pos());
        people
            && s.items[pos.min(first)..first]
                .iter()
                .all(|it| it.ent.is_some() || (it.cap && !it.punct) || it.flags & (F_NPPREP | F_POSS) != 0)
    }
}

pub(super) fn has_nominal_match(st: &MatchState) -> bool {
    st.class.contains(&usize::MAX)
}

pub(super) fn set_role(st: &mut MatchState, role: Role, g: Group) {
    match role {
        Role::X => st.x = Some(g),
        Role::Y => st.y = Some(g),
        Role::XY => st.xy = Some(g),
    }
}

pub(super) fn clear_role(st: &mut MatchState, role: Role) {
    match role {
        Role::X => st.x = None,
        Role::Y => st.y = None,
        Role::XY => st.xy = None,
    }
}
