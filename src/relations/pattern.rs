//! The pattern language: `X`, `Y`, `XY`, `@class`, literal words, `a|b`,
//! `a?`, `~`, `~~`, `.` (see the [`RuleSet`](super::RuleSet) manual), parsed
//! into elements over word ids.

use std::collections::HashMap;

use super::schema::Ctx;
use crate::error::Error;

/// A sequence of word ids ("ruled out").
pub(crate) type Phrase = Vec<u32>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    X,
    Y,
    XY,
}

#[derive(Debug, Clone)]
pub(crate) enum Elem {
    Slot {
        role: Role,
        adjacent: bool,
        /// `Y:PER`: only people, named after title words alone ("visited Serbian
        /// President Aleksandar Vucic", not "visited the grave of Nelson Mandela").
        person: bool,
    },
    Words {
        alts: Vec<Phrase>,
        optional: bool,
        class: bool,
    },
    Gap,
    /// `~~`: a wider gap that may cross entities and prepositions (not punctuation or clause words).
    LongGap,
    End,
}

#[derive(Debug, Clone)]
pub(crate) struct Pattern {
    pub elems: Vec<Elem>,
    pub anchor: usize,
    pub nominal: bool,
    pub lexical_count: usize,
    /// Event codes this pattern sets instead of its kind's.
    pub codes: PatternCodes,
    /// One of these must occur in the sentence (empty: no condition).
    pub requires: Vec<Phrase>,
    /// Cues that cancel a match of this pattern, as the kind's `exclude` do.
    pub exclude: Vec<Phrase>,
}

/// A pattern's own event codes (see `rules/default.toml`).
#[derive(Debug, Clone, Default)]
pub(crate) struct PatternCodes {
    pub cameo: Option<String>,
    pub plover_mode: Option<String>,
    pub located_cameo: Option<String>,
    pub located_plover_mode: Option<String>,
}

/// The rule set's vocabulary as it is built: word ids and their grammar flags.
#[derive(Default)]
pub(crate) struct Vocabulary {
    pub vocab: HashMap<String, u32>,
    pub flags: Vec<u32>,
}

impl Vocabulary {
    /// The id of word `w`, added if new.
    pub(crate) fn id(&mut self, w: &str) -> u32 {
        if let Some(&i) = self.vocab.get(w) {
            return i;
        }
        let i = self.flags.len() as u32;
        self.vocab.insert(w.to_string(), i);
        self.flags.push(0);
        i
    }

    /// A phrase: words separated by spaces, lower-cased, curly apostrophes made straight.
    pub(crate) fn phrase(&mut self, s: &str) -> Phrase {
        let lower = s.trim().to_lowercase().replace('\u{2019}', "'");
        lower.split_whitespace().map(|w| self.id(w)).collect()
    }

    /// Phrases of a cue list; an empty one is an error naming `field`.
    pub(crate) fn phrases(
        &mut self,
        ctx: &Ctx,
        list: &[String],
        rule: Option<&str>,
        field: &str,
    ) -> Result<Vec<Phrase>, Error> {
        let mut out = Vec::new();
        for s in list {
            let p = self.phrase(s);
            if p.is_empty() {
                return Err(ctx.err(rule, Some(field), "empty cue"));
            }
            out.push(p);
        }
        Ok(out)
    }

