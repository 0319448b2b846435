//! One self-contained HTML page for a [`Document`]: the text with its
//! entities highlighted by type, and the relations as a list and as a small
//! graph (an inline SVG). No scripts, no fonts, no network: the page opens
//! the same offline, in a mail attachment or in a browser's `file://` view.
//!
//! ```
//! use newsie::{html, Document};
//! let page = html::render("Nothing here.", &Document::default(), "empty", None);
//! assert!(page.starts_with("<!DOCTYPE html>"));
//! assert!(page.contains("No relations"));
//! ```

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write;

use crate::document::{Argument, Document, EntityKind, Relation};
use crate::relations::RuleSet;

/// Renders `doc`, read from `text`, as one HTML page titled `title`.
///
/// `rules` says which relation kinds are symmetric (drawn without an arrow,
/// as meetings are); `None` means the built-in rules. Directed kinds
/// (sanctions) are drawn from source to target. In the graph, negated
/// relations are dashed red and relations not asserted (planned, possible,
/// requested, ...) are dotted; the list says the same in words.
///
/// Entities whose offsets do not fall on `text`'s character boundaries (a
/// document read from another text) are listed but not highlighted.
pub fn render(text: &str, doc: &Document, title: &str, rules: Option<&RuleSet>) -> String {
    let builtin;
    let rules = match rules {
        Some(r) => r,
        None => {
            builtin = RuleSet::builtin();
            &builtin
        }
    };
    let mut page = String::with_capacity(text.len() * 2 + 8192);
    let _ = write!(
        page,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{} · newsie</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<header><h1>{}</h1>\
         <p class=\"summary\">{} entities, {} relations · read by newsie {}</p>{}</header>\n",
        escape(title),
        escape(title),
        doc.entities.len(),
        doc.relations.len(),
        env!("CARGO_PKG_VERSION"),
        legend()
    );
    page.push_str("<main>\n<section class=\"text\"><h2>Text</h2>\n<div class=\"body\">");
    highlighted_text(&mut page, text, doc);
    page.push_str("</div></section>\n<section class=\"relations\"><h2>Relations</h2>\n");
    if doc.relations.is_empty() {
        page.push_str("<p class=\"none\">No relations found.</p>\n");
    } else {
        graph(&mut page, doc, rules);
        relation_list(&mut page, text, doc, rules);
    }
    page.push_str("</section>\n</main>\n</body>\n</html>\n");
    page
}

