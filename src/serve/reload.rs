//! Live reload over Server-Sent Events: each open tab holds one
//! `text/event-stream` response on its connection's thread. After a good
//! rebuild tabs get `reload`; after a failed one, `failed` with the error
//! text to show.

use std::io::Write;
use std::net::TcpStream;
use std::sync::atomic::Ordering;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::State;

/// Most tabs listening at once; more get 503 and retry later.
const MAX_CLIENTS: usize = 64;

/// What open tabs are told.
#[derive(Debug, Clone)]
pub enum Event {
    /// The site changed: reload.
    Reload,
    /// The last rebuild failed: show this.
    Failed(String),
}

/// The tabs currently listening.
#[derive(Default)]
pub struct Hub {
    clients: Mutex<Vec<Sender<Event>>>,
}

impl Hub {
    /// Tells every listening tab; forgets those that went away.
    pub fn broadcast(&self, event: Event) {
        let mut clients = self.clients.lock().unwrap_or_else(|e| e.into_inner());
        clients.retain(|c| c.send(event.clone()).is_ok());
    }

    fn subscribe(&self) -> Option<Receiver<Event>> {
        let mut clients = self.clients.lock().unwrap_or_else(|e| e.into_inner());
        if clients.len() >= MAX_CLIENTS {
            return None;
        }
        let (tx, rx) = mpsc::channel();
        clients.push(tx);
        Some(rx)
    }
}

/// Answers `GET /__kpsite/events` with an event stream on `stream`, until
/// the tab goes away or serve stops. Runs on the connection's own thread,
/// which the server counts against its connection limit.
pub fn stream(stream: &TcpStream, state: &Arc<State>) {
    let Some(rx) = state.hub.subscribe() else {
        let r = super::http::text(503, "too many listeners\n");
        let _ = super::server::write_response(stream, r, false, true);
        return;
    };
    let mut w = stream;
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\n\
                Cache-Control: no-store\r\nConnection: close\r\n\r\nretry: 500\n\n";
    if w.write_all(head.as_bytes())
        .and_then(|_| w.flush())
        .is_err()
    {
        return;
    }
    let mut idle = 0;
    while !state.stop.load(Ordering::Relaxed) {
        let msg = match rx.recv_timeout(Duration::from_secs(1)) {
            Ok(Event::Reload) => "event: reload\ndata: \n\n".to_string(),
            Ok(Event::Failed(text)) => {
                let data: String = text.lines().map(|l| format!("data: {l}\n")).collect();
                format!("event: failed\n{data}\n")
            }
            // A comment line now and then notices tabs that closed.
            Err(RecvTimeoutError::Timeout) => {
                idle += 1;
                if idle < 15 {
                    continue;
                }
                ": ping\n\n".to_string()
            }
            Err(RecvTimeoutError::Disconnected) => return,
        };
        idle = 0;
        if w.write_all(msg.as_bytes()).and_then(|_| w.flush()).is_err() {
            return;
        }
    }
}
