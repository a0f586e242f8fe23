//! The HTTP/1.1 server of `kpsite serve`: plain `std::net` with every limit
//! explicit, because a preview server on a seller's laptop must survive
//! whatever a browser, a script or a page on another site sends it.
//!
//! - at most [`MAX_CONNECTIONS`] connections, one thread each (the pool is
//!   bounded by that count); one more gets `503` and is closed;
//! - a request head must fit in [`MAX_HEAD`] bytes (`431`) and arrive
//!   within [`HEAD_TIMEOUT`] of its first byte (`408`); an idle kept-alive
//!   connection is closed after [`IDLE_TIMEOUT`];
//! - bodies are never read: serve answers GET and HEAD only. A request
//!   that announces a body larger than [`MAX_BODY`] gets `413`, one with a
//!   smaller body its answer and the connection is closed;
//! - the `Host` header must name this machine ([`Hosts`]): a page on
//!   another site that rebinds its DNS name to 127.0.0.1 gets `421`;
//! - running out of file handles makes `accept` fail: the loop waits and
//!   tries again, so serving resumes as soon as handles are free.
//!
//! Request heads are parsed by `httparse`; answers come from [`super::http`].

use std::io::{self, BufWriter, Read, Write};
use std::net::{IpAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use super::State;
use super::http::{self, Body, Response};

/// Most connections open at once, event streams included.
pub const MAX_CONNECTIONS: usize = 256;
/// Largest request head (request line and headers).
pub const MAX_HEAD: usize = 16 * 1024;
/// Most headers in one request.
const MAX_HEADERS: usize = 64;
/// Largest body a request may announce. Bodies are never read; a larger
/// announcement is refused outright.
pub const MAX_BODY: u64 = 64 * 1024;
/// Time for a whole request head to arrive, from its first byte.
pub const HEAD_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a kept-alive connection may wait for its next request.
pub const IDLE_TIMEOUT: Duration = Duration::from_secs(10);
/// How long one write to a client that does not read may block.
const WRITE_TIMEOUT: Duration = Duration::from_secs(30);
/// Stack of a connection thread: answering needs little.
const STACK_SIZE: usize = 256 * 1024;

/// The host names a request may carry: DNS rebinding makes a browser send
/// another site's name to this server, so only this machine's names pass.
#[derive(Debug, Clone)]
pub struct Hosts {
    bound: IpAddr,
}

impl Hosts {
    /// The names allowed for a server bound to `bound`.
    pub fn new(bound: IpAddr) -> Hosts {
        Hosts { bound }
    }

    /// Whether a `Host` header value names this server: `localhost`, a
    /// loopback address or the bound address, with any port (a forwarded
    /// port differs from ours, and rebinding is about names, not ports).
    /// Bound to all interfaces (`0.0.0.0`, `::`), any IP address passes, as
    /// other machines reach it by address; names other than `localhost`
    /// never do, since a name is what an attacker can rebind.
    pub fn allows(&self, host: &str) -> bool {
        let Some(name) = host_name(host) else {
            return false;
        };
        if name.eq_ignore_ascii_case("localhost") {
            return true;
        }
        let Ok(ip) = name.parse::<IpAddr>() else {
            return false;
        };
        self.bound.is_unspecified() || ip.is_loopback() || ip == self.bound
    }
}

/// The name part of a `Host` value: `a:80` → `a`, `[::1]:80` → `::1`.
fn host_name(host: &str) -> Option<&str> {
    let digits = |p: &str| p.is_empty() || p.bytes().all(|b| b.is_ascii_digit());
    if let Some(rest) = host.strip_prefix('[') {
        let (ip, after) = rest.split_once(']')?;
        let port_ok = after.is_empty() || after.strip_prefix(':').is_some_and(digits);
        return port_ok.then_some(ip);
    }
    let name = match host.rsplit_once(':') {
        Some((n, port)) if digits(port) => n,
        Some(_) => return None,
        None => host,
    };
    (!name.is_empty() && !name.contains(':')).then_some(name)
}

/// Accepts connections until the process ends. Never gives up: a failed
/// `accept` (out of file handles, a connection reset before it was taken)
/// is reported at most every few seconds and retried after a pause.
pub fn accept_loop(listener: TcpListener, state: Arc<State>, hosts: Hosts) {
    let active = Arc::new(AtomicUsize::new(0));
    let hosts = Arc::new(hosts);
    let mut last_warning: Option<Instant> = None;
    loop {
        match listener.accept() {
            Ok((stream, _)) => admit(stream, &active, &state, &hosts),
            Err(e) => {
                if last_warning.is_none_or(|t| t.elapsed() > Duration::from_secs(5)) {
                    eprintln!("warning: cannot accept a connection: {e}; retrying");
                    last_warning = Some(Instant::now());
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        }
    }
}

/// Releases a connection slot when its thread ends, even by a panic.
struct Slot(Arc<AtomicUsize>);

impl Drop for Slot {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

/// Gives `stream` a thread of its own, or `503` when all slots are taken.
fn admit(stream: TcpStream, active: &Arc<AtomicUsize>, state: &Arc<State>, hosts: &Arc<Hosts>) {
    if active.fetch_add(1, Ordering::AcqRel) >= MAX_CONNECTIONS {
        active.fetch_sub(1, Ordering::AcqRel);
        refuse(stream);
        return;
    }
    let slot = Slot(active.clone());
    let (state, hosts) = (state.clone(), hosts.clone());
    let spare = stream.try_clone();
    let spawned = std::thread::Builder::new()
        .name("kpsite-conn".into())
        .stack_size(STACK_SIZE)
        .spawn(move || {
            let _slot = slot;
            connection(stream, &state, &hosts);
        });
    if spawned.is_err()
        && let Ok(s) = spare
    {
        refuse(s);
    }
}

/// Answers `503` on a connection there is no room for, without reading it.
fn refuse(stream: TcpStream) {
    let _ = stream.set_write_timeout(Some(Duration::from_secs(1)));
    let r = http::text(503, "too many connections; try again\n");
    let _ = write_response(&stream, r, false, true);
    let _ = stream.shutdown(std::net::Shutdown::Write);
}

/// Most bytes read and dropped after an answer that closes the connection.
const LINGER_BYTES: usize = 256 * 1024;

/// Ends a connection whose client may still be sending (a body, the rest
/// of a huge head): stops writing, then reads and drops a bounded amount
/// for a moment, so the answer is not lost to a TCP reset from closing
/// with unread data.
fn close_gently(mut stream: &TcpStream) {
    let _ = stream.shutdown(std::net::Shutdown::Write);
    let until = Instant::now() + Duration::from_secs(1);
    let mut sink = [0u8; 8192];
    let mut dropped = 0;
    while dropped < LINGER_BYTES {
        let left = until.saturating_duration_since(Instant::now());
        if left.is_zero() || stream.set_read_timeout(Some(left)).is_err() {
            return;
        }
        match stream.read(&mut sink) {
            Ok(0) | Err(_) => return,
            Ok(n) => dropped += n,
        }
    }
}

/// One parsed request head.
#[derive(Debug)]
pub struct Request {
    /// `GET`, `HEAD`, …
    pub method: String,
    /// The request target as sent (`/courses/x/?q=1`).
    pub target: String,
    /// Keep the connection open after answering.
    pub keep_alive: bool,
    /// The `Host` header, if any.
    host: Option<String>,
    /// HTTP/1.0 (no Host needed, no keep-alive).
    old: bool,
    /// What the request says about a body.
    body: BodyLength,
}

#[derive(Debug, PartialEq, Eq)]
enum BodyLength {
    None,
    Some(u64),
    /// `Transfer-Encoding` or conflicting lengths: unknown, the connection
    /// cannot be reused.
    Unknown,
}

/// Why no request could be read.
#[derive(Debug, PartialEq, Eq)]
enum ReadError {
    /// The client closed, or stayed idle too long: close quietly.
    Closed,
    /// A head started but did not complete in time.
    Timeout,
    /// The head is larger than [`MAX_HEAD`] or has too many headers.
    TooLarge,
    /// Not HTTP.
    Malformed,
}

/// Serves requests on one connection until it closes or must be closed.
fn connection(stream: TcpStream, state: &Arc<State>, hosts: &Hosts) {
    let _ = stream.set_nodelay(true);
    let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
    let mut buf = Vec::with_capacity(4096);
    loop {
        let req = match read_request(&stream, &mut buf) {
            Ok(r) => r,
            Err(ReadError::Closed) => return,
            Err(e) => {
                let (status, text) = match e {
                    ReadError::Timeout => (408, "request head too slow\n"),
                    ReadError::TooLarge => (431, "request head too large\n"),
                    _ => (400, "bad request\n"),
                };
                let _ = write_response(&stream, http::text(status, text), false, true);
                close_gently(&stream);
                return;
            }
        };
        let head_only = req.method == "HEAD";
        let (response, close) = match refusal(&req, hosts) {
            Some(r) => (r, true),
            None if req.method == "GET" && http::is_events(&req.target) => {
                super::reload::stream(&stream, state);
                return;
            }
            None => (
                http::respond(&req, state),
                !req.keep_alive || req.body != BodyLength::None,
            ),
        };
        if write_response(&stream, response, head_only, close).is_err() {
            return;
        }
        if close {
            close_gently(&stream);
            return;
        }
    }
}

/// The answer to a request that must not reach the site, if any.
fn refusal(req: &Request, hosts: &Hosts) -> Option<Response> {
    if let BodyLength::Some(n) = req.body
        && n > MAX_BODY
    {
        return Some(http::text(
            413,
            "request body too large; serve reads no bodies\n",
        ));
    }
    match &req.host {
        None if req.old => {}
        None => return Some(http::text(400, "missing Host header\n")),
        Some(h) if !hosts.allows(h) => {
            return Some(http::text(
                421,
                "this preview answers only to localhost and this machine's addresses\n",
            ));
        }
        Some(_) => {}
    }
    None
}

/// Reads one request head from `stream`; bytes after it stay in `buf` for
/// the next request (pipelining).
fn read_request(mut stream: &TcpStream, buf: &mut Vec<u8>) -> Result<Request, ReadError> {
    let idle_until = Instant::now() + IDLE_TIMEOUT;
    let mut head_until = (!buf.is_empty()).then(|| Instant::now() + HEAD_TIMEOUT);
    let mut chunk = [0u8; 4096];
    loop {
        if let Some(req) = parse(buf)? {
            return Ok(req);
        }
        if buf.len() >= MAX_HEAD {
            return Err(ReadError::TooLarge);
        }
        let until = head_until.unwrap_or(idle_until);
        let left = until.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(if head_until.is_some() {
                ReadError::Timeout
            } else {
                ReadError::Closed
            });
        }
        let _ = stream.set_read_timeout(Some(left));
        let room = (MAX_HEAD - buf.len()).min(chunk.len());
        match stream.read(&mut chunk[..room]) {
            Ok(0) => return Err(ReadError::Closed),
            Ok(n) => {
                buf.extend_from_slice(&chunk[..n]);
                head_until.get_or_insert_with(|| Instant::now() + HEAD_TIMEOUT);
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) => {}
            Err(_) => return Err(ReadError::Closed),
        }
    }
}

/// Parses a complete head at the start of `buf` and removes it; `None`
/// while the head is incomplete.
fn parse(buf: &mut Vec<u8>) -> Result<Option<Request>, ReadError> {
    // Blank lines before a request are allowed (RFC 9112 §2.2).
    let blank = buf
        .iter()
        .take_while(|b| matches!(b, b'\r' | b'\n'))
        .count();
    buf.drain(..blank);
    // Parse once the head is complete, and early on, so that a request
    // that is not HTTP (a TLS hello) is refused at once; but not at every
    // byte of a long head that trickles in.
    let complete = memchr::memmem::find(buf, b"\n\r\n").is_some()
        || memchr::memmem::find(buf, b"\n\n").is_some();
    if !complete && buf.len() > 1024 {
        return Ok(None);
    }
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut parsed = httparse::Request::new(&mut headers);
    let len = match parsed.parse(buf) {
        Ok(httparse::Status::Complete(len)) => len,
        Ok(httparse::Status::Partial) => return Ok(None),
        Err(httparse::Error::TooManyHeaders) => return Err(ReadError::TooLarge),
        Err(_) => return Err(ReadError::Malformed),
    };
    let old = parsed.version == Some(0);
    let mut req = Request {
        method: parsed.method.unwrap_or("").to_string(),
        target: parsed.path.unwrap_or("").to_string(),
        keep_alive: !old,
        host: None,
        old,
        body: BodyLength::None,
    };
    for h in parsed.headers.iter() {
        // Only the headers read here must be text; others may hold any byte.
        let value = || {
            std::str::from_utf8(h.value)
                .map(str::trim)
                .map_err(|_| ReadError::Malformed)
        };
        if h.name.eq_ignore_ascii_case("host") {
            if req.host.is_some() {
                return Err(ReadError::Malformed);
            }
            req.host = Some(value()?.to_string());
        } else if h.name.eq_ignore_ascii_case("connection") {
            for token in value()?.split(',').map(str::trim) {
                if token.eq_ignore_ascii_case("close") {
                    req.keep_alive = false;
                } else if token.eq_ignore_ascii_case("keep-alive") && old {
                    req.keep_alive = true;
                }
            }
        } else if h.name.eq_ignore_ascii_case("content-length") {
            let n: u64 = value()?.parse().map_err(|_| ReadError::Malformed)?;
            req.body = match req.body {
                BodyLength::None if n == 0 => BodyLength::None,
                BodyLength::None => BodyLength::Some(n),
                BodyLength::Some(m) if m == n => BodyLength::Some(n),
                _ => BodyLength::Unknown,
            };
        } else if h.name.eq_ignore_ascii_case("transfer-encoding") {
            req.body = BodyLength::Unknown;
        }
    }
    buf.drain(..len);
    Ok(Some(req))
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        413 => "Content Too Large",
        421 => "Misdirected Request",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        _ => "Unknown",
    }
}

/// Writes `r` with its length; the body is left out for HEAD. `Err` also
/// when a copied file turned out shorter than announced: the connection
/// must then be closed, or the client would wait for the missing bytes.
pub fn write_response(
    stream: &TcpStream,
    r: Response,
    head_only: bool,
    close: bool,
) -> io::Result<()> {
    let mut w = BufWriter::with_capacity(16 * 1024, stream);
    let len = r.body.len();
    write!(w, "HTTP/1.1 {} {}\r\n", r.status, reason(r.status))?;
    for (name, value) in &r.headers {
        write!(w, "{name}: {value}\r\n")?;
    }
    write!(w, "Content-Length: {len}\r\n")?;
    if close {
        w.write_all(b"Connection: close\r\n")?;
    }
    w.write_all(b"\r\n")?;
    if !head_only {
        match r.body {
            Body::Bytes(b) => w.write_all(&b)?,
            Body::Shared(c) => w.write_all(http::bytes_of(&c))?,
            Body::File(f, n) => {
                let copied = io::copy(&mut f.take(n), &mut w)?;
                if copied < n {
                    w.flush()?;
                    return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "file shrank"));
                }
            }
        }
    }
    w.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_check_allows_only_this_machine() {
        let local = Hosts::new("127.0.0.1".parse().unwrap());
        for ok in [
            "localhost:1111",
            "LOCALHOST",
            "127.0.0.1:1111",
            "127.0.0.1",
            "[::1]:1111",
            "[::1]",
        ] {
            assert!(local.allows(ok), "{ok}");
        }
        for bad in [
            "evil.example:1111",
            "evil.example",
            "localhost.evil.example:1111",
            "192.168.1.5:1111",
            "",
            ":1111",
            "[::1",
            "[::1]x",
            "127.0.0.1:80:80",
            "localhost:http",
            "::1",
        ] {
            assert!(!local.allows(bad), "{bad}");
        }
        let all = Hosts::new("0.0.0.0".parse().unwrap());
        assert!(all.allows("192.168.1.5:1111"));
        assert!(all.allows("[fe80::1]:1111"));
        assert!(!all.allows("my-laptop.local:1111"));
        let lan = Hosts::new("192.168.1.5".parse().unwrap());
        assert!(lan.allows("192.168.1.5:1111"));
        assert!(!lan.allows("192.168.1.6:1111"));
    }

    #[test]
    fn parses_heads_and_keeps_what_follows() {
        let mut buf = b"\r\nGET /a HTTP/1.1\r\nHost: x\r\n\r\nGET /b HTTP/1.0\r\n\r\n".to_vec();
        let a = parse(&mut buf).unwrap().unwrap();
        assert_eq!(
            (a.method.as_str(), a.target.as_str(), a.keep_alive),
            ("GET", "/a", true)
        );
        let b = parse(&mut buf).unwrap().unwrap();
        assert_eq!(
            (b.target.as_str(), b.keep_alive, b.old),
            ("/b", false, true)
        );
        assert!(buf.is_empty());
        let mut latin1 = b"GET / HTTP/1.1\r\nHost: x\r\nCookie: caf\xe9\r\n\r\n".to_vec();
        assert!(parse(&mut latin1).unwrap().is_some());
        let mut partial = b"GET / HTTP/1.1\r\nHost: x\r\n".to_vec();
        assert!(parse(&mut partial).unwrap().is_none());
        let mut huge = b"GET / HTTP/1.1\r\nContent-Length: 99999999999\r\n\r\n".to_vec();
        assert_eq!(
            parse(&mut huge).unwrap().unwrap().body,
            BodyLength::Some(99_999_999_999)
        );
        for bad in [
            &b"GET / HTTP/1.1\r\nContent-Length: -1\r\n\r\n"[..],
            b"GET / HTTP/1.1\r\nContent-Length: 99999999999999999999999\r\n\r\n",
            b"GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
            b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03",
        ] {
            assert_eq!(parse(&mut bad.to_vec()).unwrap_err(), ReadError::Malformed);
        }
    }
}
