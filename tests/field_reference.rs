//! The README's field reference cannot drift from the code: every object of
//! every JSON Schema `kpsite schema NAME` prints (they are derived from the
//! parser's own types) has a table `| <object> field | ... |` in the README
//! with exactly its fields, and the fields the parser requires are the ones
//! the table marks `required`.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;
use std::process::Command;

use serde_json::Value;

/// One README table: each row's field names and its default cell.
type Table = Vec<(Vec<String>, String)>;

fn schema(name: &str) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_kpsite"))
        .args(["schema", name])
        .output()
        .unwrap();
    assert!(out.status.success());
    serde_json::from_slice(&out.stdout).unwrap()
}

/// Every `| X field | ... |` table of the README, by X.
fn readme_tables(readme: &str) -> BTreeMap<String, Table> {
    let mut tables = BTreeMap::new();
    let mut lines = readme.lines().peekable();
    while let Some(line) = lines.next() {
        let header = cells(line);
        let Some(name) = header.first().and_then(|c| c.strip_suffix(" field")) else {
            continue;
        };
        let default_col = header.iter().position(|c| c == "default").unwrap();
        let mut rows = Vec::new();
        while let Some(row) = lines.next_if(|l| l.starts_with('|')) {
            let row = cells(row);
            if row[0].starts_with("---") {
                continue;
            }
            let names = row[0].split('`').skip(1).step_by(2).map(String::from);
            rows.push((names.collect(), row[default_col].clone()));
        }
        tables.insert(name.to_string(), rows);
    }
    tables
}

/// The cells of a Markdown table row (an escaped `\|` stays in its cell).
fn cells(line: &str) -> Vec<String> {
    let Some(inner) = line.trim().strip_prefix('|') else {
        return Vec::new();
    };
    let inner = inner
        .strip_suffix('|')
        .unwrap_or(inner)
        .replace("\\|", "\u{0}");
    inner
        .split('|')
        .map(|c| c.trim().replace('\u{0}', "|"))
        .collect()
}

/// (table name, object schema) for the whole file and each object it holds.
fn objects(name: &str, schema: &Value) -> Vec<(String, Value)> {
    let root = match name {
        "lesson" | "page" => name.to_string(),
        _ => format!("{name}.yaml"),
    };
    let mut out = vec![(root, schema.clone())];
    if let Some(defs) = schema["$defs"].as_object() {
        for (def, s) in defs {
            if s.get("properties").is_some() {
                let table = def.strip_prefix("Raw").unwrap_or(def).to_lowercase();
                out.push((table, s.clone()));
            }
        }
    }
    out
}

fn problems(tables: &BTreeMap<String, Table>) -> Vec<String> {
    let mut problems = Vec::new();
    for file in ["kpsite", "manifest", "calendar", "lesson", "page"] {
        for (table, object) in objects(file, &schema(file)) {
            let fields: BTreeSet<String> = object["properties"]
                .as_object()
                .unwrap()
                .keys()
                .cloned()
                .collect();
            let required: BTreeSet<String> = object["required"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|v| v.as_str().unwrap().to_string())
                .collect();
            let Some(rows) = tables.get(&table) else {
                problems.push(format!(
                    "README has no table `| {table} field |` for {file} ({fields:?})"
                ));
                continue;
            };
            let mut documented = BTreeSet::new();
            for (names, default) in rows {
                for n in names {
                    if !fields.contains(n) {
                        problems.push(format!("`{table}` table: `{n}` is not a field"));
                    }
                    if required.contains(n) != (default == "required") {
                        problems.push(format!(
                            "`{table}` table: `{n}` default `{default}`, required: {}",
                            required.contains(n)
                        ));
                    }
                    documented.insert(n.clone());
                }
            }
            for f in fields.difference(&documented) {
                problems.push(format!("`{table}` table lacks `{f}`"));
            }
        }
    }
    problems
}

#[test]
fn the_readme_documents_every_field_of_every_file() {
    let readme =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let tables = readme_tables(&readme);
    let problems = problems(&tables);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Positive control: a missing row, an extra row and a wrong `required`
/// are each caught.
#[test]
fn the_check_catches_drift() {
    let readme =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let mut tables = readme_tables(&readme);
    let course = tables.get_mut("course").unwrap();
    course.retain(|(names, _)| names != &["tagline"]);
    course.push((vec!["pirce".into()], "none".into()));
    for row in tables.get_mut("sale").unwrap() {
        if row.0 == ["until"] {
            row.1 = "none".into();
        }
    }
    let p = problems(&tables);
    assert!(
        p.iter().any(|m| m == "`course` table lacks `tagline`"),
        "{p:?}"
    );
    assert!(
        p.iter().any(|m| m.contains("`pirce` is not a field")),
        "{p:?}"
    );
    assert!(
        p.iter().any(|m| m.contains("`until` default `none`")),
        "{p:?}"
    );
    assert_eq!(p.len(), 3, "{p:?}");
}
