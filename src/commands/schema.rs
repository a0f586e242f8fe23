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
}

impl SchemaName {
    /// Every schema.
    pub const ALL: [SchemaName; 3] = [
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
        }
    }

    /// The schema as pretty JSON, ending with a newline.
    pub fn text(self) -> String {
        let mut s = serde_json::to_string_pretty(&self.schema()).expect("a schema is JSON");
        s.push('\n');
        s
    }
}

/// Prints the schema on stdout.
pub fn run(name: SchemaName) -> usize {
    print!("{}", name.text());
    0
}
