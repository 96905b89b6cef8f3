//! The layers of the crate (DESIGN §1): a module imports only from its own layer or the
//! layers below it, and no two files of `src/` import each other, directly or through others.
//!
//! The order is written once, here, as data. A new folder of `src/` must be given its place in
//! [`LAYERS`] or this test fails.
//!
//! How imports are found: every `crate::…`, `super::…` and (in a `mod.rs`) `child::…` path in
//! the code (comments and doc comments excluded) is resolved to the file that defines it,
//! following the re-exports (`pub use`) of `lib.rs` and of each `mod.rs`. A re-export line is
//! not itself an import.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// The layers, lowest first. Modules of one row are one layer; a module may import from its
/// own folder and from the rows above its own (earlier in this list), never from a later row.
/// Two folders of one row may not import each other.
const LAYERS: &[&[&str]] = &[
    &["error", "util"],
    &["values"],
    &["vocabulary"],
    &["render"],
    &["indicators"],
    &["law"],
    &["programme"],
    &["levers"],
    &["lcc", "sourcing"],
    &["decp"],
    &["plan"],
    &["declarations"],
    &["maturity"],
    &["followup"],
    &["document"],
];

/// The most files directly under `src/` (issue 10: a tree that shows the flow).
const MAX_ROOT_FILES: usize = 8;

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every `.rs` file under `src/` except `src/bin/` (the command sits above every layer), as
/// (module path, file path).
fn files() -> BTreeMap<Vec<String>, PathBuf> {
    fn walk(dir: &Path, prefix: &[String], out: &mut BTreeMap<Vec<String>, PathBuf>) {
        let mut entries: Vec<_> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for p in entries {
            let name = p.file_name().unwrap().to_str().unwrap().to_string();
            if p.is_dir() {
                if prefix.is_empty() && (name == "bin" || name == "data") {
                    continue;
                }
                let mut next = prefix.to_vec();
                next.push(name);
                walk(&p, &next, out);
            } else if let Some(stem) = name.strip_suffix(".rs") {
                let mut module = prefix.to_vec();
                if stem != "mod" && !(prefix.is_empty() && stem == "lib") {
                    module.push(stem.to_string());
                }
                out.insert(module, p);
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(&src(), &[], &mut out);
    out
}

/// The code of a file without comments, string contents kept (paths do not occur in them in
/// this crate), and without `#[cfg(test)]` considerations: test modules obey the layers too.
fn code(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'/' && b.get(i + 1) == Some(&b'/') {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
        } else if b[i] == b'/' && b.get(i + 1) == Some(&b'*') {
            i += 2;
            while i + 1 < b.len() && !(b[i] == b'*' && b[i + 1] == b'/') {
                i += 1;
            }
            i += 2;
        } else if b[i] == b'"' {
            // Skip string literals (they may hold `crate::` in messages).
            out.push(' ');
            i += 1;
            while i < b.len() && b[i] != b'"' {
                if b[i] == b'\\' {
                    i += 1;
                }
                i += 1;
            }
            i += 1;
        } else {
            let ch = text[i..].chars().next().unwrap();
            out.push(ch);
            i += ch.len_utf8();
        }
    }
    out
}

/// The statements `pub use …;` / `pub(crate) use …;` of a file (its re-exports), as
/// (exported name, path of the item it names, relative to the file's module).
fn reexports(code: &str) -> Vec<(String, Vec<String>)> {
    let mut out = Vec::new();
    for stmt in code.split(';') {
        let t = stmt.trim();
        let rest = ["pub use ", "pub(crate) use ", "pub(super) use "]
            .iter()
            .find_map(|p| t.strip_prefix(p));
        let Some(rest) = rest else { continue };
        let rest: String = rest.split_whitespace().collect::<Vec<_>>().join(" ");
        expand(&rest, &mut Vec::new(), &mut out);
    }
    out
}

/// Expands a use tree `a::b::{c, d::e as f}` into (name, path) pairs.
fn expand(tree: &str, prefix: &mut Vec<String>, out: &mut Vec<(String, Vec<String>)>) {
    let tree = tree.trim();
    if let Some(open) = tree.find('{') {
        let head = tree[..open].trim_end_matches("::").trim();
        let inner = &tree[open + 1..tree.rfind('}').unwrap()];
        let base = prefix.len();
        prefix.extend(
            head.split("::")
                .filter(|s| !s.is_empty())
                .map(|s| s.trim().to_string()),
        );
        let mut depth = 0;
        let mut start = 0;
        for (i, c) in inner.char_indices() {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                ',' if depth == 0 => {
                    expand(&inner[start..i], prefix, out);
                    start = i + 1;
                }
                _ => {}
            }
        }
        expand(&inner[start..], prefix, out);
        prefix.truncate(base);
    } else if !tree.is_empty() {
        let (path, alias) = match tree.split_once(" as ") {
            Some((p, a)) => (p.trim(), Some(a.trim())),
            None => (tree, None),
        };
        let mut full = prefix.clone();
        full.extend(path.split("::").map(|s| s.trim().to_string()));
        let name = alias.map_or_else(|| full.last().unwrap().clone(), str::to_string);
        if name != "self" && name != "*" {
            out.push((name, full));
        }
    }
}

/// Makes a path absolute (from the crate root) given the module it is written in.
fn absolute(module: &[String], is_mod_file: bool, path: &[String]) -> Option<Vec<String>> {
    let mut base: Vec<String> = match path.first().map(String::as_str) {
        Some("crate") => Vec::new(),
        Some("super") => {
            // `super` of a file `a/b.rs` (module a::b) is `a`; of `a/mod.rs` (module a) is root.
            let mut m = module.to_vec();
            m.pop()?;
            m
        }
        Some("self") => module.to_vec(),
        _ if is_mod_file || module.is_empty() => module.to_vec(),
        _ => return None,
    };
    let mut rest = &path[1..];
    if !matches!(path[0].as_str(), "crate" | "super" | "self") {
        rest = path;
    }
    let mut i = 0;
    while rest.get(i).map(String::as_str) == Some("super") {
        base.pop()?;
        i += 1;
    }
    base.extend(rest[i..].iter().cloned());
    Some(base)
}

struct Crate {
    files: BTreeMap<Vec<String>, PathBuf>,
    codes: BTreeMap<Vec<String>, String>,
    exports: BTreeMap<Vec<String>, BTreeMap<String, Vec<String>>>,
}

impl Crate {
    fn load() -> Crate {
        let files = files();
        let mut codes = BTreeMap::new();
        let mut exports = BTreeMap::new();
        for (m, p) in &files {
            let c = code(&fs::read_to_string(p).unwrap());
            let is_mod = p.file_name().unwrap() == "mod.rs" || m.is_empty();
            let mut map = BTreeMap::new();
            for (name, path) in reexports(&c) {
                if let Some(abs) = absolute(m, is_mod, &path) {
                    map.insert(name, abs);
                }
            }
            exports.insert(m.clone(), map);
            codes.insert(m.clone(), c);
        }
        Crate {
            files,
            codes,
            exports,
        }
    }

    /// The file an absolute path leads to, following re-exports (bounded).
    fn resolve(&self, path: &[String], depth: usize) -> Option<Vec<String>> {
        // The longest prefix that is a file.
        let mut k = path.len();
        while k > 0 && !self.files.contains_key(&path[..k]) {
            k -= 1;
        }
        let file = path[..k].to_vec();
        if !self.files.contains_key(&file) {
            return None;
        }
        if depth < 8 {
            if let Some(next) = path.get(k) {
                if let Some(target) = self.exports[&file].get(next) {
                    let mut t = target.clone();
                    t.extend(path[k + 1..].iter().cloned());
                    if t != path {
                        return self.resolve(&t, depth + 1).or(Some(file));
                    }
                }
            }
        }
        Some(file)
    }

    /// The files each file imports from (re-export statements excluded).
    fn edges(&self) -> BTreeMap<Vec<String>, BTreeSet<Vec<String>>> {
        let mut out = BTreeMap::new();
        for (m, c) in &self.codes {
            let p = &self.files[m];
            let is_mod = p.file_name().unwrap() == "mod.rs" || m.is_empty();
            let children: BTreeSet<String> = self
                .files
                .keys()
                .filter(|f| f.len() == m.len() + 1 && f.starts_with(m))
                .map(|f| f.last().unwrap().clone())
                .collect();
            let mut deps = BTreeSet::new();
            for stmt in c.split(';') {
                let t = stmt.trim_start();
                if t.starts_with("pub use ")
                    || t.starts_with("pub(crate) use ")
                    || t.starts_with("pub(super) use ")
                {
                    continue;
                }
                if let Some(rest) = t.strip_prefix("use ") {
                    let rest: String = rest.split_whitespace().collect::<Vec<_>>().join(" ");
                    let mut pairs = Vec::new();
                    expand(&rest, &mut Vec::new(), &mut pairs);
                    for (_, path) in pairs {
                        self.add(m, is_mod, &children, &path, &mut deps);
                    }
                } else {
                    for path in inline_paths(stmt) {
                        self.add(m, is_mod, &children, &path, &mut deps);
                    }
                }
            }
            deps.remove(m);
            out.insert(m.clone(), deps);
        }
        out
    }

    fn add(
        &self,
        m: &[String],
        is_mod: bool,
        children: &BTreeSet<String>,
        path: &[String],
        deps: &mut BTreeSet<Vec<String>>,
    ) {
        let first = path[0].as_str();
        let relevant = matches!(first, "crate" | "super" | "self")
            || ((is_mod || m.is_empty()) && children.contains(first));
        if !relevant {
            return;
        }
        if let Some(abs) = absolute(m, is_mod, path) {
            if let Some(f) = self.resolve(&abs, 0) {
                deps.insert(f);
            }
        }
    }
}

/// Paths `a::b::c` written in code outside `use` statements.
fn inline_paths(code: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let b = code.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_alphabetic() || c == b'_' {
            let prev_ok = i == 0
                || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_' || b[i - 1] == b':');
            let start = i;
            let mut segs = Vec::new();
            let mut j = i;
            loop {
                let s = j;
                while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'_') {
                    j += 1;
                }
                segs.push(code[s..j].to_string());
                if j + 2 < b.len()
                    && &b[j..j + 2] == b"::"
                    && (b[j + 2].is_ascii_alphabetic() || b[j + 2] == b'_')
                {
                    j += 2;
                } else {
                    break;
                }
            }
            if prev_ok && segs.len() > 1 {
                out.push(segs);
            }
            i = j.max(start + 1);
        } else {
            i += 1;
        }
    }
    out
}

