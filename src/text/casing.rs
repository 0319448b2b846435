//! The casing channel: how an uncased encoder sees capitals.
//!
//! Each token gets one of [`CASING_CLASSES`] classes, passed to casing-aware
//! models in `token_type_ids`. The class is that of the token's range widened
//! by the alphanumeric characters adjacent to it *inside its word* (so every
//! sub-word of "McCain" gets the class of "McCain", the "." of "U.S." the class
//! of "U.S", and the full stop glued to "Abe." the class of "." alone, as in the
//! spaced CoNLL text the model was trained on). 0: no letters; 1: no upper-case
//! letter; 3: two or more letters, all upper case; 2: otherwise (capitalised,
//! single capital, mixed case).
//!
//! Letters are Unicode general category L*, upper case letters Lu, and
//! alphanumerics L* or N*: Python's `isalpha`, `isupper` and `isalnum` on
//! these, so `training/casing.py` (the Python twin, used to train the model)
//! gives the same classes.

use std::ops::Range;

use unicode_general_category::{get_general_category, GeneralCategory as G};

/// Number of casing classes carried in `token_type_ids` by casing-aware models.
pub const CASING_CLASSES: u32 = 4;

/// A letter: general category L*.
fn is_letter(c: char) -> bool {
    matches!(
        get_general_category(c),
        G::UppercaseLetter | G::LowercaseLetter | G::TitlecaseLetter | G::ModifierLetter | G::OtherLetter
    )
}

/// A letter or a number: general category L* or N*.
fn is_alnum(c: char) -> bool {
    c.is_ascii_alphanumeric()
        || (!c.is_ascii()
            && (is_letter(c) || matches!(get_general_category(c), G::DecimalNumber | G::LetterNumber | G::OtherNumber)))
}

/// Letters and upper-case letters of a range.
#[derive(Debug, Clone, Copy, Default)]
struct Counts {
    letters: u64,
    uppers: u64,
}

impl Counts {
    fn of(c: char) -> Counts {
        if is_letter(c) {
            Counts { letters: 1, uppers: u64::from(get_general_category(c) == G::UppercaseLetter) }
        } else {
            Counts::default()
        }
    }

    fn add(&mut self, o: Counts) {
        self.letters += o.letters;
        self.uppers += o.uppers;
    }

    fn sub(&mut self, o: Counts) {
        self.letters -= o.letters;
        self.uppers -= o.uppers;
    }

    fn class(self) -> u32 {
        if self.letters == 0 {
            0
        } else if self.uppers == 0 {
            1
        } else if self.uppers == self.letters && self.letters > 1 {
            3
        } else {
            2
        }
    }
}

/// Casing class of the token at byte range `start..end` of `text`, inside the
/// word at byte range `word` (see the module docs). A token not inside `word`
/// is classed on its own range; offsets off char boundaries or out of range
/// give 0. Takes time linear in the word; [`casing_classes`] does a whole
/// sentence in linear time.
///
/// This is the Rust twin of `training/casing.py`'s `token_casing`.
///
/// ```
/// use newsie::text::casing_class;
/// let t = "McCain met Abe.";
/// assert_eq!(casing_class(t, 0..6, 2, 4), 2); // "Cain" of "McCain"
/// assert_eq!(casing_class(t, 14..15, 14, 15), 0); // the full stop, its own word
/// ```
pub fn casing_class(text: &str, word: Range<usize>, start: usize, end: usize) -> u32 {
    casing_classes(text, std::slice::from_ref(&word), &[(start, end)])[0]
}

/// Casing classes of `tokens` (byte ranges, in text order, not overlapping) of
/// a text whose words are `words` (byte ranges, in order): one pass over the
/// words, so the time is linear in the text whatever the tokens. A token is
/// widened inside the word that contains it; one in no word is classed on its
/// own range. Bad ranges give 0.
pub fn casing_classes(text: &str, words: &[Range<usize>], tokens: &[(usize, usize)]) -> Vec<u32> {
    let ok = |a: usize, b: usize| a <= b && text.is_char_boundary(a) && text.is_char_boundary(b);
    let mut out = Vec::with_capacity(tokens.len());
    let mut wi = 0;
    let mut cursor: Option<(usize, Cursor)> = None;
    for &(s, e) in tokens {
        if s >= e || !ok(s, e) {
            out.push(0);
            continue;
        }
        while wi < words.len() && words[wi].end <= s {
            wi += 1;
        }
        let word = words.get(wi).filter(|w| w.start <= s && e <= w.end && ok(w.start, w.end));
        let Some(word) = word else {
            out.push(range_counts(&text[s..e]).class());
            continue;
        };
        let cur = match &mut cursor {
            Some((i, c)) if *i == wi && c.pos <= s => c,
            _ => &mut cursor.insert((wi, Cursor::new(word.clone()))).1,
        };
        out.push(cur.class(text, s, e));
    }
    out
}

fn range_counts(s: &str) -> Counts {
    let mut c = Counts::default();
    for ch in s.chars() {
        c.add(Counts::of(ch));
    }
    c
}

