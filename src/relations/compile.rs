//! Rule files: TOML schema, validation and compilation into word-id tables.

use std::collections::HashMap;

use serde::Deserialize;

use crate::document::EntityKind;
use crate::error::Error;

/// Word id of a token that is in no rule list.
pub(crate) const NO_WORD: u32 = u32::MAX;

// Per-word grammar flags.
pub(crate) const F_COORD: u32 = 1 << 0;
pub(crate) const F_BREAK: u32 = 1 << 1;
pub(crate) const F_REL: u32 = 1 << 2;
pub(crate) const F_COMP: u32 = 1 << 3;
pub(crate) const F_PREP: u32 = 1 << 4;
pub(crate) const F_NPPREP: u32 = 1 << 5;
pub(crate) const F_POSS: u32 = 1 << 6;
pub(crate) const F_PRON_PER: u32 = 1 << 7;
pub(crate) const F_PRON_OTHER: u32 = 1 << 8;
pub(crate) const F_ADV: u32 = 1 << 9;
pub(crate) const F_LOCPREP: u32 = 1 << 10;
pub(crate) const F_SUBORD: u32 = 1 << 12;
pub(crate) const F_SPEECH: u32 = 1 << 13;
pub(crate) const F_SPEAKER: u32 = 1 << 14;
pub(crate) const F_VCOORD: u32 = 1 << 15;
pub(crate) const F_DET: u32 = 1 << 11;

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
}

#[derive(Debug, Clone)]
pub(crate) struct KindRule {
    pub kind: String,
    pub symmetric: bool,
    pub arguments: Vec<EntityKind>,
    pub possessor: bool,
    pub patterns: Vec<Pattern>,
    pub exclude: Vec<Phrase>,
}

#[derive(Debug, Clone)]
pub(crate) struct ModalityCat {
    pub name: String,
    pub cues: Vec<Phrase>,
    pub governing: Vec<Phrase>,
}

#[derive(Debug, Clone)]
pub(crate) struct Settings {
    pub max_pairs: usize,
    pub max_anchors: usize,
    pub max_np_skip: usize,
    pub max_subject_skip: usize,
    pub max_gap: usize,
    pub negated_modality: String,
    pub default_modality: String,
    pub pronoun_lookback: usize,
    pub nominal_cue_window: usize,
}

/// The compiled rule set.
#[derive(Debug)]
pub(crate) struct Compiled {
    pub vocab: HashMap<String, u32>,
    pub flags: Vec<u32>,
    pub settings: Settings,
    pub inclusions: Vec<Phrase>,
    pub separate: Vec<Phrase>,
    pub negation: Vec<Phrase>,
    pub negation_gov: Vec<Phrase>,
    pub modality: Vec<ModalityCat>,
    pub kinds: Vec<KindRule>,
    /// First word id of an anchor phrase → (kind index, pattern index).
    pub anchors: HashMap<u32, Vec<(u16, u16)>>,
}

impl Compiled {
    pub(crate) fn flags_of(&self, id: u32) -> u32 {
        if id == NO_WORD {
            0
        } else {
            self.flags.get(id as usize).copied().unwrap_or(0)
        }
    }
}

// ---------------------------------------------------------------------------
// Raw schema.

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSettings {
    max_pairs_per_sentence: usize,
    max_anchors_per_sentence: usize,
    max_np_skip: usize,
    max_subject_skip: usize,
    max_gap: usize,
    negated_modality: String,
    default_modality: String,
    pronoun_lookback: usize,
    /// Optional (older rule files lack it).
    #[serde(default = "default_nominal_cue_window")]
    nominal_cue_window: usize,
}

