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
    tera.register_function("count", Count(strings.clone(), Plurals::of(lang)));
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
    for key in over.keys().filter(|k| form_of(k).is_none()) {
        for form in PLURAL_FORMS {
            base.remove(&format!("{key}.{form}"));
        }
    }
    for (key, text) in over {
        base.insert(key.clone(), text.clone());
    }
}

/// The CLDR plural categories a counting string may give, `other` last
/// (it is the plain string itself).
pub const PLURAL_FORMS: [&str; 6] = ["zero", "one", "two", "few", "many", "other"];

/// `lessons_count.few` → `few`; None for a plain key.
fn form_of(key: &str) -> Option<&str> {
    let (_, form) = key.rsplit_once('.')?;
    PLURAL_FORMS.contains(&form).then_some(form)
}

/// The plural rules of a language (CLDR, from the `intl_pluralrules`
/// crate of the Fluent project): which form of a counting string a number
/// takes. Looked up by the tag, then without its last subtags (`zh-CN` →
/// `zh`), so a new language needs no code; a language CLDR does not know
/// takes `one` for 1 and `other` for the rest.
pub struct Plurals(Option<intl_pluralrules::PluralRules>);

impl Plurals {
    /// The rules of `lang`.
    pub fn of(lang: &Language) -> Plurals {
        let mut tag = lang.tag();
        loop {
            let rules = tag
                .parse::<unic_langid::LanguageIdentifier>()
                .ok()
                .and_then(|id| {
                    intl_pluralrules::PluralRules::create(
                        id,
                        intl_pluralrules::PluralRuleType::CARDINAL,
                    )
                    .ok()
                });
            if rules.is_some() {
                return Plurals(rules);
            }
            match tag.rsplit_once('-') {
                Some((shorter, _)) => tag = shorter,
                None => return Plurals(None),
            }
        }
    }

    /// The form the whole number `n` takes: one of [`PLURAL_FORMS`].
    pub fn form(&self, n: u64) -> &'static str {
        use intl_pluralrules::PluralCategory as C;
        let Some(rules) = &self.0 else {
            return if n == 1 { "one" } else { "other" };
        };
        match rules.select(n) {
            Ok(C::ZERO) => "zero",
            Ok(C::ONE) => "one",
            Ok(C::TWO) => "two",
            Ok(C::FEW) => "few",
            Ok(C::MANY) => "many",
            Ok(C::OTHER) | Err(_) => "other",
        }
    }

    /// The forms whole numbers take in this language (`one`, `few`, `many`,
    /// `other` in Russian), found by asking the rules: counts are whole, so
    /// a form only fractions take (Russian `other`, say) is still listed.
    pub fn forms(&self) -> Vec<&'static str> {
        let samples = (0..=1_000).chain([1_000_000, 1_000_001]);
        let seen: std::collections::BTreeSet<&str> = samples.map(|n| self.form(n)).collect();
        PLURAL_FORMS
            .into_iter()
            .filter(|f| seen.contains(f) || *f == "other")
            .collect()
    }
}

/// Warnings about the counting strings of a strings file for `lang`: a
/// form that is not a CLDR category (a typo), or one the language never
/// uses for a count. As (YAML path of the form, message).
pub fn plural_problems(text: &str, lang: &Language) -> Vec<(String, String)> {
    use serde_yaml::Value;
    let Ok(raw) = serde_yaml::from_str::<BTreeMap<String, Value>>(text) else {
        return Vec::new();
    };
    let forms = Plurals::of(lang).forms();
    let list = forms.join(", ");
    let mut out = Vec::new();
    for (key, value) in &raw {
        let Some(map) = value.as_mapping() else {
            continue;
        };
        for form in map.keys().map(|k| k.as_str().unwrap_or("?")) {
            let path = format!("{key}.{form}");
            if !PLURAL_FORMS.contains(&form) {
                out.push((
                    path,
                    format!(
                        "`{form}` is not a plural form, so `{key}` never shows it; \
                         the forms of {lang} are {list}"
                    ),
                ));
            } else if !forms.contains(&form) {
                out.push((
                    path,
                    format!(
                        "{lang} has no `{form}` form for counts, so `{key}` never shows it; \
                         the forms of {lang} are {list}"
                    ),
                ));
            }
        }
    }
    out
}

/// Parses a strings file: `key: text`, or for a plural-aware string a map
/// of CLDR forms, `key: {one: …, few: …, other: …}`, flattened to `key`
/// (the `other` form, so a template may use it as plain text) and
/// `key.<form>` for the others. A key that is no plural form is left out
/// here and warned about by [`plural_problems`]. An error names the key,
/// or is YAML's own.
pub fn parse_strings(text: &str) -> Result<BTreeMap<String, String>, StringsError> {
    use serde_yaml::Value;
    let raw: BTreeMap<String, Value> = if text.trim().is_empty() {
        BTreeMap::new()
    } else {
        serde_yaml::from_str(text).map_err(StringsError::Yaml)?
    };
    let plain = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    };
    let mut out = BTreeMap::new();
    for (key, value) in raw {
        if let Some(t) = plain(&value) {
            out.insert(key, t);
            continue;
        }
        let forms = value.as_mapping().and_then(|m| {
            let mut forms = Vec::new();
            for (k, v) in m {
                let form = k.as_str()?;
                let text = plain(v)?;
                if PLURAL_FORMS.contains(&form) {
                    forms.push((form, text));
                }
            }
            forms.iter().any(|(f, _)| *f == "other").then_some(forms)
        });
        let Some(forms) = forms else {
            return Err(StringsError::Value(key));
        };
        for (form, text) in forms {
            match form {
                "other" => out.insert(key.clone(), text),
                _ => out.insert(format!("{key}.{form}"), text),
            };
        }
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
                "`{k}` must be text, or a map of plural forms with at least `other` (`{{one: …, other: …}}`) for a string that counts something"
            ),
        }
    }
}

