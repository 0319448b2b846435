//! From a match to relations: pairs of participants, pronouns resolved,
//! negation and modality scoped, the place found.

use super::*;

impl Matcher<'_> {
    pub(super) fn resolve_pronoun(
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

    pub(super) fn span(&self, a: usize, b: usize) -> TextSpan {
        TextSpan { text: self.text[a..b].to_string(), start: a, end: b }
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn emit(
        &self,
        s: &Sentence,
        k: &KindRule,
        pat: &Pattern,
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
        let mut lo = lex_lo;
        let mut hi = lex_hi.max(st.end);
        for g in [&st.x, &st.y, &st.xy].into_iter().flatten() {
            for m in &g.members {
                lo = lo.min(m.pos());
                hi = hi.max(m.pos() + 1);
            }
            if g.members.is_empty() {
                hi = hi.max(g.end);
            }
        }
        // "imposed sanctions on 250 targets on Friday, including A and B": an inclusion
        // after the match adds to its object (and fills an object that names no one).
        let mut y = st.y.clone();
        if let Some(g) = y.as_mut() {
            if let Some((more, end)) = self.later_inclusion(s, k, hi) {
                for m in more {
                    if !g.members.iter().any(|x| x.pos() == m.pos()) {
                        hi = hi.max(m.pos() + 1);
                        g.members.push(m);
                    }
                }
                hi = hi.max(end.min(n));
            }
            if g.members.is_empty() {
                return;
            }
        }
        let groups: Vec<&Group> = [&st.x, &y, &st.xy].into_iter().flatten().collect();
        let cs = self.clause_start(s, lo.min(gov));
        let ce = self.clause_end(s, hi);
        // Non-event cues cancel the relation. A gerund's clause ("..., a day after
        // hosting Y") starts at its subordinator, whatever the main clause says.
        // So does a verb coordinated to the subject's first ("lifted sanctions on X but
        // kept those on Y", "..., while keeping measures against Y").
        let joint = chain > 0
            && s.items[chain - 1].ent.is_none()
            && (s.items[chain - 1].flags & (F_SUBORD | F_COORD | F_VCOORD | F_BREAK) != 0 || s.is_comma(chain - 1));
        let gerund = !nominal && joint && lo < chain;
        let excl_lo = if gerund { chain - 1 } else { self.clause_start(s, lo) };
        // After the match they reach a few words, up to a subordinator: "extended its
        // sanctions against Russia ... after Hungary dropped its objections" stands.
        // The words right after the match: a nominal trigger's cue window too.
        let near_end = ce.min(hi + c.settings.nominal_cue_window);
        let excl_hi =
            (hi..near_end).find(|&i| s.items[i].flags & F_SUBORD != 0 && s.items[i].ent.is_none()).unwrap_or(near_end);
        // A literal word of the pattern is no cue: the "to" of "added Y to its entity
        // list", "gave a warm welcome to Y" or "a visit by X to Y" is not "due to";
        // nor does "revoked the visas of Y" exclude itself.
        let literal: Vec<usize> =
            st.lex.iter().copied().filter(|i| !class.contains(i)).chain(st.inner.iter().copied()).collect();
        if self.any_cue_except(s, &k.exclude, excl_lo, excl_hi, &literal)
            || self.any_cue_except(s, &pat.exclude, excl_lo, n.min(hi + c.settings.nominal_cue_window), &literal)
        {
            return;
        }
        let (neg, modality) = if nominal {
            // Before the noun phrase: the whole clause ("ruled out a meeting between ...");
            // after it: its predicate, a few words on ("... is expected", "... has been
            // called off"), not cues inside later phrases ("... focused on a possible
            // ceasefire", "... yielded agreements to curb ...") nor past another verb
            // ("... have forced it to reroute"). An apposition between commas is
            // passed over: "A meeting between X and Y, proposed by Z, never took place".
            let mut ranges = vec![(cs, self.predicate_end(s, hi, near_end))];
            if let Some(c2) = self.apposition_end(s, ce) {
                let end2 = self.clause_end(s, c2 + 1).min(c2 + 1 + c.settings.nominal_cue_window);
                ranges.push((c2 + 1, self.predicate_end(s, c2 + 1, end2)));
            }
            let any = |cues: &[Phrase]| ranges.iter().any(|&(a, b)| self.any_cue_except(s, cues, a, b, &literal));
            let neg = any(&c.negation) || any(&c.negation_gov);
            let m = c.modality.iter().find(|m| any(&m.cues) || any(&m.governing));
            (neg, m)
        } else {
            let gs = self.clause_start(s, gov);
            // The auxiliary chain: from the subject to the end of the trigger words.
            let (a, b) = (chain.min(thi), thi);
            let neg = self.any_cue_except(s, &c.negation, a, b, &literal) || self.any_cue(s, &c.negation_gov, gs, gov);
            let m = c
                .modality
                .iter()
                .find(|m| self.any_cue_except(s, &m.cues, a, b, &literal) || self.any_cue(s, &m.governing, gs, gov));
            (neg, m)
        };
        let modality = match modality_name(modality) {
            Some(m) => m,
            None if neg => c.settings.negated_modality.clone(),
            None => c.settings.default_modality.clone(),
        };
        // "met separately with X and with Y", "met X and Y separately".
        let separate = self.any_cue(s, &c.separate, lo, (hi + 1).min(n));
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
        } else if let (Some(x), Some(y)) = (&st.x, &y) {
            for a in &x.members {
                for b in &y.members {
                    pairs.push((*a, *b));
                }
            }
            if k.symmetric {
                all_pairs(&x.members, &mut pairs);
                if !y.separate && !separate {
                    // Co-objects of a person and a place ("met President Nicusor Dan and
                    // leaders of Romania's government") did not meet each other.
                    let label = |m: &Member| match m {
                        Member::Ent(e, _) => Some(&self.entities[*e].label),
                        Member::Pron(_) => Some(&EntityKind::Person),
                    };
                    let mut within = Vec::new();
                    all_pairs(&y.members, &mut within);
                    pairs.extend(within.into_iter().filter(|(a, b)| {
                        !matches!(
                            (label(a), label(b)),
                            (Some(EntityKind::Person), Some(EntityKind::Location))
                                | (Some(EntityKind::Location), Some(EntityKind::Person))
                        )
                    }));
                }
            }
        }
        // "Talks between X and Y, hosted by Z": the host meets each participant.
        let host = if k.symmetric { self.attached_host(s, k, hi) } else { None };
        if let Some(h) = host {
            let members: Vec<Member> = groups.iter().flat_map(|g| g.members.iter().copied()).collect();
            if !members.iter().any(|m| m.pos() == h.pos()) {
                for m in members {
                    pairs.push((h, m));
                }
            }
        }
        let named: Vec<usize> = groups
            .iter()
            .flat_map(|g| g.members.iter())
            .chain(host.iter())
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
        let (plover, cameo) = event_codes(k, pat, location.is_some(), &named);
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
                plover: plover.clone(),
                cameo: cameo.clone(),
            });
            *made += 1;
            if *made >= c.settings.max_pairs {
                return;
            }
        }
    }

    /// The end of a nominal trigger's predicate window from `from` to `to`: the
    /// first verb (a past form in "-ed", or a verb by the syntax heads) that is
    /// neither an auxiliary nor the start of a cue.
    fn predicate_end(&self, s: &Sentence, from: usize, to: usize) -> usize {
        let c = self.rules;
        let n = s.items.len();
        let starts_cue = |i: usize, cues: &[Phrase]| self.cue_at(s, i, cues, n);
        (from..to.min(s.items.len()))
            .find(|&i| {
                let it = &s.items[i];
                // A participle after an auxiliary too: "have done little to ...".
                let after_aux = i > from && starts_cue(i - 1, &c.auxiliaries);
                let verb = it.ent.is_none()
                    && !it.punct
                    && !it.cap
                    && !it.ly
                    && it.flags & (F_ADV | F_BREAK) == 0
                    && (it.syn & SYN_VERB != 0 || s.text[it.start..it.end].ends_with("ed") || after_aux);
                verb && !starts_cue(i, &c.auxiliaries)
                    && !starts_cue(i, &c.negation)
                    && !c.modality.iter().any(|m| starts_cue(i, &m.cues))
            })
            .unwrap_or(to)
    }

    /// At the comma `ce` that ends a clause: the comma that closes an apposition
    /// or a participle phrase opened there (within ten words, no clause word).
    fn apposition_end(&self, s: &Sentence, ce: usize) -> Option<usize> {
        if !s.is_comma(ce) {
            return None;
        }
        (ce + 1..(ce + 11).min(s.items.len()))
            .take_while(|&i| {
                let it = &s.items[i];
                s.is_comma(i)
                    || (!it.boundary && (it.ent.is_some() || it.flags & (F_BREAK | F_REL | F_COMP | F_COORD) == 0))
            })
            .find(|&i| s.is_comma(i))
    }

    /// A host attached to the meeting that ends at `from`: a `host_phrases`
    /// phrase ("hosted by") right there, after a comma or after one of the kind's
    /// trigger nouns ("in talks hosted by"), or ", with Z chairing"; within the
    /// clause. The host's noun phrase member.
    pub(super) fn attached_host(&self, s: &Sentence, k: &KindRule, from: usize) -> Option<Member> {
        let c = self.rules;
        let n = s.items.len();
        let with = c.vocab.get("with").copied().unwrap_or(NO_WORD);
        let kind_noun = |i: usize| self.trigger_of(s, i, Some(&k.kind));
        for i in from..n.min(from + 20) {
            let it = &s.items[i];
            if it.ent.is_none() && (it.flags & (F_BREAK | F_REL | F_COMP) != 0 || (it.boundary && !s.is_comma(i))) {
                return None;
            }
            if let Some(p) = c.host_phrases.iter().find(|p| self.phrase_at(s, i, p, n)) {
                let attached = i == from || (i > from && (s.is_comma(i - 1) || kind_noun(i - 1)));
                if !attached {
                    return None;
                }
                return self.noun_phrase_member(s, k, i + p.len(), 6).map(|(m, _)| m);
            }
            if it.id == with && it.ent.is_none() && i > from && s.is_comma(i - 1) {
                let (m, end) = self.noun_phrase_member(s, k, i + 1, 6)?;
                return c.host_participles.iter().any(|p| self.phrase_at(s, end, p, n)).then_some(m);
            }
        }
        None
    }

    pub(super) fn argument(
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

    pub(super) fn location(
        &self,
        s: &Sentence,
        cs: usize,
        ce: usize,
        after: usize,
        args: &[usize],
    ) -> Option<TextSpan> {
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

/// The PLOVER and CAMEO codes of one match: the pattern's own, else its
/// kind's; with a place, the pattern's `located_*` codes first. A `CONSULT`
/// event with three or more named participants is `multilateral` in PLOVER
/// (one event, several actors), while CAMEO keeps its code for each pair.
fn event_codes(k: &KindRule, pat: &Pattern, located: bool, named: &[usize]) -> (Option<Plover>, Option<String>) {
    let codes = &pat.codes;
    let pick = |located_code: &Option<String>, code: &Option<String>, kind_code: &Option<String>| {
        located_code.as_ref().filter(|_| located).or(code.as_ref()).or(kind_code.as_ref()).cloned()
    };
    let cameo = pick(&codes.located_cameo, &codes.cameo, &k.cameo);
    let plover = k.plover.as_ref().map(|event_type| {
        let mut distinct: Vec<usize> = named.to_vec();
        distinct.sort_unstable();
        distinct.dedup();
        let mode = if event_type == "CONSULT" && distinct.len() >= 3 {
            Some("multilateral".to_string())
        } else {
            pick(&codes.located_plover_mode, &codes.plover_mode, &k.plover_mode)
        };
        Plover { event_type: event_type.clone(), mode }
    });
    (plover, cameo)
}