fn default_nominal_cue_window() -> usize {
    6
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGrammar {
    coordinators: Vec<String>,
    clause_breakers: Vec<String>,
    relatives: Vec<String>,
    complementizers: Vec<String>,
    prepositions: Vec<String>,
    np_prepositions: Vec<String>,
    inclusions: Vec<String>,
    determiners: Vec<String>,
    possessives: Vec<String>,
    person_pronouns: Vec<String>,
    other_pronouns: Vec<String>,
    adverbs: Vec<String>,
    location_prepositions: Vec<String>,
    separate_cues: Vec<String>,
    #[serde(default)]
    subordinators: Vec<String>,
    #[serde(default)]
    speech_verbs: Vec<String>,
    #[serde(default)]
    speaker_pronouns: Vec<String>,
    #[serde(default)]
    verb_coordinators: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawModality {
    name: String,
    cues: Vec<String>,
    #[serde(default)]
    governing: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCues {
    negation: Vec<String>,
    negation_governing: Vec<String>,
    modality: Vec<RawModality>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRelation {
    kind: String,
    symmetric: bool,
    arguments: Vec<String>,
    #[serde(default)]
    possessor_as_argument: bool,
    #[serde(default)]
    verbal: Vec<String>,
    #[serde(default)]
    nominal: Vec<String>,
    #[serde(default)]
    exclude: Vec<String>,
}

const TOP_KEYS: &[&str] = &["settings", "grammar", "cues", "words", "relation"];
const SETTINGS_KEYS: &[&str] = &[
    "max_pairs_per_sentence",
    "max_anchors_per_sentence",
    "max_np_skip",
    "max_subject_skip",
    "max_gap",
    "negated_modality",
    "default_modality",
    "pronoun_lookback",
    "nominal_cue_window",
];
const GRAMMAR_KEYS: &[&str] = &[
    "coordinators",
    "clause_breakers",
    "relatives",
    "complementizers",
    "prepositions",
    "np_prepositions",
    "inclusions",
    "determiners",
    "possessives",
    "person_pronouns",
    "other_pronouns",
    "adverbs",
    "location_prepositions",
    "separate_cues",
    "subordinators",
    "speech_verbs",
    "speaker_pronouns",
    "verb_coordinators",
];
const CUES_KEYS: &[&str] = &["negation", "negation_governing", "modality"];
const MODALITY_KEYS: &[&str] = &["name", "cues", "governing"];
const RELATION_KEYS: &[&str] =
    &["kind", "symmetric", "arguments", "possessor_as_argument", "verbal", "nominal", "exclude"];

/// The built-in rule file's text.
pub(crate) const BUILTIN: &str = include_str!("../../rules/default.toml");

struct Ctx<'a> {
    file: &'a str,
}

impl Ctx<'_> {
    fn err(&self, rule: Option<&str>, field: Option<&str>, message: impl Into<String>) -> Error {
        Error::Rules {
            file: self.file.to_string(),
            rule: rule.map(str::to_string),
            field: field.map(str::to_string),
            message: message.into(),
        }
    }
}

fn check_keys(
    ctx: &Ctx,
    table: &toml::Table,
    allowed: &[&str],
    rule: Option<&str>,
    section: &str,
) -> Result<(), Error> {
    for k in table.keys() {
        if !allowed.contains(&k.as_str()) {
            let field = if section.is_empty() { k.clone() } else { format!("{section}.{k}") };
            return Err(ctx.err(
                rule,
                Some(&field),
                format!("unknown field `{k}`; expected one of: {}", allowed.join(", ")),
            ));
        }
    }
    Ok(())
}

fn section<'a>(ctx: &Ctx, t: &'a toml::Table, name: &str) -> Result<Option<&'a toml::Table>, Error> {
    match t.get(name) {
        None => Ok(None),
        Some(toml::Value::Table(s)) => Ok(Some(s)),
        Some(_) => Err(ctx.err(None, Some(name), format!("`{name}` must be a table"))),
    }
}

