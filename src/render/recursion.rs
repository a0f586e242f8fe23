//! Tera has no recursion limit: a template that includes itself, or a
//! macro that calls itself, recurses until the stack overflows and the
//! process aborts (in `serve`, the whole server). So before anything is
//! rendered, the compiled templates are searched for a cycle of includes,
//! `extends` and macro calls, and a cycle is an error naming it. Recursion
//! that would have ended (a macro walking a tree) is refused too: kpsite's
//! pages never need it, and an author can always write the levels out.

use std::collections::BTreeMap;

use tera::Tera;
use tera::ast::{Expr, ExprVal, Node};

/// A template, or one macro defined in a template.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Unit {
    Template(String),
    Macro { file: String, name: String },
}

impl Unit {
    fn describe(&self) -> String {
        match self {
            Unit::Template(t) => t.clone(),
            Unit::Macro { file, name } => format!("{file} (macro `{name}`)"),
        }
    }

    fn file(&self) -> &str {
        match self {
            Unit::Template(t) | Unit::Macro { file: t, .. } => t,
        }
    }
}

/// The first cycle found, as (the template it starts in, a message that
/// walks it), or None when there is none.
pub fn find_cycle(tera: &Tera) -> Option<(String, String)> {
    let graph = graph(tera);
    let mut state: BTreeMap<&Unit, bool> = BTreeMap::new(); // false: on the path, true: done
    for start in graph.keys() {
        let mut path = Vec::new();
        if let Some(cycle) = visit(start, &graph, &mut state, &mut path) {
            let walk: Vec<String> = cycle.iter().map(|u| u.describe()).collect();
            let message = format!(
                "templates recurse without end: {}; kpsite refuses a template or macro that can include or call itself (Tera would overflow the stack); write the levels out instead",
                walk.join(" → ")
            );
            return Some((cycle[0].file().to_string(), message));
        }
    }
    None
}

/// Depth-first search; returns the cycle (first unit repeated at the end).
fn visit<'g>(
    unit: &'g Unit,
    graph: &'g BTreeMap<Unit, Vec<Unit>>,
    state: &mut BTreeMap<&'g Unit, bool>,
    path: &mut Vec<&'g Unit>,
) -> Option<Vec<Unit>> {
    match state.get(unit) {
        Some(true) => return None,
        Some(false) => {
            let from = path.iter().position(|u| *u == unit).unwrap_or(0);
            let mut cycle: Vec<Unit> = path[from..].iter().map(|u| (*u).clone()).collect();
            cycle.push(unit.clone());
            return Some(cycle);
        }
        None => {}
    }
    state.insert(unit, false);
    path.push(unit);
    for next in graph.get(unit).into_iter().flatten() {
        // Edges to units that do not exist (a missing include) fail at
        // render time with Tera's own message.
        let Some((next, _)) = graph.get_key_value(next) else {
            continue;
        };
        if let Some(cycle) = visit(next, graph, state, path) {
            return Some(cycle);
        }
    }
    path.pop();
    state.insert(unit, true);
    None
}

/// Every template and macro, with what rendering it renders next.
fn graph(tera: &Tera) -> BTreeMap<Unit, Vec<Unit>> {
    let mut graph = BTreeMap::new();
    for (name, tpl) in &tera.templates {
        let resolve = |refs: Refs| -> Vec<Unit> {
            let macros = refs.macros.into_iter().filter_map(|(ns, m)| {
                let file = if ns == "self" {
                    Some(name.clone())
                } else {
                    tpl.imported_macro_files
                        .iter()
                        .find(|(_, n)| *n == ns)
                        .map(|(f, _)| f.clone())
                };
                file.map(|file| Unit::Macro { file, name: m })
            });
            refs.includes
                .into_iter()
                .map(Unit::Template)
                .chain(macros)
                .collect()
        };
        let mut refs = Refs::default();
        refs.nodes(&tpl.ast);
        let mut edges = resolve(refs);
        edges.extend(tpl.parent.clone().map(Unit::Template));
        graph.insert(Unit::Template(name.clone()), edges);
        for (macro_name, def) in &tpl.macros {
            let mut refs = Refs::default();
            refs.nodes(&def.body);
            for default in def.args.values().flatten() {
                refs.expr(default);
            }
            let unit = Unit::Macro {
                file: name.clone(),
                name: macro_name.clone(),
            };
            graph.insert(unit, resolve(refs));
        }
    }
    graph
}

/// The includes and macro calls (namespace, name) found in some nodes.
#[derive(Default)]
struct Refs {
    includes: Vec<String>,
    macros: Vec<(String, String)>,
}

