//! `kpsite serve`: build the public site in memory, serve it over HTTP,
//! watch the site folder, rebuild what changed and reload open tabs.
//!
//! ```text
//!  watch (notify) ─▶ debounce ─▶ Builder ─▶ swap Snapshot ─▶ Hub ─▶ tabs (SSE)
//!                                              ▲
//!  connections (server.rs) ── read ───────────┘
//! ```
//!
//! Pages come from the in-memory map only; a request path is a key into
//! it, never a filesystem path. A failed rebuild keeps the last good map
//! and adds the error, shown in the browser and on the terminal.

mod http;
mod rebuild;
mod reload;
mod server;
mod watch;

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use crate::diagnostics::Diagnostics;
use crate::validate::Options;
use rebuild::{Builder, Files, Outcome};
use reload::{Event, Hub};

/// Quiet time that ends a burst of file events.
const DEBOUNCE: Duration = Duration::from_millis(20);
/// Longest a burst is gathered before building anyway.
const DEBOUNCE_MAX: Duration = Duration::from_millis(300);

/// What `kpsite serve` was asked to do.
#[derive(Debug, Clone)]
pub struct ServeArgs {
    /// The site folder.
    pub dir: PathBuf,
    /// Address to listen on (loopback unless asked otherwise).
    pub bind: IpAddr,
    /// Port; 0 picks a free one.
    pub port: u16,
    /// Open the site in a browser once it is served.
    pub open: bool,
    /// Include drafts.
    pub drafts: bool,
    /// Preview the members' site: every paid lesson in full.
    pub members: bool,
}

/// What every request reads: the site being served and the last error.
pub struct Snapshot {
    /// The last good site.
    files: Arc<Files>,
    /// The errors of the last build, when it failed.
    error: Option<String>,
    /// Good builds so far.
    build: u64,
}

/// Shared between workers, the builder and the event streams.
pub struct State {
    /// Canonical site folder: copied files must lie inside it.
    root: PathBuf,
    current: RwLock<Arc<Snapshot>>,
    hub: Hub,
    stop: AtomicBool,
}

