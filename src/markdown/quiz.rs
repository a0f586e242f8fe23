//! ```` ```quiz ```` blocks (spec §2.3): a self-check question written as
//! YAML, rendered as a form the reader answers in the browser. Without
//! JavaScript the answer and explanation are in a `<details>`.

use serde::Deserialize;

use super::escape_html;

/// One quiz as the author writes it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct QuizSource {
    question: String,
    options: Vec<serde_yaml::Value>,
    answer: serde_yaml::Value,
    #[serde(default)]
    explain: Option<String>,
}

/// A quiz ready to render.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Quiz {
    question: String,
    options: Vec<String>,
    answer: usize,
    explain: Option<String>,
}

/// Why a quiz block cannot be used: a message, and the 0-based line inside
/// the block it is about, when known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct QuizError {
    pub line: Option<usize>,
    pub message: String,
}

/// Most options a quiz may have; more is surely a mistake.
const MAX_OPTIONS: usize = 26;

impl Quiz {
    /// Reads a quiz block's YAML.
    pub(super) fn parse(yaml: &str) -> Result<Quiz, QuizError> {
        let source: QuizSource = serde_yaml::from_str(yaml).map_err(|e| QuizError {
            line: e.location().map(|l| l.line().saturating_sub(1)),
            message: format!(
                "this quiz is not valid YAML: {} (write `question:`, `options: [...]`, `answer: <index>` and optionally `explain:`)",
                strip_location(&e.to_string())
            ),
        })?;
        let line_of = |key: &str| {
            yaml.lines()
                .position(|l| l.trim_start().starts_with(&format!("{key}:")))
        };
        let at = |key: &str, message: String| QuizError {
            line: line_of(key),
            message,
        };
        if source.question.trim().is_empty() {
            return Err(at("question", "the quiz has an empty `question`".into()));
        }
        let mut options = Vec::with_capacity(source.options.len());
        for value in &source.options {
            match scalar(value) {
                Some(text) if !text.trim().is_empty() => options.push(text),
                _ => {
                    return Err(at(
                        "options",
                        "every quiz option must be a short text (a string or a number)".into(),
                    ));
                }
            }
        }
        if options.len() < 2 {
            return Err(at(
                "options",
                format!(
                    "the quiz needs at least two `options` (found {})",
                    options.len()
                ),
            ));
        }
        if options.len() > MAX_OPTIONS {
            return Err(at(
                "options",
                format!(
                    "the quiz has {} options; at most {MAX_OPTIONS}",
                    options.len()
                ),
            ));
        }
        let answer = source
            .answer
            .as_u64()
            .and_then(|a| usize::try_from(a).ok())
            .filter(|a| *a < options.len())
            .ok_or_else(|| {
                at(
                    "answer",
                    format!(
                        "`answer` must be the index of the right option, 0 to {} (0 is the first)",
                        options.len() - 1
                    ),
                )
            })?;
        Ok(Quiz {
            question: source.question.trim().to_string(),
            options,
            answer,
            explain: source.explain.filter(|e| !e.trim().is_empty()),
        })
    }

    /// The quiz as a form. `id` is unique in the page; `show_answer` is
    /// the `<summary>` text of the no-script answer.
    pub(super) fn html(&self, id: &str, show_answer: &str) -> String {
        let mut out = format!(
            "<form class=\"quiz\" id=\"{id}\" data-answer=\"{}\">\n<fieldset>\n<legend>{}</legend>\n",
            self.answer,
            inline(&self.question)
        );
        for (i, option) in self.options.iter().enumerate() {
            out.push_str(&format!(
                "<label class=\"quiz-option\"><input type=\"radio\" name=\"{id}\" value=\"{i}\"> {}</label>\n",
                inline(option)
            ));
        }
        out.push_str("</fieldset>\n<p class=\"quiz-result\" role=\"status\"></p>\n");
        out.push_str(&format!(
            "<details class=\"quiz-answer\"><summary>{}</summary>\n<p><strong>{}</strong></p>\n",
            escape_html(show_answer),
            inline(&self.options[self.answer])
        ));
        if let Some(explain) = &self.explain {
            out.push_str(&format!("<p>{}</p>\n", inline(explain)));
        }
        out.push_str("</details>\n</form>\n");
        out
    }

    /// The text a reader reads, for reading time and search.
    pub(super) fn text(&self) -> String {
        let mut text = self.question.clone();
        for o in &self.options {
            text.push('\n');
            text.push_str(o);
        }
        text
    }
}

