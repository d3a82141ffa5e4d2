//! The suite's own rules, read from its source (issue 22, item 1): a test that makes a plan
//! passes it through the independent checker.
//!
//! The rule, per top-level function of every file in tests/ and crates/*/tests (a function
//! starts at a line that begins with `fn`, `pub fn`, `async fn` or `pub async fn`; nested
//! closures belong to it):
//! - it *solves* when its text holds a solving entry point: the library's `engine::solve(` or
//!   `solve(&to_instance`, a plan-making command at the head of a command line
//!   (`.arg("solve")`, `.args(["solve"` and the same for `whatif`, `certify`, `merge`,
//!   `rescore`), `' solve ` / `' whatif ` in a shell line, or a call of a helper of the same
//!   file that solves (helpers of helpers included);
//! - a solving function that expects success (`.success()`, `.code(0)`, `status.success()`,
//!   or a library solve) must also name the checker: `checked(` (and so `solve_checked(`,
//!   `solve_cli_checked(`, `checked_bytes(`), `check(`, `verdict(`, `checker::`, the `"check"`
//!   command, `batch_common::one_run(` (whose plan is checked), or a call of a helper of the
//!   same file that does;
//! - a solving function that only expects refusals (a non-zero exit, e.g. `.code(65)`) is
//!   judged to make no plan and is exempt, as are helpers that leave the outcome to their
//!   caller (the caller is judged). A plan written under a non-zero exit (3, 5) is checked
//!   by the tests that know it is written, not demanded by this rule.
//!
//! tests/common (which defines the checked helpers) and this file are not judged.

use std::path::{Path, PathBuf};

const SOLVING: [&str; 14] = [
    "engine::solve(",
    "solve(&to_instance",
    ".arg(\"solve\")",
    ".arg(\"whatif\")",
    ".arg(\"certify\")",
    ".arg(\"merge\")",
    ".arg(\"rescore\")",
    ".args([\"solve\"",
    ".args([\"whatif\"",
    ".args([\"certify\"",
    ".args([\"merge\"",
    ".args([\"rescore\"",
    "' solve ",
    "' whatif ",
];
const SUCCESS: [&str; 5] = [
    ".success()",
    ".code(0)",
    "status.success()",
    "engine::solve(",
    "solve(&to_instance",
];
const CHECKER: [&str; 8] = [
    "checked(",
    "checked_bytes(",
    "check(",
    "verdict(",
    "\"check\"",
    "check_plan(",
    "checker::",
    "one_run(",
];

/// Every `.rs` file under `dir`, recursively.
fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries {
        let p = e.unwrap().path();
        if p.is_dir() {
            sources(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The file's top-level functions as (name, text).
fn functions(text: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in text.lines() {
        let head = ["pub async fn ", "async fn ", "pub fn ", "fn "]
            .iter()
            .find_map(|p| line.strip_prefix(p));
        if let Some(rest) = head {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            out.push((name, String::new()));
        }
        if let Some((_, body)) = out.last_mut() {
            body.push_str(line);
            body.push('\n');
        }
    }
    out
}

fn holds(text: &str, needles: &[&str]) -> bool {
    needles.iter().any(|n| text.contains(n))
}

/// The names of `fns` whose text holds one of `needles` or calls (transitively) such a one.
fn closure(fns: &[(String, String)], needles: &[&str]) -> Vec<String> {
    let mut set: Vec<String> = fns
        .iter()
        .filter(|(_, body)| holds(body, needles))
        .map(|(n, _)| n.clone())
        .collect();
    // Bounded by the number of functions: each round adds one at least or stops.
    for _ in 0..fns.len() {
        let more: Vec<String> = fns
            .iter()
            .filter(|(n, body)| {
                !set.contains(n) && set.iter().any(|s| body.contains(&format!("{s}(")))
            })
            .map(|(n, _)| n.clone())
            .collect();
        if more.is_empty() {
            break;
        }
        set.extend(more);
    }
    set
}

/// The functions of one file that make a plan and never check it.
fn unchecked(text: &str) -> Vec<String> {
    let fns = functions(text);
    let solvers = closure(&fns, &SOLVING);
    let checkers = closure(&fns, &CHECKER);
    fns.iter()
        .filter(|(n, body)| solvers.contains(n) && holds(body, &SUCCESS) && !checkers.contains(n))
        .map(|(n, _)| n.clone())
        .collect()
}

#[test]
fn every_test_that_makes_a_plan_checks_it() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    sources(&root.join("tests"), &mut files);
    for c in std::fs::read_dir(root.join("crates")).unwrap() {
        sources(&c.unwrap().path().join("tests"), &mut files);
    }
    assert!(files.len() > 20, "the suite was not found: {files:?}");
    let mut bad = Vec::new();
    for f in &files {
        let rel = f.strip_prefix(&root).unwrap();
        if rel.starts_with("tests/common") || rel == Path::new("tests/hygiene.rs") {
            continue;
        }
        let text = std::fs::read_to_string(f).unwrap();
        for name in unchecked(&text) {
            bad.push(format!("{}: fn {name}", rel.display()));
        }
    }
    assert!(
        bad.is_empty(),
        "solves without the checker (use common::solve_checked, solve_cli_checked or checked):\n{}",
        bad.join("\n")
    );
}

#[test]
fn the_rule_catches_an_unchecked_solve_and_spares_refusals_and_checked_ones() {
    let src = "fn helper(p: &str) -> Assert {\n    starplan().args([\"solve\", p]).assert()\n}\n\
               fn both() {\n    starplan().arg(\"merge\").assert().code(0);\n    checked(a, b);\n}\n\
               fn via() {\n    both();\n    helper(\"y\").code(0);\n}\n\
               fn schema() {\n    starplan().args([\"schema\", \"whatif\"]).assert().success();\n}\n\
               fn bad() {\n    helper(\"x\").success();\n}\n\
               fn good() {\n    helper(\"x\").success();\n    checked(a, b);\n}\n\
               fn refusal() {\n    starplan().args([\"solve\"]).assert().code(65);\n}\n\
               fn lib() {\n    let p = engine::solve(&i, &o);\n}\n";
    assert_eq!(unchecked(src), vec!["bad".to_string(), "lib".to_string()]);
}
