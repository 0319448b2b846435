//! Bad and unusual input: never a panic, always a clear error or a defined result.
//! These use the tiny random model of the parity fixture, so they are fast and
//! check invariants (offsets, no truncation, errors), not entity quality.

mod common;

use common::{check_offsets, example_bin, tiny_model};
use newsie::{Error, Extractor};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

fn tiny() -> Extractor {
    Extractor::builder().model(tiny_model().to_str().unwrap()).build().unwrap()
}

/// An engine that calls every real token the first word of a person (class 1
/// of the fixture's labels is `B-PER`): every word becomes an entity, so a
/// word missing from the output is a word the pipeline never ran.
#[derive(Debug)]
struct EveryWordAPerson;

impl newsie::Backend for EveryWordAPerson {
    fn forward(&self, input: &newsie::model::ModelInput<'_>) -> newsie::Result<ndarray::Array3<f32>> {
        let mut out = ndarray::Array3::zeros((input.batch, input.seq_len, 9));
        for (i, &m) in input.attention_mask.iter().enumerate() {
            if m != 0 {
                out[[i / input.seq_len, i % input.seq_len, 1]] = 10.0;
            }
        }
        Ok(out)
    }
    fn name(&self) -> &'static str {
        "every-word-a-person"
    }
}

#[test]
fn empty_and_whitespace_give_empty_documents() {
    let ex = tiny();
    for t in ["", " ", "\n\n\t  \r\n", "\u{00a0}\u{2003}"] {
        let d = ex.extract(t).unwrap();
        assert!(d.entities.is_empty() && d.relations.is_empty(), "{t:?}");
    }
    assert!(ex.extract_batch::<&str>(&[]).unwrap().is_empty());
}

#[test]
fn control_characters_emoji_and_other_scripts() {
    let ex = tiny();
    let texts = [
        "Zoë Müller-Lüdenscheidt visited São Paulo 🎉 today",
        "\u{0}\u{1}\u{7f}Kerry\u{1b}[31m met\u{0} Lavrov\u{200b} in Rome.\u{feff}",
        "Владимир Путин встретился с Си Цзиньпином в Москве. 习近平会见了普京。",
        "🇺🇦🇷🇺👨‍👩‍👧 ‼️ ⁉️",
        "a\u{301}e\u{301}i\u{301} combining marks and \u{202e}bidi override",
        "...!!!???,,,;;;",
    ];
    for t in texts {
        let d = ex.extract(t).unwrap();
        check_offsets(t, &d);
    }
}

#[test]
fn a_megabyte_is_windowed_not_truncated() {
    let ex = Extractor::builder()
        .model(tiny_model().to_str().unwrap())
        .engine(std::sync::Arc::new(EveryWordAPerson))
        .relations(false)
        .build()
        .unwrap();
    let sentence = "Secretary of State John Kerry met Russian Foreign Minister Sergei Lavrov in Rome on Thursday. ";
    let text = sentence.repeat(1_000_000 / sentence.len() + 1);
    assert!(text.len() >= 1_000_000);
    let d = ex.extract(&text).unwrap();
    check_offsets(&text, &d);
    // Every capitalised word is an entity (the full stops are not: punctuation
    // never is; nor are lower-case words in a cased sentence), so the count
    // shows that every window ran and was stitched back.
    let capitalised = |t: &str| t.split_whitespace().filter(|w| w.chars().any(char::is_uppercase)).count();
    assert_eq!(d.entities.len(), capitalised(&text), "one entity per capitalised word");
    assert_eq!(d.entities.last().map(|e| e.text.as_str()), Some("Thursday"));
    // Longer than a block (1 MiB): run block by block, nothing lost, ids
    // shared across blocks, char offsets right after the first block.
    let long = sentence.repeat(2_600_000 / sentence.len());
    assert!(long.len() > 2 * newsie::pipeline::BLOCK_BYTES);
    let d = ex.extract(&long).unwrap();
    check_offsets(&long, &d);
    assert_eq!(d.entities.len(), capitalised(&long), "one entity per capitalised word");
    let kerry: std::collections::HashSet<usize> =
        d.entities.iter().filter(|e| e.text == "Kerry").map(|e| e.entity_id).collect();
    assert_eq!(kerry.len(), 1, "one id for Kerry across blocks");
    // One huge "sentence" with no punctuation is cut into overlapping windows.
    let run_on = "word ".repeat(200_000);
    let d = ex.extract(&run_on).unwrap();
    check_offsets(&run_on, &d);
    assert_eq!(d.entities.len(), 200_000);
}

