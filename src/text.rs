//! Plain-text helpers: sentence boundaries, CoNLL-like words, the casing channel.
//!
//! All ranges are byte ranges into the caller's `&str` and always fall on char
//! boundaries.

use std::ops::Range;

/// Abbreviations whose trailing period does not end a sentence or a word.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "gen", "col", "lt", "sgt", "capt", "cmdr", "adm", "maj", "sen", "rep", "gov",
    "pres", "rev", "st", "jr", "sr", "inc", "corp", "ltd", "co", "no", "vs", "etc", "jan", "feb", "mar", "apr", "aug",
    "sep", "sept", "oct", "nov", "dec", "mt", "ft", "fig", "approx", "dept", "univ", "est", "gov't", "msgr", "supt",
    "messrs",
];

fn is_abbreviation(word: &str) -> bool {
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

/// Leading characters split off a whitespace-separated chunk as their own word.
fn is_leading_punct(c: char) -> bool {
    matches!(c, '"' | '\'' | '(' | '[' | '{' | '<' | '«' | '“' | '‘' | '`')
}

/// Trailing characters split off a chunk as their own word (the period has its own rule).
fn is_trailing_punct(c: char) -> bool {
    matches!(c, '"' | '\'' | ')' | ']' | '}' | '>' | '»' | '”' | '’' | ',' | ';' | ':' | '!' | '?' | '…')
}

/// CoNLL-2003-like words of `text[range]`, as absolute byte ranges.
///
/// Whitespace separates chunks; leading quotes and brackets, trailing
/// punctuation, a possessive `'s`, dashes and slashes are split off. Internal periods
/// and hyphens stay ("U.S.", "Garcia-Margallo", "Ki-moon"), and so does the
/// final period of an abbreviation ("Mr.", "U.S.").
pub fn words(text: &str, range: Range<usize>) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let seg = &text[range.clone()];
    let mut chunk_start: Option<usize> = None;
    let flush = |s: usize, e: usize, out: &mut Vec<Range<usize>>| split_chunk(text, s, e, out);
    for (i, c) in seg.char_indices() {
        let b = range.start + i;
        if c.is_whitespace() || c == '—' || c == '–' || c == '/' || c.is_control() {
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

fn split_chunk(text: &str, mut s: usize, mut e: usize, out: &mut Vec<Range<usize>>) {
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
    // Trailing punctuation, collected in reverse.
    let mut tail = Vec::new();
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
    // Possessive 's / ’s.
    let w = &text[s..e];
    for suffix in ["'s", "’s", "'S", "’S"] {
        if w.len() > suffix.len() && w.ends_with(suffix) {
            tail.push(e - suffix.len()..e);
            e -= suffix.len();
            break;
        }
    }
    if s < e {
        out.push(s..e);
    }
    out.extend(tail.into_iter().rev());
}

/// Number of casing classes carried in `token_type_ids` by casing-aware models.
pub const CASING_CLASSES: u32 = 4;

/// Casing class of the token at byte range `start..end` of `text`: the class of
/// the token's range widened by the alphanumeric characters adjacent to it on
/// either side (so every sub-word of "McCain" gets the class of "McCain", and the
/// "." of "U.S." the class of "U.S"). 0: no letters; 1: no upper-case
/// letter; 3: two or more letters, all upper case; 2: otherwise (capitalised,
/// single capital, mixed case).
///
/// This is the Rust twin of `training/casing.py`; both must stay identical.
pub fn casing_class(text: &str, start: usize, end: usize) -> u32 {
    if end <= start || end > text.len() {
        return 0;
    }
    let mut s = start;
    while let Some(c) = text[..s].chars().next_back() {
        if c.is_alphanumeric() {
            s -= c.len_utf8();
        } else {
            break;
        }
    }
    let mut e = end;
    while let Some(c) = text[e..].chars().next() {
        if c.is_alphanumeric() {
            e += c.len_utf8();
        } else {
            break;
        }
    }
    let (mut letters, mut uppers) = (0usize, 0usize);
    for c in text[s..e].chars().filter(|c| c.is_alphabetic()) {
        letters += 1;
        if c.is_uppercase() {
            uppers += 1;
        }
    }
    if letters == 0 {
        0
    } else if uppers == 0 {
        1
    } else if uppers == letters && letters > 1 {
        3
    } else {
        2
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sents(t: &str) -> Vec<&str> {
        sentences(t).into_iter().map(|r| &t[r]).collect()
    }

    fn ws(t: &str) -> Vec<&str> {
        words(t, 0..t.len()).into_iter().map(|r| &t[r]).collect()
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
        assert_eq!(ws("REUTERS/Baz Ratner"), vec!["REUTERS", "/", "Baz", "Ratner"]);
        assert_eq!(ws("Zoë — Москва"), vec!["Zoë", "—", "Москва"]);
    }

    #[test]
    fn casing_classes() {
        let t = "McCain met NATO in the u.s. 2014";
        let at = |w: &str| {
            let s = t.find(w).unwrap();
            casing_class(t, s, s + 1)
        };
        assert_eq!(at("McCain"), 2);
        assert_eq!(at("NATO"), 3);
        assert_eq!(at("met"), 1);
        assert_eq!(at("2014"), 0);
        assert_eq!(casing_class("U.S.", 0, 1), 2);
        assert_eq!(casing_class("U.S.", 1, 2), 3);
        assert_eq!(casing_class("a , b", 2, 3), 0);
    }
}
