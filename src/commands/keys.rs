//! `kpsite keys [DIR]` and `kpsite keys rotate OFFER [DIR]`: the unlock
//! links of an encrypted site. Standard output carries only
//! `OFFER-ID<TAB>UNLOCK-URL` lines; everything else goes to standard error.

use std::path::Path;

use crate::delivery::{self, keys::ROTATIONS_FILE};
use crate::diagnostics::Diagnostic;
use crate::model::Site;
use crate::validate::Options;

/// Prints one unlock link per offer. Returns the number of errors.
pub fn run(dir: &Path, options: &Options) -> usize {
    let Some(site) = load(dir, options) else {
        return 1;
    };
    print_links(&site, None);
    0
}

/// Rotates `offer`'s key and prints its new link. Returns the number of errors.
pub fn rotate(dir: &Path, offer: &str, options: &Options) -> usize {
    let Some(site) = load(dir, options) else {
        return 1;
    };
    let grants = delivery::grants(&site);
    if !grants.iter().any(|g| g.id == offer) {
        let known: Vec<&str> = grants.iter().map(|g| g.id).collect();
        eprintln!(
            "error: no offer `{offer}` in manifest.yaml; offers: {}",
            known.join(", ")
        );
        return 1;
    }
    let n = match delivery::keys::rotate(dir, offer) {
        Ok(n) => n,
        Err(d) => {
            eprintln!("{}", prefixed(dir, d));
            return 1;
        }
    };
    // Reload, so the link printed is the one the next build publishes.
    let Some(site) = load(dir, options) else {
        return 1;
    };
    eprintln!(
        "rotated `{offer}` (rotation {n}, recorded in {ROTATIONS_FILE}: commit it). \
         Rebuild and deploy: the old link then opens nothing; every other offer's link keeps working."
    );
    print_links(&site, Some(offer));
    0
}

fn print_links(site: &Site, only: Option<&str>) {
    let Some(keys) = site.config.delivery.keys() else {
        return;
    };
    for g in delivery::grants(site) {
        if only.is_none_or(|o| o == g.id) {
            println!("{}\t{}", g.id, delivery::unlock_url(site, keys, g.id));
        }
    }
}

/// The validated site, when it is valid and publishes encrypted; else the
/// errors are printed.
fn load(dir: &Path, options: &Options) -> Option<Site> {
    let site = match crate::build::load(dir, options) {
        Ok(l) => {
            super::print(l.warnings);
            l.site
        }
        Err(diags) => {
            super::print(diags);
            return None;
        }
    };
    if site.config.delivery.keys().is_none() {
        eprintln!(
            "error: {}: unlock links need `delivery: encrypted` in kpsite.yaml (see the README, \"Delivering paid lessons\")",
            dir.join("kpsite.yaml").display()
        );
        return None;
    }
    Some(site)
}

fn prefixed(dir: &Path, d: Diagnostic) -> String {
    format!("{} (in {})", d, dir.display())
}
