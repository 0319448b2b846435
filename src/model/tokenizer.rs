//! Tokenizer loading: `tokenizer.json`, or a WordPiece `vocab.txt` as fallback.

use std::path::Path;
use tokenizers::models::wordpiece::WordPiece;
use tokenizers::normalizers::BertNormalizer;
use tokenizers::pre_tokenizers::bert::BertPreTokenizer;
use tokenizers::Tokenizer;

use crate::error::{Error, Result};

/// Ids of the special tokens newsie adds around each window itself.
#[derive(Debug, Clone, Copy)]
pub(crate) struct SpecialTokens {
    pub cls: u32,
    pub sep: u32,
    pub pad: u32,
}

/// Loads the tokenizer of a model folder, with truncation and padding off
/// (newsie windows and pads itself), and finds its special tokens.
pub(crate) fn load_tokenizer(dir: &Path, pad_hint: Option<u32>) -> Result<(Tokenizer, SpecialTokens)> {
    let json = dir.join("tokenizer.json");
    let vocab = dir.join("vocab.txt");
    let mut tok = if json.is_file() {
        Tokenizer::from_file(&json).map_err(|e| Error::InvalidModel {
            path: json.clone(),
            message: "not a readable tokenizer.json".into(),
            source: Some(e),
        })?
    } else if vocab.is_file() {
        wordpiece_from_vocab(dir, &vocab)?
    } else {
        return Err(Error::MissingFile {
            path: json,
            hint: "the model's tokenizer (tokenizer.json, or vocab.txt for WordPiece models)".into(),
        });
    };
    let origin = if json.is_file() { json } else { vocab };
    tok.with_truncation(None).map_err(|e| Error::InvalidModel {
        path: origin.clone(),
        message: "cannot disable truncation".into(),
        source: Some(e),
    })?;
    tok.with_padding(None);
    let find = |names: &[&str]| names.iter().find_map(|n| tok.token_to_id(n));
    let cls = find(&["[CLS]", "<s>", "[BOS]"]);
    let sep = find(&["[SEP]", "</s>", "[EOS]"]);
    let (Some(cls), Some(sep)) = (cls, sep) else {
        return Err(Error::invalid_model(origin, "no [CLS]/<s> and [SEP]/</s> tokens in the vocabulary"));
    };
    let pad = find(&["[PAD]", "<pad>"]).or(pad_hint).unwrap_or(0);
    Ok((tok, SpecialTokens { cls, sep, pad }))
}

/// Whether a WordPiece model lower-cases its input: `do_lower_case` in
/// `tokenizer_config.json` when the file says so; otherwise read from the
/// vocabulary, which has upper-case tokens only if the model is cased. A
/// `tokenizer_config.json` that is not JSON, or whose `do_lower_case` is not a
/// boolean, is an error naming the file.
fn lower_case(dir: &Path, wp: &WordPiece) -> Result<bool> {
    let path = dir.join("tokenizer_config.json");
    if path.is_file() {
        let text = std::fs::read_to_string(&path).map_err(|e| Error::Io { path: path.clone(), source: e })?;
        let v: serde_json::Value = serde_json::from_str(&text)
            .map_err(|e| Error::invalid_model_src(&path, "not a valid tokenizer_config.json", e))?;
        match v.get("do_lower_case") {
            Some(serde_json::Value::Bool(b)) => return Ok(*b),
            Some(other) => {
                return Err(Error::invalid_model(&path, format!("do_lower_case must be true or false, not {other}")))
            }
            None => {}
        }
    }
    use tokenizers::Model;
    let cased = wp.get_vocab().keys().any(|t| {
        let t = t.trim_start_matches("##");
        !(t.starts_with('[') && t.ends_with(']')) && t.chars().any(char::is_uppercase)
    });
    Ok(!cased)
}

fn wordpiece_from_vocab(dir: &Path, vocab: &Path) -> Result<Tokenizer> {
    let vocab_str = vocab.to_str().ok_or_else(|| Error::invalid_model(vocab, "path is not UTF-8"))?;
    let wp = WordPiece::from_file(vocab_str).unk_token("[UNK]".into()).build().map_err(|e| Error::InvalidModel {
        path: vocab.into(),
        message: "not a readable WordPiece vocab.txt".into(),
        source: Some(e),
    })?;
    let lowercase = lower_case(dir, &wp)?;
    let mut tok = Tokenizer::new(wp);
    tok.with_normalizer(Some(BertNormalizer::new(true, true, None, lowercase)));
    tok.with_pre_tokenizer(Some(BertPreTokenizer));
    Ok(tok)
}