#[test]
fn batch_equals_one_by_one_and_threads_agree() {
    let ex = std::sync::Arc::new(tiny());
    let texts: Vec<String> = (0..12)
        .map(|i| {
            format!(
                "Text {i}: Kerry met Lavrov in Rome. {} Canada sanctioned Russia.",
                "More words here. ".repeat(i * 3)
            )
        })
        .collect();
    let batch = ex.extract_batch(&texts).unwrap();
    for (t, d) in texts.iter().zip(&batch) {
        assert_close(&ex.extract(t).unwrap(), d);
    }
    let handles: Vec<_> = (0..4)
        .map(|k| {
            let ex = ex.clone();
            let texts = texts.clone();
            std::thread::spawn(move || ex.extract(&texts[k * 3]).unwrap())
        })
        .collect();
    for (k, h) in handles.into_iter().enumerate() {
        assert_close(&h.join().unwrap(), &batch[k * 3]);
    }
    let one_thread =
        Extractor::builder().model(tiny_model().to_str().unwrap()).threads(1).batch_size(3).build().unwrap();
    for (a, b) in one_thread.extract_batch(&texts).unwrap().iter().zip(&batch) {
        assert_close(a, b);
    }
}

/// Batch shape and thread count change float summation order (1e-6), and the
/// random model's label probabilities are nearly uniform, so a rare near-tie may
/// flip. Require the same spans for nearly all entities and close scores.
fn assert_close(a: &newsie::Document, b: &newsie::Document) {
    let same = a
        .entities
        .iter()
        .filter(|x| b.entities.iter().any(|y| y.start == x.start && y.end == x.end && y.label == x.label))
        .count();
    let n = a.entities.len().max(b.entities.len());
    assert!(same * 100 >= n * 95, "only {same} of {n} entities agree");
    for x in &a.entities {
        if let Some(y) = b.entities.iter().find(|y| y.start == x.start && y.end == x.end && y.label == x.label) {
            assert!((x.score - y.score).abs() < 1e-3, "{x:?} vs {y:?}");
        }
    }
}

fn copy_fixture(to: &Path) {
    for f in ["config.json", "tokenizer.json", "vocab.txt", "model.safetensors"] {
        std::fs::copy(tiny_model().join(f), to.join(f)).unwrap();
    }
}

fn build_err(dir: &Path) -> Error {
    Extractor::builder().model(dir.to_str().unwrap()).build().unwrap_err()
}

#[test]
fn missing_files_are_named() {
    for (missing, expect) in [("config.json", "config.json"), ("model.safetensors", "model.safetensors")] {
        let d = tempfile::tempdir().unwrap();
        copy_fixture(d.path());
        std::fs::remove_file(d.path().join(missing)).unwrap();
        let e = build_err(d.path());
        assert!(matches!(e, Error::MissingFile { .. }), "{e:?}");
        assert!(e.to_string().contains(expect), "{e}");
    }
    // No tokenizer.json: falls back to vocab.txt; neither: an error naming tokenizer.json.
    let d = tempfile::tempdir().unwrap();
    copy_fixture(d.path());
    std::fs::remove_file(d.path().join("tokenizer.json")).unwrap();
    let ex = Extractor::builder().model(d.path().to_str().unwrap()).build().unwrap();
    let text = "U.S. Secretary of State John Kerry met Sergei Lavrov in Rome.";
    assert_eq!(ex.extract(text).unwrap(), tiny().extract(text).unwrap(), "vocab.txt fallback tokenizes the same");
    std::fs::remove_file(d.path().join("vocab.txt")).unwrap();
    let e = build_err(d.path());
    assert!(e.to_string().contains("tokenizer.json"), "{e}");
    // Not a folder, not a registered name.
    let e = Extractor::builder().model("/no/such/model").build().unwrap_err();
    assert!(matches!(e, Error::Registry(_)) && e.to_string().contains("/no/such/model"), "{e}");
}