/// Parses and compiles a rule file. Sections `settings`, `grammar`, `cues` and
/// `words` default key by key to the built-in file's.
pub(crate) fn compile(src: &str, origin: &str) -> Result<Compiled, Error> {
    let ctx = Ctx { file: origin };
    let user: toml::Table = src
        .parse()
        .map_err(|e: toml::de::Error| ctx.err(None, None, format!("TOML syntax: {}", e.to_string().trim())))?;
    check_keys(&ctx, &user, TOP_KEYS, None, "")?;
    let base: toml::Table = if std::ptr::eq(src, BUILTIN) {
        toml::Table::new()
    } else {
        BUILTIN.parse().map_err(|e: toml::de::Error| ctx.err(None, None, format!("built-in rules: {e}")))?
    };
    let mut merged = toml::Table::new();
    for (name, keys) in
        [("settings", SETTINGS_KEYS), ("grammar", GRAMMAR_KEYS), ("cues", CUES_KEYS), ("words", &[][..])]
    {
        let mut m = section(&ctx, &base, name)?.cloned().unwrap_or_default();
        if let Some(u) = section(&ctx, &user, name)? {
            if !keys.is_empty() {
                check_keys(&ctx, u, keys, None, name)?;
            }
            for (k, v) in u {
                m.insert(k.clone(), v.clone());
            }
        }
        merged.insert(name.to_string(), toml::Value::Table(m));
    }
    let get = |name: &str| merged.get(name).cloned().unwrap_or(toml::Value::Table(Default::default()));
    let settings: RawSettings = get("settings")
        .try_into()
        .map_err(|e: toml::de::Error| ctx.err(None, Some("settings"), e.message().to_string()))?;
    let grammar: RawGrammar = get("grammar")
        .try_into()
        .map_err(|e: toml::de::Error| ctx.err(None, Some("grammar"), e.message().to_string()))?;
    if let Some(toml::Value::Table(c)) = merged.get("cues") {
        if let Some(toml::Value::Array(ms)) = c.get("modality") {
            for m in ms {
                if let toml::Value::Table(mt) = m {
                    let name = mt.get("name").and_then(|v| v.as_str());
                    check_keys(&ctx, mt, MODALITY_KEYS, name, "cues.modality")?;
                }
            }
        }
    }
    let cues: RawCues =
        get("cues").try_into().map_err(|e: toml::de::Error| ctx.err(None, Some("cues"), e.message().to_string()))?;
    let mut words: HashMap<String, Vec<String>> = HashMap::new();
    if let Some(toml::Value::Table(w)) = merged.get("words") {
        for (k, v) in w {
            let list: Vec<String> = v
                .clone()
                .try_into()
                .map_err(|_| ctx.err(None, Some(&format!("words.{k}")), "must be a list of strings"))?;
            if list.iter().all(|s| s.trim().is_empty()) {
                return Err(ctx.err(None, Some(&format!("words.{k}")), "empty word list"));
            }
            words.insert(k.clone(), list);
        }
    }
    let relations: Vec<(String, RawRelation)> = match user.get("relation") {
        None => {
            return Err(ctx.err(
                None,
                Some("relation"),
                "no [[relation]] tables: a rule file needs at least one relation kind",
            ))
        }
        Some(toml::Value::Array(a)) => {
            let mut out = Vec::new();
            for (i, v) in a.iter().enumerate() {
                let toml::Value::Table(t) = v else {
                    return Err(ctx.err(
                        None,
                        Some("relation"),
                        "`relation` must be an array of tables ([[relation]])",
                    ));
                };
                let name =
                    t.get("kind").and_then(|v| v.as_str()).map(str::to_string).unwrap_or_else(|| format!("#{}", i + 1));
                check_keys(&ctx, t, RELATION_KEYS, Some(&name), "")?;
                let r: RawRelation = v
                    .clone()
                    .try_into()
                    .map_err(|e: toml::de::Error| ctx.err(Some(&name), None, e.message().to_string()))?;
                out.push((name, r));
            }
            out
        }
        Some(_) => return Err(ctx.err(None, Some("relation"), "`relation` must be an array of tables ([[relation]])")),
    };

    // Settings.
    let lim = |v: usize, lo: usize, hi: usize, f: &str| -> Result<usize, Error> {
        if v < lo || v > hi {
            Err(ctx.err(None, Some(&format!("settings.{f}")), format!("{v} is out of range {lo}..={hi}")))
        } else {
            Ok(v)
        }
    };
    let s = Settings {
        max_pairs: lim(settings.max_pairs_per_sentence, 1, 100_000, "max_pairs_per_sentence")?,
        max_anchors: lim(settings.max_anchors_per_sentence, 1, 100_000, "max_anchors_per_sentence")?,
        max_np_skip: lim(settings.max_np_skip, 0, 32, "max_np_skip")?,
        max_subject_skip: lim(settings.max_subject_skip, 0, 32, "max_subject_skip")?,
        max_gap: lim(settings.max_gap, 0, 8, "max_gap")?,
        negated_modality: check_modality_name(&ctx, &settings.negated_modality, "settings.negated_modality", None)?,
        default_modality: check_modality_name(&ctx, &settings.default_modality, "settings.default_modality", None)?,
        pronoun_lookback: lim(settings.pronoun_lookback, 0, 10, "pronoun_lookback")?,
        nominal_cue_window: lim(settings.nominal_cue_window, 0, 64, "nominal_cue_window")?,
    };

    let mut b = Builder { vocab: HashMap::new(), flags: Vec::new() };
    let g = &grammar;
    for (list, flag, f) in [
        (&g.coordinators, F_COORD, "coordinators"),
        (&g.clause_breakers, F_BREAK, "clause_breakers"),
        (&g.relatives, F_REL, "relatives"),
        (&g.complementizers, F_COMP, "complementizers"),
        (&g.prepositions, F_PREP, "prepositions"),
        (&g.np_prepositions, F_NPPREP | F_PREP, "np_prepositions"),
        (&g.possessives, F_POSS, "possessives"),
        (&g.determiners, F_DET, "determiners"),
        (&g.person_pronouns, F_PRON_PER, "person_pronouns"),
        (&g.other_pronouns, F_PRON_OTHER, "other_pronouns"),
        (&g.adverbs, F_ADV, "adverbs"),
        (&g.location_prepositions, F_LOCPREP, "location_prepositions"),
        (&g.subordinators, F_SUBORD, "subordinators"),
        (&g.speech_verbs, F_SPEECH, "speech_verbs"),
        (&g.speaker_pronouns, F_SPEAKER, "speaker_pronouns"),
        (&g.verb_coordinators, F_VCOORD, "verb_coordinators"),
    ] {
        for w in list {
            let w = w.trim().to_lowercase().replace('\u{2019}', "'");
            if w.is_empty() || w.contains(char::is_whitespace) {
                return Err(ctx.err(None, Some(&format!("grammar.{f}")), format!("`{w}` must be a single word")));
            }
            let id = b.id(&w);
            b.flags[id as usize] |= flag;
        }
    }
    let inclusions = b.phrases(&ctx, &g.inclusions, None, "grammar.inclusions")?;
    let separate = b.phrases(&ctx, &g.separate_cues, None, "grammar.separate_cues")?;
    let negation = b.phrases(&ctx, &cues.negation, None, "cues.negation")?;
    let negation_gov = b.phrases(&ctx, &cues.negation_governing, None, "cues.negation_governing")?;
    let mut modality = Vec::new();
    for m in &cues.modality {
        let name = check_modality_name(&ctx, &m.name, "cues.modality.name", Some(&m.name))?;
        if name == s.default_modality {
            return Err(ctx.err(
                Some(&name),
                Some("cues.modality.name"),
                format!("`{name}` is the default modality; cues cannot select it"),
            ));
        }
        if modality.iter().any(|c: &ModalityCat| c.name == name) {
            return Err(ctx.err(Some(&name), Some("cues.modality.name"), format!("duplicate modality `{name}`")));
        }
        let cues_ = b.phrases(&ctx, &m.cues, Some(&name), "cues.modality.cues")?;
        let governing = b.phrases(&ctx, &m.governing, Some(&name), "cues.modality.governing")?;
        if cues_.is_empty() && governing.is_empty() {
            return Err(ctx.err(Some(&name), Some("cues.modality.cues"), "empty cue list"));
        }
        modality.push(ModalityCat { name, cues: cues_, governing });
    }

    let mut kinds: Vec<KindRule> = Vec::new();
    for (name, r) in &relations {
        let kind = r.kind.trim().to_string();
        if kind.is_empty() || !kind.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
            return Err(ctx.err(
                Some(name),
                Some("kind"),
                format!("bad kind name `{kind}`: use letters, digits, `_` or `-`"),
            ));
        }
        if kinds.iter().any(|k| k.kind == kind) {
            return Err(ctx.err(Some(name), Some("kind"), format!("duplicate relation kind `{kind}`")));
        }
        if r.arguments.is_empty() {
            return Err(ctx.err(Some(name), Some("arguments"), "empty argument type list"));
        }
        let mut arguments = Vec::new();
        for a in &r.arguments {
            match EntityKind::from_label(a.trim()) {
                EntityKind::Other(_) => {
                    return Err(ctx.err(
                        Some(name),
                        Some("arguments"),
                        format!("unknown entity type `{a}`; expected PER, ORG, LOC or MISC"),
                    ))
                }
                k => arguments.push(k),
            }
        }
        if r.verbal.is_empty() && r.nominal.is_empty() {
            return Err(ctx.err(
                Some(name),
                Some("verbal"),
                "empty trigger list: give at least one `verbal` or `nominal` pattern",
            ));
        }
        let mut patterns = Vec::new();
        for (list, nominal, field) in [(&r.verbal, false, "verbal"), (&r.nominal, true, "nominal")] {
            for p in list.iter() {
                patterns.push(b.pattern(&ctx, p, nominal, &words, name, field, r.symmetric)?);
            }
        }
        let exclude = b.phrases(&ctx, &r.exclude, Some(name), "exclude")?;
        kinds.push(KindRule {
            kind,
            symmetric: r.symmetric,
            arguments,
            possessor: r.possessor_as_argument,
            patterns,
            exclude,
        });
    }
    let mut anchors: HashMap<u32, Vec<(u16, u16)>> = HashMap::new();
    if kinds.len() > u16::MAX as usize {
        return Err(ctx.err(None, Some("relation"), "too many relation kinds"));
    }
    for (ki, k) in kinds.iter().enumerate() {
        if k.patterns.len() > u16::MAX as usize {
            return Err(ctx.err(Some(&k.kind), Some("verbal"), "too many patterns"));
        }
        for (pi, p) in k.patterns.iter().enumerate() {
            if let Elem::Words { alts, .. } = &p.elems[p.anchor] {
                for a in alts {
                    let v = anchors.entry(a[0]).or_default();
                    if !v.contains(&(ki as u16, pi as u16)) {
                        v.push((ki as u16, pi as u16));
                    }
                }
            }
        }
    }
    Ok(Compiled {
        vocab: b.vocab,
        flags: b.flags,
        settings: s,
        inclusions,
        separate,
        negation,
        negation_gov,
        modality,
        kinds,
        anchors,
    })
}

