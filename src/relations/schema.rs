//! The rule file's TOML schema: sections, keys, and their merge with the
//! built-in file. Produces raw (unchecked) values; `compile` checks them.

use std::collections::HashMap;

use serde::Deserialize;

use crate::error::Error;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSettings {
    pub max_pairs_per_sentence: usize,
    pub max_anchors_per_sentence: usize,
    pub max_np_skip: usize,
    pub max_subject_skip: usize,
    pub max_gap: usize,
    pub negated_modality: String,
    pub default_modality: String,
    pub pronoun_lookback: usize,
    /// Optional (older rule files lack it).
    #[serde(default = "default_nominal_cue_window")]
    pub nominal_cue_window: usize,
}

fn default_nominal_cue_window() -> usize {
    6
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawGrammar {
    pub coordinators: Vec<String>,
    pub clause_breakers: Vec<String>,
    pub relatives: Vec<String>,
    pub complementizers: Vec<String>,
    pub prepositions: Vec<String>,
    pub np_prepositions: Vec<String>,
    pub inclusions: Vec<String>,
    pub determiners: Vec<String>,
    pub possessives: Vec<String>,
    pub person_pronouns: Vec<String>,
    pub other_pronouns: Vec<String>,
    pub adverbs: Vec<String>,
    pub location_prepositions: Vec<String>,
    pub separate_cues: Vec<String>,
    /// "a delegation led by X": the leader stands for the group.
    #[serde(default)]
    pub leaders: Vec<String>,
    #[serde(default)]
    pub subordinators: Vec<String>,
    #[serde(default)]
    pub speech_verbs: Vec<String>,
    #[serde(default)]
    pub speaker_pronouns: Vec<String>,
    #[serde(default)]
    pub verb_coordinators: Vec<String>,
    /// "the Gran Grif gang": nouns that may follow a name inside its noun phrase.
    #[serde(default)]
    pub group_nouns: Vec<String>,
    /// "the Houthi movement": nouns that make a MISC name before them a group.
    #[serde(default)]
    pub group_heads: Vec<String>,
    /// "Ethiopia's government": nouns after a possessor that stand for it.
    #[serde(default)]
    pub government_nouns: Vec<String>,
    /// "blacklisted him": pronouns that, as a whole object, stand for a person.
    #[serde(default)]
    pub object_pronouns: Vec<String>,
    /// Names of armed, political and militant groups that may stand where an
    /// organisation may whatever type the model gives them ("the Houthis").
    #[serde(default)]
    pub group_names: Vec<String>,
    /// Nouns for the people who represent a side ("delegations", "negotiators"):
    /// "Delegations from Russia and Ukraine met" has Russia and Ukraine as its subject.
    #[serde(default)]
    pub representatives: Vec<String>,
    /// "talks between X and Y, hosted by Z": phrases that attach a host to a
    /// meeting found before them; Z meets each participant.
    #[serde(default)]
    pub host_phrases: Vec<String>,
    /// "..., with Z chairing the session": participles that do the same after "with Z".
    #[serde(default)]
    pub host_participles: Vec<String>,
    /// Auxiliary verbs: the predicate after a nominal trigger goes on past them
    /// ("talks ... have been called off"), and ends at another verb ("sanctions
    /// ... have forced it to ...").
    #[serde(default)]
    pub auxiliaries: Vec<String>,
    /// Verbs after which a one-word cue that is a preposition ("to") is no cue: "the
    /// Security Council voted to extend the embargo" happened.
    #[serde(default)]
    pub assertive_verbs: Vec<String>,
    /// Nouns of documents and decisions: a participle after them keeps the clause's
    /// subject ("Trump signed an executive order imposing sanctions on the ICC").
    #[serde(default)]
    pub instrument_nouns: Vec<String>,
    /// Phrases that join a further member to an object coordination ("blacklisted X,
    /// a daughter of Y, along with the company Z").
    #[serde(default)]
    pub coordinator_phrases: Vec<String>,
    /// Nouns that end an institution's name: "Mines and Energy Ministry Secretary-General
    /// Umar Said" is one title phrase even when the NER splits off "Mines".
    #[serde(default)]
    pub institution_nouns: Vec<String>,
    /// "several U.S. firms", "two Russian banks": quantity words before a name
    /// that, with a lower-case noun after it, make the name a modifier.
    #[serde(default)]
    pub quantity_words: Vec<String>,
    /// "the two leaders met": plural nouns for people after "the two", which
    /// stand for the last two people named.
    #[serde(default)]
    pub pair_nouns: Vec<String>,
    /// "X said on Saturday it would ...": pronouns whose referent is the
    /// subject of a verb of saying just before them.
    #[serde(default)]
    pub reported_pronouns: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawModality {
    pub name: String,
    pub cues: Vec<String>,
    #[serde(default)]
    pub governing: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCues {
    pub negation: Vec<String>,
    pub negation_governing: Vec<String>,
    pub modality: Vec<RawModality>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawRelation {
    pub kind: String,
    pub symmetric: bool,
    pub arguments: Vec<String>,
    #[serde(default)]
    pub possessor_as_argument: bool,
    #[serde(default)]
    pub verbal: Vec<RawPattern>,
    #[serde(default)]
    pub nominal: Vec<RawPattern>,
    #[serde(default)]
    pub exclude: Vec<String>,
    /// PLOVER event type of every relation of this kind (`CONSULT`, `SANCTION`).
    #[serde(default)]
    pub plover: Option<String>,
    /// PLOVER mode unless a pattern says otherwise.
    #[serde(default)]
    pub plover_mode: Option<String>,
    /// CAMEO code unless a pattern says otherwise.
    #[serde(default)]
    pub cameo: Option<String>,
}

/// A pattern: its text alone, or a table with its own event codes.
#[derive(Deserialize, Clone)]
#[serde(
    untagged,
    expecting = "a pattern string, or a table { pattern = \"...\" } with optional cameo, plover_mode, \
                 located_cameo, located_plover_mode, requires, exclude (no other keys)"
)]
pub(crate) enum RawPattern {
    Plain(String),
    Coded(RawCodedPattern),
}

#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawCodedPattern {
    pub pattern: String,
    #[serde(default)]
    pub cameo: Option<String>,
    #[serde(default)]
    pub plover_mode: Option<String>,
    /// Codes when the relation has a place ("X and Y met in Z").
    #[serde(default)]
    pub located_cameo: Option<String>,
    #[serde(default)]
    pub located_plover_mode: Option<String>,
    /// The pattern holds only in a sentence with one of these words or phrases
    /// (words inside names count: "Office of Foreign Assets Control").
    #[serde(default)]
    pub requires: Vec<String>,
    /// Like the kind's `exclude`, for this pattern alone.
    #[serde(default)]
    pub exclude: Vec<String>,
}

impl RawPattern {
    /// The pattern text.
    pub(crate) fn text(&self) -> &str {
        match self {
            RawPattern::Plain(s) => s,
            RawPattern::Coded(c) => &c.pattern,
        }
    }
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
    "leaders",
    "subordinators",
    "speech_verbs",
    "speaker_pronouns",
    "verb_coordinators",
    "group_nouns",
    "object_pronouns",
    "government_nouns",
    "group_heads",
    "group_names",
    "representatives",
    "host_phrases",
    "host_participles",
    "auxiliaries",
    "assertive_verbs",
    "instrument_nouns",
    "coordinator_phrases",
    "institution_nouns",
    "quantity_words",
    "pair_nouns",
    "reported_pronouns",
];
const CUES_KEYS: &[&str] = &["negation", "negation_governing", "modality"];
const MODALITY_KEYS: &[&str] = &["name", "cues", "governing"];
const RELATION_KEYS: &[&str] = &[
    "kind",
    "symmetric",
    "arguments",
    "possessor_as_argument",
    "verbal",
    "nominal",
    "exclude",
    "plover",
    "plover_mode",
    "cameo",
];

/// The built-in rule file's text.
pub(crate) const BUILTIN: &str = include_str!("../../rules/default.toml");

pub(crate) struct Ctx<'a> {
    pub file: &'a str,
}

