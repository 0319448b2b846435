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
/// sentence and a team (ORG) in the next.
pub(crate) fn agree_types(mentions: &mut [Mention]) {
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

#[cfg(test)]
mod tests {
    use super::*;

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
        agree_types(&mut ms);
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
        agree_types(&mut ms);
        assert_eq!(labels(&ms), ["ORG", "ORG", "ORG", "PER", "PER"]);
        // Other types disagree freely: a country is a place and a team.
        let mut ms = vec![mention("Brazil", Location, 0.9), mention("Brazil", Organization, 0.95)];
        agree_types(&mut ms);
        assert_eq!(labels(&ms), ["LOC", "ORG"]);
    }
}