    #[allow(clippy::too_many_arguments)]
    /// Parses one pattern of rule `rule`, field `field`.
    pub(crate) fn pattern(
        &mut self,
        ctx: &Ctx,
        src: &str,
        nominal: bool,
        words: &HashMap<String, Vec<String>>,
        rule: &str,
        field: &str,
        symmetric: bool,
    ) -> Result<Pattern, Error> {
        let bad = |m: String| ctx.err(Some(rule), Some(field), format!("pattern `{src}`: {m}"));
        let mut elems = Vec::new();
        let (mut nx, mut ny, mut nxy) = (0, 0, 0);
        for tok in src.split_whitespace() {
            let e = match tok {
                "X" | "X=" | "X:PER" => {
                    nx += 1;
                    Elem::Slot { role: Role::X, adjacent: tok.ends_with('='), person: tok.ends_with(":PER") }
                }
                "Y" | "Y=" | "Y:PER" => {
                    ny += 1;
                    Elem::Slot { role: Role::Y, adjacent: tok.ends_with('='), person: tok.ends_with(":PER") }
                }
                "XY" | "XY=" => {
                    nxy += 1;
                    Elem::Slot { role: Role::XY, adjacent: tok.ends_with('='), person: false }
                }
                "~" => Elem::Gap,
                "~~" => Elem::LongGap,
                "." => Elem::End,
                _ => {
                    let (body, optional) = match tok.strip_suffix('?') {
                        Some(b) => (b, true),
                        None => (tok, false),
                    };
                    if let Some(class) = body.strip_prefix('@') {
                        let Some(list) = words.get(class) else {
                            return Err(bad(format!("unknown word class `@{class}` (define it under [words])")));
                        };
                        let mut alts: Vec<Phrase> =
                            list.iter().map(|w| self.phrase(w)).filter(|p| !p.is_empty()).collect();
                        alts.sort_by_key(|a| std::cmp::Reverse(a.len()));
                        alts.dedup();
                        Elem::Words { alts, optional, class: true }
                    } else {
                        let mut alts = Vec::new();
                        for a in body.split('|') {
                            if a.is_empty() || a.starts_with('@') || a.chars().any(|c| c.is_uppercase()) {
                                return Err(bad(format!(
                                    "bad element `{tok}`: literal words are lower case; use `@class` alone"
                                )));
                            }
                            let p = self.phrase(a);
                            if p.is_empty() {
                                return Err(bad(format!("bad element `{tok}`")));
                            }
                            alts.push(p);
                        }
                        alts.sort_by_key(|a| std::cmp::Reverse(a.len()));
                        Elem::Words { alts, optional, class: false }
                    }
                }
            };
            elems.push(e);
        }
        if nx > 1 || ny > 1 || nxy > 1 {
            return Err(bad("a slot appears twice".into()));
        }
        if nxy == 1 && (nx + ny) > 0 {
            return Err(bad("`XY` cannot be combined with `X` or `Y`".into()));
        }
        if nxy == 0 && (nx != 1 || ny != 1) {
            return Err(bad("needs both `X` and `Y` slots, or one `XY` slot".into()));
        }
        if nxy == 1 && !symmetric {
            return Err(bad("`XY` (pairs of participants) needs `symmetric = true`".into()));
        }
        let Some(anchor) = elems.iter().position(|e| matches!(e, Elem::Words { optional: false, .. })) else {
            return Err(bad("needs at least one required word or `@class`".into()));
        };
        if anchor > 1 || (anchor == 1 && !matches!(elems[0], Elem::Slot { .. })) {
            return Err(bad("only one slot may stand before the first word".into()));
        }
        if let Some(i) = elems.iter().position(|e| matches!(e, Elem::End)) {
            if i + 1 != elems.len() {
                return Err(bad("`.` must come last".into()));
            }
        }
        if matches!(elems.last(), Some(Elem::Gap | Elem::LongGap)) {
            return Err(bad("`~` cannot come last".into()));
        }
        for w in elems.windows(2) {
            if matches!(w[0], Elem::Slot { .. }) && matches!(w[1], Elem::Slot { .. }) {
                return Err(bad("two slots need a word between them".into()));
            }
            if matches!(w[0], Elem::Gap | Elem::LongGap)
                && matches!(w[1], Elem::Gap | Elem::LongGap | Elem::Slot { .. } | Elem::End)
            {
                return Err(bad("`~` must be followed by a word".into()));
            }
        }
        if anchor == 1 {
            if let Elem::Slot { adjacent: false, .. } = elems[0] {
                // subject slot: fine
            }
        }
        let lexical_count = elems.iter().filter(|e| matches!(e, Elem::Words { .. })).count();
        Ok(Pattern {
            elems,
            anchor,
            nominal,
            lexical_count,
            codes: PatternCodes::default(),
            requires: Vec::new(),
            exclude: Vec::new(),
        })
    }
}
