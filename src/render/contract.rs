//! The theme contract, checked: every variable a template of the default
//! theme reads, and every field it reads of it, is documented in
//! `themes/default/README.md`, so a theme author can trust that page.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use tera::ast::{Expr, ExprVal, FunctionCall, Node};

/// What one template reads: root variables, and `(variable, field)` pairs
/// (a field read through a loop variable counts for the list it walks).
#[derive(Debug, Default)]
pub struct Reads {
    /// Context variables (or macro arguments) read.
    pub roots: BTreeSet<String>,
    /// First-level fields read of a documented name.
    pub fields: BTreeSet<(String, String)>,
}

/// Walks one template's syntax tree.
pub fn reads(ast: &[Node]) -> Reads {
    let mut w = Walker::default();
    w.nodes(ast, &HashMap::new());
    w.out
}

#[derive(Default)]
struct Walker {
    out: Reads,
}

/// Names bound in scope, mapped to the documented name they stand for
/// (`l` in `for l in lessons` stands for `lessons`), or `None` for a name
/// that stands for nothing documented (a `set` value, `loop`).
type Scope = HashMap<String, Option<String>>;

impl Walker {
    fn nodes(&mut self, nodes: &[Node], scope: &Scope) {
        let mut scope = scope.clone();
        for n in nodes {
            self.node(n, &mut scope);
        }
    }

    fn node(&mut self, n: &Node, scope: &mut Scope) {
        match n {
            Node::VariableBlock(_, e) => self.expr(e, scope),
            Node::MacroDefinition(_, m, _) => {
                let mut inner = Scope::new();
                for (arg, default) in &m.args {
                    if let Some(d) = default {
                        self.expr(d, &inner);
                    }
                    // A macro sees only its arguments: document them as `macro.arg`.
                    inner.insert(arg.clone(), Some(format!("{}.{arg}", m.name)));
                }
                for arg in m.args.keys() {
                    self.out.roots.insert(format!("{}.{arg}", m.name));
                }
                self.nodes(&m.body, &inner);
            }
            Node::Set(_, s) => {
                self.expr(&s.value, scope);
                let alias = match &s.value.val {
                    ExprVal::Ident(i) if s.value.filters.is_empty() => self.alias(i, scope),
                    _ => None,
                };
                scope.insert(s.key.clone(), alias);
            }
            Node::FilterSection(_, f, _) => {
                self.call(&f.filter, scope);
                self.nodes(&f.body, scope);
            }
            Node::Block(_, b, _) => self.nodes(&b.body, scope),
            Node::Forloop(_, f, _) => {
                self.expr(&f.container, scope);
                let mut inner = scope.clone();
                let alias = match &f.container.val {
                    ExprVal::Ident(i) => self.alias(i, scope),
                    _ => None,
                };
                if let Some(k) = &f.key {
                    inner.insert(k.clone(), None);
                }
                inner.insert(f.value.clone(), alias);
                inner.insert("loop".into(), None);
                self.nodes(&f.body, &inner);
                if let Some(e) = &f.empty_body {
                    self.nodes(e, scope);
                }
            }
            Node::If(i, _) => {
                for (_, cond, body) in &i.conditions {
                    self.expr(cond, scope);
                    self.nodes(body, scope);
                }
                if let Some((_, body)) = &i.otherwise {
                    self.nodes(body, scope);
                }
            }
            _ => {}
        }
    }

    /// The documented name an identifier path stands for, recording the
    /// read on the way: `lesson.title` reads field `title` of `lesson`.
    fn alias(&mut self, ident: &str, scope: &Scope) -> Option<String> {
        let mut parts = ident.split(['.', '[']).map(|p| p.trim_end_matches(']'));
        let root = parts.next()?;
        let base = match scope.get(root) {
            Some(None) => return None,
            Some(Some(doc)) => doc.clone(),
            None => {
                if root == "__tera_context" {
                    return None;
                }
                self.out.roots.insert(root.to_string());
                root.to_string()
            }
        };
        match parts.next() {
            None => Some(base),
            // `parts.0` (a list index) or `x[y]`: no field name.
            Some(f) if f.is_empty() || f.chars().all(|c| c.is_ascii_digit()) => None,
            Some(f) if ident[root.len()..].starts_with('[') => {
                let _ = f;
                None
            }
            Some(f) => {
                self.out.fields.insert((base.clone(), f.to_string()));
                // Deeper levels are documented with the field's own type.
                parts.next().is_none().then(|| format!("{base}.{f}"))
            }
        }
    }

    fn expr(&mut self, e: &Expr, scope: &Scope) {
        self.val(&e.val, scope);
        for f in &e.filters {
            self.call(f, scope);
        }
    }

    fn call(&mut self, f: &FunctionCall, scope: &Scope) {
        for a in f.args.values() {
            self.expr(a, scope);
        }
    }

    fn val(&mut self, v: &ExprVal, scope: &Scope) {
        match v {
            ExprVal::Ident(i) => {
                self.alias(i, scope);
            }
            ExprVal::Math(m) => {
                self.expr(&m.lhs, scope);
                self.expr(&m.rhs, scope);
            }
            ExprVal::Logic(l) => {
                self.expr(&l.lhs, scope);
                self.expr(&l.rhs, scope);
            }
            ExprVal::Test(t) => {
                self.alias(&t.ident, scope);
                for a in &t.args {
                    self.expr(a, scope);
                }
            }
            ExprVal::MacroCall(m) => {
                for a in m.args.values() {
                    self.expr(a, scope);
                }
            }
            ExprVal::FunctionCall(f) => self.call(f, scope),
            ExprVal::Array(items) => {
                for i in items {
                    self.expr(i, scope);
                }
            }
            ExprVal::StringConcat(s) => {
                for v in &s.values {
                    self.val(v, scope);
                }
            }
            ExprVal::In(i) => {
                self.expr(&i.lhs, scope);
                self.expr(&i.rhs, scope);
            }
            _ => {}
        }
    }
}

