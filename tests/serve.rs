//! `kpsite serve`, end to end: the real binary on a free loopback port,
//! spoken to over raw TCP so that request paths go out exactly as written.
//! Every wait is bounded in time.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::TestSite;

/// A running `kpsite serve` whose terminal output is collected.
struct Serve {
    child: Child,
    addr: SocketAddr,
    log: Arc<Mutex<Vec<String>>>,
}

impl Serve {
    fn start(site: &TestSite) -> Serve {
        Serve::start_args(site, &["--port", "0"])
    }

    fn start_args(site: &TestSite, extra: &[&str]) -> Serve {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_kpsite"));
        cmd.arg("serve").arg(site.path()).args(extra);
        Serve::spawn(cmd)
    }

    fn spawn(mut cmd: Command) -> Serve {
        let mut child = cmd
            .env_remove("SOURCE_DATE_EPOCH")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let log = Arc::new(Mutex::new(Vec::new()));
        let (tx, rx) = std::sync::mpsc::channel();
        let stderr = child.stderr.take().unwrap();
        let sink = log.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if let Some(rest) = line.strip_prefix("serving http://") {
                    let addr = rest.split('/').next().unwrap().to_string();
                    let _ = tx.send(addr);
                }
                sink.lock().unwrap().push(line);
            }
        });
        let addr = match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(a) => a.parse().unwrap(),
            Err(_) => {
                let _ = child.kill();
                panic!("serve did not start:\n{}", log.lock().unwrap().join("\n"));
            }
        };
        Serve { child, addr, log }
    }

    fn log(&self) -> String {
        self.log.lock().unwrap().join("\n")
    }

    fn get(&self, path: &str) -> Resp {
        raw(
            self.addr,
            format!("GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                .as_bytes(),
        )
    }

    /// Polls `path` until `ok` holds for the response, at most `secs`.
    fn wait_for(&self, path: &str, secs: u64, ok: impl Fn(&Resp) -> bool) -> Resp {
        let deadline = Instant::now() + Duration::from_secs(secs);
        loop {
            let r = self.get(path);
            if ok(&r) {
                return r;
            }
            assert!(
                Instant::now() < deadline,
                "{path}: condition not met in {secs}s; last response {} {}\nlog:\n{}",
                r.status,
                &r.body.chars().take(400).collect::<String>(),
                self.log()
            );
            std::thread::sleep(Duration::from_millis(25));
        }
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[derive(Debug)]
struct Resp {
    status: u16,
    head: String,
    body: String,
}

impl Resp {
    fn header(&self, name: &str) -> Option<String> {
        self.head.lines().find_map(|l| {
            let (n, v) = l.split_once(':')?;
            n.eq_ignore_ascii_case(name).then(|| v.trim().to_string())
        })
    }
}

/// Sends `request` as bytes and reads the whole answer (the server closes).
fn raw(addr: SocketAddr, request: &[u8]) -> Resp {
    let mut s = TcpStream::connect_timeout(&addr, Duration::from_secs(5)).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.write_all(request).unwrap();
    let mut bytes = Vec::new();
    let _ = s.read_to_end(&mut bytes);
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    Resp {
        status,
        head: head.to_string(),
        body: body.to_string(),
    }
}

#[test]
fn serves_the_public_site_at_the_preview_address() {
    let site = TestSite::fixture("basic");
    let serve = Serve::start(&site);

    let home = serve.get("/");
    assert_eq!(home.status, 200, "{home:?}");
    assert_eq!(
        home.header("content-type").as_deref(),
        Some("text/html; charset=utf-8")
    );
    assert!(home.body.contains("Fixture Academy"));
    // Links work at the preview address, whatever base_url's path says.
    assert!(
        home.body.contains("href=\"/courses/intro-rust/\""),
        "{}",
        home.body
    );
    assert!(!home.body.contains("href=\"/academy/"), "{}", home.body);
    assert!(home.body.contains("/__kpsite/events"), "no reload script");

    let free = serve.get("/courses/intro-rust/welcome/");
    assert_eq!(free.status, 200);
    assert!(free.body.contains("FREE-BODY-SENTINEL"));
    // Members-only content is not shown.
    let paid = serve.get("/courses/intro-rust/ownership/");
    assert_eq!(paid.status, 200);
    assert!(
        !paid.body.contains("PAID-BODY-SENTINEL"),
        "paid body served"
    );

    let css = serve.get("/style.css");
    assert_eq!(css.status, 200);
    assert_eq!(
        css.header("content-type").as_deref(),
        Some("text/css; charset=utf-8")
    );
    assert!(!css.body.contains("__kpsite"));
    let svg = serve.get("/img/logo.svg");
    assert_eq!(svg.status, 200);
    assert_eq!(svg.header("content-type").as_deref(), Some("image/svg+xml"));

    let missing = serve.get("/no/such/page/");
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("<html"), "404 page: {}", missing.body);

    let redirect = serve.get("/courses/intro-rust");
    assert_eq!(redirect.status, 301);
    assert_eq!(
        redirect.header("location").as_deref(),
        Some("/courses/intro-rust/")
    );

    let head = raw(
        serve.addr,
        b"HEAD / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty());

    let post = raw(
        serve.addr,
        b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
    );
    assert_eq!(post.status, 405);

    // The reload script belongs to serve only, never to a build.
    drop(serve);
    site.build_ok(&[]);
    let built = site.read("public/index.html");
    assert!(
        !built.contains("__kpsite"),
        "build output has the reload script"
    );
}

#[test]
fn never_serves_a_file_outside_the_output() {
    let site = TestSite::fixture("basic");
    let outside = tempfile::tempdir().unwrap();
    let secret = "OUTSIDE-SECRET-SENTINEL";
    std::fs::write(outside.path().join("secret.txt"), secret).unwrap();
    std::fs::write(site.join("secret-in-site.txt"), secret).unwrap();
    let serve = Serve::start(&site);
    // Links out of the site make the build fail (the symlink rule), so
    // they are added to a running serve, which keeps the last good site.
    #[cfg(unix)]
    {
        use std::os::unix::fs::symlink;
        symlink(
            outside.path().join("secret.txt"),
            site.join("static/leak.txt"),
        )
        .unwrap();
        symlink(outside.path(), site.join("static/leakdir")).unwrap();
    }
    let probes = [
        "/../../../../../../etc/passwd",
        "/..%2f..%2f..%2f..%2fetc%2fpasswd",
        "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
        "/.%2e/.%2e/.%2e/etc/passwd",
        "/%252e%252e%252fetc%252fpasswd",
        "/..%5c..%5c..%5cetc%5cpasswd",
        "/..\\..\\..\\etc\\passwd",
        "/img/..%5c..%5csecret-in-site.txt",
        "//etc/passwd",
        "/etc/passwd",
        "/img/../../secret-in-site.txt",
        "/secret-in-site.txt",
        "/manifest.yaml",
        "/kpsite.yaml",
        "/static/img/logo.svg/../../../manifest.yaml",
        "/index.html%00.txt",
        "/%00",
        "/C:/Windows/win.ini",
        "/C:%5CWindows%5Cwin.ini",
        "/leak.txt",
        "/leakdir/secret.txt",
        "http://127.0.0.1/../../etc/passwd",
        "../../etc/passwd",
        "/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd",
    ];
    for p in probes {
        let r = raw(
            serve.addr,
            format!("GET {p} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").as_bytes(),
        );
        assert_ne!(r.status, 200, "{p} was served: {}", r.body);
        assert!(!r.body.contains(secret), "{p} leaked the secret");
        assert!(!r.body.contains("root:"), "{p} leaked /etc/passwd");
        assert!(
            !r.body.contains("Fixture Academy\ndescription"),
            "{p} leaked a source file"
        );
    }
    // A NUL byte in the raw request line.
    let r = raw(
        serve.addr,
        b"GET /index.html\0/../../etc/passwd HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
    );
    assert_ne!(r.status, 200);
    // Still serving after all that.
    assert_eq!(serve.get("/").status, 200);
}

#[test]
fn edits_rebuild_and_a_broken_site_keeps_the_last_good_one() {
    let site = TestSite::fixture("basic");
    let serve = Serve::start(&site);
    let lesson = "/courses/intro-rust/welcome/";
    assert!(serve.get(lesson).body.contains("FREE-BODY-SENTINEL"));

    // Open tabs listen for reloads.
    let mut events = TcpStream::connect(serve.addr).unwrap();
    events
        .set_read_timeout(Some(Duration::from_secs(15)))
        .unwrap();
    events
        .write_all(b"GET /__kpsite/events HTTP/1.1\r\nHost: localhost\r\n\r\n")
        .unwrap();
    let mut events = BufReader::new(events);
    let mut first = String::new();
    events.read_line(&mut first).unwrap();
    assert!(first.starts_with("HTTP/1.1 200"), "{first}");
    let next_event = |events: &mut BufReader<TcpStream>| -> String {
        let mut line = String::new();
        loop {
            line.clear();
            assert!(
                events.read_line(&mut line).unwrap() > 0,
                "event stream closed"
            );
            if let Some(name) = line.strip_prefix("event: ") {
                let mut data = String::new();
                loop {
                    let mut l = String::new();
                    events.read_line(&mut l).unwrap();
                    if l.trim().is_empty() {
                        return format!("{}\n{data}", name.trim());
                    }
                    data.push_str(&l);
                }
            }
        }
    };

    // A lesson edit: the lesson, and the pages that list it, change.
    site.edit(
        "lessons/intro-rust/01-welcome.md",
        "FREE-BODY-SENTINEL",
        "EDITED-BODY-SENTINEL",
    );
    site.edit(
        "lessons/intro-rust/01-welcome.md",
        "title: Welcome to Rust",
        "title: Hello Rustaceans",
    );
    serve.wait_for(lesson, 20, |r| r.body.contains("EDITED-BODY-SENTINEL"));
    serve.wait_for("/courses/intro-rust/", 5, |r| {
        r.body.contains("Hello Rustaceans")
    });
    // The next lesson's "previous" link names it too.
    assert!(
        serve
            .get("/courses/intro-rust/ownership/")
            .body
            .contains("Hello Rustaceans")
    );
    // A rebuild may first read a half-written file and report it (a
    // `failed` event); the reload must follow.
    let until = |events: &mut BufReader<TcpStream>, name: &str| -> Vec<String> {
        let mut seen = Vec::new();
        let deadline = Instant::now() + Duration::from_secs(20);
        while !seen.iter().any(|e: &String| e.starts_with(name)) {
            assert!(Instant::now() < deadline, "no {name} event: {seen:?}");
            seen.push(next_event(events));
        }
        seen
    };
    until(&mut events, "reload");

    // Saving the way many editors do: write a temporary file, rename it over.
    let tmp = site.join("lessons/intro-rust/.01-welcome.md.tmp");
    let text = site
        .read("lessons/intro-rust/01-welcome.md")
        .replace("EDITED-BODY-SENTINEL", "RENAMED-BODY-SENTINEL");
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, site.join("lessons/intro-rust/01-welcome.md")).unwrap();
    serve.wait_for(lesson, 20, |r| r.body.contains("RENAMED-BODY-SENTINEL"));

    // A new lesson appears.
    site.write(
        "lessons/intro-rust/05-macros.md",
        "---\ntitle: Macros\nfree: true\n---\n\nNEW-LESSON-SENTINEL\n",
    );
    serve.wait_for("/courses/intro-rust/macros/", 20, |r| {
        r.status == 200 && r.body.contains("NEW-LESSON-SENTINEL")
    });

    // Break the manifest: the old site stays, the error shows.
    site.edit("manifest.yaml", "    price: 120", "    pirce: 120");
    let broken = serve.wait_for("/courses/intro-rust/", 20, |r| {
        r.body.contains("<pre id=\"kpsite-error\"")
    });
    assert_eq!(broken.status, 200);
    assert!(broken.body.contains("Hello Rustaceans"), "old site gone");
    assert!(
        broken.body.contains("manifest.yaml:") && broken.body.contains("pirce"),
        "error not shown: {}",
        broken.body
    );
    let status = serve.get("/__kpsite/status");
    assert!(status.body.contains("\"ok\":false"), "{}", status.body);
    assert!(
        serve.log().contains("manifest.yaml:"),
        "terminal: {}",
        serve.log()
    );
    // Lesson edits while broken are kept for the fix.
    site.edit(
        "lessons/intro-rust/01-welcome.md",
        "RENAMED-BODY-SENTINEL",
        "WHILE-BROKEN-SENTINEL",
    );
    let seen = until(&mut events, "failed");
    assert!(seen.iter().any(|e| e.contains("manifest.yaml")), "{seen:?}");

    // Fix it: recovered without a restart.
    site.edit("manifest.yaml", "    pirce: 120", "    price: 120");
    serve.wait_for("/__kpsite/status", 20, |r| r.body.contains("\"ok\":true"));
    let fixed = serve.get(lesson);
    assert!(
        !fixed.body.contains("<pre id=\"kpsite-error\""),
        "{}",
        fixed.body
    );
    assert!(
        fixed.body.contains("WHILE-BROKEN-SENTINEL"),
        "{}",
        fixed.body
    );
}

#[test]
fn many_concurrent_requests_without_errors() {
    const CONNECTIONS: usize = 32;
    const PER_CONNECTION: usize = 625;
    let site = TestSite::fixture("basic");
    let serve = Serve::start(&site);
    let addr = serve.addr;
    // A slow client that sends half a request and waits must not stall anyone.
    let mut slow = TcpStream::connect(addr).unwrap();
    slow.write_all(b"GET / HTTP/1.1\r\nHost:").unwrap();
    let paths = [
        "/",
        "/courses/intro-rust/",
        "/courses/intro-rust/welcome/",
        "/style.css",
        "/img/logo.svg",
        "/missing/",
    ];
    let started = Instant::now();
    let deadline = started + Duration::from_secs(240);
    let workers: Vec<_> = (0..CONNECTIONS)
        .map(|t| {
            std::thread::spawn(move || {
                let mut ok = 0usize;
                let mut errors = Vec::new();
                let mut conn: Option<BufReader<TcpStream>> = None;
                for i in 0..PER_CONNECTION {
                    if Instant::now() > deadline {
                        errors.push("deadline".to_string());
                        break;
                    }
                    let path = paths[(t + i) % paths.len()];
                    let c = match conn.take() {
                        Some(c) => c,
                        None => {
                            let s = TcpStream::connect(addr).unwrap();
                            s.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
                            BufReader::new(s)
                        }
                    };
                    match keep_alive_get(c, path) {
                        Ok((status, c)) => {
                            let want = if path == "/missing/" { 404 } else { 200 };
                            if status == want {
                                ok += 1;
                            } else {
                                errors.push(format!("{path}: {status}"));
                            }
                            conn = Some(c);
                        }
                        Err(e) => errors.push(format!("{path}: {e}")),
                    }
                }
                (ok, errors)
            })
        })
        .collect();
    let mut ok = 0;
    let mut errors = Vec::new();
    for w in workers {
        let (o, e) = w.join().unwrap();
        ok += o;
        errors.extend(e);
    }
    let secs = started.elapsed().as_secs_f64();
    eprintln!(
        "{ok} requests over {CONNECTIONS} connections in {secs:.2}s ({:.0}/s), {} errors",
        ok as f64 / secs,
        errors.len()
    );
    assert!(
        errors.is_empty(),
        "{} errors: {:?}",
        errors.len(),
        &errors[..errors.len().min(10)]
    );
    assert_eq!(ok, CONNECTIONS * PER_CONNECTION);
    drop(slow);
}

/// One request on a kept-alive connection; the connection back when done.
fn keep_alive_get(
    mut c: BufReader<TcpStream>,
    path: &str,
) -> Result<(u16, BufReader<TcpStream>), String> {
    c.get_mut()
        .write_all(format!("GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n").as_bytes())
        .map_err(|e| e.to_string())?;
    let mut status_line = String::new();
    c.read_line(&mut status_line).map_err(|e| e.to_string())?;
    let status: u16 = status_line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| format!("bad status line {status_line:?}"))?;
    let mut length = None;
    loop {
        let mut line = String::new();
        c.read_line(&mut line).map_err(|e| e.to_string())?;
        if line.trim().is_empty() {
            break;
        }
        if let Some((n, v)) = line.split_once(':')
            && n.eq_ignore_ascii_case("content-length")
        {
            length = v.trim().parse::<usize>().ok();
        }
    }
    let length = length.ok_or("no content-length")?;
    let mut body = vec![0; length];
    c.read_exact(&mut body).map_err(|e| e.to_string())?;
    Ok((status, c))
}