const STYLE: &str = "
body{font:16px/1.55 system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif;color:#1f2937;margin:0;background:#f9fafb}
header{background:#111827;color:#f9fafb;padding:14px 28px}
header h1{margin:0;font-size:20px;font-weight:600}
header .summary{margin:2px 0 8px;color:#d1d5db;font-size:14px}
.legend>span{margin-right:8px}.legend mark{color:#1f2937}
main{display:flex;flex-wrap:wrap;gap:24px;padding:20px 28px}
section{background:#fff;border:1px solid #e5e7eb;border-radius:8px;padding:8px 20px 16px}
section.text{flex:1 1 520px;max-width:860px}
section.relations{flex:1 1 560px}
h2{font-size:15px;text-transform:uppercase;letter-spacing:.06em;color:#6b7280}
.body{white-space:pre-wrap;overflow-wrap:anywhere}
mark{border-radius:4px;padding:1px 3px;border:1px solid;color:inherit}
mark .lab{font-size:10px;font-weight:700;margin-left:3px;vertical-align:1px;letter-spacing:.04em}
.PER{background:#dbeafe;border-color:#2563eb}.PER .lab{color:#1d4ed8}
.ORG{background:#ffedd5;border-color:#ea580c}.ORG .lab{color:#c2410c}
.LOC{background:#dcfce7;border-color:#16a34a}.LOC .lab{color:#15803d}
.MISC,.OTHER{background:#f3f4f6;border-color:#6b7280}.MISC .lab,.OTHER .lab{color:#4b5563}
.trigger{text-decoration:underline 2px #b91c1c;text-underline-offset:3px}
svg{max-width:100%;height:auto;border:1px solid #f3f4f6;border-radius:6px;background:#fcfcfd}
svg text{font:12px system-ui,sans-serif}
table{border-collapse:collapse;width:100%;font-size:14px;margin-top:12px}
th,td{text-align:left;padding:5px 8px;border-bottom:1px solid #e5e7eb;vertical-align:top}
th{color:#6b7280;font-weight:600}
td.sent{color:#4b5563;font-size:13px}
.neg{color:#b91c1c;font-weight:600}.mod{color:#92400e}
.none{color:#6b7280}.codes{font-size:12px;color:#6b7280}
.key{font-size:13px;color:#4b5563}
";

fn legend() -> String {
    let mut s = String::from("<div class=\"legend\">");
    for (class, name) in [("PER", "person"), ("ORG", "organisation"), ("LOC", "place"), ("MISC", "other name")] {
        let _ = write!(s, "<span><mark class=\"{class}\">{name}<span class=\"lab\">{class}</span></mark></span>");
    }
    s.push_str("</div>");
    s
}

/// The CSS class of an entity type.
fn class_of(label: &EntityKind) -> &'static str {
    match label {
        EntityKind::Person => "PER",
        EntityKind::Organization => "ORG",
        EntityKind::Location => "LOC",
        EntityKind::Misc => "MISC",
        _ => "OTHER",
    }
}

/// Fill and stroke colours of a graph node of this type.
fn colours_of(label: &EntityKind) -> (&'static str, &'static str) {
    match label {
        EntityKind::Person => ("#dbeafe", "#2563eb"),
        EntityKind::Organization => ("#ffedd5", "#ea580c"),
        EntityKind::Location => ("#dcfce7", "#16a34a"),
        _ => ("#f3f4f6", "#6b7280"),
    }
}

/// Escapes text for HTML element content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters other than line breaks and tabs are not allowed in HTML text.
            c if c.is_control() && c != '\n' && c != '\t' && c != '\r' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// The text, entities as `<mark>`s and relation triggers underlined, in one
/// left-to-right pass; spans that overlap an earlier one are not marked.
fn highlighted_text(page: &mut String, text: &str, doc: &Document) {
    // (start, end, Some(entity index) | None for a trigger)
    let mut spans: Vec<(usize, usize, Option<usize>)> =
        doc.entities.iter().enumerate().map(|(i, e)| (e.start, e.end, Some(i))).collect();
    spans.extend(doc.relations.iter().map(|r| (r.trigger.start, r.trigger.end, None)));
    spans.sort_by_key(|&(s, e, i)| (s, std::cmp::Reverse(e), i.is_none()));
    let mut at = 0;
    for (start, end, which) in spans {
        if start < at || end <= start || text.get(start..end).is_none() || text.get(at..start).is_none() {
            continue;
        }
        page.push_str(&escape(&text[at..start]));
        let inner = escape(&text[start..end]);
        match which {
            Some(i) => {
                let e = &doc.entities[i];
                let class = class_of(&e.label);
                let _ = write!(
                    page,
                    "<mark class=\"{class}\" title=\"{} · entity {} · score {:.2}\">{inner}<span class=\"lab\">{}</span></mark>",
                    escape(e.label.as_str()),
                    e.entity_id,
                    e.score,
                    escape(e.label.as_str())
                );
            }
            None => {
                let _ = write!(page, "<span class=\"trigger\" title=\"relation trigger\">{inner}</span>");
            }
        }
        at = end;
    }
    if let Some(rest) = text.get(at..) {
        page.push_str(&escape(rest));
    }
}

/// The entity's name for the graph and the list: its longest mention.
fn names(doc: &Document) -> BTreeMap<usize, (&str, &EntityKind)> {
    let mut names: BTreeMap<usize, (&str, &EntityKind)> = BTreeMap::new();
    for e in &doc.entities {
        let slot = names.entry(e.entity_id).or_insert((e.text.as_str(), &e.label));
        if e.text.len() > slot.0.len() {
            *slot = (e.text.as_str(), &e.label);
        }
    }
    names
}

fn argument_name<'a>(a: &'a Argument, names: &BTreeMap<usize, (&'a str, &'a EntityKind)>) -> String {
    match names.get(&a.entity_id) {
        Some((n, _)) if *n != a.text => format!("{} ({n})", a.text),
        _ => a.text.clone(),
    }
}

fn is_symmetric(rules: &RuleSet, r: &Relation) -> bool {
    rules.is_symmetric(&r.kind).unwrap_or(false)
}

fn relation_list(page: &mut String, text: &str, doc: &Document, rules: &RuleSet) {
    let names = names(doc);
    page.push_str(
        "<table><thead><tr><th>kind</th><th>who</th><th>status</th><th>trigger</th><th>sentence</th></tr></thead><tbody>\n",
    );
    for r in &doc.relations {
        let arrow = if is_symmetric(rules, r) { "↔" } else { "→" };
        let mut status = String::new();
        if r.negated {
            status.push_str("<span class=\"neg\">negated</span> ");
        }
        if r.modality != "negated" && !(r.negated && r.modality == "asserted") {
            let class = if r.modality == "asserted" { "" } else { " class=\"mod\"" };
            let _ = write!(status, "<span{class}>{}</span>", escape(&r.modality));
        }
        let place = r.location.as_ref().map(|l| format!(" · in {}", escape(&l.text))).unwrap_or_default();
        let mut codes = Vec::new();
        if let Some(p) = &r.plover {
            codes.push(match &p.mode {
                Some(m) => format!("{}/{}", p.event_type, m),
                None => p.event_type.clone(),
            });
        }
        if let Some(c) = &r.cameo {
            codes.push(format!("CAMEO {c}"));
        }
        if !codes.is_empty() {
            let _ = write!(status, "<br><span class=\"codes\">{}</span>", escape(&codes.join(" · ")));
        }
        let sentence = text.get(r.sentence.start..r.sentence.end).unwrap_or("");
        let _ = writeln!(
            page,
            "<tr><td>{}</td><td>{} {arrow} {}{place}</td><td>{status}</td><td>{}</td><td class=\"sent\">{}</td></tr>",
            escape(&r.kind),
            escape(&argument_name(&r.source, &names)),
            escape(&argument_name(&r.target, &names)),
            escape(&r.trigger.text),
            escape(sentence)
        );
    }
    page.push_str("</tbody></table>\n");
}

/// Colour of a relation kind's edges.
fn kind_colour(kind: &str) -> &'static str {
    match kind {
        "meeting" => "#374151",
        "sanction" => "#b45309",
        "call" => "#7c3aed",
        _ => "#0f766e",
    }
}

/// The relations as an SVG graph: participants on a circle, one edge per
/// relation (parallel edges between a pair curve apart).
fn graph(page: &mut String, doc: &Document, rules: &RuleSet) {
    let names = names(doc);
    // Nodes: each entity taking part in a relation, in order of first appearance.
    let mut nodes: Vec<(String, EntityKind)> = Vec::new();
    // Entity id -> node index, so large documents stay linear.
    let mut index: HashMap<usize, usize> = HashMap::new();
    for r in &doc.relations {
        for a in [&r.source, &r.target] {
            if let std::collections::hash_map::Entry::Vacant(slot) = index.entry(a.entity_id) {
                slot.insert(nodes.len());
                let (name, label) = names.get(&a.entity_id).map_or((a.text.as_str(), &a.label), |(n, l)| (*n, *l));
                nodes.push((name.to_string(), label.clone()));
            }
        }
    }
    let n = nodes.len();
    let radius = (140.0_f64).max(n as f64 * 16.0);
    let (width, height) = (2.0 * radius + 300.0, 2.0 * radius + 90.0);
    let (cx, cy) = (width / 2.0, height / 2.0);
    let pos: Vec<(f64, f64)> = (0..n)
        .map(|i| {
            if n == 1 {
                return (cx, cy);
            }
            let a = -std::f64::consts::FRAC_PI_2 + i as f64 * std::f64::consts::TAU / n as f64;
            (cx + radius * 1.25 * a.cos(), cy + radius * a.sin())
        })
        .collect();
    let _ = write!(
        page,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width:.0} {height:.0}\" width=\"{width:.0}\" role=\"img\" \
         aria-label=\"relation graph\"><defs>"
    );
    for kind in ["meeting", "sanction", "call", "other"] {
        let _ = write!(
            page,
            "<marker id=\"arrow-{kind}\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" \
             orient=\"auto-start-reverse\"><path d=\"M0,0L10,5L0,10z\" fill=\"{}\"/></marker>",
            kind_colour(kind)
        );
    }
    page.push_str("</defs>\n");
    // Edges, under the nodes.
    let mut seen: BTreeMap<(usize, usize), usize> = BTreeMap::new();
    for r in &doc.relations {
        let (a, b) = (index[&r.source.entity_id], index[&r.target.entity_id]);
        let slot = seen.entry((a.min(b), a.max(b))).or_insert(0);
        let k = *slot;
        *slot += 1;
        // Parallel edges: the first straight, then bending to alternate sides.
        let bend = 24.0 * k.div_ceil(2) as f64 * if k.is_multiple_of(2) { 1.0 } else { -1.0 };
        let ((x1, y1), (x2, y2)) = (pos[a], pos[b]);
        let colour = if r.negated { "#dc2626" } else { kind_colour(&r.kind) };
        let dash = if r.negated {
            " stroke-dasharray=\"8 5\""
        } else if r.modality != "asserted" {
            " stroke-dasharray=\"2 4\""
        } else {
            ""
        };
        let marker_kind = match r.kind.as_str() {
            "meeting" | "sanction" | "call" => r.kind.as_str(),
            _ => "other",
        };
        let marker =
            if is_symmetric(rules, r) { String::new() } else { format!(" marker-end=\"url(#arrow-{marker_kind})\"") };
        let tip = format!(
            "{}: {} {} {}{}",
            r.kind,
            r.source.text,
            if is_symmetric(rules, r) { "↔" } else { "→" },
            r.target.text,
            if r.negated { format!(" (negated, {})", r.modality) } else { format!(" ({})", r.modality) }
        );
        if a == b {
            // A loop (an entity related to itself).
            let _ = writeln!(
                page,
                "<path d=\"M{x1:.1},{:.1} c-40,-50 40,-50 0,0\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"{dash}><title>{}</title></path>",
                y1 - 18.0,
                escape(&tip)
            );
            continue;
        }
        // Stop the line at the node's edge (radius 18) so arrows stay visible.
        let (dx, dy) = (x2 - x1, y2 - y1);
        let len = (dx * dx + dy * dy).sqrt().max(1.0);
        let (ux, uy) = (dx / len, dy / len);
        let (sx, sy, ex, ey) = (x1 + ux * 20.0, y1 + uy * 20.0, x2 - ux * 20.0, y2 - uy * 20.0);
        let (mx, my) = ((sx + ex) / 2.0 - uy * bend, (sy + ey) / 2.0 + ux * bend);
        // The label sits on the curve's midpoint, haloed so crossing lines stay readable.
        let (lx, ly) = ((sx + 2.0 * mx + ex) / 4.0, (sy + 2.0 * my + ey) / 4.0);
        let _ = writeln!(
            page,
            "<path d=\"M{sx:.1},{sy:.1} Q{mx:.1},{my:.1} {ex:.1},{ey:.1}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"{dash}{marker}><title>{}</title></path>\
             <text x=\"{lx:.1}\" y=\"{:.1}\" text-anchor=\"middle\" fill=\"{colour}\" stroke=\"#fff\" stroke-width=\"3\" paint-order=\"stroke\">{}</text>",
            escape(&tip),
            ly - 4.0,
            escape(&r.kind)
        );
    }
    for (i, (name, label)) in nodes.iter().enumerate() {
        let (x, y) = pos[i];
        let (fill, stroke) = colours_of(label);
        let below = y >= cy - 1.0;
        let ty = if below { y + 34.0 } else { y - 26.0 };
        let _ = writeln!(
            page,
            "<g><circle cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"18\" fill=\"{fill}\" stroke=\"{stroke}\" stroke-width=\"2\"/>\
             <text x=\"{x:.1}\" y=\"{:.1}\" text-anchor=\"middle\" font-size=\"10\" font-weight=\"700\" fill=\"{stroke}\">{}</text>\
             <text x=\"{x:.1}\" y=\"{ty:.1}\" text-anchor=\"middle\" fill=\"#111827\">{}</text></g>",
            y + 4.0,
            escape(label.as_str()),
            escape(name)
        );
    }
    let _ = writeln!(
        page,
        "</svg>\n<p class=\"key\">Edges: <b style=\"color:{}\">meeting</b>, <b style=\"color:{}\">sanction</b>, \
         <b style=\"color:{}\">call</b>, <b style=\"color:{}\">other kinds</b>. Solid: asserted. Dotted: planned, \
         possible, requested or considered. Dashed red: negated. Arrows point from actor to target; symmetric kinds \
         (meetings, calls) have none. Hover an edge for its details.</p>",
        kind_colour("meeting"),
        kind_colour("sanction"),
        kind_colour("call"),
        kind_colour("other")
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{Entity, Span, TextSpan};

    fn entity(text: &str, src: &str, label: EntityKind, id: usize) -> Entity {
        let start = src.find(text).unwrap();
        Entity {
            text: text.into(),
            label,
            start,
            end: start + text.len(),
            char_start: src[..start].chars().count(),
            char_end: src[..start].chars().count() + text.chars().count(),
            score: 0.9,
            entity_id: id,
        }
    }

    fn arg(e: &Entity) -> Argument {
        Argument { text: e.text.clone(), label: e.label.clone(), start: e.start, end: e.end, entity_id: e.entity_id }
    }

    #[test]
    fn marks_entities_escapes_text_and_draws_every_relation() {
        let src = "Kerry <b>met</b> Lavrov & \"friends\" in Rome. Canada did not sanction Lavrov.";
        let kerry = entity("Kerry", src, EntityKind::Person, 0);
        let lavrov = entity("Lavrov", src, EntityKind::Person, 1);
        let rome = entity("Rome", src, EntityKind::Location, 2);
        let canada = entity("Canada", src, EntityKind::Location, 3);
        let met = src.find("met").unwrap();
        let sanction = src.find("sanction").unwrap();
        let relation = |kind: &str, s: &Entity, t: &Entity, negated: bool, at: usize, word: &str| Relation {
            kind: kind.into(),
            source: arg(s),
            target: arg(t),
            negated,
            modality: "asserted".into(),
            trigger: TextSpan { text: word.into(), start: at, end: at + word.len() },
            sentence: Span { start: 0, end: src.len() },
            location: None,
            plover: None,
            cameo: None,
        };
        let doc = Document {
            id: None,
            entities: vec![kerry.clone(), lavrov.clone(), rome, canada.clone()],
            relations: vec![
                relation("meeting", &kerry, &lavrov, false, met, "met"),
                relation("sanction", &canada, &lavrov, true, sanction, "sanction"),
            ],
            words: vec![],
        };
        let page = render(src, &doc, "<test>", None);
        assert!(page.contains("<title>&lt;test&gt; · newsie</title>"));
        assert!(!page.contains("<b>met</b>"), "input markup must be escaped");
        assert!(page.contains("&lt;b&gt;"));
        assert!(page.contains("&amp; &quot;friends&quot;"));
        for (class, name, id) in [("PER", "Kerry", 0), ("PER", "Lavrov", 1), ("LOC", "Rome", 2), ("LOC", "Canada", 3)] {
            let mark = format!("<mark class=\"{class}\" title=\"{class} · entity {id} · score 0.90\">{name}<span");
            assert!(page.contains(&mark), "{mark}");
        }
        assert!(page.contains("<span class=\"trigger\" title=\"relation trigger\">met</span>"));
        // Two edges: the meeting without an arrow, the negated sanction dashed with one.
        assert_eq!(page.matches("<path d=\"M").count() - 4, 2, "one path per relation (after 4 arrow markers)");
        assert!(page.contains("meeting: Kerry ↔ Lavrov (asserted)"));
        assert!(page.contains("sanction: Canada → Lavrov (negated, asserted)"));
        assert!(page.contains("stroke-dasharray=\"8 5\" marker-end=\"url(#arrow-sanction)\""));
        assert!(page.contains("<span class=\"neg\">negated</span>"));
        // Self-contained: nothing fetched from elsewhere.
        for forbidden in ["<script", "<link", "src=\"http", "@import", "url(http"] {
            assert!(!page.contains(forbidden), "{forbidden}");
        }
    }

    #[test]
    fn offsets_from_another_text_are_skipped_not_a_panic() {
        let src = "Zoë met Åsa.";
        let mut e = entity("Zoë", src, EntityKind::Person, 0);
        e.start = 2; // inside "ë"
        e.end = 200;
        let doc = Document { id: None, entities: vec![e], relations: vec![], words: vec![] };
        let page = render(src, &doc, "t", None);
        assert!(page.contains("Zoë met Åsa."));
        assert!(!page.contains("<mark class=\"PER\" title="), "no entity is marked");
    }

    #[test]
    fn control_characters_are_replaced() {
        assert_eq!(escape("a\u{0}b\nc"), "a\u{FFFD}b\nc");
    }
}
