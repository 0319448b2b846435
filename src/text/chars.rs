//! Byte offset to char offset conversion.

use std::cell::Cell;

/// Byte offset to char offset conversion for one text. Keeps only a cursor
/// (no per-char table): queries in increasing order, as decoding makes them,
/// cost linear time in all; a query behind the cursor counts back from it
/// (the lexicon's merged mentions step back within their sentence).
pub(crate) struct CharIndex<'t> {
    text: &'t str,
    /// A known (byte offset, char offset) pair on a char boundary.
    cursor: Cell<(usize, usize)>,
}

impl<'t> CharIndex<'t> {
    pub(crate) fn new(text: &'t str) -> Self {
        CharIndex { text, cursor: Cell::new((0, 0)) }
    }

    /// Char offset of byte offset `b` (which must be a char boundary; otherwise
    /// the char containing it; past the end, the text's char count).
    pub(crate) fn char_of(&self, b: usize) -> usize {
        let mut b = b.min(self.text.len());
        while !self.text.is_char_boundary(b) {
            b -= 1;
        }
        let (mut byte, mut chars) = self.cursor.get();
        if b < byte {
            chars -= self.text[b..byte].chars().count();
        } else {
            chars += self.text[byte..b].chars().count();
        }
        byte = b;
        self.cursor.set((byte, chars));
        chars
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn char_offsets_in_any_order() {
        let t = "Zoë met 北京 😀 x";
        let ci = CharIndex::new(t);
        for b in [0, 5, 2, 3, 4, t.len(), 9, t.len() + 4, 1] {
            // The char containing byte b: the chars before its first byte.
            let mut first = b.min(t.len());
            while !t.is_char_boundary(first) {
                first -= 1;
            }
            assert_eq!(ci.char_of(b), t[..first].chars().count(), "byte {b}");
        }
    }
}
