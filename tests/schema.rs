//! JSON Schemas for editors: `kpsite schema NAME` prints the schema derived
//! from the parser's own types; the copies in `schemas/` are kept equal to
//! it (`KPSITE_BLESS=1 cargo test --test schema` rewrites them); every
//! valid file we ship validates, and typos do not.

mod common;

use std::fs;
use std::path::Path;
use std::process::Command;

use common::TestSite;
use serde_json::Value;

/// Schemas of whole YAML files (init writes these to schemas/).
const NAMES: [&str; 3] = ["kpsite", "manifest", "calendar"];
/// Every schema `kpsite schema` prints, front matter included.
const ALL: [&str; 5] = ["kpsite", "manifest", "calendar", "lesson", "page"];

fn schema_text(name: &str) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_kpsite"))
        .args(["schema", name])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn schema(name: &str) -> Value {
    serde_json::from_str(&schema_text(name)).unwrap()
}

#[test]
fn committed_schemas_match_the_types() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas");
    let bless = std::env::var_os("KPSITE_BLESS").is_some();
    for name in ALL {
        let path = dir.join(format!("{name}.json"));
        let now = schema_text(name);
        if bless {
            fs::create_dir_all(&dir).unwrap();
            fs::write(&path, &now).unwrap();
        }
        let committed = fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == now,
            "schemas/{name}.json is not what `kpsite schema {name}` prints; \
             run KPSITE_BLESS=1 cargo test --test schema and review the diff"
        );
    }
}

#[test]
fn schema_names_are_checked() {
    let out = Command::new(env!("CARGO_BIN_EXE_kpsite"))
        .args(["schema", "manfest"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn init_writes_schemas_and_names_them() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    let out = Command::new(env!("CARGO_BIN_EXE_kpsite"))
        .arg("init")
        .arg(&site)
        .output()
        .unwrap();
    assert!(out.status.success());
    for name in NAMES {
        let written = fs::read_to_string(site.join(format!("schemas/{name}.json"))).unwrap();
        assert_eq!(written, schema_text(name));
        let yaml = fs::read_to_string(site.join(format!("{name}.yaml"))).unwrap();
        assert_eq!(
            yaml.lines().next().unwrap(),
            format!("# yaml-language-server: $schema=schemas/{name}.json")
        );
        let errors = validate_yaml(&schema(name), &yaml);
        assert!(errors.is_empty(), "{name}.yaml: {errors:?}");
    }
}

/// Every YAML file we ship as an example is valid under its schema.
#[test]
fn shipped_files_validate() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut checked = 0;
    for dir in [
        "tests/fixtures/basic",
        "tests/fixtures/report",
        "example-site",
    ] {
        for name in NAMES {
            let path = root.join(dir).join(format!("{name}.yaml"));
            let Ok(text) = fs::read_to_string(&path) else {
                continue;
            };
            let errors = validate_yaml(&schema(name), &text);
            assert!(errors.is_empty(), "{}: {errors:?}", path.display());
            checked += 1;
        }
    }
    assert!(checked >= 4, "only {checked} files checked");
}

#[test]
fn typos_and_bad_values_are_flagged() {
    let site = TestSite::fixture("basic");
    let cases = [
        (
            "manifest",
            "manifest.yaml",
            "    price: 49.99",
            "    pirce: 49.99",
            "pirce",
        ),
        (
            "manifest",
            "manifest.yaml",
            "provider: stripe",
            "provider: stripey",
            "provider",
        ),
        (
            "manifest",
            "manifest.yaml",
            "level: beginner",
            "level: expert",
            "level",
        ),
        (
            "manifest",
            "manifest.yaml",
            "price: 120",
            "price: -120",
            "price",
        ),
        (
            "manifest",
            "manifest.yaml",
            "currency: EUR",
            "currency: EUX",
            "currency",
        ),
        (
            "kpsite",
            "kpsite.yaml",
            "currency: USD",
            "curency: USD",
            "curency",
        ),
        (
            "kpsite",
            "kpsite.yaml",
            "language: en",
            // Any language tag is allowed (a site's i18n/<tag>.yaml gives
            // its strings, spec §8; the tag itself is a `pattern`, which
            // this validator does not check); a list is not a tag.
            "language: [fr]",
            "language",
        ),
        (
            "kpsite",
            "kpsite.yaml",
            "title: Fixture Academy\n",
            "",
            "title",
        ),
    ];
    for (schema_name, file, from, to, want) in cases {
        let text = site.read(file).replacen(from, to, 1);
        let errors = validate_yaml(&schema(schema_name), &text);
        assert!(
            errors.iter().any(|e| e.contains(want)),
            "{file} with {to:?}: {errors:?}"
        );
    }
    let calendar =
        "events:\n  - id: a\n    title: A\n    start: 2026-12-02T20:00\n    duraton: 90m\n";
    let errors = validate_yaml(&schema("calendar"), calendar);
    assert!(errors.iter().any(|e| e.contains("duraton")), "{errors:?}");
    let both = "events:\n  - id: a\n    title: A\n    start: 2026-12-02T20:00\n    duration: 90m\n    end: 2026-12-02T21:00\n";
    assert!(!validate_yaml(&schema("calendar"), both).is_empty());
}

/// The YAML between the `---` fences at the top of a Markdown file.
fn front_matter(text: &str) -> &str {
    let rest = text.strip_prefix("---\n").expect("front matter");
    &rest[..rest.find("\n---").expect("closing fence") + 1]
}

/// Every lesson and page we ship validates under `kpsite schema
/// lesson|page`, and a typo or a wrong type is flagged.
#[test]
fn front_matter_schemas_accept_shipped_files_and_flag_typos() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (lesson, page) = (schema("lesson"), schema("page"));
    let mut checked = 0;
    for dir in [
        "tests/fixtures/basic",
        "example-site",
        "src/commands/scaffold",
    ] {
        for entry in walkdir::WalkDir::new(root.join(dir)) {
            let path = entry.unwrap().into_path();
            if path.extension().is_none_or(|e| e != "md") {
                continue;
            }
            let rel = path.to_string_lossy().into_owned();
            let site_file = ["/lessons/", "/pages/", "/scaffold/"];
            if !site_file.iter().any(|d| rel.contains(d)) {
                continue;
            }
            let text = fs::read_to_string(&path).unwrap();
            let is_page = rel.contains("/pages/") || rel.ends_with("about.md");
            let schema = if is_page { &page } else { &lesson };
            let errors = validate_yaml(schema, front_matter(&text));
            assert!(errors.is_empty(), "{rel}: {errors:?}");
            checked += 1;
        }
    }
    assert!(checked >= 8, "only {checked} files checked");
    for (schema, yaml, want) in [
        (&lesson, "titel: Intro\n", "titel"),
        (&lesson, "title: Intro\n", ""),
        (&lesson, "title: Intro\nminutes: 25 min\n", "minutes"),
        (&lesson, "title: Intro\nfree: yes please\n", "free"),
        (&page, "title: About\nsummary: x\n", "summary"),
    ] {
        let errors = validate_yaml(schema, yaml);
        if want.is_empty() {
            assert!(errors.is_empty(), "{yaml:?}: {errors:?}");
        } else {
            assert!(
                errors.iter().any(|e| e.contains(want)),
                "{yaml:?}: {errors:?}"
            );
        }
    }
}

