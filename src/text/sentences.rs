//! Sentence boundaries.

use std::ops::Range;

/// Abbreviations whose trailing period does not end a sentence or a word.
#[rustfmt::skip]
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "gen", "col", "lt", "sgt", "capt", "cmdr", "adm", "maj", "sen",
    "rep", "gov", "pres", "rev", "st", "jr", "sr", "inc", "corp", "ltd", "co", "no", "vs", "etc",
    "jan", "feb", "mar", "apr", "aug", "sep", "sept", "oct", "nov", "dec", "mt", "ft", "fig", "approx",
    "dept", "univ", "est", "gov't", "msgr", "supt", "messrs",
];

/// Whether `word` (without its final period) is an abbreviation or an initial.
pub(super) fn is_abbreviation(word: &str) -> bool {
    // `word` excludes the final period.
    let lower = word.to_lowercase();
    if ABBREVIATIONS.contains(&lower.as_str()) {
        return true;
    }
    let mut chars = word.chars();
    // Single-letter initials ("J.") and dotted acronyms ("U.S", "U.N").
    match (chars.next(), chars.next()) {
        (Some(c), None) => c.is_alphabetic(),
        _ => word.contains('.') && word.chars().all(|c| c.is_alphabetic() || c == '.'),
    }
}

fn is_closing(c: char) -> bool {
    matches!(c, '"' | '\'' | ')' | ']' | '}' | '»' | '”' | '’')
}

/// Sentence byte ranges of `text`, trimmed of surrounding whitespace, in order.
/// Empty or whitespace-only text has none.
///
/// Boundaries: `.`, `!` or `?` (and closing quotes or brackets after them)
/// followed by whitespace and a word that does not start in lower case, unless
/// the period ends an abbreviation ("Mr.", "U.S.", "J."); a blank line; a line
/// break after sentence-final punctuation or after a line with no lower-case
/// letter (a heading, a dateline).
pub fn sentences(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0usize;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let n = chars.len();
    let mut i = 0;
    let push = |out: &mut Vec<Range<usize>>, s: usize, e: usize| {
        let seg = &text[s..e];
        let t = seg.trim_start();
        let s2 = s + (seg.len() - t.len());
        let t = t.trim_end();
        if !t.is_empty() {
            out.push(s2..s2 + t.len());
        }
    };
    while i < n {
        let (b, c) = chars[i];
        if c == '\n' {
            // Blank line, or a line that ends a sentence or is a heading.
            let mut j = i + 1;
            let mut blank = false;
            while j < n && chars[j].1.is_whitespace() {
                if chars[j].1 == '\n' {
                    blank = true;
                }
                j += 1;
            }
            let line = text[start..b].trim_end();
            let last_line = line.rsplit('\n').next().unwrap_or("");
            let ends_sentence =
                last_line.chars().rev().find(|c| !is_closing(*c)).is_some_and(|c| matches!(c, '.' | '!' | '?' | ':'));
            let heading = !last_line.chars().any(|c| c.is_lowercase());
            if blank || ends_sentence || heading || j >= n {
                push(&mut out, start, b);
                start = if j < n { chars[j].0 } else { text.len() };
            }
            i = j;
            continue;
        }
        if matches!(c, '.' | '!' | '?') {
            // Extend over repeated punctuation and closing quotes/brackets.
            let mut j = i + 1;
            while j < n && (matches!(chars[j].1, '.' | '!' | '?') || is_closing(chars[j].1)) {
                j += 1;
            }
            let end_b = if j < n { chars[j].0 } else { text.len() };
            if j < n && chars[j].1.is_whitespace() && chars[j].1 != '\n' {
                // Next non-space char.
                let mut k = j;
                while k < n && chars[k].1.is_whitespace() && chars[k].1 != '\n' {
                    k += 1;
                }
                let next = if k < n { Some(chars[k].1) } else { None };
                let starts_lower = next.is_some_and(|c| c.is_lowercase());
                let abbrev = c == '.' && j == i + 1 && {
                    let word_start = text[..b]
                        .rfind(|c: char| c.is_whitespace() || c == '(' || c == '"')
                        .map(|p| p + 1)
                        .unwrap_or(0);
                    let w = &text[word_start..b];
                    !w.is_empty() && is_abbreviation(w)
                };
                if next.is_some() && next != Some('\n') && !starts_lower && !abbrev {
                    push(&mut out, start, end_b);
                    start = chars[k].0;
                    i = k;
                    continue;
                }
            }
            i = j;
            continue;
        }
        i += 1;
    }
    push(&mut out, start, text.len());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sents(t: &str) -> Vec<&str> {
        sentences(t).into_iter().map(|r| &t[r]).collect()
    }

    #[test]
    fn splits_sentences() {
        assert_eq!(
            sents("Kerry met Lavrov. Mr. Smith went to the U.S. on Monday. He left!  \"Why?\" he asked."),
            vec!["Kerry met Lavrov.", "Mr. Smith went to the U.S. on Monday.", "He left!", "\"Why?\" he asked."]
        );
        assert_eq!(
            sents("COLD WAR\n\nRussia and the West are locked."),
            vec!["COLD WAR", "Russia and the West are locked."]
        );
        assert_eq!(sents("Secretary of State John\nKerry said so."), vec!["Secretary of State John\nKerry said so."]);
        assert!(sents("").is_empty());
        assert!(sents(" \n\t ").is_empty());
    }
}
