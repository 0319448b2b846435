//! Extract entities and relations from news text.
//!
//! ```text
//! cargo run --release --example extract -- [OPTIONS] [FILE]
//! ```
//!
//! Reads FILE, or standard input when FILE is absent or `-`.
//!
//! Options:
//!   --format text|json|jsonl   text: a readable table (default); json: one JSON
//!                              document for the whole input; jsonl: the input is
//!                              JSON lines {"id": .., "text": ..}, one output line
//!                              per input line, in order, streamed
//!   --model NAME_OR_DIR        a registered model (models.toml) or a model folder
//!   --backend candle|rust-bert inference engine (default candle)
//!   --aggregation first|average|max
//!   --batch-size N             windows per model call (default 16)
//!   --threads N                inference threads (default: all cores)
//!   --precision f32|int8|bf16  dense layers in f32 (default), int8 or bf16 (candle backend)
//!   --rules FILE               relation rules (TOML) instead of the built-in ones
//!   --lexicon FILE             names with types (TYPE<TAB>name lines) instead of
//!                              the built-in lexicon (rules/lexicon.tsv)
//!   --no-lexicon               the model's spans and types, uncorrected
//!   --no-consistent-types      no document-level agreement of person types
//!   --max-line-bytes N         jsonl: a longer line gets an error line of its own
//!                              and is not held in memory (default 64 MiB)
//!   --no-relations             entities only
//!   --words                    json/jsonl: list every word, with its part of
//!                              speech and chunk (models with syntax heads)
//!   --format html              one self-contained HTML page: the text with its
//!                              entities highlighted, the relations as a list and a graph
//!   --quiet                    no progress on stderr
//!
//! Progress (documents or bytes, rate, ETA) is drawn on stderr when stderr is a
//! terminal: for jsonl input and for texts over 1 MiB. Piped or with --quiet,
//! nothing is drawn.

use std::ffi::OsString;
use std::io::{BufRead, BufWriter, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use newsie::{Aggregation, BackendKind, Document, Extractor, Lexicon, Precision, RuleSet};

#[derive(Clone, Copy, PartialEq)]
enum Format {
    Text,
    Json,
    Jsonl,
    Html,
}

struct Args {
    format: Format,
    model: Option<String>,
    backend: BackendKind,
    aggregation: Aggregation,
    batch_size: Option<usize>,
    threads: Option<usize>,
    precision: Precision,
    rules: Option<PathBuf>,
    lexicon: Option<PathBuf>,
    no_lexicon: bool,
    consistent_types: bool,
    relations: bool,
    words: bool,
    quiet: bool,
    max_line_bytes: usize,
    input: Option<PathBuf>,
}

const USAGE: &str = "usage: extract [--format text|json|jsonl|html] [--model NAME_OR_DIR] [--backend candle|rust-bert] \
[--aggregation first|average|max] [--batch-size N] [--threads N] [--precision f32|int8|bf16] [--rules FILE] [--lexicon FILE] [--no-lexicon] [--no-consistent-types] [--max-line-bytes N] [--no-relations] [--words] [--quiet] [FILE|-]";

fn utf8(a: OsString, what: &str) -> Result<String, String> {
    a.into_string().map_err(|a| format!("{what} is not valid UTF-8: {}", a.to_string_lossy()))
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        format: Format::Text,
        model: None,
        backend: BackendKind::Candle,
        aggregation: Aggregation::First,
        batch_size: None,
        threads: None,
        precision: Precision::F32,
        rules: None,
        lexicon: None,
        no_lexicon: false,
        consistent_types: true,
        relations: true,
        words: false,
        quiet: false,
        max_line_bytes: 64 << 20,
        input: None,
    };
    let mut it = std::env::args_os().skip(1);
    while let Some(a) = it.next() {
        let Some(s) = a.to_str().map(str::to_string) else {
            // A non-UTF-8 argument can only be a file name.
            if args.input.is_some() {
                return Err(format!("unexpected argument {}\n{USAGE}", a.to_string_lossy()));
            }
            args.input = Some(PathBuf::from(a));
            continue;
        };
        let mut value = |name: &str| -> Result<String, String> {
            let v = it.next().ok_or_else(|| format!("{name} needs a value\n{USAGE}"))?;
            utf8(v, name)
        };
        let number = |name: &str, v: String| -> Result<usize, String> {
            v.parse::<usize>()
                .ok()
                .filter(|n| *n > 0)
                .ok_or_else(|| format!("{name} needs a positive number, got {v:?}"))
        };
        match s.as_str() {
            "-h" | "--help" => {
                println!("{USAGE}");
                std::process::exit(0);
            }
            "--format" => {
                args.format = match value("--format")?.as_str() {
                    "text" => Format::Text,
                    "json" => Format::Json,
                    "jsonl" => Format::Jsonl,
                    "html" => Format::Html,
                    other => return Err(format!("unknown format {other:?} (text, json, jsonl, html)")),
                }
            }
            "--model" => args.model = Some(value("--model")?),
            "--backend" => args.backend = value("--backend")?.parse().map_err(|e: newsie::Error| e.to_string())?,
            "--aggregation" => {
                args.aggregation = value("--aggregation")?.parse().map_err(|e: newsie::Error| e.to_string())?
            }
            "--batch-size" => args.batch_size = Some(number("--batch-size", value("--batch-size")?)?),
            "--threads" => args.threads = Some(number("--threads", value("--threads")?)?),
            "--precision" => {
                args.precision = value("--precision")?.parse().map_err(|e: newsie::Error| e.to_string())?
            }
            "--rules" => args.rules = Some(PathBuf::from(value("--rules")?)),
            "--lexicon" => args.lexicon = Some(PathBuf::from(value("--lexicon")?)),
            "--no-lexicon" => args.no_lexicon = true,
            "--no-consistent-types" => args.consistent_types = false,
            "--no-relations" => args.relations = false,
            "--words" => args.words = true,
            "--max-line-bytes" => args.max_line_bytes = number("--max-line-bytes", value("--max-line-bytes")?)?,
            "--quiet" | "-q" => args.quiet = true,
            "-" => args.input = None,
            s if s.starts_with("--") => return Err(format!("unknown option {s}\n{USAGE}")),
            _ if args.input.is_none() => args.input = Some(PathBuf::from(s)),
            _ => return Err(format!("unexpected argument {s:?} (one input file at most)\n{USAGE}")),
        }
    }
    Ok(args)
}

