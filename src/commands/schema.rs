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
            SchemaName::Kpsite => schemars::schema_for!(raw::Config).to_value(),
            SchemaName::Manifest => schemars::schema_for!(raw::Manifest).to_value(),
            SchemaName::Calendar => crate::calendar::json_schema(),
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

/// Prints the schema on stdout.
pub fn run(name: SchemaName) -> usize {
    print!("{}", name.text());
    0
}
