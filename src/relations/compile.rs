//! Compilation of a parsed rule file into word-id tables the matcher reads:
//! settings checked, grammar words flagged, cues and patterns turned into word
//! ids, and an index from each pattern's anchor word to its rules.

use std::collections::HashMap;

use super::pattern::{Elem, Pattern, PatternCodes, Phrase, Vocabulary};
use super::schema::{self, Ctx, RawCues, RawGrammar, RawPattern, RawRelation, RawRules, RawSettings};
use crate::document::EntityKind;
use crate::error::Error;

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

#[derive(Debug, Clone)]
pub(crate) struct KindRule {
    pub kind: String,
    pub symmetric: bool,
    /// PLOVER event type, mode and CAMEO code of the kind (patterns may override mode and code).
    pub plover: Option<String>,
    pub plover_mode: Option<String>,
    pub cameo: Option<String>,
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
    pub leaders: Vec<Phrase>,
    pub group_nouns: Vec<Phrase>,
    pub object_pronouns: Vec<Phrase>,
    pub government_nouns: Vec<Phrase>,
    pub group_heads: Vec<Phrase>,
    /// Names that are groups whatever their entity type (lower-cased word ids).
    pub group_names: Vec<Phrase>,
    pub representatives: Vec<Phrase>,
    pub host_phrases: Vec<Phrase>,
    pub host_participles: Vec<Phrase>,
    pub auxiliaries: Vec<Phrase>,
    pub assertive_verbs: Vec<Phrase>,
    pub instrument_nouns: Vec<Phrase>,
    pub coordinator_phrases: Vec<Phrase>,
    pub institution_nouns: Vec<Phrase>,
    pub quantity_words: Vec<Phrase>,
    pub pair_nouns: Vec<Phrase>,
    pub reported_pronouns: Vec<Phrase>,
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

/// Parses and compiles a rule file. Sections `settings`, `grammar`, `cues` and
/// `words` default key by key to the built-in file's.
pub(crate) fn compile(src: &str, origin: &str) -> Result<Compiled, Error> {
    let ctx = Ctx { file: origin };
    let RawRules { settings, grammar, cues, words, relations } = schema::parse(&ctx, src)?;
    let settings = check_settings(&ctx, &settings)?;
    // Word ids are handed out in this order: grammar words, then cues, then patterns.
    let mut vocab = Vocabulary::default();
    flag_grammar_words(&ctx, &grammar, &mut vocab)?;
    let inclusions = vocab.phrases(&ctx, &grammar.inclusions, None, "grammar.inclusions")?;
    let separate = vocab.phrases(&ctx, &grammar.separate_cues, None, "grammar.separate_cues")?;
    let leaders = vocab.phrases(&ctx, &grammar.leaders, None, "grammar.leaders")?;
    let group_nouns = vocab.phrases(&ctx, &grammar.group_nouns, None, "grammar.group_nouns")?;
    let object_pronouns = vocab.phrases(&ctx, &grammar.object_pronouns, None, "grammar.object_pronouns")?;
    let government_nouns = vocab.phrases(&ctx, &grammar.government_nouns, None, "grammar.government_nouns")?;
    let group_heads = vocab.phrases(&ctx, &grammar.group_heads, None, "grammar.group_heads")?;
    let group_names = vocab.phrases(&ctx, &grammar.group_names, None, "grammar.group_names")?;
    let representatives = vocab.phrases(&ctx, &grammar.representatives, None, "grammar.representatives")?;
    let host_phrases = vocab.phrases(&ctx, &grammar.host_phrases, None, "grammar.host_phrases")?;
    let host_participles = vocab.phrases(&ctx, &grammar.host_participles, None, "grammar.host_participles")?;
    let auxiliaries = vocab.phrases(&ctx, &grammar.auxiliaries, None, "grammar.auxiliaries")?;
    let assertive_verbs = vocab.phrases(&ctx, &grammar.assertive_verbs, None, "grammar.assertive_verbs")?;
    let instrument_nouns = vocab.phrases(&ctx, &grammar.instrument_nouns, None, "grammar.instrument_nouns")?;
    let coordinator_phrases = vocab.phrases(&ctx, &grammar.coordinator_phrases, None, "grammar.coordinator_phrases")?;
    let institution_nouns = vocab.phrases(&ctx, &grammar.institution_nouns, None, "grammar.institution_nouns")?;
    let quantity_words = vocab.phrases(&ctx, &grammar.quantity_words, None, "grammar.quantity_words")?;
    let pair_nouns = vocab.phrases(&ctx, &grammar.pair_nouns, None, "grammar.pair_nouns")?;
    let reported_pronouns = vocab.phrases(&ctx, &grammar.reported_pronouns, None, "grammar.reported_pronouns")?;
    let negation = vocab.phrases(&ctx, &cues.negation, None, "cues.negation")?;
    let negation_gov = vocab.phrases(&ctx, &cues.negation_governing, None, "cues.negation_governing")?;
    let modality = modalities(&ctx, &cues, &settings.default_modality, &mut vocab)?;
    let mut kinds: Vec<KindRule> = Vec::new();
    for (name, r) in &relations {
        let rule = kind_rule(&ctx, name, r, &words, &kinds, &mut vocab)?;
        kinds.push(rule);
    }
    let anchors = anchor_index(&ctx, &kinds)?;
    let Vocabulary { vocab, flags } = vocab;
    Ok(Compiled {
        vocab,
        flags,
        settings,
        inclusions,
        separate,
        leaders,
        group_nouns,
        object_pronouns,
        government_nouns,
        group_heads,
        group_names,
        representatives,
        host_phrases,
        host_participles,
        auxiliaries,
        assertive_verbs,
        instrument_nouns,
        coordinator_phrases,
        institution_nouns,
        quantity_words,
        pair_nouns,
        reported_pronouns,
        negation,
        negation_gov,
        modality,
        kinds,
        anchors,
    })
}

/// Settings in range, modality names well formed.
fn check_settings(ctx: &Ctx, settings: &RawSettings) -> Result<Settings, Error> {
    let lim = |v: usize, lo: usize, hi: usize, f: &str| -> Result<usize, Error> {
        if v < lo || v > hi {
            Err(ctx.err(None, Some(&format!("settings.{f}")), format!("{v} is out of range {lo}..={hi}")))
        } else {
            Ok(v)
        }
    };
    Ok(Settings {
        max_pairs: lim(settings.max_pairs_per_sentence, 1, 100_000, "max_pairs_per_sentence")?,
        max_anchors: lim(settings.max_anchors_per_sentence, 1, 100_000, "max_anchors_per_sentence")?,
        max_np_skip: lim(settings.max_np_skip, 0, 32, "max_np_skip")?,
        max_subject_skip: lim(settings.max_subject_skip, 0, 32, "max_subject_skip")?,
        max_gap: lim(settings.max_gap, 0, 8, "max_gap")?,
        negated_modality: check_modality_name(ctx, &settings.negated_modality, "settings.negated_modality", None)?,
        default_modality: check_modality_name(ctx, &settings.default_modality, "settings.default_modality", None)?,
        pronoun_lookback: lim(settings.pronoun_lookback, 0, 10, "pronoun_lookback")?,
        nominal_cue_window: lim(settings.nominal_cue_window, 0, 64, "nominal_cue_window")?,
    })
}

/// Gives every grammar word its flag; each must be a single word.
fn flag_grammar_words(ctx: &Ctx, g: &RawGrammar, vocab: &mut Vocabulary) -> Result<(), Error> {
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
            let id = vocab.id(&w);
            vocab.flags[id as usize] |= flag;
        }
    }
    Ok(())
}

