//! Sentence boundaries.

use std::ops::Range;

/// Abbreviations whose trailing period does not end a sentence or a word.
#[rustfmt::skip]
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "gen", "col", "lt", "sgt", "capt", "cmdr", "adm", "maj", "sen",
    "rep", "gov", "pres", "rev", "st", "jr", "sr", "inc", "corp", "ltd", "co", "no", "vs", "etc",
    "jan", "feb", "mar", "apr", "aug", "sep", "sept", "oct", "nov", "dec", "mt", "ft", "fig", "approx",
    "dept", "univ", "est", "gov't", "msgr", "supt", "messrs",
    // U.S. state abbreviations of datelines ("TALLAHASSEE, Fla."), not ordinary words.
    "calif", "fla", "ariz", "colo", "conn", "okla", "tenn", "minn", "mich", "nev", "neb", "wyo",
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
    let n = text.len();
    // The char at byte `b` (a char boundary), if any.
    let at = |b: usize| text.get(b..).and_then(|t| t.chars().next());
    // Byte offset after the run of chars from `b` on that satisfy `f`.
    let skip = |mut b: usize, f: &dyn Fn(char) -> bool| {
        while let Some(c) = at(b).filter(|&c| f(c)) {
            b += c.len_utf8();
        }
        b
    };
    let push = |out: &mut Vec<Range<usize>>, s: usize, e: usize| {
        let seg = &text[s..e];
        let t = seg.trim_start();
        let s2 = s + (seg.len() - t.len());
        let t = t.trim_end();
        if !t.is_empty() {
            out.push(s2..s2 + t.len());
        }
    };
    let mut b = 0;
    while let Some(c) = at(b) {
        let next_b = b + c.len_utf8();
        if c == '\n' {
            // Blank line, or a line that ends a sentence or is a heading.
            let j = skip(next_b, &|c| c.is_whitespace());
            let blank = text[next_b..j].contains('\n');
            let line = text[start..b].trim_end();
            let last_line = line.rsplit('\n').next().unwrap_or("");
            let ends_sentence =
                last_line.chars().rev().find(|c| !is_closing(*c)).is_some_and(|c| matches!(c, '.' | '!' | '?' | ':'));
            let heading = !last_line.chars().any(|c| c.is_lowercase());
            if blank || ends_sentence || heading || j >= n || starts_with_dateline(&text[j..]) {
                push(&mut out, start, b);
                start = j;
            }
            b = j;
            continue;
        }
        if matches!(c, '.' | '!' | '?') {
            // Extend over repeated punctuation and closing quotes/brackets.
            let j = skip(next_b, &|c| matches!(c, '.' | '!' | '?') || is_closing(c));
            let inline_space = |c: char| c.is_whitespace() && c != '\n';
            if at(j).is_some_and(inline_space) {
                // Next non-space char.
                let k = skip(j, &inline_space);
                let next = at(k);
                let starts_lower = next.is_some_and(|c| c.is_lowercase());
                let abbrev = c == '.' && j == next_b && {
                    let word_start = text[..b]
                        .char_indices()
                        .rev()
                        .find(|&(_, c)| c.is_whitespace() || c == '(' || c == '"')
                        .map(|(p, c)| p + c.len_utf8())
                        .unwrap_or(0);
                    let w = &text[word_start..b];
                    !w.is_empty() && is_abbreviation(w)
                };
                if next.is_some() && next != Some('\n') && !starts_lower && !abbrev {
                    push(&mut out, start, j);
                    start = k;
                    b = k;
                    continue;
                }
            }
            b = j;
            continue;
        }
        b = next_b;
    }
    push(&mut out, start, n);
    out
}

/// Whether a line starts with a wire dateline: a place in capitals (two or
/// more letters, words separated by spaces) followed by a comma, a bracket or
/// a dash ("KYIV, Ukraine (Reuters) -", "SAO PAULO (AP) -", "WASHINGTON -").
/// Such a line starts a sentence even when the line before it does not end
/// one (a photo credit, "REUTERS/Baz Ratner").
fn starts_with_dateline(line: &str) -> bool {
    let mut letters = 0;
    let mut rest = line;
    // Words in capitals, separated by single spaces.
    loop {
        let end = rest.find(|c: char| !(c.is_uppercase() || c == '.' || c == '-')).unwrap_or(rest.len());
        let word = &rest[..end];
        if !word.chars().any(char::is_alphabetic) {
            break;
        }
        letters += word.chars().filter(|c| c.is_alphabetic()).count();
        rest = &rest[end..];
        match rest.strip_prefix(' ') {
            Some(r) if r.starts_with(char::is_uppercase) => rest = r,
            _ => break,
        }
    }
    let rest = rest.trim_start_matches(' ');
    letters >= 2 && (rest.starts_with([',', '(', '—', '–']) || rest.starts_with("- ") || rest.starts_with("-- "))
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
        assert_eq!(
            sents("Kerry meets Lavrov. REUTERS/Baz Ratner\nKYIV, Ukraine (Reuters) - Talks began."),
            vec!["Kerry meets Lavrov.", "REUTERS/Baz Ratner", "KYIV, Ukraine (Reuters) - Talks began."]
        );
        assert_eq!(
            sents("Photo: AP/Jane Doe\nSAO PAULO (AP) - Rain."),
            vec!["Photo: AP/Jane Doe", "SAO PAULO (AP) - Rain."]
        );
        assert_eq!(sents("Photo by Jane Doe\nWASHINGTON - Rain."), vec!["Photo by Jane Doe", "WASHINGTON - Rain."]);
        // Hard-wrapped lines that start with an acronym or a name stay joined.
        assert_eq!(sents("He met the\nU.S. Treasury chief."), vec!["He met the\nU.S. Treasury chief."]);
        assert_eq!(sents("He met\nNATO allies."), vec!["He met\nNATO allies."]);
        assert_eq!(sents("He met\nA. Smith, a banker."), vec!["He met\nA. Smith, a banker."]);
        assert!(sents("").is_empty());
        assert!(sents(" \n\t ").is_empty());
    }

    /// Multi-byte spaces before a sentence-final period (HTML's `&nbsp;`, the
    /// ideographic space, line and paragraph separators) used to panic.
    #[test]
    fn multi_byte_spaces_before_a_period() {
        for space in ['\u{a0}', '\u{85}', '\u{2028}', '\u{2029}', '\u{3000}'] {
            let t = format!("Kerry met{space}Lavrov. Obama met Cameron.");
            let got = sents(&t);
            assert_eq!(got.last().copied(), Some("Obama met Cameron."), "{space:?}: {got:?}");
            let t = format!("He met Mr.{space}Smith. Then left.");
            assert!(!sents(&t).is_empty());
        }
    }
}