#[test]
fn corrupt_files_are_named() {
    let cases: [(&str, &[u8], &str); 5] = [
        ("model.safetensors", b"this is not a safetensors file at all", "model.safetensors"),
        ("model.safetensors", &[0u8; 7], "model.safetensors"),
        ("config.json", b"{ not json", "config.json"),
        (
            "config.json",
            br#"{"architectures": ["GPT2LMHeadModel"], "model_type": "gpt2", "id2label": {"0": "O"}}"#,
            "unsupported architecture",
        ),
        ("tokenizer.json", b"{\"broken\": true}", "tokenizer.json"),
    ];
    for (file, bytes, expect) in cases {
        let d = tempfile::tempdir().unwrap();
        copy_fixture(d.path());
        std::fs::write(d.path().join(file), bytes).unwrap();
        let e = build_err(d.path());
        assert!(matches!(e, Error::InvalidModel { .. }), "{file}: {e:?}");
        assert!(e.to_string().contains(expect), "{file}: {e}");
    }
    // Truncated weights.
    let d = tempfile::tempdir().unwrap();
    copy_fixture(d.path());
    let w = std::fs::read(tiny_model().join("model.safetensors")).unwrap();
    std::fs::write(d.path().join("model.safetensors"), &w[..w.len() / 2]).unwrap();
    let e = build_err(d.path());
    assert!(e.to_string().contains("model.safetensors"), "{e}");
}

#[test]
fn unknown_label_scheme_is_an_error() {
    let d = tempfile::tempdir().unwrap();
    copy_fixture(d.path());
    let cfg = std::fs::read_to_string(d.path().join("config.json")).unwrap();
    std::fs::write(d.path().join("config.json"), cfg.replace("\"B-PER\"", "\"X-PER\"")).unwrap();
    let e = build_err(d.path());
    assert!(e.to_string().contains("unknown label scheme") && e.to_string().contains("X-PER"), "{e}");
    // An unknown casing scheme is refused rather than guessed.
    std::fs::write(d.path().join("config.json"), cfg.replace("alnum_run_v1", "alnum_run_v9")).unwrap();
    assert!(build_err(d.path()).to_string().contains("alnum_run_v9"));
}

#[test]
fn bad_settings_are_errors() {
    let m = tiny_model();
    let m = m.to_str().unwrap();
    assert!(matches!(Extractor::builder().model(m).batch_size(0).build(), Err(Error::Config(_))));
    assert!(matches!(Extractor::builder().model(m).threads(0).build(), Err(Error::Config(_))));
    assert!(matches!(Extractor::builder().model(m).window_tokens(3).build(), Err(Error::Config(_))));
    assert!(matches!(
        Extractor::builder().model(m).window_tokens(40).overlap_tokens(30).build(),
        Err(Error::Config(_))
    ));
}