fn build(args: &Args) -> Result<Extractor, String> {
    let mut b = Extractor::builder()
        .backend(args.backend)
        .aggregation(args.aggregation)
        .relations(args.relations)
        .words(args.words)
        .consistent_types(args.consistent_types)
        .precision(args.precision);
    if args.no_lexicon && args.lexicon.is_some() {
        return Err("--lexicon and --no-lexicon contradict each other".into());
    }
    if args.no_lexicon {
        b = b.lexicon(Lexicon::default());
    } else if let Some(p) = &args.lexicon {
        b = b.lexicon(Lexicon::from_path(p).map_err(|e| e.to_string())?);
    }
    if let Some(m) = &args.model {
        b = b.model(m.clone());
    }
    if let Some(n) = args.batch_size {
        b = b.batch_size(n);
    }
    if let Some(n) = args.threads {
        b = b.threads(n);
    }
    if let Some(p) = &args.rules {
        b = b.rules(RuleSet::from_path(p).map_err(|e| e.to_string())?);
    }
    b.build().map_err(|e| error_chain(&e))
}

/// The error's message and the causes it does not already quote
/// (`newsie::Error`'s `Debug`).
fn error_chain(e: &newsie::Error) -> String {
    format!("{e:?}")
}

fn open_input(path: &Option<PathBuf>) -> Result<Box<dyn BufRead>, String> {
    match path {
        None => Ok(Box::new(std::io::BufReader::new(std::io::stdin()))),
        Some(p) => std::fs::File::open(p)
            .map(|f| Box::new(std::io::BufReader::new(f)) as Box<dyn BufRead>)
            .map_err(|e| format!("cannot open {}: {e}", p.display())),
    }
}

fn read_all(path: &Option<PathBuf>) -> Result<String, String> {
    let mut bytes = Vec::new();
    open_input(path)?.read_to_end(&mut bytes).map_err(|e| format!("cannot read input: {e}"))?;
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        format!(
            "input {} is not valid UTF-8 (first invalid byte at offset {at}); convert it first, e.g. with iconv",
            path.as_ref().map(|p| p.display().to_string()).unwrap_or_else(|| "<stdin>".into())
        )
    })
}

fn print_text(out: &mut dyn Write, doc: &Document) -> std::io::Result<()> {
    writeln!(out, "{:<5} {:<40} {:>14} {:>6}", "LABEL", "TEXT", "BYTES", "SCORE")?;
    for e in &doc.entities {
        let text: String = e.text.chars().map(|c| if c.is_control() { ' ' } else { c }).collect();
        writeln!(
            out,
            "{:<5} {:<40} {:>14} {:>6.3}",
            e.label.as_str(),
            text,
            format!("{}..{}", e.start, e.end),
            e.score
        )?;
    }
    writeln!(out, "\n{} entities, {} relations", doc.entities.len(), doc.relations.len())?;
    // A mention such as a resolved "he" is shown with its entity's longest name.
    let name = |a: &newsie::Argument| {
        let longest =
            doc.entities.iter().filter(|e| e.entity_id == a.entity_id).map(|e| e.text.as_str()).max_by_key(|t| t.len());
        match longest {
            Some(n) if n != a.text => format!("{} ({n})", a.text),
            _ => a.text.clone(),
        }
    };
    for r in &doc.relations {
        write!(out, "{:<9} {} -> {}", r.kind, name(&r.source), name(&r.target))?;
        let neg = if r.negated && r.modality != "negated" { ", negated" } else { "" };
        write!(out, "  [{}{neg}]", r.modality)?;
        write!(out, "  trigger {:?}", r.trigger.text)?;
        if let Some(l) = &r.location {
            write!(out, "  at {}", l.text)?;
        }
        writeln!(out)?;
    }
    Ok(())
}

