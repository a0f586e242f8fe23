//! Front matter: YAML between `---` lines at the top of a Markdown file.

use std::path::Path;

use serde::de::DeserializeOwned;

use crate::diagnostics::Diagnostic;
use crate::load::yaml;

/// A Markdown file split into its front matter and body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML between the fences (without them).
    pub yaml: &'a str,
    /// Everything after the closing fence.
    pub body: &'a str,
    /// 1-based line of the file where the body starts.
    pub body_line: usize,
}

/// Splits `text` at its `---` fences. A file without front matter is an
/// error: every lesson and page needs at least a title.
pub fn split<'a>(file: &Path, text: &'a str) -> Result<Split<'a>, Diagnostic> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let Some(rest) = text.strip_prefix("---\n") else {
        return Err(Diagnostic::at(
            file,
            Some((1, 1)),
            "expected front matter: a `---` line, YAML with a `title`, and a closing `---`",
        ));
    };
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "---" {
            let yaml = &rest[..offset];
            let body = &rest[offset + line.len()..];
            let body_line = 3 + yaml.matches('\n').count();
            return Ok(Split {
                yaml,
                body,
                body_line,
            });
        }
        offset += line.len();
    }
    Err(Diagnostic::at(
        file,
        Some((1, 1)),
        "front matter is not closed: add a `---` line after it",
    ))
}

/// Parses the front matter YAML into `T`, with positions counted in the
/// whole file (the YAML starts on line 2).
pub fn parse<T: DeserializeOwned>(
    file: &Path,
    split: &Split,
) -> Result<yaml::Parsed<T>, Diagnostic> {
    yaml::parse(file, split.yaml).map_err(|mut d| {
        d.position = d.position.map(|(l, c)| (l + 1, c));
        d
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_and_counts_body_line() {
        let s = split(Path::new("a.md"), "---\ntitle: x\nfree: true\n---\nbody\n").unwrap();
        assert_eq!(s.yaml, "title: x\nfree: true\n");
        assert_eq!(s.body, "body\n");
        assert_eq!(s.body_line, 5);
    }

    #[test]
    fn missing_or_open_front_matter_is_an_error() {
        assert!(split(Path::new("a.md"), "# hi\n").is_err());
        assert!(split(Path::new("a.md"), "---\ntitle: x\n").is_err());
    }

    #[test]
    fn positions_count_from_the_file_start() {
        #[derive(serde::Deserialize, Debug)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct Fm {
            title: String,
        }
        let text = "---\ntitle: x\ntitel: y\n---\n";
        let s = split(Path::new("a.md"), text).unwrap();
        let e = parse::<Fm>(Path::new("a.md"), &s).err().unwrap();
        assert_eq!(e.position, Some((3, 1)));
    }
}
