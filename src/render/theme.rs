//! The theme: templates, static files and UI strings. The default theme
//! lives in `themes/default/` and is embedded at compile time; a site's
//! `themes/<name>/` and `templates/<name>` override it file by file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use tera::Tera;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::Language;

macro_rules! embed {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default/templates/", $name)))),*]
    };
}

macro_rules! embed_static {
    ($($name:literal),* $(,)?) => {
        &[$(($name, include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/themes/default/static/", $name)) as &[u8])),*]
    };
}

/// The default theme's templates, by name.
pub const TEMPLATES: &[(&str, &str)] = embed!(
    "base.html",
    "macros.html",
    "index.html",
    "course.html",
    "lesson.html",
    "membership.html",
    "bundle.html",
    "page.html",
    "404.html",
    "events.html",
    "event.html",
    "search.html",
    "unlock.html",
);

/// The default theme's static files, copied to the output root.
pub const STATIC: &[(&str, &[u8])] = embed_static!(
    "style.css",
    "highlight.css",
    "search.js",
    "unlock.js",
    "markup.js"
);

const STRINGS_EN: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/themes/default/i18n/en.yaml"
));
const STRINGS_ZH: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/themes/default/i18n/zh-CN.yaml"
));

/// Where a static file of the theme comes from.
#[derive(Debug, Clone)]
pub enum Asset {
    /// Embedded in the binary.
    Embedded(&'static [u8]),
    /// A file of the site's own theme folder.
    File(PathBuf),
}

/// A ready theme: compiled templates, static files and UI strings.
pub struct Theme {
    /// All templates, overrides applied.
    pub tera: Tera,
    /// Static files by output path.
    pub assets: BTreeMap<String, Asset>,
    /// UI strings for the site's language.
    pub strings: BTreeMap<String, String>,
}

/// Builds the theme: embedded default, then `themes/<name>/` of the site,
/// then the site's `templates/` overrides, each replacing files by name.
pub fn load(
    root: &Path,
    theme: &str,
    overrides: &BTreeMap<String, String>,
    lang: Language,
) -> Result<Theme, Diagnostic> {
    let mut templates: BTreeMap<String, (String, PathBuf)> = TEMPLATES
        .iter()
        .map(|(n, t)| {
            (
                n.to_string(),
                (
                    t.to_string(),
                    PathBuf::from("themes/default/templates").join(n),
                ),
            )
        })
        .collect();
    let mut assets: BTreeMap<String, Asset> = STATIC
        .iter()
        .map(|(n, b)| (n.to_string(), Asset::Embedded(b)))
        .collect();
    if theme != "default" {
        // Read under the symlink rule; validation reported every problem
        // already, so the first one is enough here.
        let mut found = Diagnostics::default();
        let files = crate::load::read_theme(root, theme, &mut found);
        if let Some(d) = found.sorted().into_iter().find(Diagnostic::is_error) {
            return Err(d);
        }
        for (name, text, rel) in files.templates {
            templates.insert(name, (text, rel));
        }
        for (name, real) in files.assets {
            assets.insert(name, Asset::File(real));
        }
    }
    for (name, text) in overrides {
        templates.insert(
            name.clone(),
            (text.clone(), PathBuf::from("templates").join(name)),
        );
    }
    let tera = compile(&templates)?;
    Ok(Theme {
        tera,
        assets,
        strings: strings(lang),
    })
}

fn compile(templates: &BTreeMap<String, (String, PathBuf)>) -> Result<Tera, Diagnostic> {
    let mut tera = Tera::default();
    // Tera's default escaper also encodes `/`, which makes every URL unreadable.
    tera.set_escape_fn(crate::markdown::escape_html);
    let list: Vec<(&str, &str)> = templates
        .iter()
        .map(|(n, (t, _))| (n.as_str(), t.as_str()))
        .collect();
    tera.add_raw_templates(list).map_err(|e| {
        let file = templates
            .iter()
            .find(|(n, _)| e.to_string().contains(n.as_str()))
            .map(|(_, (_, p))| p.clone())
            .unwrap_or_else(|| PathBuf::from("templates"));
        Diagnostic::file(file, error_chain(&e))
    })?;
    if let Some((name, message)) = super::recursion::find_cycle(&tera) {
        let file = templates.get(&name).map_or_else(
            || PathBuf::from("templates").join(&name),
            |(_, p)| p.clone(),
        );
        return Err(Diagnostic::file(file, message));
    }
    Ok(tera)
}

/// Tera's errors nest the useful part; print the whole chain on one line.
pub fn error_chain(e: &dyn std::error::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut source = e.source();
    while let Some(s) = source {
        parts.push(s.to_string());
        source = s.source();
    }
    parts.join(": ")
}

/// UI strings for `lang`; English fills any key the translation lacks.
fn strings(lang: Language) -> BTreeMap<String, String> {
    let parse = |s: &str| serde_yaml::from_str::<BTreeMap<String, String>>(s).unwrap_or_default();
    let mut out = parse(STRINGS_EN);
    if lang == Language::ZhCn {
        out.extend(parse(STRINGS_ZH));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::walk;

    #[test]
    fn every_theme_file_is_embedded() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
        for (name, _) in walk(&root, "templates") {
            assert!(
                TEMPLATES.iter().any(|(n, _)| *n == name),
                "templates/{name} is not embedded"
            );
        }
        for (name, _) in walk(&root, "static") {
            assert!(
                STATIC.iter().any(|(n, _)| *n == name),
                "static/{name} is not embedded"
            );
        }
    }

    #[test]
    fn both_languages_have_the_same_keys() {
        let en = serde_yaml::from_str::<BTreeMap<String, String>>(STRINGS_EN).unwrap();
        let zh = serde_yaml::from_str::<BTreeMap<String, String>>(STRINGS_ZH).unwrap();
        assert_eq!(en.keys().collect::<Vec<_>>(), zh.keys().collect::<Vec<_>>());
    }

    #[test]
    fn default_theme_compiles() {
        load(Path::new("."), "default", &BTreeMap::new(), Language::En).unwrap();
    }
}
