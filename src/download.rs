//! Fetching hub models into the user cache (feature `download`).
//!
//! Files are fetched from `{endpoint}/{repo}/resolve/{revision}/{file}`, the
//! layout the Hugging Face hub serves (redirects to its file store are
//! followed). The endpoint is `$HF_ENDPOINT`, or `https://huggingface.co`.
//! Each file is written to a temporary name and renamed when complete; the
//! folder gets a `.complete` marker when every file is in, so an interrupted
//! download is resumed from scratch, never used half-done.

use std::io::{Read, Write};
use std::path::Path;

use crate::error::{Error, Result};

/// The hub endpoint: `$HF_ENDPOINT` or `https://huggingface.co`.
pub fn endpoint() -> String {
    std::env::var("HF_ENDPOINT").unwrap_or_else(|_| "https://huggingface.co".to_string())
}

/// Downloads `files` of `repo` at `revision` into `dir`. An entry `a|b` is a
/// group of alternatives: the first that exists is fetched, and at least one
/// must. A progress bar (bytes, rate, ETA) is drawn on stderr when it
/// is a terminal; each finished file is reported there in one line.
///
/// # Errors
/// [`Error::Download`] if a required file cannot be fetched, [`Error::Io`] if
/// the cache folder cannot be written.
pub fn fetch(endpoint: &str, repo: &str, revision: &str, files: &[String], dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir).map_err(|e| Error::Io { path: dir.into(), source: e })?;
    let agent: ureq::Agent = ureq::Agent::config_builder().http_status_as_error(false).build().into();
    for group in files {
        let mut last_err = None;
        let mut got = false;
        for file in group.split('|') {
            let url = format!("{}/{}/resolve/{}/{}", endpoint.trim_end_matches('/'), repo, revision, file);
            match fetch_one(&agent, &url, &dir.join(file)) {
                Ok(true) => {
                    got = true;
                    break;
                }
                Ok(false) => last_err = Some(Error::Download { url, message: "not found (404)".into() }),
                Err(e) => {
                    last_err = Some(e);
                    break;
                }
            }
        }
        if !got {
            return Err(last_err.unwrap_or_else(|| Error::Download { url: group.clone(), message: "no file".into() }));
        }
    }
    let marker = dir.join(".complete");
    std::fs::write(&marker, b"").map_err(|e| Error::Io { path: marker, source: e })?;
    Ok(())
}

/// A byte progress bar on stderr (bytes, rate, ETA); drawn only when stderr
/// is a terminal, so logs and pipes stay clean.
fn progress_bar(total: Option<u64>, name: &str) -> indicatif::ProgressBar {
    use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
    let bar = ProgressBar::with_draw_target(total, ProgressDrawTarget::stderr());
    let template = if total.is_some() {
        "newsie: {msg} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} ETA {eta}"
    } else {
        "newsie: {msg} {spinner} {bytes} {bytes_per_sec}"
    };
    if let Ok(style) = ProgressStyle::with_template(template) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message(name.to_string());
    bar
}

/// Ok(false) on 404.
fn fetch_one(agent: &ureq::Agent, url: &str, dest: &Path) -> Result<bool> {
    let err = |m: String| Error::Download { url: url.to_string(), message: m };
    let resp = agent.get(url).call().map_err(|e| err(e.to_string()))?;
    let status = resp.status().as_u16();
    if status == 404 {
        return Ok(false);
    }
    if status != 200 {
        return Err(err(format!("HTTP status {status}")));
    }
    let total: Option<u64> =
        resp.headers().get("content-length").and_then(|v| v.to_str().ok()).and_then(|v| v.parse().ok());
    let tmp = dest.with_extension("part");
    let mut out = std::fs::File::create(&tmp).map_err(|e| Error::Io { path: tmp.clone(), source: e })?;
    let mut body = resp.into_body().into_with_config().limit(u64::MAX).reader();
    let mut buf = vec![0u8; 1 << 16];
    let mut done = 0u64;
    let name = dest.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let bar = progress_bar(total, &name);
    loop {
        let n = body.read(&mut buf).map_err(|e| err(format!("reading body: {e}")))?;
        if n == 0 {
            break;
        }
        out.write_all(&buf[..n]).map_err(|e| Error::Io { path: tmp.clone(), source: e })?;
        done += n as u64;
        bar.set_position(done);
    }
    bar.finish_and_clear();
    if let Some(t) = total {
        if t != done {
            return Err(err(format!("truncated: got {done} of {t} bytes")));
        }
    }
    out.sync_all().map_err(|e| Error::Io { path: tmp.clone(), source: e })?;
    std::fs::rename(&tmp, dest).map_err(|e| Error::Io { path: dest.into(), source: e })?;
    eprintln!("newsie: fetched {name} ({done} bytes)");
    Ok(true)
}
