//! Answers one HTTP request from the in-memory site. A request path is only
//! ever used as a key into the map of rendered files, never to build a
//! filesystem path, so it cannot reach anything outside the output.

use std::fs::File;
use std::path::Path;
use std::sync::Arc;

use super::server::Request;
use super::{Snapshot, State};
use crate::markdown::escape_html;
use crate::render::Content;

/// Where the browser listens for reload and error events.
pub const EVENTS_PATH: &str = "/__kpsite/events";
/// Build state as JSON, for scripts and tests.
pub const STATUS_PATH: &str = "/__kpsite/status";

/// Style of the error overlay, shared by the server-side and the script version.
const OVERLAY_STYLE: &str = "position:fixed;left:0;right:0;bottom:0;max-height:60vh;overflow:auto;margin:0;padding:1em 1.2em;background:#2b0a0a;color:#ffd7d7;border-top:4px solid #e11d48;font:13px/1.5 ui-monospace,monospace;white-space:pre-wrap;z-index:2147483647";

/// An answer, written by [`super::server::write_response`].
pub struct Response {
    /// HTTP status code.
    pub status: u16,
    /// Headers besides Content-Length and Connection.
    pub headers: Vec<(&'static str, String)>,
    /// What follows the head.
    pub body: Body,
}

impl Response {
    fn with(mut self, name: &'static str, value: impl Into<String>) -> Response {
        self.headers.push((name, value.into()));
        self
    }
}

/// A response body.
pub enum Body {
    /// Bytes made for this response.
    Bytes(Vec<u8>),
    /// A rendered file of the site, shared with the snapshot.
    Shared(Arc<Content>),
    /// A copied static file and its length.
    File(File, u64),
}

impl Body {
    /// Length in bytes, for Content-Length.
    pub fn len(&self) -> u64 {
        match self {
            Body::Bytes(b) => b.len() as u64,
            Body::Shared(c) => bytes_of(c).len() as u64,
            Body::File(_, n) => *n,
        }
    }
}

/// Whether a request target names the live-reload event stream.
pub fn is_events(target: &str) -> bool {
    target.split('?').next() == Some(EVENTS_PATH)
}

/// Answers `req` (its head already checked by the server) from the
/// current snapshot.
pub fn respond(req: &Request, state: &State) -> Response {
    if !matches!(req.method.as_str(), "GET" | "HEAD") {
        return text(405, "method not allowed\n").with("Allow", "GET, HEAD");
    }
    let (path, query) = match req.target.split_once('?') {
        Some((p, q)) => (p, Some(q)),
        None => (req.target.as_str(), None),
    };
    let snapshot = state.snapshot();
    if path == STATUS_PATH {
        let body = serde_json::json!({
            "build": snapshot.build,
            "ok": snapshot.error.is_none(),
            "error": snapshot.error.as_deref(),
        });
        return Response {
            status: 200,
            headers: vec![
                ("Content-Type", "application/json".into()),
                ("Cache-Control", "no-store".into()),
            ],
            body: Body::Bytes(body.to_string().into_bytes()),
        };
    }
    match lookup(path) {
        Lookup::Bad => text(400, "bad request path\n"),
        Lookup::Key(key) => respond_key(&snapshot, state, &key, path, query),
    }
}

fn respond_key(
    snapshot: &Snapshot,
    state: &State,
    key: &str,
    path: &str,
    query: Option<&str>,
) -> Response {
    if let Some(content) = snapshot.files.get(key) {
        return serve_content(content, key, 200, snapshot, state)
            .unwrap_or_else(|| not_found(snapshot, state));
    }
    // `/courses/x` → `/courses/x/`, the way static hosts do it.
    let dir_index = format!("{key}/index.html");
    if !key.is_empty() && !key.ends_with("index.html") && snapshot.files.contains_key(&dir_index) {
        let location = match query {
            Some(q) => format!("{path}/?{q}"),
            None => format!("{path}/"),
        };
        return text(301, "moved\n").with("Location", location);
    }
    not_found(snapshot, state)
}

fn serve_content(
    content: &Arc<Content>,
    key: &str,
    status: u16,
    snapshot: &Snapshot,
    state: &State,
) -> Option<Response> {
    let mime = content_type(key);
    let body = match &**content {
        Content::Bytes(bytes) if mime.starts_with("text/html") => {
            Body::Bytes(inject(bytes, snapshot.error.as_deref()))
        }
        Content::Bytes(_) => Body::Shared(content.clone()),
        Content::Copy(source) => {
            let (file, len) = open_inside(source, &state.root)?;
            Body::File(file, len)
        }
    };
    Some(Response {
        status,
        headers: vec![
            ("Content-Type", mime.into()),
            ("Cache-Control", "no-store".into()),
            ("X-Content-Type-Options", "nosniff".into()),
        ],
        body,
    })
}

/// Opens a copied file only when it really lies inside the site folder:
/// a symlink in `static/` pointing elsewhere is refused.
fn open_inside(source: &Path, root: &Path) -> Option<(File, u64)> {
    let real = source.canonicalize().ok()?;
    if !real.starts_with(root) {
        eprintln!(
            "warning: {}: points outside the site folder; serve does not show it",
            source.display()
        );
        return None;
    }
    let file = File::open(&real).ok()?;
    let meta = file.metadata().ok()?;
    meta.is_file().then_some((file, meta.len()))
}

fn not_found(snapshot: &Snapshot, state: &State) -> Response {
    snapshot
        .files
        .get("404.html")
        .and_then(|c| serve_content(c, "404.html", 404, snapshot, state))
        .unwrap_or_else(|| Response {
            status: 404,
            headers: vec![("Content-Type", "text/html; charset=utf-8".into())],
            body: Body::Bytes(inject(
                b"<!DOCTYPE html><title>Not found</title><body><h1>Not found</h1></body>",
                snapshot.error.as_deref(),
            )),
        })
}

/// The bytes of generated content; empty for a copied file.
pub fn bytes_of(c: &Content) -> &[u8] {
    match c {
        Content::Bytes(b) => b,
        Content::Copy(_) => &[],
    }
}

/// A plain-text answer.
pub fn text(status: u16, body: &str) -> Response {
    Response {
        status,
        headers: vec![("Content-Type", "text/plain; charset=utf-8".into())],
        body: Body::Bytes(body.as_bytes().to_vec()),
    }
}

/// What a request path names.
#[derive(Debug, PartialEq, Eq)]
pub enum Lookup {
    /// A key of the output map (`courses/x/index.html`, `style.css`).
    Key(String),
    /// A path no output file can have: refused outright.
    Bad,
}

/// Turns a request path into an output key: percent-decoded, then refused
/// if any segment is `.` or `..`, empty (`//`), or holds a backslash, a NUL
/// or a control character. A path ending in `/` names its `index.html`.
pub fn lookup(path: &str) -> Lookup {
    let Some(rest) = path.strip_prefix('/') else {
        return Lookup::Bad;
    };
    let Some(decoded) = crate::util::percent_decode(rest) else {
        return Lookup::Bad;
    };
    if decoded.is_empty() {
        return Lookup::Key("index.html".into());
    }
    let (body, is_dir) = match decoded.strip_suffix('/') {
        Some(b) => (b, true),
        None => (decoded.as_str(), false),
    };
    for seg in body.split('/') {
        let bad_char = seg.chars().any(|c| c == '\\' || c.is_control());
        if seg.is_empty() || seg == "." || seg == ".." || bad_char {
            return Lookup::Bad;
        }
    }
    Lookup::Key(if is_dir {
        format!("{body}/index.html")
    } else {
        body.to_string()
    })
}

/// Content-Type by extension, with a charset for text.
pub fn content_type(key: &str) -> &'static str {
    let ext = key.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    match ext.to_ascii_lowercase().as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "xml" => "application/xml; charset=utf-8",
        "txt" => "text/plain; charset=utf-8",
        "md" => "text/markdown; charset=utf-8",
        "ics" => "text/calendar; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff" => "font/woff",
        "woff2" => "font/woff2",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "pdf" => "application/pdf",
        "wasm" => "application/wasm",
        "mp4" => "video/mp4",
        "webm" => "video/webm",
        "mp3" => "audio/mpeg",
        "zip" => "application/zip",
        _ => "application/octet-stream",
    }
}