/// A forward scan over one word, keeping what widening needs: the alphanumeric
/// run that ends at the scan position, and the one that starts there. Every
/// char is added and removed at most once, so a word costs linear time.
#[derive(Debug)]
struct Cursor {
    word: Range<usize>,
    /// Scan position (a char boundary inside the word).
    pos: usize,
    /// Counts of the alphanumeric run ending at `pos`.
    behind: Counts,
    /// End of the alphanumeric run starting at `pos`, if scanned, and its counts.
    ahead: Option<(usize, Counts)>,
}

impl Cursor {
    fn new(word: Range<usize>) -> Cursor {
        Cursor { pos: word.start, word, behind: Counts::default(), ahead: None }
    }

    /// Moves the scan position to `to` (not before `pos`).
    fn advance(&mut self, text: &str, to: usize) {
        for ch in text[self.pos..to].chars() {
            let c = Counts::of(ch);
            if is_alnum(ch) {
                self.behind.add(c);
            } else {
                self.behind = Counts::default();
            }
            if let Some((end, counts)) = &mut self.ahead {
                if self.pos < *end {
                    counts.sub(c);
                } else {
                    self.ahead = None;
                }
            }
            self.pos += ch.len_utf8();
        }
        if self.ahead.is_some_and(|(end, _)| end < self.pos) {
            self.ahead = None;
        }
    }

    /// Counts of the alphanumeric run starting at `pos`.
    fn run_ahead(&mut self, text: &str) -> Counts {
        if let Some((_, c)) = self.ahead {
            return c;
        }
        let mut end = self.pos;
        let mut counts = Counts::default();
        for ch in text[self.pos..self.word.end].chars() {
            if !is_alnum(ch) {
                break;
            }
            counts.add(Counts::of(ch));
            end += ch.len_utf8();
        }
        self.ahead = Some((end, counts));
        counts
    }

    /// Class of the token `s..e` (inside the word, `s >= pos`).
    fn class(&mut self, text: &str, s: usize, e: usize) -> u32 {
        self.advance(text, s);
        let mut total = self.behind;
        total.add(range_counts(&text[s..e]));
        self.advance(text, e);
        total.add(self.run_ahead(text));
        total.class()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The definition, computed directly (quadratic; for comparison only).
    fn naive(text: &str, word: Range<usize>, s: usize, e: usize) -> u32 {
        let mut a = s;
        while let Some(c) = text[word.start..a].chars().next_back().filter(|&c| is_alnum(c)) {
            a -= c.len_utf8();
        }
        let mut b = e;
        while let Some(c) = text[b..word.end].chars().next().filter(|&c| is_alnum(c)) {
            b += c.len_utf8();
        }
        range_counts(&text[a..b]).class()
    }

    #[test]
    fn casing_classes_of_words() {
        let t = "McCain met NATO in the u.s. 2014";
        let at = |w: &str| {
            let s = t.find(w).unwrap();
            casing_class(t, s..s + w.len(), s, s + 1)
        };
        assert_eq!(at("McCain"), 2);
        assert_eq!(at("NATO"), 3);
        assert_eq!(at("met"), 1);
        assert_eq!(at("2014"), 0);
        assert_eq!(casing_class("U.S.", 0..4, 0, 1), 2);
        assert_eq!(casing_class("U.S.", 0..4, 1, 2), 3);
        assert_eq!(casing_class("a , b", 2..3, 2, 3), 0);
        // A full stop that is a word of its own is not widened into the name before it.
        assert_eq!(casing_class("Abe.", 3..4, 3, 4), 0);
        // Bad offsets give 0, never a panic.
        assert_eq!(casing_class("Zoë", 0..4, 2, 3), 0);
        assert_eq!(casing_class("ab", 0..9, 0, 1), 1);
        assert_eq!(casing_class("ab", 0..2, 1, 0), 0);
    }

    #[test]
    fn one_pass_equals_the_definition() {
        let texts =
            ["McCain's U.S.-led NATO talks", "北京市长 Zoë ÀB a1B2 ⅠⅡ मा", "x.Y.z ..A.. 3M", "ÉCOLE école ÉcOLE"];
        for t in texts {
            let words = crate::text::words(t, 0..t.len());
            // Every char of each word as a token, then every pair of chars.
            for step in [1, 2] {
                let mut tokens = Vec::new();
                for w in &words {
                    let idx: Vec<usize> =
                        t[w.clone()].char_indices().map(|(i, _)| w.start + i).chain([w.end]).collect();
                    for k in (0..idx.len() - 1).step_by(step) {
                        tokens.push((idx[k], idx[(k + step).min(idx.len() - 1)]));
                    }
                }
                let fast = casing_classes(t, &words, &tokens);
                for (&(s, e), got) in tokens.iter().zip(fast) {
                    let w = words.iter().find(|w| w.start <= s && e <= w.end).unwrap();
                    assert_eq!(got, naive(t, w.clone(), s, e), "{t:?} {s}..{e}");
                }
            }
        }
    }

    #[test]
    fn letters_follow_python() {
        // U+093E (a Devanagari vowel sign, Mc) is alphabetic for Rust's
        // `is_alphabetic` but not a letter for Python's `isalpha`; U+2160
        // (Roman numeral one, Nl) is upper case for `is_uppercase` but not a letter.
        assert!(!is_letter('\u{93e}') && !is_alnum('\u{93e}'));
        assert!(!is_letter('\u{2160}') && is_alnum('\u{2160}'));
        assert_eq!(casing_class("\u{2160}\u{2161}", 0..6, 0, 3), 0);
    }
}