impl Ctx<'_> {
    /// An error about rule `rule`'s field `field` of this file.
    pub(crate) fn err(&self, rule: Option<&str>, field: Option<&str>, message: impl Into<String>) -> Error {
        Error::Rules {
            file: self.file.to_string(),
            rule: rule.map(str::to_string),
            field: field.map(str::to_string),
            message: message.into(),
        }
    }
}

pub(crate) fn check_keys(
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

/// A rule file's sections, merged key by key with the built-in file's
/// (`[[relation]]` tables come only from the file itself).
pub(crate) struct RawRules {
    pub settings: RawSettings,
    pub grammar: RawGrammar,
    pub cues: RawCues,
    /// `[words]`: class name → forms.
    pub words: HashMap<String, Vec<String>>,
    /// `[[relation]]` tables, each with the name errors use for it.
    pub relations: Vec<(String, RawRelation)>,
}

/// Parses `src` and merges it with the built-in file. Errors name `ctx`'s file.
pub(crate) fn parse(ctx: &Ctx, src: &str) -> Result<RawRules, Error> {
    let user: toml::Table = src
        .parse()
        .map_err(|e: toml::de::Error| ctx.err(None, None, format!("TOML syntax: {}", e.to_string().trim())))?;
    check_keys(ctx, &user, TOP_KEYS, None, "")?;
    let base: toml::Table = if std::ptr::eq(src, BUILTIN) {
        toml::Table::new()
    } else {
        BUILTIN.parse().map_err(|e: toml::de::Error| ctx.err(None, None, format!("built-in rules: {e}")))?
    };
    let mut merged = toml::Table::new();
    for (name, keys) in
        [("settings", SETTINGS_KEYS), ("grammar", GRAMMAR_KEYS), ("cues", CUES_KEYS), ("words", &[][..])]
    {
        let mut m = section(ctx, &base, name)?.cloned().unwrap_or_default();
        if let Some(u) = section(ctx, &user, name)? {
            if !keys.is_empty() {
                check_keys(ctx, u, keys, None, name)?;
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
                    check_keys(ctx, mt, MODALITY_KEYS, name, "cues.modality")?;
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
                check_keys(ctx, t, RELATION_KEYS, Some(&name), "")?;
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
    Ok(RawRules { settings, grammar, cues, words, relations })
}