/// The page with the live-reload script (and the current error, if any)
/// inserted before `</body>`. Only `serve` does this; `build` never does.
pub fn inject(html: &[u8], error: Option<&str>) -> Vec<u8> {
    let mut snippet = String::new();
    if let Some(e) = error {
        snippet.push_str(&format!(
            "<pre id=\"kpsite-error\" style=\"{OVERLAY_STYLE}\">{}</pre>",
            escape_html(e)
        ));
    }
    snippet.push_str(&format!(
        "<script>(()=>{{const s=new EventSource(\"{EVENTS_PATH}\");\
s.addEventListener(\"reload\",()=>location.reload());\
s.addEventListener(\"failed\",m=>{{let d=document.getElementById(\"kpsite-error\");\
if(!d){{d=document.createElement(\"pre\");d.id=\"kpsite-error\";d.setAttribute(\"style\",\"{OVERLAY_STYLE}\");document.body.append(d)}}\
d.textContent=m.data}})}})()</script>"
    ));
    let at = rfind_ascii_ci(html, b"</body>").unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + snippet.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(snippet.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn rfind_ascii_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    (0..=hay.len().checked_sub(needle.len())?)
        .rev()
        .find(|&i| hay[i..i + needle.len()].eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(s: &str) -> Lookup {
        Lookup::Key(s.into())
    }

    #[test]
    fn maps_paths_to_keys() {
        assert_eq!(lookup("/"), key("index.html"));
        assert_eq!(lookup("/courses/x/"), key("courses/x/index.html"));
        assert_eq!(lookup("/style.css"), key("style.css"));
        assert_eq!(lookup("/%E5%85%B3%E4%BA%8E/"), key("关于/index.html"));
        assert_eq!(lookup("/etc/passwd"), key("etc/passwd"));
        // A malformed escape stays as written, as the link checker reads it.
        assert_eq!(lookup("/100%"), key("100%"));
        assert_eq!(lookup("/%zz/"), key("%zz/index.html"));
    }

    #[test]
    fn refuses_traversal() {
        for p in [
            "/../etc/passwd",
            "/a/../../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/%2e%2e%2fetc%2fpasswd",
            "/..%2f..%2fetc/passwd",
            "/%2E%2E%5Cwindows",
            "/..\\..\\windows",
            "/a%5c..%5cb",
            "/a%00.html",
            "//etc/passwd",
            "/./index.html",
            "/%ff",
            "etc/passwd",
            "C:\\Windows",
        ] {
            assert_eq!(lookup(p), Lookup::Bad, "{p}");
        }
    }

    #[test]
    fn injects_before_body_end() {
        let out = String::from_utf8(inject(b"<html><body><p>x</p></BODY></html>", None)).unwrap();
        assert!(out.contains("<p>x</p><script>"), "{out}");
        assert!(out.ends_with("</script></BODY></html>"), "{out}");
        let err = String::from_utf8(inject(b"<p>x", Some("manifest.yaml:3:1: <bad>"))).unwrap();
        assert!(err.contains("manifest.yaml:3:1: &lt;bad&gt;"), "{err}");
    }

    #[test]
    fn content_types_carry_charset() {
        assert_eq!(content_type("a/index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("calendar.ics"), "text/calendar; charset=utf-8");
        assert_eq!(content_type("x.PNG"), "image/png");
        assert_eq!(content_type("noext"), "application/octet-stream");
    }
}
