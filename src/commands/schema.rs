//! `kpsite schema NAME`: the JSON Schema of a site file, for editors. The
//! schemas are derived from the very types the files are parsed into
//! (schemars), so they cannot drift from what kpsite accepts.

use serde_json::Value;

use crate::validate::raw;

/// A site file that has a schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SchemaName {
    /// `kpsite.yaml`.
    Kpsite,
    /// `manifest.yaml`.
    Manifest,
    /// `calendar.yaml`.
    Calendar,
    /// The front matter of a lesson (`lessons/<course>/NN-slug.md`).
    Lesson,
    /// The front matter of a page (`pages/*.md`).
    Page,
}

impl SchemaName {
    /// Every schema.
    pub const ALL: [SchemaName; 5] = [
        SchemaName::Kpsite,
        SchemaName::Manifest,
        SchemaName::Calendar,
        SchemaName::Lesson,
        SchemaName::Page,
    ];

    /// The schemas of whole YAML files, which `kpsite init` writes to
    /// `schemas/` and names in each file's first line (front matter has no
    /// such line, so its schemas are printed, not written).
    pub const FILES: [SchemaName; 3] = [
        SchemaName::Kpsite,
        SchemaName::Manifest,
        SchemaName::Calendar,
    ];

    /// The name on the command line and of the schema file (`kpsite`).
    pub fn name(self) -> &'static str {
        match self {
            SchemaName::Kpsite => "kpsite",
            SchemaName::Manifest => "manifest",
            SchemaName::Calendar => "calendar",
            SchemaName::Lesson => "lesson",
            SchemaName::Page => "page",
        }
    }

    /// Where `kpsite init` writes the schema, relative to the site folder;
    /// the YAML files name it in their `# yaml-language-server` line.
    pub fn site_path(self) -> String {
        format!("schemas/{}.json", self.name())
    }

    /// The JSON Schema (draft 2020-12).
    pub fn schema(self) -> Value {
        match self {
            SchemaName::Kpsite => with_language_maps(schemars::schema_for!(raw::Config).to_value()),
            SchemaName::Manifest => {
                with_language_maps(schemars::schema_for!(raw::Manifest).to_value())
            }
            SchemaName::Calendar => with_language_maps(crate::calendar::json_schema()),
            SchemaName::Lesson => with_defaults(
                schemars::schema_for!(raw::LessonMatter).to_value(),
                &[
                    (
                        "free",
                        "Free preview: published in full to everyone. Default false: only title, summary and reading time are public.",
                    ),
                    (
                        "draft",
                        "Left out of the site unless --drafts. Default false.",
                    ),
                ],
            ),
            SchemaName::Page => with_defaults(
                schemars::schema_for!(raw::PageMatter).to_value(),
                &[(
                    "draft",
                    "Left out of the site unless --drafts. Default false.",
                )],
            ),
        }
    }

    /// The schema as pretty JSON, ending with a newline.
    pub fn text(self) -> String {
        let mut s = serde_json::to_string_pretty(&self.schema()).expect("a schema is JSON");
        s.push('\n');
        s
    }
}

/// Adds a description to fields whose type carries no doc comment, so
/// editors explain every field.
fn with_defaults(mut schema: Value, notes: &[(&str, &str)]) -> Value {
    for (field, note) in notes {
        if let Some(prop) = schema
            .pointer_mut(&format!("/properties/{field}"))
            .and_then(Value::as_object_mut)
        {
            prop.entry("description")
                .or_insert_with(|| Value::String((*note).to_string()));
        }
    }
    schema
}

/// Lets every single-value field also be a language map (spec §8):
/// `{zh-CN: …, en: …}` whose values are what the field takes. `language`
/// and `languages` themselves stay as they are.
fn with_language_maps(mut schema: Value) -> Value {
    fn walk(v: &mut Value, defs: &Value) {
        match v {
            Value::Object(map) => {
                if let Some(Value::Object(props)) = map.get_mut("properties") {
                    for (name, prop) in props.iter_mut() {
                        walk(prop, defs);
                        // Single values only: wrapping a list or a block
                        // would blur every error inside it into "matches
                        // no alternative" in the editor.
                        let single = is_single_value(prop, defs);
                        if single && name != "language" && name != "languages" {
                            *prop = language_map(std::mem::take(prop));
                        }
                    }
                }
                for (key, child) in map.iter_mut() {
                    if key != "properties" {
                        walk(child, defs);
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|i| walk(i, defs)),
            _ => {}
        }
    }
    let defs = schema.get("$defs").cloned().unwrap_or(Value::Null);
    walk(&mut schema, &defs);
    schema
}

/// Whether a field's schema takes one value (text, number, date), not a
/// list, a map or a block; a `$ref` is judged by what it names.
fn is_single_value(field: &Value, defs: &Value) -> bool {
    if let Some(r) = field.get("$ref").and_then(Value::as_str) {
        let name = r.trim_start_matches("#/$defs/");
        return defs.get(name).is_some_and(|d| is_single_value(d, defs));
    }
    if let Some(Value::Array(alternatives)) = field.get("anyOf") {
        return alternatives.iter().all(|a| is_single_value(a, defs));
    }
    let blocky = |t: &Value| t == "array" || t == "object";
    let typed = match field.get("type") {
        Some(Value::Array(types)) => !types.iter().any(blocky),
        Some(t) => !blocky(t),
        None => false,
    };
    typed && field.get("properties").is_none()
}

/// `field` or a map from language tags to `field`.
fn language_map(mut field: Value) -> Value {
    let description = field.as_object_mut().and_then(|o| o.remove("description"));
    let mut out = serde_json::json!({
        "anyOf": [
            field.clone(),
            {
                "type": "object",
                "description": "The value in each language of `languages`, e.g. {zh-CN: …, en: …}",
                "minProperties": 1,
                "propertyNames": { "pattern": "^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$" },
                "additionalProperties": field
            }
        ]
    });
    if let Some(d) = description {
        out["description"] = d;
    }
    out
}

/// Prints the schema on stdout.
pub fn run(name: SchemaName) -> usize {
    print!("{}", name.text());
    0
}