impl Refs {
    fn nodes(&mut self, nodes: &[Node]) {
        for node in nodes {
            match node {
                Node::VariableBlock(_, e) => self.expr(e),
                Node::Include(_, names, _) => self.includes.extend(names.iter().cloned()),
                Node::Set(_, set) => self.expr(&set.value),
                Node::FilterSection(_, f, _) => {
                    self.args(f.filter.args.values());
                    self.nodes(&f.body);
                }
                Node::Block(_, block, _) => self.nodes(&block.body),
                Node::Forloop(_, f, _) => {
                    self.expr(&f.container);
                    self.nodes(&f.body);
                    self.nodes(f.empty_body.as_deref().unwrap_or_default());
                }
                Node::If(i, _) => {
                    for (_, cond, body) in &i.conditions {
                        self.expr(cond);
                        self.nodes(body);
                    }
                    if let Some((_, body)) = &i.otherwise {
                        self.nodes(body);
                    }
                }
                // Macro bodies are units of their own.
                _ => {}
            }
        }
    }

    fn expr(&mut self, e: &Expr) {
        self.val(&e.val);
        for filter in &e.filters {
            self.args(filter.args.values());
        }
    }

    fn args<'a>(&mut self, args: impl Iterator<Item = &'a Expr>) {
        for a in args {
            self.expr(a);
        }
    }

    fn val(&mut self, v: &ExprVal) {
        match v {
            ExprVal::Math(m) => {
                self.expr(&m.lhs);
                self.expr(&m.rhs);
            }
            ExprVal::Logic(l) => {
                self.expr(&l.lhs);
                self.expr(&l.rhs);
            }
            ExprVal::In(i) => {
                self.expr(&i.lhs);
                self.expr(&i.rhs);
            }
            ExprVal::Test(t) => self.args(t.args.iter()),
            ExprVal::MacroCall(m) => {
                self.macros.push((m.namespace.clone(), m.name.clone()));
                self.args(m.args.values());
            }
            ExprVal::FunctionCall(f) => self.args(f.args.values()),
            ExprVal::Array(items) => self.args(items.iter()),
            ExprVal::StringConcat(s) => {
                for v in &s.values {
                    self.val(v);
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cycle(templates: &[(&str, &str)]) -> Option<(String, String)> {
        let mut tera = Tera::default();
        tera.add_raw_templates(templates.to_vec()).unwrap();
        find_cycle(&tera)
    }

    #[test]
    fn self_include_is_a_cycle() {
        let (file, msg) = cycle(&[("a.html", "x{% include \"a.html\" %}")]).unwrap();
        assert_eq!(file, "a.html");
        assert!(msg.contains("a.html → a.html"), "{msg}");
    }

    #[test]
    fn include_cycles_through_blocks_and_parents_are_found() {
        let (_, msg) = cycle(&[
            (
                "base.html",
                "{% block b %}{% endblock %}{% if x %}{% include \"page.html\" %}{% endif %}",
            ),
            (
                "page.html",
                "{% extends \"base.html\" %}{% block b %}hi{% endblock %}",
            ),
        ])
        .unwrap();
        assert!(
            msg.contains("base.html") && msg.contains("page.html"),
            "{msg}"
        );
    }

    #[test]
    fn recursive_macros_are_found_directly_and_across_files() {
        let (file, msg) = cycle(&[
            (
                "m.html",
                "{% macro f(n) %}{{ self::f(n=n) }}{% endmacro f %}",
            ),
            ("p.html", "{% import \"m.html\" as m %}{{ m::f(n=1) }}"),
        ])
        .unwrap();
        assert_eq!(file, "m.html");
        assert!(
            msg.contains("m.html (macro `f`) → m.html (macro `f`)"),
            "{msg}"
        );
        let (_, msg) = cycle(&[
            ("a.html", "{% import \"b.html\" as b %}{% macro f() %}{% for i in [1] %}{{ b::g() | safe }}{% endfor %}{% endmacro f %}"),
            ("b.html", "{% import \"a.html\" as a %}{% macro g() %}{% if true %}{{ a::f() }}{% endif %}{% endmacro g %}"),
        ])
        .unwrap();
        assert!(
            msg.contains("macro `f`") && msg.contains("macro `g`"),
            "{msg}"
        );
    }

    #[test]
    fn ordinary_templates_have_no_cycle() {
        assert!(
            cycle(&[
                ("base.html", "{% import \"m.html\" as m %}{% block b %}{% endblock %}{% include \"foot.html\" %}"),
                ("foot.html", "{{ m::f() }}"),
                ("m.html", "{% macro f() %}x{% endmacro f %}{% macro g() %}{{ self::f() }}{% endmacro g %}"),
                ("page.html", "{% extends \"base.html\" %}{% block b %}{% include \"foot.html\" %}{% endblock %}"),
            ])
            .is_none()
        );
    }
}
