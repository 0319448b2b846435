//! Same-entity linking (placeholder until the relation stage lands).
use crate::document::Entity;
pub(crate) fn link_entities(_text: &str, entities: &mut [Entity]) {
    let mut seen: Vec<String> = Vec::new();
    for e in entities.iter_mut() {
        e.entity = match seen.iter().position(|s| *s == e.text) {
            Some(i) => i,
            None => {
                seen.push(e.text.clone());
                seen.len() - 1
            }
        };
    }
}
