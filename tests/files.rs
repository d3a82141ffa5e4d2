//! Files the binary writes: named after ids yet inside the folder the user named, nothing left behind by a refused input, and the targets of `-o` (issue 13, items 2 and 8).

use assert_cmd::Command;
use serde_json::json;
use std::path::{Path, PathBuf};

fn starplan() -> Command {
    Command::cargo_bin("starplan").unwrap()
}

/// A province with one tiny region per id: one 3-star manager, one class-A group.
fn province(ids: &[&str]) -> String {
    let regions: Vec<_> = ids.iter().map(|id| json!({ "id": id })).collect();
    let managers: Vec<_> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| json!({ "id": format!("M{i}"), "region": id, "star": 3 }))
        .collect();
    let groups: Vec<_> = ids
        .iter()
        .enumerate()
        .map(|(i, id)| {
            json!({ "id": format!("G{i}"), "region": id, "class": "A", "members": 100,
                    "current_manager": format!("M{i}") })
        })
        .collect();
    json!({ "schema_version": 1, "regions": regions, "managers": managers, "groups": groups })
        .to_string()
}

/// Every file under `dir`, relative to it.
fn tree(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                todo.push(p.clone());
            }
            out.push(p.strip_prefix(dir).unwrap().to_path_buf());
        }
    }
    out.sort();
    out
}

#[test]
fn exported_models_stay_in_the_folder_whatever_the_region_id() {
    let work = tempfile::tempdir().unwrap();
    let outside = tempfile::tempdir().unwrap();
    let absolute = outside.path().join("abs").to_string_lossy().into_owned();
    let long = "L".repeat(400);
    let ids = [
        "../escaped",
        absolute.as_str(),
        "a\0b",
        "CON",
        "HZ",
        long.as_str(),
    ];
    std::fs::write(work.path().join("in.json"), province(&ids)).unwrap();
    starplan()
        .current_dir(work.path())
        .args([
            "solve",
            "in.json",
            "-o",
            "plan.json",
            "-q",
            "--export-mps",
            "mps",
        ])
        .assert()
        .code(0);
    let files = tree(work.path());
    let stray: Vec<_> = files
        .iter()
        .filter(|f| !f.starts_with("mps") && *f != Path::new("in.json"))
        .filter(|f| *f != Path::new("plan.json"))
        .collect();
    assert!(stray.is_empty(), "files outside the folder: {stray:?}");
    assert!(tree(outside.path()).is_empty(), "a file at the absolute id");
    let models = tree(&work.path().join("mps"));
    let mps = models
        .iter()
        .filter(|f| f.extension() == Some("mps".as_ref()));
    assert_eq!(mps.count(), ids.len(), "one model per region: {models:?}");
    assert!(models.contains(&PathBuf::from("HZ.mps")));
    assert!(models.contains(&PathBuf::from("%2E%2E%2Fescaped.mps")));
}

#[test]
fn a_refused_input_creates_no_export_folder() {
    let work = tempfile::tempdir().unwrap();
    std::fs::write(work.path().join("in.json"), r#"{"schema_version": 1}"#).unwrap();
    starplan()
        .current_dir(work.path())
        .args(["solve", "in.json", "-o", "plan.json", "--export-mps", "mps"])
        .assert()
        .code(65);
    assert_eq!(tree(work.path()), vec![PathBuf::from("in.json")]);
}