fn run_extract(args: &[&str], stdin: &[u8]) -> (i32, String, String) {
    let mut child = Command::new(example_bin("extract"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the extract example is built by `cargo test`");
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn extract_rejects_invalid_utf8_clearly() {
    let m = tiny_model();
    let m = m.to_str().unwrap();
    let (code, out, err) = run_extract(&["--model", m, "--format", "json"], b"Kerry met \xff\xfe Lavrov");
    assert_eq!(code, 1, "{err}");
    assert!(out.is_empty());
    assert!(err.contains("not valid UTF-8") && err.contains("offset 10"), "{err}");
    // Bad arguments: exit 2 with usage.
    let (code, _, err) = run_extract(&["--format", "xml"], b"");
    assert_eq!(code, 2);
    assert!(err.contains("unknown format"), "{err}");
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let bad = std::ffi::OsStr::from_bytes(b"--model\xff");
        let out = Command::new(example_bin("extract")).arg(bad).output().unwrap();
        assert_eq!(out.status.code(), Some(1), "a non-UTF-8 argument is taken as a file name and fails to open");
        assert!(String::from_utf8_lossy(&out.stderr).contains("cannot open"));
    }
}

#[test]
fn extract_jsonl_keeps_order_ids_and_goes_on_after_bad_lines() {
    let m = tiny_model();
    let m = m.to_str().unwrap();
    let mut input = Vec::new();
    input.extend_from_slice(b"{\"id\": \"a\", \"text\": \"Kerry met Lavrov in Rome.\"}\n");
    input.extend_from_slice(b"not json\n");
    input.extend_from_slice(b"{\"id\": 7, \"text\": \"\"}\n");
    input.extend_from_slice(b"\n");
    input.extend_from_slice(b"{\"id\": \"bad-utf8\", \"text\": \"\xff\"}\n");
    input.extend_from_slice(b"{\"id\": \"no-text\"}\n");
    for i in 0..100 {
        input.extend_from_slice(
            format!("{{\"id\": \"n{i}\", \"text\": \"Canada sanctioned Russia {i} times.\"}}\n").as_bytes(),
        );
    }
    let (code, out, err) = run_extract(&["--model", m, "--format", "jsonl", "--quiet"], &input);
    assert_eq!(code, 0, "{err}");
    let lines: Vec<serde_json::Value> = out.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 105, "one output line per non-blank input line");
    assert_eq!(lines[0]["id"], "a");
    assert!(lines[0]["entities"].is_array() && lines[0]["relations"].is_array());
    assert!(lines[1]["error"].as_str().unwrap().contains("not JSON"));
    assert_eq!(lines[1]["id"], "line 2");
    assert_eq!(lines[2]["id"], 7);
    assert_eq!(lines[2]["entities"].as_array().unwrap().len(), 0);
    assert!(lines[3]["error"].as_str().unwrap().contains("UTF-8"));
    assert!(lines[4]["error"].as_str().unwrap().contains("text"));
    for i in 0..100 {
        assert_eq!(lines[5 + i]["id"], format!("n{i}"));
    }
    assert!(err.contains("not JSON"), "bad lines are also reported on stderr: {err}");
}

#[test]
fn extract_jsonl_gives_an_over_long_line_its_own_error() {
    let m = tiny_model();
    let m = m.to_str().unwrap();
    let long = format!("{{\"id\": \"long\", \"text\": \"{}\"}}\n", "Kerry met Lavrov. ".repeat(200));
    let input =
        format!("{{\"id\": \"a\", \"text\": \"Kerry met Lavrov.\"}}\n{long}{{\"id\": \"b\", \"text\": \"Rome.\"}}");
    let (code, out, err) =
        run_extract(&["--model", m, "--format", "jsonl", "--quiet", "--max-line-bytes", "1000"], input.as_bytes());
    assert_eq!(code, 0, "{err}");
    let lines: Vec<serde_json::Value> = out.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 3);
    assert_eq!((lines[0]["id"].as_str(), lines[2]["id"].as_str()), (Some("a"), Some("b")));
    assert!(lines[0]["entities"].is_array() && lines[2]["entities"].is_array());
    let msg = lines[1]["error"].as_str().unwrap();
    assert!(msg.contains("line 2") && msg.contains("--max-line-bytes 1000"), "{msg}");
    // The same input without the limit: three documents.
    let (_, out, _) = run_extract(&["--model", m, "--format", "jsonl", "--quiet"], input.as_bytes());
    assert!(out.lines().all(|l| !l.contains("\"error\"")), "{out}");
}