/// jsonl: reads lines in groups of 256 (bounded memory), extracts each group
/// as one batch (its windows sorted by length, so little padding), writes one
/// line per input line in order.
fn run_jsonl(ex: &Extractor, args: &Args) -> Result<(usize, usize), String> {
    const GROUP: usize = 256;
    let mut input = open_input(&args.input)?;
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let (mut n, mut bad) = (0usize, 0usize);
    let mut line_no = 0usize;
    // By bytes when the input is a file (so an ETA), else a count of documents.
    let size = args.input.as_ref().and_then(|p| std::fs::metadata(p).ok()).map(|m| m.len()).filter(|&s| s > 0);
    let bar = progress_bar(args.quiet, size, size.is_some());
    let mut bytes_read = 0u64;
    loop {
        // (id, text or error)
        let mut group: Vec<(serde_json::Value, Result<String, String>)> = Vec::with_capacity(GROUP);
        let mut buf = Vec::new();
        while group.len() < GROUP {
            buf.clear();
            let (read, whole) = read_line_capped(&mut input, &mut buf, args.max_line_bytes)
                .map_err(|e| format!("cannot read input: {e}"))?;
            if read == 0 {
                break;
            }
            line_no += 1;
            bytes_read += read as u64;
            if !whole {
                let id = serde_json::json!(format!("line {line_no}"));
                let msg = format!("line {line_no} is {read} bytes, over --max-line-bytes {}", args.max_line_bytes);
                group.push((id, Err(msg)));
                continue;
            }
            if buf.iter().all(|b| b.is_ascii_whitespace()) {
                continue;
            }
            group.push(parse_line(&buf, line_no));
        }
        if group.is_empty() {
            break;
        }
        let texts: Vec<&str> = group.iter().filter_map(|(_, t)| t.as_deref().ok()).collect();
        let docs = extract_each(ex, &texts);
        let mut docs = docs.into_iter();
        for (id, t) in group {
            let line = match t.and_then(|_| docs.next().unwrap_or_else(|| Err("internal: missing result".into()))) {
                Ok(mut d) => {
                    d.id = Some(id);
                    serde_json::to_string(&d)
                }
                Err(msg) => {
                    bad += 1;
                    eprintln!("extract: line with id {id}: {msg}");
                    serde_json::to_string(&serde_json::json!({"id": id, "error": msg}))
                }
            }
            .map_err(|e| e.to_string())?;
            writeln!(out, "{line}").map_err(|e| format!("cannot write output: {e}"))?;
            n += 1;
        }
        out.flush().map_err(|e| format!("cannot write output: {e}"))?;
        if size.is_some() {
            bar.set_position(bytes_read);
            bar.set_message(format!("{n} documents, {:.0} docs/s", n as f64 / bar.elapsed().as_secs_f64().max(1e-9)));
        } else {
            bar.set_position(n as u64);
        }
    }
    bar.finish_and_clear();
    Ok((n, bad))
}

/// A progress bar on stderr, drawn only when stderr is a terminal and not
/// `quiet`: bytes with rate and ETA when `total` is known, else documents.
fn progress_bar(quiet: bool, total: Option<u64>, bytes: bool) -> ProgressBar {
    let target = if quiet { ProgressDrawTarget::hidden() } else { ProgressDrawTarget::stderr() };
    let bar = ProgressBar::with_draw_target(total, target);
    let template = match (total.is_some(), bytes) {
        (true, true) => "extract: [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} ETA {eta}  {msg}",
        (true, false) => "extract: [{bar:30}] {pos}/{len} {per_sec} ETA {eta}",
        (false, _) => "extract: {spinner} {pos} documents, {per_sec} {elapsed}",
    };
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar
}