/// The modality categories of `[cues]`, each with its cue phrases.
fn modalities(
    ctx: &Ctx,
    cues: &RawCues,
    default_modality: &str,
    vocab: &mut Vocabulary,
) -> Result<Vec<ModalityCat>, Error> {
    let mut modality = Vec::new();
    for m in &cues.modality {
        let name = check_modality_name(ctx, &m.name, "cues.modality.name", Some(&m.name))?;
        if name == default_modality {
            return Err(ctx.err(
                Some(&name),
                Some("cues.modality.name"),
                format!("`{name}` is the default modality; cues cannot select it"),
            ));
        }
        if modality.iter().any(|c: &ModalityCat| c.name == name) {
            return Err(ctx.err(Some(&name), Some("cues.modality.name"), format!("duplicate modality `{name}`")));
        }
        let cue_phrases = vocab.phrases(ctx, &m.cues, Some(&name), "cues.modality.cues")?;
        let governing = vocab.phrases(ctx, &m.governing, Some(&name), "cues.modality.governing")?;
        if cue_phrases.is_empty() && governing.is_empty() {
            return Err(ctx.err(Some(&name), Some("cues.modality.cues"), "empty cue list"));
        }
        modality.push(ModalityCat { name, cues: cue_phrases, governing });
    }
    Ok(modality)
}

