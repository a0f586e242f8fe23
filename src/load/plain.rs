//! serde's messages in plain words. serde and serde_yaml describe a
//! mismatch in their own terms (`invalid type: unit value, expected a
//! string`, `expected u32`, `struct Author`); a first-time user needs the
//! field's name, what it should hold, and how to fix it (`title` is empty;
//! write minutes as a number like 25). [`rewrite`] turns each message serde
//! can produce here into such a sentence; a message it does not recognise is
//! kept as it is, so nothing is ever lost.

use crate::diagnostics::{closest, did_you_mean};

/// The plain-words version of serde's `message` about the value at `path`
/// (dot-joined, `courses.0.title`; empty for the whole file) of `file_name`.
pub fn rewrite(message: &str, path: &str, file_name: &str) -> String {
    let at = Place::new(path, file_name);
    let mismatch = message
        .strip_prefix("invalid type: ")
        .or_else(|| message.strip_prefix("invalid value: "))
        .and_then(|rest| rest.rsplit_once(", expected "));
    if let Some((got, expected)) = mismatch {
        return wrong_type(&at, &Value::parse(got), expected);
    }
    if let Some((word, known)) = backticked_then_list(message, "unknown variant `") {
        return unknown_choice(&at, word, &known);
    }
    if let Some((word, known)) = backticked_then_list(message, "unknown field `") {
        return unknown_field(word, &known);
    }
    if let Some(field) = backticked(message, "missing field `") {
        return format!(
            "`{field}` is missing: add a line `{field}: ...` to {}",
            at.container()
        );
    }
    if let Some(field) = backticked(message, "duplicate field `") {
        return duplicate(field);
    }
    if let Some(rest) = message.strip_prefix("duplicate entry with key \"") {
        return duplicate(rest.trim_end_matches('"'));
    }
    message.to_string()
}

fn duplicate(field: &str) -> String {
    format!("`{field}` is written twice in the same place: keep one of them")
}

/// Where a value sits, for naming it in a sentence.
struct Place<'a> {
    /// The last map key on the path (`title`), or the list holding the item.
    field: Option<String>,
    /// The 1-based item number when the value is a list item.
    item: Option<usize>,
    file_name: &'a str,
}

impl<'a> Place<'a> {
    fn new(path: &'a str, file_name: &'a str) -> Self {
        let parts = super::yaml::segments(path);
        let index = |p: &String| p.parse::<usize>().ok();
        let last = parts.last().cloned();
        let (field, item) = match last.as_ref().and_then(index) {
            Some(i) => (parts.iter().rev().nth(1).cloned(), Some(i + 1)),
            None => (last, None),
        };
        Place {
            field,
            item,
            file_name,
        }
    }

    /// "`title`", "item 2 of `includes`", or the file's name.
    fn name(&self) -> String {
        match (self.field.as_deref(), self.item) {
            (Some(f), Some(i)) => format!("item {i} of `{f}`"),
            (Some(f), None) => format!("`{f}`"),
            (None, _) => self.file_name.to_string(),
        }
    }

    /// The key to write before the colon in an example fix.
    fn key(&self) -> &str {
        match (self.field.as_deref(), self.item) {
            (Some(f), None) => f,
            _ => "value",
        }
    }

    /// What a missing field must be added to: "this course", "`author`",
    /// or the file.
    fn container(&self) -> String {
        match (self.field.as_deref(), self.item) {
            (Some(list), Some(_)) => match list.strip_suffix('s') {
                Some(one) => format!("this {one}"),
                None => format!("this item of `{list}`"),
            },
            (Some(f), None) => format!("`{f}`"),
            (None, _) => self.file_name.to_string(),
        }
    }
}

/// What was found, from serde's `Unexpected` text.
enum Value {
    Empty,
    Text(String),
    Number(String),
    Bool(String),
    List,
    Map,
    Other(String),
}

impl Value {
    fn parse(got: &str) -> Value {
        let inner = |prefix: &str| {
            got.strip_prefix(prefix)
                .map(|r| r.trim_matches(|c| c == '`' || c == '"').to_string())
        };
        if got == "unit value" || got == "Option value" {
            Value::Empty
        } else if let Some(s) = inner("string ") {
            Value::Text(s)
        } else if let Some(n) = inner("integer ").or_else(|| inner("floating point ")) {
            Value::Number(n)
        } else if let Some(b) = inner("boolean ") {
            Value::Bool(b)
        } else if got == "sequence" {
            Value::List
        } else if got == "map" {
            Value::Map
        } else {
            Value::Other(got.to_string())
        }
    }

    /// "the text \"Ada\"", "the number 42", "a list"...
    fn describe(&self) -> String {
        match self {
            Value::Empty => "empty".into(),
            Value::Text(s) => format!("the text `{s}`"),
            Value::Number(n) => format!("the number {n}"),
            Value::Bool(b) => format!("`{b}` (a yes/no value)"),
            Value::List => "a list".into(),
            Value::Map => "a group of fields".into(),
            Value::Other(s) => s.clone(),
        }
    }
}

