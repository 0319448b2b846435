//! CoNLL-2003-like words.

use std::ops::Range;

use super::sentences::is_abbreviation;

/// Leading characters split off a whitespace-separated chunk as their own word.
fn is_leading_punct(c: char) -> bool {
    matches!(c, '"' | '\'' | '(' | '[' | '{' | '<' | '«' | '“' | '‘' | '`')
}

/// Trailing characters split off a chunk as their own word (the period has its own rule).
fn is_trailing_punct(c: char) -> bool {
    matches!(c, '"' | '\'' | ')' | ']' | '}' | '>' | '»' | '”' | '’' | ',' | ';' | ':' | '!' | '?' | '…')
}

/// An English clitic written apart: "'s", "'S", "'re", "'m", "'ve", "'ll", "’d".
fn is_clitic(w: &str) -> bool {
    let rest = w.strip_prefix('\'').or_else(|| w.strip_prefix('’'));
    rest.is_some_and(|r| ["s", "re", "m", "ve", "ll", "d"].iter().any(|c| r.eq_ignore_ascii_case(c)))
}

/// CoNLL-2003-like words of `text[range]`, as absolute byte ranges.
///
/// Whitespace separates chunks; leading quotes and brackets, trailing
/// punctuation, a possessive `'s`, dashes and slashes are split off. Internal periods
/// and hyphens stay ("U.S.", "Garcia-Margallo", "Ki-moon"), and so does the
/// final period of an abbreviation ("Mr.", "U.S."). A range that is not a
/// char-boundary range of `text` has no words.
pub fn words(text: &str, range: Range<usize>) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let Some(seg) = text.get(range.clone()) else { return out };
    let mut chunk_start: Option<usize> = None;
    let flush = |s: usize, e: usize, out: &mut Vec<Range<usize>>| split_chunk(text, s, e, out);
    for (i, c) in seg.char_indices() {
        let b = range.start + i;
        if c.is_whitespace() || c == '—' || c == '–' || c == '/' || super::is_break(c) {
            if let Some(s) = chunk_start.take() {
                flush(s, b, &mut out);
            }
            if c == '—' || c == '–' || c == '/' {
                out.push(b..b + c.len_utf8());
            }
        } else if chunk_start.is_none() {
            chunk_start = Some(b);
        }
    }
    if let Some(s) = chunk_start {
        flush(s, range.end, &mut out);
    }
    out
}

/// The possessive endings split off a word ("Kerry's" → "Kerry", "'s").
const POSSESSIVES: [&str; 4] = ["'s", "’s", "'S", "’S"];

/// Whether a word is a possessive ending, as `words` splits them off.
pub(crate) fn is_possessive(w: &str) -> bool {
    POSSESSIVES.contains(&w)
}

/// Wire-service headline slugs written before a hyphen: "BRIEF-Kao Corp",
/// "EXCLUSIVE-Adani", "UPDATE 2-Ford" ("UPDATE" then "2-").
#[rustfmt::skip]
const SLUGS: &[&str] = &[
    "BRIEF", "EXCLUSIVE", "UPDATE", "RPT", "REFILE", "CORRECTED", "CORRECTION", "INSIGHT", "ANALYSIS",
    "FACTBOX", "EXPLAINER", "WRAPUP", "INTERVIEW", "TIMELINE", "PREVIEW", "COLUMN", "BREAKINGVIEWS", "FOCUS",
    "BUZZ", "GRAPHIC", "POLL", "FEATURE", "REVIEW", "OBITUARY", "PROFILE", "SCENARIOS", "QUOTEBOX", "URGENT",
];

/// The length of a headline slug and its hyphen at the start of `w`, when a
/// capital letter or digit follows the hyphen: "BRIEF-" of "BRIEF-Kao", "2-"
/// of "2-Ford" after "UPDATE".
fn slug_len(w: &str, after_update: bool) -> Option<usize> {
    let (head, rest) = w.split_once('-')?;
    let slug = SLUGS.contains(&head) || (after_update && head.len() <= 2 && head.bytes().all(|b| b.is_ascii_digit()));
    let next = rest.chars().next()?;
    (slug && (next.is_uppercase() || next.is_ascii_digit())).then_some(head.len() + 1)
}