fn layer_of(module: &[String]) -> Option<usize> {
    let top = module.first().map_or("", String::as_str);
    if top.is_empty() {
        return None; // lib.rs: the facade above every layer
    }
    LAYERS.iter().position(|row| row.contains(&top))
}

#[test]
fn every_folder_of_src_has_a_layer() {
    let c = Crate::load();
    let missing: BTreeSet<&str> = c
        .files
        .keys()
        .filter(|m| !m.is_empty() && layer_of(m).is_none())
        .map(|m| m[0].as_str())
        .collect();
    assert!(
        missing.is_empty(),
        "modules without a layer (add them to LAYERS in tests/layers.rs): {missing:?}"
    );
}

#[test]
fn no_module_imports_from_a_higher_layer() {
    let c = Crate::load();
    let mut violations = Vec::new();
    for (m, deps) in c.edges() {
        let Some(lm) = layer_of(&m) else { continue };
        for d in deps {
            let Some(ld) = layer_of(&d) else { continue };
            let same_folder = m[0] == d[0];
            if ld > lm || (ld == lm && !same_folder) {
                violations.push(format!(
                    "{} (layer {}) imports {} (layer {})",
                    m.join("::"),
                    LAYERS[lm].join("/"),
                    d.join("::"),
                    LAYERS[ld].join("/")
                ));
            }
        }
    }
    assert!(
        violations.is_empty(),
        "layer violations:\n{}",
        violations.join("\n")
    );
}