/// What serde expected, in plain words.
#[derive(PartialEq)]
enum Want {
    Text,
    Whole,
    Number(String),
    Bool,
    Fields,
    List,
    Other(String),
}

impl Want {
    fn parse(expected: &str) -> Want {
        let e = expected.trim();
        match e {
            "a string" | "a borrowed string" | "string" | "a character" => Want::Text,
            "a boolean" => Want::Bool,
            "a sequence" => Want::List,
            "a map" => Want::Fields,
            "u8" | "u16" | "u32" | "u64" | "usize" | "i8" | "i16" | "i32" | "i64" | "isize" => {
                Want::Whole
            }
            "f32" | "f64" => Want::Number("a number like 2.5".into()),
            _ if e.starts_with("struct ") => Want::Fields,
            _ if e.starts_with("a number") => Want::Number(e.to_string()),
            _ => Want::Other(e.to_string()),
        }
    }

    fn describe(&self) -> String {
        match self {
            Want::Text => "text".into(),
            Want::Whole => "a whole number like 25".into(),
            Want::Number(n) => n.clone(),
            Want::Bool => "`true` or `false`".into(),
            Want::Fields => "a group of fields on the indented lines below it".into(),
            Want::List => "a list".into(),
            Want::Other(s) => s.clone(),
        }
    }
}

/// "invalid type/value: X, expected Y" as a sentence with the fix.
fn wrong_type(at: &Place, got: &Value, expected: &str) -> String {
    let want = Want::parse(expected);
    let name = at.name();
    let key = at.key();
    match (&want, got) {
        (Want::Fields, _) if at.field.is_none() => format!(
            "{name} should hold `key: value` lines (like `title: My course`), not {}",
            got.describe()
        ),
        (Want::Fields, Value::Empty) => format!(
            "{name} is empty: write its fields on the lines below it, indented by two spaces"
        ),
        (Want::List, Value::Empty) => format!(
            "{name} is empty: write its items below it, one `- item` per line, or `[]` for none"
        ),
        (_, Value::Empty) => format!(
            "{name} is empty: write {} after `{key}:`, or remove the line",
            want.describe()
        ),
        (Want::Text, Value::Number(v) | Value::Bool(v)) => format!(
            "{name} should be text, but `{v}` reads as a {}: put it in quotes, `{key}: \"{v}\"`",
            if matches!(got, Value::Bool(_)) {
                "yes/no value"
            } else {
                "number"
            }
        ),
        (Want::Text, _) => format!(
            "{name} should be text on one line, not {}; if the text holds `: ` or starts with `[`, `{{`, `-`, put it in quotes",
            got.describe()
        ),
        (Want::Whole, Value::Number(n)) if n.starts_with('-') => {
            format!("{name} should be a whole number of 0 or more, not {n}")
        }
        (Want::Whole, Value::Number(n)) if !n.contains(['.', 'e', 'E']) => {
            format!("{name} is too large: {n}")
        }
        (Want::Whole, _) => format!(
            "{name} should be a whole number like 25, not {}: write the number alone, without units or quotes",
            got.describe()
        ),
        (Want::Bool, _) => format!("{name} should be `true` or `false`, not {}", got.describe()),
        (Want::Fields, _) => format!(
            "{name} should be a group of fields on the indented lines below `{key}:` (or `{{ a: 1, b: 2 }}` on one line), not {}",
            got.describe()
        ),
        (Want::List, _) => format!(
            "{name} should be a list: one `- item` per line below `{key}:`, or `[a, b]` on one line; it is {}",
            got.describe()
        ),
        (Want::Number(_) | Want::Other(_), _) => format!(
            "{name} should be {}, not {}",
            want.describe(),
            got.describe()
        ),
    }
}

/// `unknown variant `x`, expected ...`: the field takes one of a few words.
fn unknown_choice(at: &Place, word: &str, known: &[&str]) -> String {
    let choices = one_of(known);
    match closest(word, known.iter().copied()) {
        Some(best) => format!(
            "{} cannot be `{word}`: did you mean `{best}`? It takes {choices}",
            at.name()
        ),
        None => format!("{} cannot be `{word}`: it takes {choices}", at.name()),
    }
}

/// `unknown field `x`, expected ...`, with the closest known field. Kept
/// starting with serde's words: the spec's example error reads so.
fn unknown_field(word: &str, known: &[&str]) -> String {
    if known.is_empty() {
        return format!("unknown field `{word}`: nothing may be written here");
    }
    let hint = did_you_mean(word, known.iter().copied());
    let fields = known
        .iter()
        .map(|f| format!("`{f}`"))
        .collect::<Vec<_>>()
        .join(", ");
    if hint.is_empty() {
        format!(
            "unknown field `{word}`: the fields allowed here are {fields}; check the spelling, and the indentation if `{word}` belongs one level up or down"
        )
    } else {
        format!("unknown field `{word}`{hint}: the fields allowed here are {fields}")
    }
}