fn check_modality_name(ctx: &Ctx, n: &str, field: &str, rule: Option<&str>) -> Result<String, Error> {
    let ok = !n.is_empty() && n.chars().all(|c| c.is_ascii_lowercase() || c == '_' || c == '-') && n.len() <= 40;
    if ok {
        Ok(n.to_string())
    } else {
        Err(ctx.err(rule, Some(field), format!("bad modality name `{n}`: use lower-case ASCII letters, `_` or `-`")))
    }
}

struct Builder {
    vocab: HashMap<String, u32>,
    flags: Vec<u32>,
}

impl Builder {
    fn id(&mut self, w: &str) -> u32 {
        if let Some(&i) = self.vocab.get(w) {
            return i;
        }
        let i = self.flags.len() as u32;
        self.vocab.insert(w.to_string(), i);
        self.flags.push(0);
        i
    }

    /// A phrase: words separated by spaces, lower-cased, curly apostrophes made straight.
    fn phrase(&mut self, s: &str) -> Phrase {
        let lower = s.trim().to_lowercase().replace('\u{2019}', "'");
        lower.split_whitespace().map(|w| self.id(w)).collect()
    }

    fn phrases(&mut self, ctx: &Ctx, list: &[String], rule: Option<&str>, field: &str) -> Result<Vec<Phrase>, Error> {
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
    fn pattern(
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
                "X" | "X=" => {
                    nx += 1;
                    Elem::Slot { role: Role::X, adjacent: tok.ends_with('=') }
                }
                "Y" | "Y=" => {
                    ny += 1;
                    Elem::Slot { role: Role::Y, adjacent: tok.ends_with('=') }
                }
                "XY" | "XY=" => {
                    nxy += 1;
                    Elem::Slot { role: Role::XY, adjacent: tok.ends_with('=') }
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
        Ok(Pattern { elems, anchor, nominal, lexical_count })
    }
}
