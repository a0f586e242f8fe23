//! Where each thing lives: the site-relative path of every kind of page
//! and file, the one place that decides it. `render::links` re-exports
//! these and builds full URLs from them; lower layers (delivery, the
//! output secret scan) use them without depending on render.

/// The top-level output folders kpsite's own pages live in (and `static`,
/// the site's static files): a page slug must not take one. A test below
/// keeps it equal to the functions of this module.
pub const RESERVED: &[&str] = &[
    "courses",
    "memberships",
    "bundles",
    "events",
    "search",
    "unlock",
    "static",
];

/// Site-relative path of the course index.
pub fn courses() -> String {
    "courses/".to_string()
}

/// Site-relative path of a course page.
pub fn course(id: &str) -> String {
    format!("courses/{id}/")
}

/// Site-relative path of a lesson page.
pub fn lesson(course: &str, slug: &str) -> String {
    format!("courses/{course}/{slug}/")
}

/// Site-relative path of a membership page.
pub fn membership(id: &str) -> String {
    format!("memberships/{id}/")
}

/// Site-relative path of a bundle page.
pub fn bundle(id: &str) -> String {
    format!("bundles/{id}/")
}

/// Site-relative path of a page from `pages/`.
pub fn page(slug: &str) -> String {
    format!("{slug}/")
}

/// Site-relative path of the events index.
pub fn events() -> String {
    "events/".to_string()
}

/// Site-relative path of an event page.
pub fn event(id: &str) -> String {
    format!("events/{id}/")
}

/// Site-relative path of an event's own calendar file.
pub fn event_ics(id: &str) -> String {
    format!("events/{id}.ics")
}

/// Site-relative path of the calendar feed of every event.
pub fn calendar_ics() -> String {
    "calendar.ics".to_string()
}

/// Site-relative path of the unlock page (delivery: encrypted).
pub fn unlock() -> String {
    "unlock/".to_string()
}

/// Site-relative path of the search page.
pub fn search() -> String {
    "search/".to_string()
}

/// The file written for a directory-style URL.
pub fn index_file(rel: &str) -> String {
    format!("{rel}index.html")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_folder_of_kpsites_own_pages_is_reserved() {
        let paths = [
            courses(),
            course("c"),
            lesson("c", "l"),
            membership("m"),
            bundle("b"),
            events(),
            event("e"),
            event_ics("e"),
            unlock(),
            search(),
        ];
        for p in paths {
            let top = p.split('/').next().unwrap();
            assert!(RESERVED.contains(&top), "{p}: `{top}` is not reserved");
        }
        // A page from `pages/` takes its slug as its folder: not reserved.
        assert!(!RESERVED.contains(&page("about").trim_end_matches('/')));
    }
}
