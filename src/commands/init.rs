//! `kpsite init`: scaffolds a small site that builds as it is.

use std::fs;
use std::path::Path;

/// (path in the new site, contents).
const FILES: &[(&str, &str)] = &[
    ("kpsite.yaml", include_str!("scaffold/kpsite.yaml")),
    ("manifest.yaml", include_str!("scaffold/manifest.yaml")),
    ("calendar.yaml", include_str!("scaffold/calendar.yaml")),
    (
        "lessons/first-course/01-welcome.md",
        include_str!("scaffold/01-welcome.md"),
    ),
    (
        "lessons/first-course/02-going-further.md",
        include_str!("scaffold/02-going-further.md"),
    ),
    ("pages/about.md", include_str!("scaffold/about.md")),
    // Outputs, private state and staging folders stay out of git.
    (".gitignore", include_str!("scaffold/gitignore")),
];

/// Writes the scaffold into `dir`, which must be missing or empty.
pub fn run(dir: &Path) -> Result<(), String> {
    let occupied = fs::read_dir(dir)
        .map(|mut d| d.next().is_some())
        .unwrap_or(false);
    if occupied {
        return Err(format!(
            "{}: folder is not empty; init only writes into a new or empty folder",
            dir.display()
        ));
    }
    for (rel, text) in FILES {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    // JSON Schemas for editors, named by the first line of each YAML file.
    for name in super::schema::SchemaName::ALL {
        let path = dir.join(name.site_path());
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
        }
        fs::write(&path, name.text()).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    fs::create_dir_all(dir.join("static")).map_err(|e| format!("{}: {e}", dir.display()))?;
    eprintln!(
        "created a site in {}; build it with: kpsite build {}",
        dir.display(),
        dir.display()
    );
    Ok(())
}