fn validate_yaml(schema: &Value, yaml: &str) -> Vec<String> {
    let value: Value = serde_yaml::from_str(yaml).unwrap_or(Value::Null);
    let value = if value.is_null() {
        Value::Object(Default::default())
    } else {
        value
    };
    let mut errors = Vec::new();
    validate(schema, schema, &value, "", &mut errors);
    errors
}

/// A small JSON Schema validator: the keywords schemars writes, except
/// `pattern` (no regex engine here).
fn validate(root: &Value, s: &Value, v: &Value, at: &str, errors: &mut Vec<String>) {
    if let Some(r) = s.get("$ref").and_then(Value::as_str) {
        let name = r.trim_start_matches("#/$defs/");
        return validate(root, &root["$defs"][name], v, at, errors);
    }
    for key in ["anyOf", "oneOf"] {
        if let Some(options) = s.get(key).and_then(Value::as_array) {
            let ok = options.iter().any(|o| {
                let mut e = Vec::new();
                validate(root, o, v, at, &mut e);
                e.is_empty()
            });
            if !ok {
                errors.push(format!("{at}: matches no alternative"));
            }
        }
    }
    if let Some(types) = s.get("type") {
        let types: Vec<&str> = match types {
            Value::String(t) => vec![t.as_str()],
            Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        let ok = types.iter().any(|t| match *t {
            "object" => v.is_object(),
            "array" => v.is_array(),
            "string" => v.is_string(),
            "boolean" => v.is_boolean(),
            "null" => v.is_null(),
            "number" => v.is_number(),
            "integer" => v.is_u64() || v.is_i64(),
            _ => false,
        });
        if !ok {
            errors.push(format!("{at}: {v} is not {types:?}"));
            return;
        }
    }
    if let Some(allowed) = s.get("enum").and_then(Value::as_array)
        && !allowed.contains(v)
    {
        errors.push(format!("{at}: {v} is not one of {allowed:?}"));
    }
    if let Some(c) = s.get("const")
        && c != v
    {
        errors.push(format!("{at}: {v} is not {c}"));
    }
    if let (Some(min), Some(n)) = (s.get("minimum").and_then(Value::as_f64), v.as_f64())
        && n < min
    {
        errors.push(format!("{at}: {n} is below {min}"));
    }
    if let Some(not) = s.get("not") {
        let mut e = Vec::new();
        validate(root, not, v, at, &mut e);
        if e.is_empty() {
            errors.push(format!("{at}: matches what is not allowed: {not}"));
        }
    }
    if let Some(items) = s.get("items")
        && let Some(list) = v.as_array()
    {
        for (i, item) in list.iter().enumerate() {
            validate(root, items, item, &format!("{at}.{i}"), errors);
        }
    }
    let Some(map) = v.as_object() else { return };
    if let Some(required) = s.get("required").and_then(Value::as_array) {
        for r in required.iter().filter_map(Value::as_str) {
            if !map.contains_key(r) {
                errors.push(format!("{at}: missing {r}"));
            }
        }
    }
    let props = s.get("properties").and_then(Value::as_object);
    for (k, child) in map {
        let path = format!("{at}.{k}");
        match props.and_then(|p| p.get(k)) {
            Some(ps) => validate(root, ps, child, &path, errors),
            None => match s.get("additionalProperties") {
                Some(Value::Bool(false)) => errors.push(format!("{path}: unknown field {k}")),
                Some(extra @ Value::Object(_)) => validate(root, extra, child, &path, errors),
                _ => {}
            },
        }
    }
}
