//! The casing channel: how an uncased encoder sees capitals.

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
