//! Heading ids: turning heading text into a slug, and keeping slugs unique
//! within one document so every `#fragment` lands on exactly one heading.

use std::collections::{HashMap, HashSet};

/// Turns heading text into an id.
///
/// Letters and digits of any script are kept (so Chinese headings keep
/// readable ids such as `所有权与借用`), ASCII is lowercased, runs of spaces
/// and hyphens become one `-`, `_` is kept and other punctuation is dropped.
/// `"Hello, World!"` becomes `"hello-world"`. The result may be empty
/// (e.g. for `"!!!"`); [`render`](super::render) then falls back to
/// `section`.
pub fn slugify(text: &str) -> String {
    let mut slug = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_alphanumeric() || c == '_' {
            // Lowercasing may add marks (`İ` → `i` + U+0307): keep only
            // letters and digits, so a slug is its own slug.
            slug.extend(
                c.to_lowercase()
                    .filter(|l| l.is_alphanumeric() || *l == '_'),
            );
        } else if (c.is_whitespace() || c == '-') && !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    // A trailing separator would come from trailing spaces or punctuation.
    while slug.ends_with('-') {
        slug.pop();
    }
    slug
}

/// The ids already handed out in one document.
#[derive(Default)]
pub(super) struct IdSet {
    used: HashSet<String>,
    // Next suffix to try per base slug, so a document with thousands of
    // identical headings stays linear instead of rescanning -1, -2, ...
    next_suffix: HashMap<String, usize>,
}

impl IdSet {
    /// Returns a unique id for `slug`: the slug itself the first time, then
    /// `slug-1`, `slug-2`, ... An empty slug becomes `section`, because an
    /// empty `id` attribute is invalid HTML.
    pub(super) fn claim(&mut self, slug: &str) -> String {
        let base = if slug.is_empty() { "section" } else { slug };
        if self.used.insert(base.to_string()) {
            return base.to_string();
        }
        let n = self.next_suffix.entry(base.to_string()).or_insert(1);
        // A literal heading like "Intro 1" may already own "intro-1".
        loop {
            let candidate = format!("{base}-{n}");
            *n += 1;
            if self.used.insert(candidate.clone()) {
                return candidate;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugify_ascii_drops_punctuation() {
        assert_eq!(slugify("Hello, World!"), "hello-world");
        assert_eq!(
            slugify("  Step 2: Borrowing -- moves  "),
            "step-2-borrowing-moves"
        );
        assert_eq!(slugify("snake_case"), "snake_case");
    }

    #[test]
    fn slugify_keeps_cjk() {
        assert_eq!(slugify("所有权与借用"), "所有权与借用");
        assert_eq!(slugify("第 1 章：Rust 入门"), "第-1-章rust-入门");
    }

    #[test]
    fn slugify_all_punctuation_is_empty() {
        assert_eq!(slugify("!!! ???"), "");
    }

    #[test]
    fn claim_makes_ids_unique() {
        let mut ids = IdSet::default();
        assert_eq!(ids.claim("intro"), "intro");
        assert_eq!(ids.claim("intro-1"), "intro-1");
        // "intro-1" is taken by a real heading, so the duplicate skips it.
        assert_eq!(ids.claim("intro"), "intro-2");
        assert_eq!(ids.claim("intro"), "intro-3");
        assert_eq!(ids.claim(""), "section");
        assert_eq!(ids.claim(""), "section-1");
    }
}