#[test]
fn no_import_circle_between_files() {
    let c = Crate::load();
    let edges = c.edges();
    // Tarjan's strongly connected components.
    let nodes: Vec<&Vec<String>> = edges.keys().collect();
    let index_of: BTreeMap<&Vec<String>, usize> =
        nodes.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    let n = nodes.len();
    let adj: Vec<Vec<usize>> = nodes
        .iter()
        .map(|m| {
            edges[*m]
                .iter()
                .filter_map(|d| index_of.get(d).copied())
                .collect()
        })
        .collect();
    let (mut index, mut low, mut on) = (vec![usize::MAX; n], vec![0; n], vec![false; n]);
    let (mut stack, mut counter, mut cycles) = (Vec::new(), 0, Vec::new());
    fn strong(
        v: usize,
        adj: &[Vec<usize>],
        st: (
            &mut Vec<usize>,
            &mut Vec<usize>,
            &mut Vec<bool>,
            &mut Vec<usize>,
            &mut usize,
        ),
        cycles: &mut Vec<Vec<usize>>,
    ) {
        let (index, low, on, stack, counter) = st;
        index[v] = *counter;
        low[v] = *counter;
        *counter += 1;
        stack.push(v);
        on[v] = true;
        for &w in &adj[v] {
            if index[w] == usize::MAX {
                strong(w, adj, (index, low, on, stack, counter), cycles);
                low[v] = low[v].min(low[w]);
            } else if on[w] {
                low[v] = low[v].min(index[w]);
            }
        }
        if low[v] == index[v] {
            let mut comp = Vec::new();
            loop {
                let w = stack.pop().unwrap();
                on[w] = false;
                comp.push(w);
                if w == v {
                    break;
                }
            }
            if comp.len() > 1 {
                cycles.push(comp);
            }
        }
    }
    for v in 0..n {
        if index[v] == usize::MAX {
            strong(
                v,
                &adj,
                (&mut index, &mut low, &mut on, &mut stack, &mut counter),
                &mut cycles,
            );
        }
    }
    let text: Vec<String> = cycles
        .iter()
        .map(|c| {
            c.iter()
                .map(|&i| nodes[i].join("::"))
                .collect::<Vec<_>>()
                .join(" <-> ")
        })
        .collect();
    assert!(
        text.is_empty(),
        "import circles between files:\n{}",
        text.join("\n")
    );
}

