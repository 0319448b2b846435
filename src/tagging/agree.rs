//! Document-level agreement of entity types.

use std::collections::{HashMap, HashSet};

use crate::document::{EntityKind, Mention};

/// Types that one document gives a person consistently:
///
/// - a one-word mention equal to the last word of a person's name of two or
///   more words in the same document is that person ("Keir Starmer" ...
///   "Starmer"), in capitals too ("TUSK");
/// - the mentions of one text of which at least one is read as a person take
///   the type whose mentions' scores sum highest.
///
/// Other types are left alone: a country's name is rightly a place in one
/// sentence and a team (ORG) in the next. Before that, an acronym in brackets
/// right after a name takes the name's type, and so do its other mentions
/// ("Democratic Republic of Congo (DRC)", see [`bracketed_acronyms`]).
pub(crate) fn agree_types(text: &str, mentions: &mut [Mention]) {
    bracketed_acronyms(text, mentions);
    let surnames: HashSet<String> = mentions
        .iter()
        .filter(|m| m.label == EntityKind::Person)
        .filter_map(|m| {
            let mut words = m.text.split_whitespace();
            let last = words.next_back()?;
            words.next_back()?;
            Some(last.to_uppercase())
        })
        .collect();
    for m in mentions.iter_mut() {
        if m.label != EntityKind::Person
            && !m.text.contains(char::is_whitespace)
            && surnames.contains(&m.text.to_uppercase())
        {
            m.label = EntityKind::Person;
        }
    }
    // Per text: each type's summed score, in order of first appearance.
    let mut votes: HashMap<&str, Vec<(EntityKind, f32)>> = HashMap::new();
    for m in mentions.iter() {
        let v = votes.entry(m.text.as_str()).or_default();
        match v.iter_mut().find(|(k, _)| *k == m.label) {
            Some((_, s)) => *s += m.score,
            None => v.push((m.label.clone(), m.score)),
        }
    }
    let winners: HashMap<String, EntityKind> = votes
        .into_iter()
        .filter(|(_, v)| v.len() > 1 && v.iter().any(|(k, _)| *k == EntityKind::Person))
        .map(|(t, v)| {
            let best = v.iter().fold(&v[0], |a, b| if b.1 > a.1 { b } else { a });
            (t.to_string(), best.0.clone())
        })
        .collect();
    for m in mentions.iter_mut() {
        if let Some(k) = winners.get(&m.text) {
            m.label = k.clone();
        }
    }
}

/// "Tehrik-e-Taliban Pakistan (TTP)": an all-capitals mention in brackets
/// right after a name, starting with the name's first letter, is that name's
/// acronym and takes its type; so do the acronym's other mentions in the
/// document, unless read as a person.
fn bracketed_acronyms(text: &str, mentions: &mut [Mention]) {
    let mut types: HashMap<String, EntityKind> = HashMap::new();
    let mut brackets = Vec::new();
    for i in 1..mentions.len() {
        let (name, acr) = (&mentions[i - 1], &mentions[i]);
        let between = text.get(name.end..acr.start).map(str::trim);
        let closed = text.get(acr.end..).is_some_and(|t| t.starts_with(')'));
        let letters: Vec<char> = acr.text.chars().filter(|c| c.is_alphabetic()).collect();
        if between == Some("(")
            && closed
            && letters.len() >= 2
            && letters.iter().all(|c| c.is_uppercase())
            && name.text.chars().next() == letters.first().copied()
            && name.text.contains(char::is_whitespace)
            && name.label != acr.label
        {
            types.insert(acr.text.clone(), name.label.clone());
            brackets.push(i);
        }
    }
    if types.is_empty() {
        return;
    }
    for i in brackets {
        mentions[i].label = mentions[i - 1].label.clone();
    }
    for m in mentions.iter_mut() {
        if let Some(k) = types.get(&m.text) {
            if m.label != EntityKind::Person {
                m.label = k.clone();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_acronym_in_brackets_takes_its_names_type() {
        use EntityKind::*;
        let t = "fighting in the Democratic Republic of Congo (DRC) and in Chad (CHAD); the DRC army and the FBI (Federal Bureau)";
        // The `nth` occurrence of `s` in `t` as a mention of type `k`.
        let at = |s: &str, nth: usize, k: EntityKind| {
            let start = t.match_indices(s).nth(nth).unwrap().0;
            Mention {
                text: s.into(),
                label: k,
                start,
                end: start + s.len(),
                char_start: start,
                char_end: start + s.len(),
                score: 0.9,
            }
        };
        let mut ms = vec![
            at("Democratic Republic of Congo", 0, Location),
            at("DRC", 0, Organization),
            at("Chad", 0, Location),
            at("CHAD", 0, Organization),
            at("DRC", 1, Organization),
            at("FBI", 0, Organization),
        ];
        ms[1].label = Person; // the bracketed acronym itself follows its name even when read as a person
        agree_types(t, &mut ms);
        // A one-word name's bracket is no acronym of it ("Chad (CHAD)" could be
        // a team code); the DRC's later mention follows its first.
        assert_eq!(labels(&ms), ["LOC", "LOC", "LOC", "ORG", "LOC", "ORG"]);
    }

    fn mention(text: &str, label: EntityKind, score: f32) -> Mention {
        Mention { text: text.into(), label, start: 0, end: text.len(), char_start: 0, char_end: text.len(), score }
    }

    fn labels(ms: &[Mention]) -> Vec<&str> {
        ms.iter().map(|m| m.label.as_str()).collect()
    }

    #[test]
    fn a_surname_alone_is_the_person_named_in_full() {
        use EntityKind::*;
        let mut ms = vec![
            mention("Keir Starmer", Person, 0.99),
            mention("Starmer", Organization, 0.7),
            mention("STARMER", Location, 0.6),
            mention("Keir", Location, 0.6),
            mention("Starmer Group", Organization, 0.9),
            mention("London", Location, 0.9),
        ];
        agree_types("", &mut ms);
        // The first name alone and a longer name that ends otherwise are not the person.
        assert_eq!(labels(&ms), ["PER", "PER", "PER", "LOC", "ORG", "LOC"]);
    }

    #[test]
    fn one_text_read_as_a_person_takes_the_surest_type() {
        use EntityKind::*;
        let mut ms = vec![
            mention("Sumitomo", Person, 0.6),
            mention("Sumitomo", Organization, 0.9),
            mention("Sumitomo", Organization, 0.8),
            mention("Celtic", Person, 0.9),
            mention("Celtic", Organization, 0.5),
        ];
        agree_types("", &mut ms);
        assert_eq!(labels(&ms), ["ORG", "ORG", "ORG", "PER", "PER"]);
        // Other types disagree freely: a country is a place and a team.
        let mut ms = vec![mention("Brazil", Location, 0.9), mention("Brazil", Organization, 0.95)];
        agree_types("", &mut ms);
        assert_eq!(labels(&ms), ["LOC", "ORG"]);
    }
}