/// A YAML scalar as text; None for lists and maps.
fn scalar(value: &serde_yaml::Value) -> Option<String> {
    match value {
        serde_yaml::Value::String(s) => Some(s.clone()),
        serde_yaml::Value::Number(n) => Some(n.to_string()),
        serde_yaml::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// serde_yaml's message without its " at line N column M" tail: the
/// diagnostic gives the position itself.
fn strip_location(message: &str) -> &str {
    message.split(" at line ").next().unwrap_or(message)
}

/// Escaped text with `` `code` `` spans kept as `<code>`: quiz texts are
/// about code (`Rc<T>`) and a legend may hold only phrasing content.
fn inline(text: &str) -> String {
    let mut out = String::new();
    for (i, part) in text.split('`').enumerate() {
        // An unpaired last backtick is shown as written.
        let unpaired = i % 2 == 1 && i == text.matches('`').count();
        match (i % 2 == 1, unpaired) {
            (true, false) => {
                out.push_str("<code>");
                out.push_str(&escape_html(part));
                out.push_str("</code>");
            }
            (true, true) => {
                out.push('`');
                out.push_str(&escape_html(part));
            }
            _ => out.push_str(&escape_html(part)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = "question: Which type lets many threads share ownership?\noptions: [Rc<T>, Arc<T>, Box<T>]\nanswer: 1\nexplain: Arc is the atomically reference-counted pointer.\n";

    #[test]
    fn a_quiz_renders_as_an_accessible_form() {
        let q = Quiz::parse(GOOD).unwrap();
        let html = q.html("quiz", "Show answer");
        assert!(html.contains(
            "<fieldset>\n<legend>Which type lets many threads share ownership?</legend>"
        ));
        assert!(
            html.contains("<input type=\"radio\" name=\"quiz\" value=\"1\"> Arc&lt;T&gt;</label>")
        );
        assert!(html.contains("data-answer=\"1\""));
        assert!(html.contains("<details class=\"quiz-answer\"><summary>Show answer</summary>\n<p><strong>Arc&lt;T&gt;</strong></p>\n<p>Arc is the atomically"));
    }

    #[test]
    fn numbers_are_options_and_code_spans_stay_code() {
        let q = Quiz::parse(
            "question: \"What does `1 + 1` give?\"\noptions: [1, 2, \"<b>\"]\nanswer: 1\n",
        )
        .unwrap();
        let html = q.html("q", "x");
        assert!(
            html.contains("<legend>What does <code>1 + 1</code> give?</legend>"),
            "{html}"
        );
        assert!(html.contains("value=\"2\"> &lt;b&gt;</label>"), "{html}");
        assert!(q.explain.is_none());
    }

    #[test]
    fn errors_name_the_line_inside_the_block() {
        let e = Quiz::parse("question: q\noptions: [a, b]\nanswer: 2\n").unwrap_err();
        assert_eq!(e.line, Some(2));
        assert!(e.message.contains("0 to 1"), "{}", e.message);
        let e = Quiz::parse("question: q\noptions: []\nanswer: 0\n").unwrap_err();
        assert_eq!(e.line, Some(1));
        let e = Quiz::parse("question: q\nanswer: 0\n").unwrap_err();
        assert!(e.message.contains("options"), "{}", e.message);
        let e = Quiz::parse("question: q\noptions: [a, b]\nanswer: -1\n").unwrap_err();
        assert_eq!(e.line, Some(2));
        let e = Quiz::parse("question: q\noptions: [a, b\nanswer: 0\n").unwrap_err();
        assert!(
            e.line.is_some() && e.message.contains("not valid YAML"),
            "{e:?}"
        );
        let e = Quiz::parse("question: q\noptions: [a, [b]]\nanswer: 0\n").unwrap_err();
        assert_eq!(e.line, Some(1));
        let e = Quiz::parse("question: q\noptions: [a, b]\nanswer: 0\nanwser: 1\n").unwrap_err();
        assert!(e.message.contains("anwser"), "{}", e.message);
        assert!(Quiz::parse("").is_err());
        assert!(Quiz::parse("- a\n- b\n").is_err());
    }

    #[test]
    fn hostile_text_is_escaped() {
        let q = Quiz::parse("question: \"<script>alert(1)</script>\"\noptions: [\"\\\" onclick=x\", b]\nanswer: 0\nexplain: \"</details><img src=x>\"\n").unwrap();
        let html = q.html("q", "<b>");
        assert!(!html.contains("<script>") && !html.contains("<img") && !html.contains("<b>"));
    }
}
