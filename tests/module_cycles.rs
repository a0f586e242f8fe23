//! No cycles between the top-level modules of `src/` (issue 13, point 4):
//! every `crate::name` path (in `use` lines and inline, comments left out)
//! in a file of module `a` is an edge `a → name`, and the graph must have
//! no cycle at all.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

type Graph = BTreeMap<String, BTreeSet<String>>;

/// The modules `code` names as `crate::name` or `crate::{name, …}`.
fn named_modules(code: &str) -> BTreeSet<String> {
    let ident = |s: &str| -> String {
        s.trim_start()
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    let mut out = BTreeSet::new();
    for (i, _) in code.match_indices("crate::") {
        if code[..i].ends_with(|c: char| c.is_alphanumeric() || c == '_') {
            continue; // `my_crate::`, not `crate::`
        }
        let rest = &code[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let group = group.split('}').next().unwrap_or("");
            out.extend(group.split(',').map(ident));
        } else {
            out.insert(ident(rest));
        }
    }
    out.retain(|m| !m.is_empty() && m != "self");
    out
}

/// `text` with every `//` comment (and doc comment) cut off.
fn without_comments(text: &str) -> String {
    text.lines()
        .map(|line| line.split("//").next().unwrap_or("").to_string() + "\n")
        .collect()
}

/// The module graph of the crate rooted at `src`: the top-level module of
/// each file (`src/a.rs`, `src/a/**`) → the top-level modules it names.
fn graph(src: &Path) -> Graph {
    let mut g = Graph::new();
    for entry in walkdir::WalkDir::new(src).into_iter().flatten() {
        let path = entry.path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let rel = path.strip_prefix(src).unwrap();
        let first = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy();
        let module = first.trim_end_matches(".rs").to_string();
        if module == "lib" || module == "main" {
            continue;
        }
        let code = without_comments(&fs::read_to_string(path).unwrap());
        let names = named_modules(&code);
        let targets = g.entry(module.clone()).or_default();
        targets.extend(names.into_iter().filter(|n| *n != module));
    }
    g
}

/// A cycle in `g` as the list of its modules (first repeated at the end),
/// or None.
fn find_cycle(g: &Graph) -> Option<Vec<String>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Open,
        Done,
    }
    fn visit(
        g: &Graph,
        m: &str,
        marks: &mut BTreeMap<String, Mark>,
        path: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        match marks.get(m) {
            Some(Mark::Done) => return None,
            Some(Mark::Open) => {
                let start = path.iter().position(|p| p == m).unwrap();
                let mut cycle = path[start..].to_vec();
                cycle.push(m.to_string());
                return Some(cycle);
            }
            None => {}
        }
        marks.insert(m.to_string(), Mark::Open);
        path.push(m.to_string());
        for next in g.get(m).into_iter().flatten() {
            if let Some(c) = visit(g, next, marks, path) {
                return Some(c);
            }
        }
        path.pop();
        marks.insert(m.to_string(), Mark::Done);
        None
    }
    let mut marks = BTreeMap::new();
    g.keys()
        .find_map(|m| visit(g, m, &mut marks, &mut Vec::new()))
}

fn crate_graph() -> Graph {
    graph(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"))
}

#[test]
fn no_cycles_between_top_level_modules() {
    let g = crate_graph();
    assert!(
        g["render"].contains("markdown"),
        "the scan sees edges: {g:?}"
    );
    if let Some(cycle) = find_cycle(&g) {
        panic!(
            "module cycle {}: move the shared item down to the lower module \
             (e.g. into model or util)",
            cycle.join(" → ")
        );
    }
}

#[test]
fn model_depends_on_no_calendar() {
    // Event lives in model; calendar re-exports it.
    assert!(!crate_graph()["model"].contains("calendar"));
}

#[test]
fn a_cycle_is_reported() {
    // Positive control, on a made-up crate.
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path();
    fs::create_dir_all(src.join("b")).unwrap();
    fs::write(src.join("lib.rs"), "pub mod a; pub mod b; pub mod c;").unwrap();
    fs::write(
        src.join("a.rs"),
        "use crate::b::X;\n// crate::c in a comment\n",
    )
    .unwrap();
    fs::write(src.join("b/mod.rs"), "mod inner;").unwrap();
    fs::write(src.join("b/inner.rs"), "use crate::{c::Y, self};").unwrap();
    fs::write(src.join("c.rs"), "fn f() { let _ = crate::a::g(); }").unwrap();
    let g = graph(src);
    assert_eq!(g["a"], BTreeSet::from(["b".to_string()]));
    let cycle = find_cycle(&g).expect("a → b → c → a");
    assert_eq!(cycle, ["a", "b", "c", "a"]);
    fs::write(src.join("c.rs"), "fn f() { my_crate::a::g(); }").unwrap();
    assert_eq!(find_cycle(&graph(src)), None);
}