/// Extracts a group in one batch; should the batch fail (or the library
/// panic), each text again on its own, so one document's failure is its own
/// error line and never the others'.
fn extract_each(ex: &Extractor, texts: &[&str]) -> Vec<Result<Document, String>> {
    use std::panic::{catch_unwind, AssertUnwindSafe};
    if let Ok(Ok(docs)) = catch_unwind(AssertUnwindSafe(|| ex.extract_batch(texts))) {
        return docs.into_iter().map(Ok).collect();
    }
    texts
        .iter()
        .map(|t| match catch_unwind(AssertUnwindSafe(|| ex.extract(t))) {
            Ok(Ok(d)) => Ok(d),
            Ok(Err(e)) => Err(error_chain(&e)),
            Err(p) => {
                let msg =
                    p.downcast_ref::<&str>().map(|s| s.to_string()).or_else(|| p.downcast_ref::<String>().cloned());
                Err(format!("internal error (please report): {}", msg.unwrap_or_default()))
            }
        })
        .collect()
}

/// Reads one line into `buf`, keeping at most `cap` bytes of it; the rest of a
/// longer line is read and dropped. Returns the line's length in bytes and
/// whether it was kept whole.
fn read_line_capped(input: &mut dyn BufRead, buf: &mut Vec<u8>, cap: usize) -> std::io::Result<(usize, bool)> {
    let mut total = 0;
    loop {
        let chunk = input.fill_buf()?;
        if chunk.is_empty() {
            return Ok((total, total <= cap));
        }
        let (line_end, used) = match chunk.iter().position(|&b| b == b'\n') {
            Some(p) => (true, p + 1),
            None => (false, chunk.len()),
        };
        if total + used <= cap {
            buf.extend_from_slice(&chunk[..used]);
        } else {
            buf.clear();
        }
        total += used;
        input.consume(used);
        if line_end {
            return Ok((total, total <= cap));
        }
    }
}

fn parse_line(buf: &[u8], line_no: usize) -> (serde_json::Value, Result<String, String>) {
    let fallback_id = serde_json::json!(format!("line {line_no}"));
    let Ok(s) = std::str::from_utf8(buf) else {
        return (fallback_id, Err(format!("line {line_no} is not valid UTF-8")));
    };
    let v: serde_json::Value = match serde_json::from_str(s.trim()) {
        Ok(v) => v,
        Err(e) => return (fallback_id, Err(format!("line {line_no} is not JSON: {e}"))),
    };
    let id = v.get("id").cloned().unwrap_or(fallback_id);
    match v.get("text").and_then(|t| t.as_str()) {
        Some(t) => (id, Ok(t.to_string())),
        None => (id, Err(format!("line {line_no} has no string field \"text\""))),
    }
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("extract: {e}");
            return ExitCode::from(2);
        }
    };
    let result = (|| -> Result<(), String> {
        let t0 = Instant::now();
        // Read (or open) the input before loading the model, so input errors come first.
        let whole = if args.format == Format::Jsonl {
            open_input(&args.input)?;
            None
        } else {
            Some(read_all(&args.input)?)
        };
        let ex = build(&args)?;
        if !args.quiet {
            eprintln!(
                "extract: model {} on {} ({:.2}s)",
                ex.model_dir().display(),
                ex.backend_name(),
                t0.elapsed().as_secs_f64()
            );
        }
        let stdout = std::io::stdout();
        match args.format {
            Format::Jsonl => {
                let (n, bad) = run_jsonl(&ex, &args)?;
                if !args.quiet {
                    eprintln!("extract: {n} documents, {bad} with errors, {:.2}s", t0.elapsed().as_secs_f64());
                }
            }
            Format::Json | Format::Text | Format::Html => {
                let text = whole.unwrap_or_default();
                // Long texts go a block at a time: a bar when there is more than one.
                let quiet = args.quiet || text.len() <= newsie::pipeline::BLOCK_BYTES;
                let bar = progress_bar(quiet, Some(text.len() as u64), true);
                let doc = ex.extract_with_progress(&text, |done| bar.set_position(done as u64));
                bar.finish_and_clear();
                let doc = doc.map_err(|e| error_chain(&e))?;
                let mut out = BufWriter::new(stdout.lock());
                match args.format {
                    Format::Json => {
                        serde_json::to_writer_pretty(&mut out, &doc).map_err(|e| e.to_string())?;
                        writeln!(out).map_err(|e| e.to_string())?;
                    }
                    Format::Html => {
                        let title = args
                            .input
                            .as_ref()
                            .and_then(|p| p.file_name())
                            .map(|n| n.to_string_lossy().into_owned())
                            .unwrap_or_else(|| "standard input".into());
                        out.write_all(newsie::html::render(&text, &doc, &title, ex.rules()).as_bytes())
                            .map_err(|e| e.to_string())?;
                    }
                    _ => print_text(&mut out, &doc).map_err(|e| e.to_string())?,
                }
                out.flush().map_err(|e| e.to_string())?;
            }
        }
        Ok(())
    })();
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("extract: {e}");
            ExitCode::FAILURE
        }
    }
}
