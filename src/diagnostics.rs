//! Errors as values: every problem found in a site is a [`Diagnostic`]
//! naming the file (relative to the site folder) and, where the format gives
//! one, the line and column.

use std::fmt;
use std::path::{Path, PathBuf};

/// How bad a diagnostic is. Errors fail the build; warnings are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Fails the build.
    Error,
    /// Printed, the build goes on.
    Warning,
}

/// One problem in one place of one input file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The file, relative to the site folder (`manifest.yaml`).
    pub file: PathBuf,
    /// 1-based line and column, when the format gives them.
    pub position: Option<(usize, usize)>,
    /// What is wrong, in plain words.
    pub message: String,
}

impl Diagnostic {
    /// An error at a known position.
    pub fn at(
        file: impl AsRef<Path>,
        position: Option<(usize, usize)>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.as_ref().to_path_buf(),
            position,
            message: message.into(),
        }
    }

    /// An error about a whole file.
    pub fn file(file: impl AsRef<Path>, message: impl Into<String>) -> Self {
        Self::at(file, None, message)
    }

    /// The same diagnostic, downgraded to a warning.
    pub fn warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }

    /// True when this diagnostic fails the build.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    fn sort_key(&self) -> (&Path, usize, usize, Severity) {
        let (line, col) = self.position.unwrap_or((0, 0));
        (&self.file, line, col, self.severity)
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{kind}: {}", self.file.display())?;
        if let Some((line, col)) = self.position {
            write!(f, ":{line}:{col}")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// All the diagnostics of one run, gathered from every stage.
#[derive(Debug, Default, Clone)]
pub struct Diagnostics(Vec<Diagnostic>);

impl From<Diagnostic> for Diagnostics {
    /// A run's diagnostics that are this one.
    fn from(d: Diagnostic) -> Self {
        Diagnostics(vec![d])
    }
}

impl Diagnostics {
    /// Adds one diagnostic.
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    /// Adds many.
    pub fn extend(&mut self, ds: impl IntoIterator<Item = Diagnostic>) {
        self.0.extend(ds);
    }

    /// Every diagnostic, in the order they were added.
    pub fn into_vec(self) -> Vec<Diagnostic> {
        self.0
    }

    /// How many are errors.
    pub fn error_count(&self) -> usize {
        self.0.iter().filter(|d| d.is_error()).count()
    }

    /// True when at least one is an error.
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    /// Sorted by file, line and column, duplicates removed: the order they are printed in.
    pub fn sorted(mut self) -> Vec<Diagnostic> {
        self.0.sort_by(|a, b| {
            a.sort_key()
                .cmp(&b.sort_key())
                .then_with(|| a.message.cmp(&b.message))
        });
        self.0.dedup();
        self.0
    }
}

/// Turns a byte offset in `text` into a 1-based (line, column), column counted in characters.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..floor_char_boundary(text, offset)];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (line, before[line_start..].chars().count() + 1)
}

/// The candidate closest in spelling to `word`, when one is close enough to
/// be the likely intent of a typo (`rust-wbe` → `rust-web`). Case is
/// ignored; a candidate equal to `word` is not a suggestion.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let word_lower = word.to_lowercase();
    let len = word.chars().count();
    // Allow about one typo per three letters, at least one, at most three.
    let limit = (len / 3).clamp(1, 3);
    // Lengths further apart than the limit cannot be within it; skipping
    // them first keeps a hostile 1 MB key from costing a huge matrix.
    candidates
        .into_iter()
        .filter(|c| *c != word && c.chars().count().abs_diff(len) <= limit)
        .map(|c| {
            (
                strsim::damerau_levenshtein(&word_lower, &c.to_lowercase()),
                c,
            )
        })
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, c)| (*d, *c))
        .map(|(_, c)| c)
}

/// " (did you mean `x`?)" when a candidate is close to `word`, else "".
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> String {
    closest(word, candidates)
        .map(|c| format!(" (did you mean `{c}`?)"))
        .unwrap_or_default()
}

/// For an unknown id: " (did you mean `x`?)" when one is close, else the
/// ids that exist (" (the course ids are `a`, `b`)"), or that there are none.
pub fn id_hint<'a>(word: &str, what: &str, ids: impl IntoIterator<Item = &'a str>) -> String {
    let ids: Vec<&str> = ids.into_iter().collect();
    if let Some(best) = closest(word, ids.iter().copied()) {
        return format!(" (did you mean `{best}`?)");
    }
    const SHOWN: usize = 12;
    let mut list: Vec<String> = ids.iter().take(SHOWN).map(|i| format!("`{i}`")).collect();
    if ids.len() > SHOWN {
        list.push(format!("and {} more", ids.len() - SHOWN));
    }
    match list.is_empty() {
        true => format!(" (manifest.yaml has no {what} yet)"),
        false => format!(" (the {what} ids are {})", list.join(", ")),
    }
}

/// Why `raw` is not a URL, in plain words: most often the `https://` is
/// missing, and the fix is to write it.
pub fn bad_url(raw: &str, e: url::ParseError) -> String {
    match e {
        url::ParseError::RelativeUrlWithoutBase => format!(
            "`{raw}` is not a whole address: start it with https://, like `https://{}`",
            raw.trim().trim_start_matches('/')
        ),
        e => format!("`{raw}` is not a valid address ({e})"),
    }
}

fn floor_char_boundary(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_characters() {
        let text = "ab\n所有权x";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 3), (2, 1));
        assert_eq!(line_col(text, text.find('x').unwrap()), (2, 4));
    }

    #[test]
    fn closest_suggests_typos_only() {
        let ids = ["rust-web", "python-data", "go"];
        assert_eq!(closest("rust-wbe", ids), Some("rust-web"));
        assert_eq!(closest("Rust-Web", ids), Some("rust-web"));
        assert_eq!(closest("pyhton-data", ids), Some("python-data"));
        assert_eq!(closest("haskell", ids), None);
        assert_eq!(closest("rust-web", ids), None, "not itself");
        assert_eq!(did_you_mean("og", ids), " (did you mean `go`?)");
        assert_eq!(did_you_mean("zz", ids), "");
        assert_eq!(closest(&"x".repeat(1_000_000), ids), None);
        assert_eq!(
            id_hint("rust-wbe", "course", ids),
            " (did you mean `rust-web`?)"
        );
        assert_eq!(
            id_hint("haskell", "course", ids),
            " (the course ids are `rust-web`, `python-data`, `go`)"
        );
        assert_eq!(
            id_hint("x", "course", []),
            " (manifest.yaml has no course yet)"
        );
    }

    #[test]
    fn display_names_file_line_col() {
        let d = Diagnostic::at("manifest.yaml", Some((14, 7)), "unknown field `pirce`");
        assert_eq!(
            d.to_string(),
            "error: manifest.yaml:14:7: unknown field `pirce`"
        );
    }
}
