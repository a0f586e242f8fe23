//! Delivery of paid lessons on a static host (`delivery: encrypted`, SPEC
//! §6): what each offer grants, the unlock links, the keystores they open,
//! and the sealing of paid bodies and members-only event details. Render
//! hands finished HTML here and publishes what comes back; no key leaves
//! this module except in [`unlock_url`] (for `kpsite keys`) and inside the
//! keystores, encrypted under the offer key.

pub mod keys;
pub mod seal;
pub mod secret;

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use serde_json::json;

pub use crate::model::delivery::Delivery;
pub use keys::Keys;
pub use secret::Secret;

use crate::model::{OfferKind, Site};
use crate::paths as links;

/// One offer and what buying it grants.
#[derive(Debug, Clone)]
pub struct Grant<'a> {
    /// Offer id.
    pub id: &'a str,
    /// Course, membership or bundle.
    pub kind: OfferKind,
    /// Display title.
    pub title: &'a str,
    /// Course ids it grants, in manifest order.
    pub courses: Vec<&'a str>,
    /// Whether it grants members-only event details (memberships).
    pub members: bool,
}

/// Every offer of the site with its grants, in manifest order: courses,
/// memberships, bundles. A course grants itself, a bundle its courses, a
/// membership its `includes` and the members-only event details.
pub fn grants(site: &Site) -> Vec<Grant<'_>> {
    let mut out: Vec<Grant> = site
        .courses
        .iter()
        .map(|c| Grant {
            id: &c.offer.id,
            kind: OfferKind::Course,
            title: &c.offer.title,
            courses: vec![c.offer.id.as_str()],
            members: false,
        })
        .collect();
    out.extend(site.memberships.iter().map(|m| Grant {
        id: &m.offer.id,
        kind: OfferKind::Membership,
        title: &m.offer.title,
        courses: m.includes.iter().map(String::as_str).collect(),
        members: true,
    }));
    out.extend(site.bundles.iter().map(|b| Grant {
        id: &b.offer.id,
        kind: OfferKind::Bundle,
        title: &b.offer.title,
        courses: b.courses.iter().map(String::as_str).collect(),
        members: false,
    }));
    out
}

/// The unlock token of `offer`: its key, base64url without padding.
pub fn token(keys: &Keys, offer: &str) -> String {
    URL_SAFE_NO_PAD.encode(keys.offer_key(offer))
}

/// `<base_url>unlock/#<token>`: the link a buyer gets after paying.
pub fn unlock_url(site: &Site, keys: &Keys, offer: &str) -> String {
    format!(
        "{}{}#{}",
        site.config.base_url,
        links::unlock(),
        token(keys, offer)
    )
}

/// Output path of the keystore that `offer_key` opens.
pub fn keystore_path(offer_key: &keys::Key) -> String {
    format!("{}{}.json", links::unlock(), keys::keystore_id(offer_key))
}

/// The keystore files of every offer: path → bytes. Each holds, encrypted
/// under a key derived from the offer key, the offer's title and the
/// content keys (and members key) it grants, with titles and links of the
/// courses for the unlock page; `url` turns a site-relative path into the
/// root-relative URL the unlock page links to (render's `Urls::path`).
pub fn keystores(site: &Site, keys: &Keys, url: impl Fn(&str) -> String) -> Vec<(String, Vec<u8>)> {
    grants(site)
        .iter()
        .map(|g| {
            let offer_key = keys.offer_key(g.id);
            let path = keystore_path(&offer_key);
            let courses: Vec<_> = g
                .courses
                .iter()
                .filter_map(|id| site.courses.iter().find(|c| c.offer.id == *id))
                .map(|c| {
                    json!({
                        "id": c.offer.id,
                        "title": c.offer.title,
                        "url": url(&links::course(&c.offer.id)),
                        "key": STANDARD.encode(keys.content_key(&c.offer.id)),
                    })
                })
                .collect();
            let plain = json!({
                "v": 1,
                "offer": g.id,
                "kind": g.kind.name(),
                "title": g.title,
                "url": url(&offer_page(g)),
                "courses": courses,
                "members": g.members.then(|| STANDARD.encode(keys.members_key())),
            });
            let sealed = seal::seal(
                &keys::keystore_key(&offer_key),
                &path,
                plain.to_string().as_bytes(),
            );
            let file = json!({"v": 1, "sealed": sealed}).to_string();
            (path, file.into_bytes())
        })
        .collect()
}

/// The page of a granted offer.
fn offer_page(g: &Grant) -> String {
    match g.kind {
        OfferKind::Course => links::course(g.id),
        OfferKind::Membership => links::membership(g.id),
        OfferKind::Bundle => links::bundle(g.id),
    }
}

/// A sealed fragment as the theme embeds it: which key opens it, what it
/// is bound to (its output path) and the base64 data.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Sealed {
    /// `course:<id>` or `members`.
    pub key: String,
    /// The additional data: the page's output path.
    pub aad: String,
    /// base64 of nonce ‖ ciphertext ‖ tag.
    pub data: String,
}

/// Seals the rendered body HTML of a paid lesson of `course`, published at `path`.
pub fn seal_lesson(keys: &Keys, course: &str, path: &str, html: &str) -> Sealed {
    Sealed {
        key: format!("course:{course}"),
        aad: path.to_string(),
        data: seal::seal(&keys.content_key(course), path, html.as_bytes()),
    }
}

/// Seals the members-only details (HTML) of the event page at `path`.
pub fn seal_members(keys: &Keys, path: &str, html: &str) -> Sealed {
    Sealed {
        key: "members".into(),
        aad: path.to_string(),
        data: seal::seal(&keys.members_key(), path, html.as_bytes()),
    }
}

/// Where sealed search shards are published: `unlock/search/<id>`.
pub const SEARCH_DIR: &str = "unlock/search/";

/// One paid lesson as its buyers' search sees it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SearchEntry {
    /// Root-relative URL of the lesson page.
    pub url: String,
    /// Lesson title.
    pub title: String,
    /// Plain text of the body.
    pub text: String,
}

/// The search shard of each course's paid lessons, sealed under the
/// course's content key at `unlock/search/<search id>`: `entries` are
/// (course id, lesson position, entry), in any order. The browser fetches
/// the shards of the courses it holds keys for and searches them there.
pub fn search_shards(
    keys: &Keys,
    mut entries: Vec<(String, usize, SearchEntry)>,
) -> Vec<(String, Vec<u8>)> {
    entries.sort_by(|a, b| (&a.0, a.1).cmp(&(&b.0, b.1)));
    let mut by_course: std::collections::BTreeMap<String, Vec<SearchEntry>> = Default::default();
    for (course, _, e) in entries {
        by_course.entry(course).or_default().push(e);
    }
    by_course
        .into_iter()
        .map(|(course, list)| {
            let path = format!("{SEARCH_DIR}{}", keys::search_id(keys, &course));
            let plain = json!({"v": 1, "course": course, "pages": list}).to_string();
            let sealed = seal::seal_bytes(&keys.content_key(&course), &path, plain.as_bytes());
            (path, sealed)
        })
        .collect()
}
