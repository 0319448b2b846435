//! What must hold for any document newsie returns, and random news-like text
//! to check it on. Shared by the property tests (`tests/properties.rs`) and
//! the soak driver (`examples/soak.rs`, which includes this file by path).

/// Characters `text::words` always splits off the start of a word.
const LEADING: &[char] = &['"', '\'', '(', '[', '{', '<', '«', '“', '‘', '`'];
/// Characters it always splits off the end (the full stop has its own rule).
const TRAILING: &[char] = &['"', ')', ']', '}', '>', '»', '”', ',', ';', ':', '!', '?', '…'];

/// Checks the invariants of `doc` against `text`; the first one broken, as a message.
pub fn check_document(text: &str, doc: &newsie::Document) -> Result<(), String> {
    let mut prev_end = 0;
    // Char offsets counted incrementally (entities are in text order).
    let (mut at_byte, mut at_char) = (0usize, 0usize);
    let mut chars_to = |b: usize| -> Option<usize> {
        if b < at_byte || !text.is_char_boundary(b) {
            return None;
        }
        at_char += text[at_byte..b].chars().count();
        at_byte = b;
        Some(at_char)
    };
    for e in &doc.entities {
        let bad = |m: &str| Err(format!("{m}: {e:?}"));
        if !(e.start < e.end && e.end <= text.len()) {
            return bad("offsets out of range");
        }
        if e.start < prev_end {
            return bad("entities overlap or are out of order");
        }
        prev_end = e.end;
        if text.get(e.start..e.end) != Some(e.text.as_str()) {
            return bad("text is not the byte slice");
        }
        if chars_to(e.start) != Some(e.char_start) || chars_to(e.end) != Some(e.char_end) {
            return bad("char offsets wrong");
        }
        if !(0.0..=1.0).contains(&e.score) {
            return bad("score outside 0..1");
        }
        let (first, last) = (e.text.chars().next(), e.text.chars().next_back());
        if first.is_some_and(|c| c.is_whitespace() || LEADING.contains(&c))
            || last.is_some_and(|c| c.is_whitespace() || TRAILING.contains(&c))
        {
            return bad("starts or ends on white space or punctuation");
        }
        if !e.text.chars().any(char::is_alphanumeric) {
            return bad("no letter or digit");
        }
        if e.text.ends_with(" .") || e.text.ends_with(" 's") {
            return bad("a full stop or possessive word inside");
        }
    }
    for r in &doc.relations {
        for a in [&r.source, &r.target] {
            if text.get(a.start..a.end) != Some(a.text.as_str()) {
                return Err(format!("relation argument is not the byte slice: {r:?}"));
            }
        }
        if text.get(r.trigger.start..r.trigger.end) != Some(r.trigger.text.as_str()) {
            return Err(format!("trigger is not the byte slice: {r:?}"));
        }
        if !(r.sentence.start <= r.trigger.start && r.trigger.end <= r.sentence.end) {
            return Err(format!("trigger outside its sentence: {r:?}"));
        }
    }
    Ok(())
}

/// A small, seedable random number generator (xorshift64*).
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    pub fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
}

pub const NAMES: &[&str] = &[
    "Kerry",
    "Lavrov",
    "Modi",
    "Abe",
    "Xi",
    "Trump",
    "Putin",
    "the IMF",
    "Acme Corp",
    "NATO",
    "Hamas",
    "Rome",
    "São Paulo",
    "Zoë Müller",
    "Ban Ki-moon",
    "Bashar al-Assad",
    "U.S.",
    "European Union",
    "Wagner",
    "Al-Shabaab",
];
pub const WORDS: &[&str] = &[
    "met",
    "said",
    "talks",
    "with",
    "in",
    "on",
    "the",
    "sanctions",
    "against",
    "and",
    "did",
    "not",
    "will",
    "meet",
    "Monday",
    "officials",
    "imposed",
    "a",
    "of",
    "visited",
    "called",
    "REUTERS",
    "Mr.",
    "Dr.",
    "No.",
];
pub const PUNCT: &[&str] = &[
    ".", ",", "!", "?", "...", "?!", ";", ":", "—", "–", "-", "/", "(", ")", "(R)", "(2nd L)", "'s", "’s", "\"", "“",
    "”", "'", "«", "»", "[", "]", "…", "&", "%", "$", "#", "@", "*",
];
pub const SPACES: &[&str] = &[
    " ", " ", " ", "  ", "\n", "\n\n", "\t", "\r\n", "\u{a0}", "\u{2009}", "\u{3000}", "\u{2028}", "\u{2029}",
    "\u{85}", "\u{200b}", "",
];
pub const ODD: &[&str] = &[
    "\u{0}",
    "\u{1}",
    "\u{b}",
    "\u{c}",
    "\u{7f}",
    "\u{ad}",
    "\u{200d}",
    "\u{feff}",
    "\u{fffd}",
    "\u{e000}",
    "😀",
    "🇺🇦",
    "北京",
    "東京都",
    "مرحبا",
    "नमस्ते",
    "ा",
    "Ⅰ",
    "e\u{301}",
    "ǅ",
    "ß",
    "İ",
    "Ω",
    "ﬁ",
    "①",
    "٣",
    "\u{10ffff}",
];

/// One random news-like text: names, words, punctuation (glued or spaced),
/// odd spaces, control and format characters, other scripts, occasional long
/// runs; up to about `max_parts` pieces.
pub fn random_text(rng: &mut Rng, max_parts: usize) -> String {
    let mut t = String::new();
    let n = rng.below(max_parts + 1);
    for _ in 0..n {
        match rng.below(12) {
            0..=2 => t.push_str(rng.pick(NAMES)),
            3..=5 => t.push_str(rng.pick(WORDS)),
            6 | 7 => t.push_str(rng.pick(PUNCT)),
            8 => t.push_str(rng.pick(ODD)),
            9 => {
                // A random scalar value.
                let c = loop {
                    if let Some(c) = char::from_u32((rng.next() % 0x11_0000) as u32) {
                        break c;
                    }
                };
                t.push(c);
            }
            10 => {
                // A run: repeated punctuation, letters or one script.
                let piece = match rng.below(3) {
                    0 => rng.pick(PUNCT),
                    1 => rng.pick(ODD),
                    _ => "A",
                };
                t.push_str(&piece.repeat(1 + rng.below(200)));
            }
            _ => {}
        }
        t.push_str(rng.pick(SPACES));
    }
    t
}