impl State {
    fn snapshot(&self) -> Arc<Snapshot> {
        self.current
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    fn swap(&self, f: impl FnOnce(&Snapshot) -> Snapshot) {
        let mut cur = self.current.write().unwrap_or_else(|e| e.into_inner());
        *cur = Arc::new(f(&cur));
    }

    /// Shows the outcome of a build: swaps the site in or keeps it and
    /// records the error, tells the terminal and the open tabs.
    fn publish(&self, outcome: Outcome, started: Instant) {
        match outcome {
            Outcome::Built {
                files,
                rendered,
                warnings,
            } => {
                crate::build::print(warnings);
                self.swap(|old| Snapshot {
                    files,
                    error: None,
                    build: old.build + 1,
                });
                eprintln!(
                    "built: {rendered} pages rendered in {} ms",
                    started.elapsed().as_millis()
                );
                self.hub.broadcast(Event::Reload);
            }
            Outcome::StaticOnly => {
                eprintln!("static file changed: reloading");
                self.hub.broadcast(Event::Reload);
            }
            Outcome::Failed(diags) => {
                let text = error_text(diags);
                eprintln!("{text}");
                eprintln!("build failed: still serving the last good site; fix and save to retry");
                self.swap(|old| Snapshot {
                    files: old.files.clone(),
                    error: Some(text.clone()),
                    build: old.build,
                });
                self.hub.broadcast(Event::Failed(text));
            }
        }
    }
}

fn error_text(diags: Diagnostics) -> String {
    diags
        .sorted()
        .iter()
        .map(|d| d.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Why the server cannot listen on `addr`, with what to do about it.
fn cannot_listen(addr: SocketAddr, e: &std::io::Error) -> String {
    use std::io::ErrorKind;
    let other = if addr.port() == 1111 { 1112 } else { 1111 };
    let fix = match e.kind() {
        ErrorKind::AddrInUse => format!(
            "port {} is already in use (another `kpsite serve`, or another program): stop that, or pick another port: `--port {other}`, or `--port 0` for any free one",
            addr.port()
        ),
        ErrorKind::PermissionDenied => format!(
            "this system does not let kpsite use port {} (ports below 1024 need administrator rights): use `--port {other}`, or `--port 0` for any free one",
            addr.port()
        ),
        ErrorKind::AddrNotAvailable => format!(
            "{} is not an address of this machine: use `--bind 127.0.0.1` (the default)",
            addr.ip()
        ),
        _ => e.to_string(),
    };
    format!("cannot listen on {addr}: {fix}")
}

/// Runs the server until Ctrl-C. `Err` for what prevents serving at all
/// (missing folder, port taken); site errors are shown, not returned.
pub fn run(args: &ServeArgs) -> Result<(), String> {
    let root = args
        .dir
        .canonicalize()
        .ok()
        .filter(|p| p.is_dir())
        .ok_or_else(|| {
            format!(
                "{}: not a folder: give the site folder (the one holding kpsite.yaml)",
                args.dir.display()
            )
        })?;
    let addr = SocketAddr::new(args.bind, args.port);
    let listener = std::net::TcpListener::bind(addr).map_err(|e| cannot_listen(addr, &e))?;
    let port = listener.local_addr().map(|a| a.port()).unwrap_or(args.port);
    let host = match args.bind {
        ip if ip.is_unspecified() => "127.0.0.1".to_string(),
        IpAddr::V6(ip) => format!("[{ip}]"),
        IpAddr::V4(ip) => ip.to_string(),
    };
    let url = format!("http://{host}:{port}/");

    // Watch before the first build, so nothing saved during it is missed.
    let mut watch =
        watch::Watch::new(&root).map_err(|e| format!("cannot watch {}: {e}", root.display()))?;
    let now = crate::build::build_time(None)?;
    let mut builder = Builder::new(
        root.clone(),
        Options {
            drafts: args.drafts,
            base_url: Some(url.clone()),
            now,
        },
    );
    if args.members {
        builder = builder.members();
    }
    let state = Arc::new(State {
        root,
        current: RwLock::new(Arc::new(Snapshot {
            files: Arc::default(),
            error: None,
            build: 0,
        })),
        hub: Hub::default(),
        stop: AtomicBool::new(false),
    });
    let started = Instant::now();
    state.publish(builder.build_all(), started);

    let (stop_tx, stop_rx) = std::sync::mpsc::channel();
    ctrlc::set_handler(move || {
        let _ = stop_tx.send(());
    })
    .map_err(|e| format!("cannot handle Ctrl-C: {e}"))?;

    let (accept_state, hosts) = (state.clone(), server::Hosts::new(args.bind));
    std::thread::Builder::new()
        .name("kpsite-accept".into())
        .spawn(move || server::accept_loop(listener, accept_state, hosts))
        .map_err(|e| format!("cannot start the server thread: {e}"))?;
    let watcher_state = state.clone();
    let watcher = std::thread::Builder::new()
        .name("kpsite-watch".into())
        .spawn(move || {
            let state = watcher_state;
            while !state.stop.load(Ordering::Relaxed) {
                let batch = watch.next_batch(Duration::from_millis(200), DEBOUNCE, DEBOUNCE_MAX);
                let paths = match batch {
                    Ok(p) => p.unwrap_or_default(),
                    Err(()) => break,
                };
                let started = Instant::now();
                // The site folder was deleted and is back: all anew.
                if watch.came_back() {
                    state.publish(builder.build_all(), started);
                } else if !paths.is_empty()
                    && let Some(outcome) = builder.changed(&paths)
                {
                    state.publish(outcome, started);
                }
                watch.refresh();
            }
        })
        .map_err(|e| format!("cannot start the watcher thread: {e}"))?;

    eprintln!("serving {url} (Ctrl-C stops)");
    if args.open {
        open_browser(&url);
    }
    let _ = stop_rx.recv();
    eprintln!("stopping");

    state.stop.store(true, Ordering::Relaxed);
    let deadline = Instant::now() + Duration::from_secs(2);
    // A rebuild under way may finish; connections end with the process.
    while Instant::now() < deadline && !watcher.is_finished() {
        std::thread::sleep(Duration::from_millis(20));
    }
    eprintln!("stopped");
    Ok(())
}

fn open_browser(url: &str) {
    let mut cmd = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        std::process::Command::new("xdg-open")
    };
    // The opener's own complaints (xdg-open lists every browser it did not
    // find) would bury the address: silence them, and say it once instead.
    let spawned = cmd
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn();
    let url = url.to_string();
    match spawned {
        Ok(mut child) => {
            std::thread::spawn(move || {
                if !child.wait().is_ok_and(|s| s.success()) {
                    eprintln!("warning: cannot open a browser here; visit {url}");
                }
            });
        }
        Err(_) => eprintln!("warning: cannot open a browser here; visit {url}"),
    }
}