/// The string `key` for the number `n`: the form `plurals` picks for `n`
/// when the strings give it, else the `other` form, with `{n}` filled in.
pub fn plural(strings: &BTreeMap<String, String>, plurals: &Plurals, key: &str, n: u64) -> String {
    let form = plurals.form(n);
    strings
        .get(&format!("{key}.{form}"))
        .or_else(|| strings.get(key))
        .map(|s| s.replace("{n}", &n.to_string()))
        .unwrap_or_default()
}

/// The template function `count(key="lessons_count", n=3)`: [`plural`].
struct Count(BTreeMap<String, String>, Plurals);

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
        Ok(tera::Value::String(plural(&self.0, &self.1, key, n)))
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
        let en_rules = Plurals::of(&Language::en());
        assert_eq!(plural(&en, &en_rules, "lessons_count", 1), "1 lesson");
        assert_eq!(plural(&en, &en_rules, "lessons_count", 2), "2 lessons");
        assert_eq!(plural(&en, &en_rules, "lessons_count", 0), "0 lessons");
        assert_eq!(plural(&en, &en_rules, "repeat_count", 1), "once");
        assert_eq!(plural(&en, &en_rules, "repeat_count", 8), "8 times");
        assert_eq!(
            plural(&en, &en_rules, "nav_more", 1),
            "1 more lesson in the syllabus"
        );
        let zh_tag = Language::parse("zh-CN").unwrap();
        let zh = strings(&zh_tag);
        let zh_rules = Plurals::of(&zh_tag);
        assert_eq!(zh_rules.forms(), ["other"]);
        assert_eq!(plural(&zh, &zh_rules, "lessons_count", 1), "1 节课");
        assert_eq!(plural(&zh, &zh_rules, "lessons_count", 3), "3 节课");
    }

    #[test]
    fn cldr_forms_of_languages_with_more_than_two() {
        let ru = Plurals::of(&Language::parse("ru").unwrap());
        assert_eq!(ru.forms(), ["one", "few", "many", "other"]);
        let picks: Vec<&str> = [1, 2, 5, 11, 21, 22, 25, 111].map(|n| ru.form(n)).to_vec();
        assert_eq!(
            picks,
            ["one", "few", "many", "many", "one", "few", "many", "many"]
        );
        let ar = Plurals::of(&Language::parse("ar-EG").unwrap());
        assert_eq!(ar.forms(), ["zero", "one", "two", "few", "many", "other"]);
        // French: 0 and 1 are singular.
        let fr = Plurals::of(&Language::parse("fr-CA").unwrap());
        assert_eq!(
            (fr.form(0), fr.form(1), fr.form(2)),
            ("one", "one", "other")
        );
        // A language CLDR does not know: one for 1, other otherwise.
        let xx = Plurals::of(&Language::parse("qaa").unwrap());
        assert_eq!((xx.form(1), xx.form(2)), ("one", "other"));

        let pl = parse_strings("n:\n  one: \"{n} lekcja\"\n  few: \"{n} lekcje\"\n  many: \"{n} lekcji\"\n  other: \"{n} lekcji\"\n").unwrap();
        let rules = Plurals::of(&Language::parse("pl").unwrap());
        let shown: Vec<String> = [1, 3, 5, 22].map(|n| plural(&pl, &rules, "n", n)).to_vec();
        assert_eq!(shown, ["1 lekcja", "3 lekcje", "5 lekcji", "22 lekcje"]);
    }

    #[test]
    fn unknown_and_unused_forms_are_named() {
        let text = "n:\n  one: a\n  few: b\n  fwe: c\n  other: d\nplain: x\n";
        let found = plural_problems(text, &Language::en());
        let paths: Vec<&str> = found.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(paths, ["n.few", "n.fwe"]);
        assert!(found[0].1.contains("en has no `few` form"), "{found:?}");
        assert!(
            found[1].1.contains("`fwe` is not a plural form"),
            "{found:?}"
        );
        assert!(plural_problems(text, &Language::parse("pl").unwrap()).len() == 1);
        // Without `other` it is an error naming the key.
        assert!(matches!(parse_strings("n: {one: a}"), Err(StringsError::Value(k)) if k == "n"));
    }

    #[test]
    fn overlay_replaces_every_form() {
        let mut base = parse_strings("n: {one: a, few: b, other: c}\nm: x\n").unwrap();
        overlay(&mut base, &parse_strings("n: plain\n").unwrap());
        assert_eq!(base.get("n").map(String::as_str), Some("plain"));
        assert!(!base.contains_key("n.one") && !base.contains_key("n.few"));
        assert_eq!(base.get("m").map(String::as_str), Some("x"));
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