/// "`a`, `b` or `c`".
fn one_of(words: &[&str]) -> String {
    let quoted: Vec<String> = words.iter().map(|w| format!("`{w}`")).collect();
    match quoted.split_last() {
        None => "nothing".into(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
    }
}

/// The word between `prefix` and the next backtick.
fn backticked<'m>(message: &'m str, prefix: &str) -> Option<&'m str> {
    let rest = message.strip_prefix(prefix)?;
    Some(&rest[..rest.find('`')?])
}

/// The word after `prefix`, and the backticked words serde lists after it
/// ("expected one of `a`, `b`", "expected `a` or `b`", "there are no fields").
fn backticked_then_list<'m>(message: &'m str, prefix: &str) -> Option<(&'m str, Vec<&'m str>)> {
    let word = backticked(message, prefix)?;
    let after = &message[prefix.len() + word.len() + 1..];
    let known = after.split('`').skip(1).step_by(2).collect();
    Some((word, known))
}

#[cfg(test)]
mod tests {
    use super::rewrite;

    fn r(message: &str, path: &str) -> String {
        rewrite(message, path, "manifest.yaml")
    }

    #[test]
    fn type_mismatches_name_the_field_and_the_fix() {
        assert_eq!(
            r(
                "invalid type: unit value, expected a string",
                "courses.0.title"
            ),
            "`title` is empty: write text after `title:`, or remove the line"
        );
        assert_eq!(
            r("invalid type: integer `42`, expected a string", "title"),
            "`title` should be text, but `42` reads as a number: put it in quotes, `title: \"42\"`"
        );
        let m = r("invalid type: string \"25 min\", expected u32", "minutes");
        assert!(
            m.starts_with("`minutes` should be a whole number like 25, not the text `25 min`"),
            "{m}"
        );
        let m = r("invalid value: integer `-3`, expected u32", "minutes");
        assert_eq!(m, "`minutes` should be a whole number of 0 or more, not -3");
        let m = r("invalid type: string \"yes\", expected a boolean", "free");
        assert_eq!(m, "`free` should be `true` or `false`, not the text `yes`");
        let m = r(
            "invalid type: string \"Ada\", expected struct Author",
            "author",
        );
        assert!(m.starts_with("`author` should be a group of fields"), "{m}");
        assert!(!m.contains("struct"), "{m}");
        let m = r("invalid type: string \"x\", expected a sequence", "courses");
        assert!(m.starts_with("`courses` should be a list"), "{m}");
        let m = rewrite(
            "invalid type: sequence, expected struct Config",
            "",
            "kpsite.yaml",
        );
        assert_eq!(
            m,
            "kpsite.yaml should hold `key: value` lines (like `title: My course`), not a list"
        );
        let m = r("invalid type: map, expected a string", "includes.1");
        assert!(m.starts_with("item 2 of `includes` should be text"), "{m}");
    }

    #[test]
    fn choices_and_fields_suggest_the_closest() {
        assert_eq!(
            r(
                "unknown variant `weekli`, expected one of `daily`, `weekly`, `monthly`",
                "events.0.repeat.freq"
            ),
            "`freq` cannot be `weekli`: did you mean `weekly`? It takes `daily`, `weekly` or `monthly`"
        );
        assert_eq!(
            r(
                "unknown variant `everyone`, expected `public` or `members`",
                "events.0.audience"
            ),
            "`audience` cannot be `everyone`: it takes `public` or `members`"
        );
        let m = r(
            "unknown field `pirce`, expected one of `id`, `title`, `price`",
            "courses.0",
        );
        assert_eq!(
            m,
            "unknown field `pirce` (did you mean `price`?): the fields allowed here are `id`, `title`, `price`"
        );
        let m = r("unknown field `zzz`, expected `a` or `b`", "");
        assert!(m.contains("allowed here are `a`, `b`"), "{m}");
        assert!(m.contains("indentation"), "{m}");
        let m = r("unknown field `x`, there are no fields", "");
        assert_eq!(m, "unknown field `x`: nothing may be written here");
    }

    #[test]
    fn missing_and_duplicate_fields() {
        assert_eq!(
            r("missing field `title`", "courses.1"),
            "`title` is missing: add a line `title: ...` to this course"
        );
        assert_eq!(
            rewrite("missing field `title`", "", "kpsite.yaml"),
            "`title` is missing: add a line `title: ...` to kpsite.yaml"
        );
        assert_eq!(
            r("duplicate entry with key \"title\"", ""),
            "`title` is written twice in the same place: keep one of them"
        );
    }

    #[test]
    fn unknown_messages_pass_through() {
        assert_eq!(
            r("recursion limit exceeded", ""),
            "recursion limit exceeded"
        );
        assert_eq!(r("unknown field `", ""), "unknown field `");
        // A value that itself holds ", expected " does not confuse the split.
        let m = r(
            "invalid type: string \"a, expected b\", expected a boolean",
            "free",
        );
        assert_eq!(
            m,
            "`free` should be `true` or `false`, not the text `a, expected b`"
        );
    }
}