fn split_chunk(text: &str, mut s: usize, mut e: usize, out: &mut Vec<Range<usize>>) {
    // "BRIEF-Kao Corp", "UPDATE 2-Ford": the slug and its hyphen are words of their own.
    let after_update = out.last().is_some_and(|w| &text[w.clone()] == "UPDATE");
    if let Some(n) = slug_len(&text[s..e], after_update) {
        out.push(s..s + n - 1);
        out.push(s + n - 1..s + n);
        s += n;
    }
    // A clitic written apart ("'s", "'re", "n't" in CoNLL's spacing) is one word.
    if is_clitic(&text[s..e]) {
        out.push(s..e);
        return;
    }
    let chunk_start = s;
    // Leading punctuation, one char each.
    while s < e {
        let c = text[s..e].chars().next().unwrap_or(' ');
        if is_leading_punct(c) && s + c.len_utf8() < e {
            out.push(s..s + c.len_utf8());
            s += c.len_utf8();
        } else {
            break;
        }
    }
    // Trailing punctuation and a possessive 's / ’s, collected in reverse
    // ("Kerry's," and "Kerry:'s" alike).
    let mut tail = Vec::new();
    loop {
        while let Some(c) = text[s..e].chars().next_back() {
            let cl = c.len_utf8();
            if e - s <= cl {
                break;
            }
            if is_trailing_punct(c) {
                tail.push(e - cl..e);
                e -= cl;
            } else if c == '.' {
                let word = &text[s..e - 1];
                if is_abbreviation(word) || word.ends_with('.') {
                    break;
                }
                tail.push(e - 1..e);
                e -= 1;
            } else {
                break;
            }
        }
        let w = &text[s..e];
        let Some(suffix) = POSSESSIVES.into_iter().find(|x| w.len() > x.len() && w.ends_with(x)) else {
            break;
        };
        tail.push(e - suffix.len()..e);
        e -= suffix.len();
    }
    // What is left of a chunk that began with a possessive ("'s's", "'s,") is
    // that possessive: the apostrophe split off as leading punctuation and the "s".
    if let Some(quote) = out.last().filter(|q| q.start >= chunk_start && q.end == s) {
        if is_possessive(&text[quote.start..e]) {
            s = quote.start;
            out.pop();
        }
    }
    if s < e {
        out.push(s..e);
    }
    out.extend(tail.into_iter().rev());
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ws(t: &str) -> Vec<&str> {
        words(t, 0..t.len()).into_iter().map(|r| &t[r]).collect()
    }

    #[test]
    fn splits_words_like_conll() {
        assert_eq!(
            ws("U.S. envoy Garcia-Margallo (Spain) met Ban Ki-moon's aide, \"Mr. X.\""),
            vec![
                "U.S.",
                "envoy",
                "Garcia-Margallo",
                "(",
                "Spain",
                ")",
                "met",
                "Ban",
                "Ki-moon",
                "'s",
                "aide",
                ",",
                "\"",
                "Mr.",
                "X.",
                "\""
            ]
        );
        assert_eq!(ws("in Rome."), vec!["in", "Rome", "."]);
        // CoNLL's own tokens stay whole: clitics written apart, state abbreviations.
        assert_eq!(
            ws("Nation 's Cup MOODY 'S we 're TALLAHASSEE , Fla."),
            vec!["Nation", "'s", "Cup", "MOODY", "'S", "we", "'re", "TALLAHASSEE", ",", "Fla."]
        );
        assert_eq!(ws("'Hello' 'sup"), vec!["'", "Hello", "'", "'", "sup"]);
        // Found by the soak: a quoted two-letter name is not a clitic.
        assert_eq!(ws("'Xi 'Ed 'RE"), vec!["'", "Xi", "'", "Ed", "'RE"]);
        // Punctuation before a possessive is split off too (found by the property tests).
        assert_eq!(ws("Hamas:'s Kerry]'s"), vec!["Hamas", ":", "'s", "Kerry", "]", "'s"]);
        // A run of possessives is possessive words, not an apostrophe and an "s" (found by the soak).
        assert_eq!(ws("IMF 's's's ’s,"), vec!["IMF", "'s", "'s", "'s", "’s", ","]);
        assert_eq!(ws("REUTERS/Baz Ratner"), vec!["REUTERS", "/", "Baz", "Ratner"]);
        // Headline slugs: "BRIEF-KAO CORP", "UPDATE 2-Ford's"; other hyphens stay.
        assert_eq!(ws("BRIEF-KAO CORP"), vec!["BRIEF", "-", "KAO", "CORP"]);
        assert_eq!(ws("UPDATE 2-Ford's"), vec!["UPDATE", "2", "-", "Ford", "'s"]);
        assert_eq!(ws("BRIEF-"), vec!["BRIEF-"]);
        assert_eq!(ws("2-Ford ISIS-K BRIEF-ly"), vec!["2-Ford", "ISIS-K", "BRIEF-ly"]);
        assert_eq!(ws("Zoë — Москва"), vec!["Zoë", "—", "Москва"]);
        // Control and format characters separate words, as the tokenizer's
        // normaliser deletes them (they used to glue "Kerry\x0bmet").
        assert_eq!(ws("Kerry\x0bmet\u{ad}Lavrov\u{0}in\u{200b}Rome"), vec!["Kerry", "met", "Lavrov", "in", "Rome"]);
        // A range off char boundaries has no words rather than a panic.
        assert!(
            words("Zoë", 0..3).is_empty()
                && words("ab", Range { start: 1, end: 0 }).is_empty()
                && words("ab", 0..9).is_empty()
        );
    }
}
