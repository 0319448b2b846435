//! Relation rules (placeholder until the relation stage lands).
use crate::document::{Entity, Relation};
/// A set of relation rules.
#[derive(Debug, Clone, Default)]
pub struct RuleSet {}
impl RuleSet {
    /// Relations found in `text` between `entities`.
    pub fn extract(&self, _text: &str, _entities: &[Entity]) -> Vec<Relation> {
        Vec::new()
    }
}
