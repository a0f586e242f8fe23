//! The theme: templates, static files and UI strings. The default theme
//! lives in `themes/default/` and is embedded at compile time; a site's
//! `themes/<name>/` and `templates/<name>` override it file by file.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use tera::Tera;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::model::Language;

/// The default theme's UI strings, by language tag. A language missing here
/// needs a site `i18n/<lang>.yaml`; English fills any key it lacks.
pub const STRINGS: &[(&str, &str)] = &[("en", STRINGS_EN), ("zh-CN", STRINGS_ZH)];

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
    "courses.html",
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
    "video.html",
    "feed.xml",
    "sitemap.xml",
    "robots.txt",
);

/// The default theme's static files, copied to the output root.
pub const STATIC: &[(&str, &[u8])] = embed_static!(
    "style.css",
    "highlight.css",
    "search.js",
    "unlock.js",
    "countdown.js",
    "player.js",
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
    lang: &Language,
    site_strings: &BTreeMap<String, String>,
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
    let mut tera = compile(&templates)?;
    let mut strings = strings(lang);
    overlay(&mut strings, site_strings);
    tera.register_function("count", Count(strings.clone()));
    Ok(Theme {
        tera,
        assets,
        strings,
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
fn strings(lang: &Language) -> BTreeMap<String, String> {
    let mut out = parse_strings(STRINGS_EN).unwrap_or_default();
    if lang.tag() != "en"
        && let Some((_, text)) = STRINGS.iter().find(|(t, _)| *t == lang.tag())
    {
        overlay(&mut out, &parse_strings(text).unwrap_or_default());
    }
    out
}

/// Puts the strings of `over` over `base`. A string `over` gives replaces
/// all of `base`'s forms of it: an English `one` form must not survive
/// under a language that has no such form.
pub fn overlay(base: &mut BTreeMap<String, String>, over: &BTreeMap<String, String>) {
    for (key, text) in over {
        if !key.ends_with(".one") {
            base.remove(&format!("{key}.one"));
        }
        base.insert(key.clone(), text.clone());
    }
    for (key, text) in over.iter().filter(|(k, _)| k.ends_with(".one")) {
        base.insert(key.clone(), text.clone());
    }
}

/// Parses a strings file: `key: text`, or for a plural-aware string
/// `key: {one: …, other: …}`, flattened to `key` (the `other` form, so a
/// template may use it as plain text) and `key.one`. An error names the
/// key, or is YAML's own.
pub fn parse_strings(text: &str) -> Result<BTreeMap<String, String>, StringsError> {
    use serde_yaml::Value;
    let raw: BTreeMap<String, Value> = if text.trim().is_empty() {
        BTreeMap::new()
    } else {
        serde_yaml::from_str(text).map_err(StringsError::Yaml)?
    };
    let mut out = BTreeMap::new();
    for (key, value) in raw {
        let plain = |v: &Value| match v {
            Value::String(s) => Some(s.clone()),
            Value::Number(n) => Some(n.to_string()),
            Value::Bool(b) => Some(b.to_string()),
            _ => None,
        };
        if let Some(t) = plain(&value) {
            out.insert(key, t);
            continue;
        }
        let forms = value.as_mapping().and_then(|m| {
            let other = plain(m.get("other")?)?;
            let one = m.get("one").map(plain);
            let known = m
                .keys()
                .all(|k| matches!(k.as_str(), Some("one" | "other")));
            (known && one != Some(None)).then_some((one.flatten(), other))
        });
        let Some((one, other)) = forms else {
            return Err(StringsError::Value(key));
        };
        if let Some(one) = one {
            out.insert(format!("{key}.one"), one);
        }
        out.insert(key, other);
    }
    Ok(out)
}

/// Why a strings file could not be read.
#[derive(Debug)]
pub enum StringsError {
    /// Not YAML, or not a map of keys.
    Yaml(serde_yaml::Error),
    /// The value of this key is neither text nor `{one, other}`.
    Value(String),
}

impl std::fmt::Display for StringsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            StringsError::Yaml(e) => write!(f, "{e}"),
            StringsError::Value(k) => write!(
                f,
                "`{k}` must be text, or `{{one: …, other: …}}` for a string that counts something"
            ),
        }
    }
}

/// The string `key` for the number `n`: its `one` form when `n` is 1 and
/// the language has one, else the `other` form, with `{n}` filled in.
pub fn plural(strings: &BTreeMap<String, String>, key: &str, n: u64) -> String {
    let one = (n == 1)
        .then(|| strings.get(&format!("{key}.one")))
        .flatten();
    one.or_else(|| strings.get(key))
        .map(|s| s.replace("{n}", &n.to_string()))
        .unwrap_or_default()
}

/// The template function `count(key="lessons_count", n=3)`: [`plural`].
struct Count(BTreeMap<String, String>);

impl tera::Function for Count {
    fn call(
        &self,
        args: &std::collections::HashMap<String, tera::Value>,
    ) -> tera::Result<tera::Value> {
        let key = args
            .get("key")
            .and_then(tera::Value::as_str)
            .ok_or("count() needs key=\"…\"")?;
        let n = args
            .get("n")
            .and_then(tera::Value::as_u64)
            .ok_or("count() needs a whole number n=…")?;
        Ok(tera::Value::String(plural(&self.0, key, n)))
    }

    fn is_safe(&self) -> bool {
        false
    }
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
        let en = serde_yaml::from_str::<BTreeMap<String, serde_yaml::Value>>(STRINGS_EN).unwrap();
        let zh = serde_yaml::from_str::<BTreeMap<String, serde_yaml::Value>>(STRINGS_ZH).unwrap();
        assert_eq!(en.keys().collect::<Vec<_>>(), zh.keys().collect::<Vec<_>>());
        for (tag, text) in STRINGS {
            parse_strings(text).unwrap_or_else(|e| panic!("i18n/{tag}.yaml: {e}"));
        }
    }

    #[test]
    fn plural_forms() {
        let en = strings(&Language::en());
        assert_eq!(plural(&en, "lessons_count", 1), "1 lesson");
        assert_eq!(plural(&en, "lessons_count", 2), "2 lessons");
        assert_eq!(plural(&en, "lessons_count", 0), "0 lessons");
        let zh = strings(&Language::parse("zh-CN").unwrap());
        assert_eq!(plural(&zh, "lessons_count", 1), "1 节课");
        assert_eq!(plural(&zh, "lessons_count", 3), "3 节课");
    }

    #[test]
    fn default_theme_compiles() {
        load(
            Path::new("."),
            "default",
            &BTreeMap::new(),
            &Language::en(),
            &BTreeMap::new(),
        )
        .unwrap();
    }
}
