//! The one table of stable IDs (crates/format/src/codes.rs) is the only place the IDs are spelled, and every ID has its row in models/*.md and a tiny fixture (rules).

use starplan::format::codes::{Check, DiagnosisCode, Rule};
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn doc(name: &str) -> String {
    std::fs::read_to_string(root().join("models").join(name)).unwrap()
}

#[test]
fn every_rule_check_and_diagnosis_has_its_row_in_models() {
    for r in Rule::ALL {
        let row = format!("| {} | {} |", r.code(), r.name());
        assert!(
            doc(r.doc()).contains(&row),
            "{row} is not in models/{}",
            r.doc()
        );
    }
    for c in Check::ALL {
        let row = format!("| {} | {} |", c.code(), c.name());
        assert!(
            doc(c.doc()).contains(&row),
            "{row} is not in models/{}",
            c.doc()
        );
    }
    for d in DiagnosisCode::ALL {
        let row = format!("| {} | {} |", d.code(), d.name());
        assert!(
            doc(d.doc()).contains(&row),
            "{row} is not in models/{}",
            d.doc()
        );
    }
}

#[test]
fn every_rule_has_a_tiny_fixture_with_its_optimum() {
    let tiny = root().join("fixtures/tiny");
    let names: Vec<String> = std::fs::read_dir(&tiny)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    for r in Rule::ALL {
        let prefix = format!("{}-", r.code().to_lowercase());
        let has = |suffix: &str| {
            names
                .iter()
                .any(|n| n.starts_with(&prefix) && n.ends_with(suffix))
        };
        assert!(
            has(".expected.json") && has(".json"),
            "{} has no tiny fixture ({prefix}*.json with its .expected.json)",
            r.code()
        );
    }
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// A quoted ID such as "C6", "T2" or "D001" in the source: the IDs are enums, spelled
/// only in the table.
fn quoted_ids(text: &str) -> Vec<String> {
    let ids: Vec<String> = Rule::ALL
        .iter()
        .map(|r| r.code().to_string())
        .chain(Check::ALL.iter().map(|c| c.code().to_string()))
        .chain(DiagnosisCode::ALL.iter().map(|d| d.code().to_string()))
        .collect();
    ids.into_iter()
        .filter(|id| text.contains(&format!("\"{id}\"")))
        .collect()
}

#[test]
fn ids_are_spelled_only_in_the_table() {
    let mut files = Vec::new();
    rust_files(&root().join("src"), &mut files);
    rust_files(&root().join("crates"), &mut files);
    let table = root().join("crates/format/src/codes.rs");
    for f in files.into_iter().filter(|f| *f != table) {
        let text = std::fs::read_to_string(&f).unwrap();
        let found = quoted_ids(&text);
        assert!(found.is_empty(), "{} spells {found:?}", f.display());
    }
}