/// One `[[relation]]` table, checked against the kinds before it.
fn kind_rule(
    ctx: &Ctx,
    name: &str,
    r: &RawRelation,
    words: &HashMap<String, Vec<String>>,
    earlier: &[KindRule],
    vocab: &mut Vocabulary,
) -> Result<KindRule, Error> {
    let kind = r.kind.trim().to_string();
    if kind.is_empty() || !kind.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
        return Err(ctx.err(
            Some(name),
            Some("kind"),
            format!("bad kind name `{kind}`: use letters, digits, `_` or `-`"),
        ));
    }
    if earlier.iter().any(|k| k.kind == kind) {
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
    let code = |v: &Option<String>, field: &str| check_code(ctx, name, field, v);
    let plover = code(&r.plover, "plover")?;
    let plover_mode = code(&r.plover_mode, "plover_mode")?;
    let cameo = code(&r.cameo, "cameo")?;
    let mut patterns = Vec::new();
    for (list, nominal, field) in [(&r.verbal, false, "verbal"), (&r.nominal, true, "nominal")] {
        for p in list.iter() {
            let mut pat = vocab.pattern(ctx, p.text(), nominal, words, name, field, r.symmetric)?;
            if let RawPattern::Coded(c) = p {
                pat.codes = PatternCodes {
                    cameo: code(&c.cameo, "cameo")?,
                    plover_mode: code(&c.plover_mode, "plover_mode")?,
                    located_cameo: code(&c.located_cameo, "located_cameo")?,
                    located_plover_mode: code(&c.located_plover_mode, "located_plover_mode")?,
                };
                pat.requires = vocab.phrases(ctx, &c.requires, Some(name), "requires")?;
                pat.exclude = vocab.phrases(ctx, &c.exclude, Some(name), "exclude")?;
            }
            patterns.push(pat);
        }
    }
    let exclude = vocab.phrases(ctx, &r.exclude, Some(name), "exclude")?;
    Ok(KindRule {
        kind,
        symmetric: r.symmetric,
        plover,
        plover_mode,
        cameo,
        arguments,
        possessor: r.possessor_as_argument,
        patterns,
        exclude,
    })
}

/// An event code as written in a rule file: a short token of letters, digits, `_` or `-`.
fn check_code(ctx: &Ctx, rule: &str, field: &str, v: &Option<String>) -> Result<Option<String>, Error> {
    match v {
        None => Ok(None),
        Some(s)
            if !s.is_empty()
                && s.len() <= 40
                && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') =>
        {
            Ok(Some(s.clone()))
        }
        Some(s) => Err(ctx.err(Some(rule), Some(field), format!("bad code `{s}`: use letters, digits, `_` or `-`"))),
    }
}

/// First word of each pattern's anchor phrase → (kind index, pattern index).
fn anchor_index(ctx: &Ctx, kinds: &[KindRule]) -> Result<HashMap<u32, Vec<(u16, u16)>>, Error> {
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
    Ok(anchors)
}

fn check_modality_name(ctx: &Ctx, n: &str, field: &str, rule: Option<&str>) -> Result<String, Error> {
    let ok = !n.is_empty() && n.chars().all(|c| c.is_ascii_lowercase() || c == '_' || c == '-') && n.len() <= 40;
    if ok {
        Ok(n.to_string())
    } else {
        Err(ctx.err(rule, Some(field), format!("bad modality name `{n}`: use lower-case ASCII letters, `_` or `-`")))
    }
}
