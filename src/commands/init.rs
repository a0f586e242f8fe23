//! `kpsite init`: scaffolds a small site that builds as it is, in English
//! or Chinese, with a `.gitignore`, a GitHub Pages workflow and a
//! `netlify.toml` so that it deploys without further set-up.

use std::fs;
use std::path::Path;

/// The language of the scaffold's settings, texts and theme strings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Lang {
    /// English (`language: en`).
    #[default]
    #[value(name = "en")]
    En,
    /// Simplified Chinese (`language: zh-CN`).
    #[value(name = "zh-CN")]
    ZhCn,
}

/// (path in the new site, contents) of an English site.
const EN: &[(&str, &str)] = &[
    ("kpsite.yaml", include_str!("scaffold/kpsite.yaml")),
    ("manifest.yaml", include_str!("scaffold/manifest.yaml")),
    (
        "lessons/first-course/01-welcome.md",
        include_str!("scaffold/01-welcome.md"),
    ),
    (
        "lessons/first-course/02-going-further.md",
        include_str!("scaffold/02-going-further.md"),
    ),
    ("pages/about.md", include_str!("scaffold/about.md")),
];

/// The same files for a Chinese site.
const ZH_CN: &[(&str, &str)] = &[
    ("kpsite.yaml", include_str!("scaffold/zh-CN/kpsite.yaml")),
    (
        "manifest.yaml",
        include_str!("scaffold/zh-CN/manifest.yaml"),
    ),
    (
        "lessons/first-course/01-welcome.md",
        include_str!("scaffold/zh-CN/01-welcome.md"),
    ),
    (
        "lessons/first-course/02-going-further.md",
        include_str!("scaffold/zh-CN/02-going-further.md"),
    ),
    ("pages/about.md", include_str!("scaffold/zh-CN/about.md")),
];

/// Files every scaffold has, whatever its language.
const COMMON: &[(&str, &str)] = &[
    ("calendar.yaml", include_str!("scaffold/calendar.yaml")),
    // Outputs, private state and staging folders stay out of git.
    (".gitignore", include_str!("scaffold/gitignore")),
    // Deploy set-ups; both read KPSITE_SECRET from the host's secrets.
    (".github/workflows/deploy.yml", DEPLOY_WORKFLOW),
    ("netlify.toml", NETLIFY_TOML),
];

/// The GitHub Actions workflow `kpsite init` writes: build, then deploy to
/// GitHub Pages.
pub const DEPLOY_WORKFLOW: &str = include_str!("scaffold/deploy.yml");

/// The Netlify configuration `kpsite init` writes.
pub const NETLIFY_TOML: &str = include_str!("scaffold/netlify.toml");

/// Writes the scaffold into `dir`, which must be missing or empty; with
/// `encrypted`, a site that delivers paid lessons encrypted, with its own
/// fresh secret.
pub fn run(dir: &Path, lang: Lang, encrypted: bool) -> Result<(), String> {
    if fs::metadata(dir).is_ok_and(|m| !m.is_dir()) {
        return Err(format!(
            "{}: is a file, not a folder; give init a new or empty folder",
            dir.display()
        ));
    }
    let occupied = fs::read_dir(dir)
        .map(|mut d| d.next().is_some())
        .unwrap_or(false);
    if occupied {
        return Err(format!(
            "{}: folder is not empty; init only writes into a new or empty folder",
            dir.display()
        ));
    }
    let texts = match lang {
        Lang::En => EN,
        Lang::ZhCn => ZH_CN,
    };
    for (rel, text) in texts.iter().chain(COMMON) {
        write(dir, rel, text)?;
    }
    // JSON Schemas for editors, named by the first line of each YAML file.
    for name in super::schema::SchemaName::FILES {
        write(dir, &name.site_path(), &name.text())?;
    }
    fs::create_dir_all(dir.join("static")).map_err(|e| format!("{}: {e}", dir.display()))?;
    if encrypted {
        enable_encryption(dir)?;
    }
    eprintln!("{}", next_steps(dir));
    Ok(())
}

/// Sets `delivery: encrypted` in the new site's kpsite.yaml and creates
/// its secret (never replacing one).
fn enable_encryption(dir: &Path) -> Result<(), String> {
    let config = dir.join("kpsite.yaml");
    let text = fs::read_to_string(&config).map_err(|e| format!("{}: {e}", config.display()))?;
    let text = format!(
        "{}\n# Paid lessons are published encrypted; `kpsite keys` prints the unlock links.\ndelivery: encrypted\n",
        text.trim_end()
    );
    fs::write(&config, text).map_err(|e| format!("{}: {e}", config.display()))?;
    if crate::delivery::secret::create(dir)? {
        eprintln!(
            "created the site secret in {}: it is git-ignored; back it up (a password manager, or your CI's secrets as KPSITE_SECRET): losing it locks out every past buyer",
            dir.join(crate::delivery::secret::FILE).display()
        );
    }
    Ok(())
}

/// Writes one file of the scaffold, creating its folders.
fn write(dir: &Path, rel: &str, text: &str) -> Result<(), String> {
    let path = dir.join(rel);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))
}

/// What to do after `init`, in the order the README's "Your first site" does it.
fn next_steps(dir: &Path) -> String {
    let cd = match dir.as_os_str().to_str() {
        Some(".") | Some("") => String::new(),
        _ => format!("  cd {}\n", dir.display()),
    };
    format!(
        "created a site in {}. Next:\n{cd}  kpsite serve      preview it at http://127.0.0.1:1111/ (reloads as you edit)\n  edit kpsite.yaml (base_url, author) and manifest.yaml (your payment link): until then, builds warn\n  kpsite build      writes the site to public/, ready to deploy (README: Deploying)",
        dir.display()
    )
}
