//! Runs the built-in rules over dev.jsonl with hand-listed entities and writes PRED.jsonl.
//!
//! usage: cargo run --release --example dev_relations -- DEV.jsonl ENTITIES.json PRED.jsonl [REPEAT]
//! With REPEAT > 0 it also measures throughput over the texts repeated REPEAT times.

use newsie::relations::RuleSet;
use newsie::{Entity, EntityKind, Mention};
use std::io::Write;

fn ents(text: &str, list: &[(String, String)]) -> Vec<Entity> {
    let mut out = Vec::new();
    let mut from = 0usize;
    for (t, l) in list {
        let Some(p) = text[from..].find(t.as_str()) else {
            eprintln!("entity {t:?} not found in {text:?}");
            continue;
        };
        let start = from + p;
        let end = start + t.len();
        out.push(Mention {
            text: t.clone(),
            label: EntityKind::from_label(l),
            start,
            end,
            char_start: 0,
            char_end: 0,
            score: 1.0,
        });
        from = end;
    }
    newsie::link::link(out)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let dev = std::fs::read_to_string(&args[1]).expect("dev");
    let emap: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(&args[2]).expect("ents")).expect("json");
    let mut out = std::fs::File::create(&args[3]).expect("pred");
    let repeat: usize = args.get(4).map(|s| s.parse().unwrap()).unwrap_or(0);
    let rules = RuleSet::builtin();
    let mut docs = Vec::new();
    for line in dev.lines().filter(|l| !l.trim().is_empty()) {
        let d: serde_json::Value = serde_json::from_str(line).unwrap();
        let id = d["id"].as_str().unwrap().to_string();
        let text = d["text"].as_str().unwrap().to_string();
        let list: Vec<(String, String)> = emap
            .get(&id)
            .and_then(|v| v.as_array())
            .map(|a| {
                a.iter().map(|p| (p[0].as_str().unwrap().to_string(), p[1].as_str().unwrap().to_string())).collect()
            })
            .unwrap_or_default();
        let es = ents(&text, &list);
        let rels = rules.extract(&text, &es);
        if std::env::var("SHOW").is_ok() {
            for r in &rels {
                eprintln!(
                    "{id} {} {} -> {} neg={} {} [{}] loc={:?}",
                    r.kind,
                    r.source.text,
                    r.target.text,
                    r.negated,
                    r.modality,
                    r.trigger.text,
                    r.location.as_ref().map(|l| &l.text)
                );
            }
        }
        // Scorer view: an argument's text is its canonical entity's longest mention
        // (so a resolved "he" is scored as the person).
        let name = |id: usize| {
            es.iter().filter(|e| e.entity_id == id).map(|e| e.text.clone()).max_by_key(|t| t.len()).unwrap_or_default()
        };
        let mut rels = rels;
        for r in &mut rels {
            r.source.text = name(r.source.entity_id);
            r.target.text = name(r.target.entity_id);
        }
        writeln!(out, "{}", serde_json::json!({"id": id, "relations": rels})).unwrap();
        docs.push((text, es));
    }
    if repeat > 0 {
        let tokens: usize = docs.iter().map(|(t, _)| newsie::text::words(t, 0..t.len()).len()).sum::<usize>() * repeat;
        let t0 = std::time::Instant::now();
        let mut n = 0usize;
        for _ in 0..repeat {
            for (t, e) in &docs {
                n += rules.extract(t, e).len();
            }
        }
        let dt = t0.elapsed().as_secs_f64();
        println!("{tokens} tokens in {dt:.3}s: {:.0} tokens/s ({n} relations)", tokens as f64 / dt);
    }
}