/// The documented names of `themes/default/README.md`: each table row
/// whose first cell is `` `name` `` documents `name`, and the backticked
/// words of its last cell are its fields. Rows sit under a heading
/// `` ### `template` `` (or "Every page"), which is the key.
pub fn documented(readme: &str) -> BTreeMap<String, BTreeMap<String, BTreeSet<String>>> {
    let mut out: BTreeMap<String, BTreeMap<String, BTreeSet<String>>> = BTreeMap::new();
    let mut section = String::new();
    for line in readme.lines() {
        if let Some(h) = line.strip_prefix("### ") {
            section = h.trim().trim_matches('`').to_string();
            out.entry(section.clone()).or_default();
            continue;
        }
        let Some(row) = line.strip_prefix('|') else {
            continue;
        };
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        let Some(name) = cells
            .first()
            .and_then(|c| c.strip_prefix('`'))
            .and_then(|c| c.strip_suffix('`'))
        else {
            continue;
        };
        let fields = cells
            .iter()
            .rev()
            .find(|c| !c.is_empty())
            .map(|c| ticked(c))
            .unwrap_or_default();
        out.entry(section.clone())
            .or_default()
            .entry(name.to_string())
            .or_default()
            .extend(fields);
    }
    out
}

/// The backticked words of a cell (`` `title`, `url` `` → title, url).
fn ticked(cell: &str) -> BTreeSet<String> {
    cell.split('`')
        .skip(1)
        .step_by(2)
        .map(|w| w.split(['(', ' ', ':']).next().unwrap_or(w).to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every template's reads, by template name.
    fn all_reads() -> BTreeMap<String, Reads> {
        let mut tera = tera::Tera::default();
        tera.add_raw_templates(super::super::theme::TEMPLATES.to_vec())
            .unwrap();
        tera.templates
            .iter()
            .map(|(name, t)| (name.clone(), reads(&t.ast)))
            .collect()
    }

    /// The problems of the contract: reads the README does not document.
    fn problems(readme: &str) -> Vec<String> {
        let docs = documented(readme);
        let en = super::super::theme::parse_strings(super::super::theme::STRINGS[0].1).unwrap();
        let every = docs.get("Every page").cloned().unwrap_or_default();
        // Fields of a name are looked up wherever it is documented.
        let mut fields: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
        for rows in docs.values() {
            for (name, f) in rows {
                fields.entry(name).or_default().extend(f.iter().cloned());
            }
        }
        let is_strings = |b: &str| b == "t" || b.ends_with(".t");
        let mut out = Vec::new();
        for (template, r) in all_reads() {
            let own = docs.get(&template);
            for root in &r.roots {
                let known = own.is_some_and(|d| d.contains_key(root))
                    || (template != "macros.html" && every.contains_key(root));
                if !known {
                    out.push(format!("{template}: variable `{root}` is not documented"));
                }
            }
            for (base, field) in &r.fields {
                if is_strings(base) {
                    if !en.contains_key(field) {
                        out.push(format!(
                            "{template}: UI string `{field}` is not in i18n/en.yaml"
                        ));
                    }
                } else if !fields.get(base.as_str()).is_some_and(|f| f.contains(field)) {
                    out.push(format!(
                        "{template}: field `{field}` of `{base}` is not documented"
                    ));
                }
            }
        }
        for template in all_reads().keys() {
            if template != "base.html" && !docs.contains_key(template) {
                out.push(format!("{template} has no section"));
            }
        }
        out
    }

    fn readme() -> String {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/README.md");
        std::fs::read_to_string(path).unwrap()
    }

    #[test]
    fn every_variable_a_template_reads_is_documented() {
        let problems = problems(&readme());
        assert!(
            problems.is_empty(),
            "themes/default/README.md is out of date:\n{}",
            problems.join("\n")
        );
    }

    #[test]
    fn an_undocumented_read_is_caught() {
        // Positive control: take a row and a field out, and the check fails.
        let text = readme()
            .replace(
                "| `has_body` | bool | `body` is there and not empty |\n",
                "",
            )
            .replace("`tagline`, `url`, `price`", "`tagline`, `price`");
        let problems = problems(&text);
        assert!(
            problems.iter().any(|p| p.contains("`has_body`")),
            "{problems:?}"
        );
        assert!(
            problems
                .iter()
                .any(|p| p.contains("field `url` of `card.offer`")),
            "{problems:?}"
        );
    }

    #[test]
    fn a_loop_variable_reads_fields_of_its_list() {
        let mut tera = tera::Tera::default();
        tera.add_raw_template(
            "x.html",
            "{% for l in lessons %}{{ l.title }}{% set n = l.number %}{{ n }}{% endfor %}{{ site.menu.0 }}{{ loop_free }}",
        )
        .unwrap();
        let r = reads(&tera.templates["x.html"].ast);
        assert_eq!(
            r.roots.iter().map(String::as_str).collect::<Vec<_>>(),
            ["lessons", "loop_free", "site"]
        );
        assert!(r.fields.contains(&("lessons".into(), "title".into())));
        assert!(r.fields.contains(&("lessons".into(), "number".into())));
        assert!(r.fields.contains(&("site".into(), "menu".into())));
    }
}