#[test]
fn a_taken_port_is_reported() {
    let site = TestSite::fixture("basic");
    let first = Serve::start(&site);
    let out = Command::new(env!("CARGO_BIN_EXE_kpsite"))
        .arg("serve")
        .arg(site.path())
        .args(["--port", &first.addr.port().to_string()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot listen"));
}

#[cfg(unix)]
#[test]
fn ctrl_c_stops_cleanly() {
    let site = TestSite::fixture("basic");
    let mut serve = Serve::start(&site);
    let pid = serve.child.id().to_string();
    assert!(
        Command::new("kill")
            .args(["-INT", &pid])
            .status()
            .unwrap()
            .success()
    );
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(s) = serve.child.try_wait().unwrap() {
            break s;
        }
        assert!(Instant::now() < deadline, "still running after Ctrl-C");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success(), "{status:?}");
    std::thread::sleep(Duration::from_millis(100));
    assert!(serve.log().contains("stopped"), "{}", serve.log());
    assert!(TcpStream::connect(serve.addr).is_err(), "still listening");
}

/// Resident memory of a process, in KiB (Linux only).
fn rss_kib(pid: u32) -> Option<u64> {
    proc_status(pid, "VmRSS:")?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

/// Threads of a process (Linux only).
fn threads(pid: u32) -> Option<u64> {
    proc_status(pid, "Threads:")?.trim().parse().ok()
}

fn proc_status(pid: u32, key: &str) -> Option<String> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    text.lines()
        .find_map(|l| l.strip_prefix(key))
        .map(str::to_string)
}

fn request(serve: &Serve, head: &str) -> Resp {
    raw(serve.addr, head.as_bytes())
}

#[test]
fn huge_bodies_and_heads_are_refused_without_taking_memory() {
    let site = TestSite::fixture("basic");
    let serve = Serve::start(&site);
    let pid = serve.child.id();
    let rss_before = rss_kib(pid);
    // tiny_http allocated the announced body and aborted (exit 134).
    for method in ["POST", "GET", "PUT"] {
        let r = request(
            &serve,
            &format!(
                "{method} / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 99999999999\r\n\r\n"
            ),
        );
        assert_eq!(r.status, 413, "{method}: {r:?}");
    }
    for bad in ["-1", "1e9", "99999999999999999999999999", "12, 13"] {
        let r = request(
            &serve,
            &format!("POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: {bad}\r\n\r\n"),
        );
        assert_eq!(r.status, 400, "Content-Length: {bad}: {r:?}");
    }
    // A small body is never read: the answer comes, then the connection closes.
    let r = request(
        &serve,
        "GET / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\n\r\nhello",
    );
    assert_eq!(r.status, 200);
    assert_eq!(r.header("connection").as_deref(), Some("close"));
    // A head over 16 KiB, or with too many headers: 431.
    let mut big = b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Big: ".to_vec();
    big.extend(std::iter::repeat_n(b'a', 20_000));
    assert_eq!(raw(serve.addr, &big).status, 431);
    let many: String = (0..200).map(|i| format!("X-{i}: y\r\n")).collect();
    let r = request(
        &serve,
        &format!("GET / HTTP/1.1\r\nHost: localhost\r\n{many}\r\n"),
    );
    assert_eq!(r.status, 431);
    let long_line = format!(
        "GET /{} HTTP/1.1\r\nHost: localhost\r\n\r\n",
        "a".repeat(40_000)
    );
    assert_eq!(request(&serve, &long_line).status, 431);
    // A header line of up to 256 MiB: serve stops reading it early, and
    // the sender is cut off (tiny_http kept 310 MB for a 300 MB line).
    let mut s = TcpStream::connect(serve.addr).unwrap();
    s.set_write_timeout(Some(Duration::from_secs(10))).unwrap();
    s.write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Flood: ")
        .unwrap();
    let chunk = vec![b'a'; 1 << 20];
    let mut sent = 0usize;
    while sent < 256 << 20 && s.write_all(&chunk).is_ok() {
        sent += chunk.len();
    }
    assert!(sent < 256 << 20, "serve read a 256 MiB header line");
    drop(s);
    assert_eq!(serve.get("/").status, 200);
    if let (Some(before), Some(after)) = (rss_before, rss_kib(pid)) {
        assert!(
            after < before + 32 * 1024,
            "resident memory grew from {before} KiB to {after} KiB"
        );
    }
    assert!(serve.child.id() == pid);
    assert_eq!(serve.get("/__kpsite/status").status, 200);
}

#[test]
fn only_this_machines_names_are_answered() {
    let site = TestSite::fixture("basic");
    let serve = Serve::start(&site);
    let port = serve.addr.port();
    for host in [
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        format!("[::1]:{port}"),
        "LOCALHOST".to_string(),
    ] {
        let r = request(
            &serve,
            &format!("GET / HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"),
        );
        assert_eq!(r.status, 200, "{host}");
    }
    // DNS rebinding: another site's name resolving to 127.0.0.1.
    for host in [
        format!("evil.example:{port}"),
        format!("127.0.0.1.nip.io:{port}"),
        format!("localhost.evil.example:{port}"),
        format!("192.0.2.1:{port}"),
    ] {
        for path in [
            "/",
            "/__kpsite/status",
            "/__kpsite/events",
            "/courses/intro-rust/welcome/",
        ] {
            let r = request(
                &serve,
                &format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"),
            );
            assert_eq!(r.status, 421, "{host}{path}: {r:?}");
            assert!(!r.body.contains("FREE-BODY-SENTINEL") && !r.body.contains("\"build\""));
        }
    }
    let r = request(&serve, "GET / HTTP/1.1\r\nConnection: close\r\n\r\n");
    assert_eq!(r.status, 400, "no Host");
    let r = request(
        &serve,
        "GET / HTTP/1.1\r\nHost: localhost\r\nHost: evil.example\r\n\r\n",
    );
    assert_eq!(r.status, 400, "two Hosts");
    // HTTP/1.0 has no Host header: no browser sends it, so no rebinding.
    assert_eq!(request(&serve, "GET / HTTP/1.0\r\n\r\n").status, 200);
}

/// Opens up to `n` idle connections; stops at the first that fails.
fn open_idle(addr: SocketAddr, n: usize) -> Vec<TcpStream> {
    let mut conns = Vec::new();
    for _ in 0..n {
        match TcpStream::connect_timeout(&addr, Duration::from_secs(2)) {
            Ok(c) => conns.push(c),
            Err(_) => break,
        }
    }
    conns
}

#[test]
fn connections_are_capped_and_serving_resumes() {
    let site = TestSite::fixture("basic");
    let serve = Serve::start(&site);
    let pid = serve.child.id();
    let conns = open_idle(serve.addr, 300);
    assert_eq!(conns.len(), 300);
    // Those past the limit are told so at once.
    std::thread::sleep(Duration::from_millis(500));
    let mut refused = 0;
    for c in &conns {
        c.set_nonblocking(true).unwrap();
        let mut buf = [0u8; 64];
        if let Ok(n) = (&*c).read(&mut buf)
            && String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 503")
        {
            refused += 1;
        }
    }
    assert!(refused >= 300 - 256, "only {refused} of 300 refused");
    // One thread per connection, within the limit (was 1 per connection).
    if let Some(n) = threads(pid) {
        assert!(n < 300, "{n} threads for 300 connections");
    }
    assert_eq!(serve.get("/").status, 503);
    drop(conns);
    serve.wait_for("/", 30, |r| r.status == 200);
}

#[cfg(unix)]
#[test]
fn running_out_of_file_handles_does_not_stop_serving() {
    let site = TestSite::fixture("basic");
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg("ulimit -n 128 && exec \"$0\" serve \"$1\" --port 0")
        .arg(env!("CARGO_BIN_EXE_kpsite"))
        .arg(site.path());
    let serve = Serve::spawn(cmd);
    // More connections than the process may hold files: accept fails.
    let conns = open_idle(serve.addr, 200);
    assert!(conns.len() > 128, "only {} connections", conns.len());
    let deadline = Instant::now() + Duration::from_secs(20);
    while !serve.log().contains("cannot accept") {
        assert!(
            Instant::now() < deadline,
            "accept never failed: {}",
            serve.log()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    drop(conns);
    // Handles free again: serving resumes (tiny_http's accept thread died).
    serve.wait_for("/", 30, |r| r.status == 200);
    assert!(
        serve
            .get("/courses/intro-rust/")
            .body
            .contains("Fixture Academy")
    );
}

#[test]
fn slow_clients_are_cut_off_and_block_nobody() {
    let site = TestSite::fixture("basic");
    let serve = Serve::start(&site);
    let addr = serve.addr;
    // Half a head, then a byte every half second, for at most a minute.
    let slow: Vec<_> = (0..20)
        .map(|_| {
            std::thread::spawn(move || {
                let mut s = TcpStream::connect(addr).unwrap();
                s.set_read_timeout(Some(Duration::from_millis(500)))
                    .unwrap();
                if s.write_all(b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Slow: ")
                    .is_err()
                {
                    return Some(String::new());
                }
                for _ in 0..120 {
                    let mut buf = [0u8; 256];
                    match s.read(&mut buf) {
                        Ok(n) => return Some(String::from_utf8_lossy(&buf[..n]).into_owned()),
                        Err(e)
                            if matches!(
                                e.kind(),
                                std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                            ) => {}
                        Err(_) => return Some(String::new()),
                    }
                    if s.write_all(b"a").is_err() {
                        return Some(String::new());
                    }
                }
                None
            })
        })
        .collect();
    // Meanwhile everyone else is served.
    for _ in 0..20 {
        assert_eq!(serve.get("/").status, 200);
    }
    for t in slow {
        let answer = t.join().unwrap().expect("a slow client was never cut off");
        assert!(
            answer.is_empty() || answer.starts_with("HTTP/1.1 408"),
            "{answer}"
        );
    }
    assert_eq!(serve.get("/").status, 200);
}

#[cfg(unix)]
#[test]
fn rebuilds_resume_after_the_site_folder_is_deleted_and_recreated() {
    let site = TestSite::fixture("basic");
    let serve = Serve::start(&site);
    let aside = tempfile::tempdir().unwrap();
    let copy = aside.path().join("site");
    assert!(
        Command::new("cp")
            .arg("-a")
            .arg(site.path())
            .arg(&copy)
            .status()
            .unwrap()
            .success()
    );
    std::fs::remove_dir_all(site.path()).unwrap();
    serve.wait_for("/__kpsite/status", 20, |r| r.body.contains("\"ok\":false"));
    // The last good site is still served.
    assert!(
        serve
            .get("/courses/intro-rust/welcome/")
            .body
            .contains("FREE-BODY-SENTINEL")
    );
    assert!(
        Command::new("cp")
            .arg("-a")
            .arg(&copy)
            .arg(site.path())
            .status()
            .unwrap()
            .success()
    );
    serve.wait_for("/__kpsite/status", 20, |r| r.body.contains("\"ok\":true"));
    site.edit(
        "lessons/intro-rust/01-welcome.md",
        "FREE-BODY-SENTINEL",
        "BACK-AGAIN-SENTINEL",
    );
    serve.wait_for("/courses/intro-rust/welcome/", 20, |r| {
        r.body.contains("BACK-AGAIN-SENTINEL")
    });
}

#[test]
fn a_lesson_turned_paid_leaves_the_served_site_and_links_are_checked() {
    let site = TestSite::fixture("basic");
    let serve = Serve::start(&site);
    let sentinel = "FREE-BODY-SENTINEL";
    // Positive control: the search index holds the free body.
    assert!(serve.get("/search/pages/0.json").body.contains(sentinel));
    site.edit(
        "lessons/intro-rust/01-welcome.md",
        "free: true",
        "free: false",
    );
    serve.wait_for("/courses/intro-rust/welcome/", 20, |r| {
        !r.body.contains(sentinel)
    });
    for path in [
        "/search/pages/0.json",
        "/feed.xml",
        "/",
        "/courses/intro-rust/",
        "/courses/intro-rust/welcome/",
    ] {
        assert!(
            !serve.get(path).body.contains(sentinel),
            "{path} still holds the paid body"
        );
    }
    // A broken link fails the rebuild, as in build; fixing it recovers.
    site.edit(
        "lessons/intro-rust/02-ownership.md",
        "## Moves",
        "## Transfers",
    );
    let status = serve.wait_for("/__kpsite/status", 20, |r| r.body.contains("\"ok\":false"));
    assert!(status.body.contains("moves"), "{}", status.body);
    assert!(serve.get("/").body.contains("kpsite-error"));
    site.edit(
        "lessons/intro-rust/02-ownership.md",
        "## Transfers",
        "## Moves",
    );
    serve.wait_for("/__kpsite/status", 20, |r| r.body.contains("\"ok\":true"));
}

/// `serve` keeps what it draws in the diagram cache, so the build after a
/// writing session draws nothing it has drawn: after the first render, and
/// again after an edit that adds a diagram.
#[test]
fn serve_saves_new_diagrams_to_the_cache() {
    let site = TestSite::fixture("basic");
    let lesson = "lessons/intro-rust/01-welcome.md";
    let diagram = |label: &str| format!("\n```mermaid\nflowchart LR\n  A[{label}] --> B\n```\n");
    site.write(
        lesson,
        &format!("{}{}", site.read(lesson), diagram("First-diagram")),
    );
    let serve = Serve::start(&site);
    let cache = site.path().join(".kpsite/cache/diagrams.json");
    let has = |label: &str| {
        std::fs::read_to_string(&cache).is_ok_and(|t| t.contains(&format!(">{label}<")))
    };
    let until = |label: &str| {
        let deadline = Instant::now() + Duration::from_secs(60);
        while !has(label) {
            assert!(
                Instant::now() < deadline,
                "no {label} in the cache:\n{}",
                serve.log()
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    };
    until("First-diagram");
    site.write(
        lesson,
        &format!("{}{}", site.read(lesson), diagram("Second-diagram")),
    );
    until("Second-diagram");
    assert!(has("First-diagram"));
}
