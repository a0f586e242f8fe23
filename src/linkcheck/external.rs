//! External links (`kpsite check --external`): one HEAD request per
//! distinct URL (GET when the server refuses HEAD), a few at a time, with
//! short timeouts. A link the server says is gone (404, 410) is an error;
//! anything that only says "could not check" — no network, a timeout, a
//! server that blocks robots — is a warning on that link, never a crash
//! and never a hang.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::Duration;

use super::ExternalLink;
use crate::diagnostics::{Diagnostic, Diagnostics};

/// How long one request may take in all.
const TIMEOUT: Duration = Duration::from_secs(10);
/// How many requests run at once.
const WORKERS: usize = 8;

/// What one URL gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// 2xx or 3xx (redirects followed).
    Ok,
    /// The server says it is gone: 404 or 410.
    Gone(u16),
    /// Another error status (403, 429, 500…): maybe a robot block.
    Status(u16),
    /// No answer: offline, DNS, refused, timeout, TLS.
    Unreachable(String),
}

/// Checks every link; returns one diagnostic per link that is not fine.
pub fn check(links: &[ExternalLink]) -> Diagnostics {
    let mut by_url: BTreeMap<String, Vec<&ExternalLink>> = BTreeMap::new();
    for l in links {
        let url = l.url.split('#').next().unwrap_or(&l.url).to_string();
        by_url.entry(url).or_default().push(l);
    }
    let urls: Vec<&String> = by_url.keys().collect();
    let outcomes = probe_all(&urls);
    let mut diags = Diagnostics::default();
    for (url, outcome) in urls.iter().zip(outcomes) {
        let (error, message) = match outcome {
            Outcome::Ok => continue,
            Outcome::Gone(code) => (true, format!("broken external link `{url}`: HTTP {code}")),
            Outcome::Status(code) => (
                false,
                format!("external link `{url}` answered HTTP {code}; check it by hand"),
            ),
            Outcome::Unreachable(why) => (
                false,
                format!("external link `{url}` could not be checked: {why}"),
            ),
        };
        for l in &by_url[url.as_str()] {
            let d = Diagnostic::at(&l.file, l.position, message.clone());
            diags.push(if error { d } else { d.warning() });
        }
    }
    diags
}

/// Probes every URL, [`WORKERS`] at a time; outcomes in the same order.
pub fn probe_all(urls: &[&String]) -> Vec<Outcome> {
    let agent = agent();
    let results: Mutex<Vec<Option<Outcome>>> = Mutex::new(vec![None; urls.len()]);
    let next = Mutex::new(0usize);
    std::thread::scope(|s| {
        for _ in 0..WORKERS.min(urls.len()) {
            s.spawn(|| {
                loop {
                    let i = {
                        let mut n = next.lock().unwrap_or_else(|e| e.into_inner());
                        let i = *n;
                        *n += 1;
                        i
                    };
                    let Some(url) = urls.get(i) else { break };
                    let outcome = probe(&agent, url);
                    results.lock().unwrap_or_else(|e| e.into_inner())[i] = Some(outcome);
                }
            });
        }
    });
    results
        .into_inner()
        .unwrap_or_else(|e| e.into_inner())
        .into_iter()
        .map(|o| o.unwrap_or(Outcome::Unreachable("not checked".into())))
        .collect()
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(TIMEOUT))
        .timeout_resolve(Some(Duration::from_secs(5)))
        .timeout_connect(Some(Duration::from_secs(5)))
        .http_status_as_error(false)
        .user_agent(concat!("kpsite-linkcheck/", env!("CARGO_PKG_VERSION")))
        .build()
        .into()
}

/// One URL: HEAD, then GET if the server does not do HEAD.
pub fn probe(agent: &ureq::Agent, url: &str) -> Outcome {
    let status = |r: Result<ureq::http::Response<ureq::Body>, ureq::Error>| {
        r.map(|resp| resp.status().as_u16())
    };
    let first = status(agent.head(url).call());
    let code = match first {
        Ok(405 | 501 | 403) | Err(ureq::Error::Protocol(_)) => status(agent.get(url).call()),
        other => other,
    };
    match code {
        Ok(c) if c < 400 => Outcome::Ok,
        Ok(c @ (404 | 410)) => Outcome::Gone(c),
        Ok(c) => Outcome::Status(c),
        Err(e) => Outcome::Unreachable(e.to_string()),
    }
}
