//! Byte offset to char offset conversion.

/// Byte offset to char offset conversion for one text, built once per text.
pub(crate) struct CharIndex {
    /// For each char, its byte offset; plus the text length at the end.
    starts: Vec<usize>,
}

impl CharIndex {
    pub(crate) fn new(text: &str) -> Self {
        let mut starts: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
        starts.push(text.len());
        CharIndex { starts }
    }

    /// Char offset of byte offset `b` (which must be a char boundary; otherwise
    /// the char containing it).
    pub(crate) fn char_of(&self, b: usize) -> usize {
        match self.starts.binary_search(&b) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }
}
