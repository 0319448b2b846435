//! The `download` feature against a local HTTP server that serves the tiny
//! fixture model the way the Hugging Face hub does: files under
//! `/{repo}/resolve/{revision}/{file}`, large files answered with a redirect to
//! a file store, 404 for files the repo does not have.
#![cfg(feature = "download")]

mod common;

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use newsie::{Error, Extractor};

/// Serves `tests/fixtures/tiny-bert` as repos `newsie/tiny` and `newsie/tiny2` at revision `r1`.
/// `/newsie/short/...` answers with a Content-Length larger than the body.
fn serve() -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = format!("http://{}", listener.local_addr().unwrap());
    let hits = Arc::new(AtomicUsize::new(0));
    let h = hits.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            h.fetch_add(1, Ordering::SeqCst);
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request = String::new();
            if reader.read_line(&mut request).is_err() {
                continue;
            }
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
            }
            let path = request.split_whitespace().nth(1).unwrap_or("/").to_string();
            let respond = |stream: &mut std::net::TcpStream, status: &str, headers: &str, body: &[u8]| {
                let _ = write!(
                    stream,
                    "HTTP/1.1 {status}\r\nConnection: close\r\n{headers}Content-Length: {}\r\n\r\n",
                    body.len()
                );
                let _ = stream.write_all(body);
            };
            let file_of = |p: &str| common::tiny_model().join(p);
            let tiny = path
                .strip_prefix("/newsie/tiny/resolve/r1/")
                .or_else(|| path.strip_prefix("/newsie/tiny2/resolve/r1/"));
            if let Some(file) = tiny {
                if file == "model.safetensors" {
                    // Large files: the hub redirects to its file store.
                    respond(&mut stream, "302 Found", "Location: /store/abcdef\r\n", b"");
                } else if file_of(file).is_file() && !file.contains("..") {
                    respond(&mut stream, "200 OK", "", &std::fs::read(file_of(file)).unwrap());
                } else {
                    respond(&mut stream, "404 Not Found", "", b"Entry not found");
                }
            } else if path == "/store/abcdef" {
                respond(&mut stream, "200 OK", "", &std::fs::read(file_of("model.safetensors")).unwrap());
            } else if path.starts_with("/newsie/short/resolve/r1/") {
                let _ = write!(stream, "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 1000\r\n\r\nonly this");
            } else {
                respond(&mut stream, "404 Not Found", "", b"Repository not found");
            }
        }
    });
    (addr, hits)
}

fn registry(dir: &std::path::Path) -> std::path::PathBuf {
    let p = dir.join("models.toml");
    std::fs::write(
        &p,
        r#"
[[model]]
name = "local"
default = true
path = "nowhere"
scheme = "BIO"
license = "MIT"
size_mb = 0.1

[[model]]
name = "newsie/tiny"
hub = "newsie/tiny"
revision = "r1"
files = ["config.json", "model.safetensors", "tokenizer.json|vocab.txt", "no-such-file.json|vocab.txt"]
scheme = "BIO"
license = "MIT"
size_mb = 0.1

[[model]]
name = "newsie/missing"
hub = "newsie/tiny2"
revision = "r1"
files = ["config.json", "weights.bin"]
scheme = "BIO"
license = "MIT"
size_mb = 0.1

[[model]]
name = "newsie/short"
hub = "newsie/short"
revision = "r1"
files = ["config.json"]
scheme = "BIO"
license = "MIT"
size_mb = 0.1
"#,
    )
    .unwrap();
    p
}

#[test]
fn downloads_into_the_cache_once_and_reports_failures() {
    let (endpoint, hits) = serve();
    let cache = tempfile::tempdir().unwrap();
    // The only test in this binary, so setting the process environment is safe.
    std::env::set_var("HF_ENDPOINT", &endpoint);
    std::env::set_var("NEWSIE_CACHE", cache.path());
    let reg = registry(cache.path());

    let ex = Extractor::builder().registry(&reg).model("newsie/tiny").build().unwrap();
    let dir = cache.path().join("newsie--tiny").join("r1");
    assert_eq!(ex.model_dir(), dir);
    for f in ["config.json", "model.safetensors", "tokenizer.json", "vocab.txt", ".complete"] {
        assert!(dir.join(f).is_file(), "{f} missing from the cache");
    }
    assert!(!dir.join("no-such-file.json").exists());
    assert_eq!(
        std::fs::read(dir.join("model.safetensors")).unwrap(),
        std::fs::read(common::tiny_model().join("model.safetensors")).unwrap()
    );
    // Same results as loading the folder directly.
    let direct = Extractor::builder().model(common::tiny_model().to_str().unwrap()).build().unwrap();
    let t = "Kerry met Lavrov in Rome.";
    assert_eq!(ex.extract(t).unwrap(), direct.extract(t).unwrap());

    // A second build uses the cache: no request.
    let before = hits.load(Ordering::SeqCst);
    Extractor::builder().registry(&reg).model("newsie/tiny").build().unwrap();
    assert_eq!(hits.load(Ordering::SeqCst), before);

    // A required file the repo lacks: a download error naming it, and no
    // `.complete` marker, so nothing half-done is used later.
    let e = Extractor::builder().registry(&reg).model("newsie/missing").build().unwrap_err();
    assert!(matches!(e, Error::Download { .. }) && e.to_string().contains("weights.bin"), "{e}");

    // A body shorter than its Content-Length is an error, not a truncated file.
    let e = Extractor::builder().registry(&reg).model("newsie/short").build().unwrap_err();
    assert!(matches!(e, Error::Download { .. }), "{e:?}");
    assert!(!cache.path().join("newsie--short/r1/config.json").exists());
    assert!(!cache.path().join("newsie--short/r1/.complete").exists());
}