#[test]
fn src_root_holds_few_files_and_every_folder_says_what_it_may_import() {
    let root: Vec<_> = fs::read_dir(src())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .collect();
    assert!(
        root.len() <= MAX_ROOT_FILES,
        "{} files directly under src/: {root:?}",
        root.len()
    );
    for entry in fs::read_dir(src()).unwrap() {
        let p = entry.unwrap().path();
        if !p.is_dir() || p.ends_with("data") || p.ends_with("bin") {
            continue;
        }
        let m = fs::read_to_string(p.join("mod.rs")).unwrap();
        assert!(
            m.starts_with("//!"),
            "{}: mod.rs must open with a doc comment",
            p.display()
        );
        assert!(
            m.contains("May import"),
            "{}: mod.rs must say what it may import",
            p.display()
        );
    }
}

/// The check itself: a planted violation and a planted circle are found.
#[test]
fn the_layer_check_finds_what_it_looks_for() {
    let mut pairs = Vec::new();
    expand(
        "crate::values::{money::Amount, share::{Share as S}}",
        &mut Vec::new(),
        &mut pairs,
    );
    assert_eq!(pairs.len(), 2);
    assert_eq!(pairs[1].0, "S");
    let m = vec!["decp".to_string(), "reader".to_string()];
    let abs = absolute(
        &m,
        false,
        &["super".into(), "json".into(), "Scanner".into()],
    )
    .unwrap();
    assert_eq!(abs.join("::"), "decp::json::Scanner");
    assert_eq!(layer_of(&["plan".to_string()]), Some(10));
    assert!(layer_of(&["values".to_string()]) < layer_of(&["law".to_string()]));
    let c = Crate::load();
    let edges = c.edges();
    // decp's reader really imports its JSON scanner; the resolver sees it.
    assert!(edges[&m].contains(&vec!["decp".to_string(), "json".to_string()]));
    // A path through a re-export resolves to the defining file.
    let amount = c.resolve(&["Amount".to_string()], 0).unwrap();
    assert_eq!(amount.join("::"), "values::money");
    assert_eq!(
        inline_paths("let x = crate::law::rulebook::Rulebook::embedded();").len(),
        1
    );
}
