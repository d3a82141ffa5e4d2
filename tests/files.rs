//! Files the binary writes: named after ids yet inside the folder the user named, nothing left behind by a refused input, and the targets of `-o` (issue 13, items 2 and 8).

mod common;

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
    common::checked(&work.path().join("in.json"), &work.path().join("plan.json"));
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

fn tiny_input() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/tiny/c1-new-group.json")
}

fn is_plan(bytes: &[u8]) -> bool {
    serde_json::from_slice::<serde_json::Value>(bytes).is_ok_and(|v| v.get("assignments").is_some())
}

#[test]
fn an_output_that_is_the_input_is_refused_and_the_input_kept() {
    let work = tempfile::tempdir().unwrap();
    let input = work.path().join("in.json");
    std::fs::copy(tiny_input(), &input).unwrap();
    std::os::unix::fs::symlink(&input, work.path().join("link.json")).unwrap();
    let before = std::fs::read(&input).unwrap();
    for out in ["in.json", "./in.json", "link.json"] {
        starplan()
            .current_dir(work.path())
            .args(["solve", "in.json", "-q", "-o", out])
            .assert()
            .code(2)
            .stderr(predicates::str::contains("is the input"));
        assert_eq!(std::fs::read(&input).unwrap(), before, "-o {out}");
    }
}

#[test]
fn an_output_through_a_symlink_writes_the_linked_file() {
    let work = tempfile::tempdir().unwrap();
    std::fs::create_dir(work.path().join("plans")).unwrap();
    let real = work.path().join("plans/june.json");
    std::fs::write(&real, "old").unwrap();
    let link = work.path().join("latest.json");
    std::os::unix::fs::symlink("plans/june.json", &link).unwrap();
    let dangling = work.path().join("next.json");
    std::os::unix::fs::symlink("plans/july.json", &dangling).unwrap();
    for out in [&link, &dangling] {
        starplan()
            .arg("solve")
            .arg(tiny_input())
            .args(["-q", "-o"])
            .arg(out)
            .assert()
            .code(0);
        assert!(std::fs::symlink_metadata(out)
            .unwrap()
            .file_type()
            .is_symlink());
    }
    assert!(is_plan(&std::fs::read(&real).unwrap()));
    assert!(is_plan(
        &std::fs::read(work.path().join("plans/july.json")).unwrap()
    ));
    common::checked(&tiny_input(), &real);
    common::checked(&tiny_input(), &work.path().join("plans/july.json"));
}

#[test]
fn stdout_and_fifo_outputs_are_written_in_place() {
    let work = tempfile::tempdir().unwrap();
    // A link of our own to this process's standard output, as /dev/stdout is.
    let stdout = work.path().join("stdout");
    std::os::unix::fs::symlink("/proc/self/fd/1", &stdout).unwrap();
    let out = starplan()
        .arg("solve")
        .arg(tiny_input())
        .args(["-q", "-o"])
        .arg(&stdout)
        .assert()
        .code(0);
    assert!(is_plan(&out.get_output().stdout), "the plan went to stdout");
    let copy = work.path().join("from-stdout.json");
    std::fs::write(&copy, &out.get_output().stdout).unwrap();
    common::checked(&tiny_input(), &copy);
    assert!(std::fs::symlink_metadata(&stdout)
        .unwrap()
        .file_type()
        .is_symlink());

    let fifo = work.path().join("fifo");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    let reader = std::process::Command::new("cat")
        .arg(&fifo)
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // The reader is killed whatever happens, so a failure cannot leave it waiting.
    struct Reader(std::process::Child);
    impl Drop for Reader {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
    let mut reader = Reader(reader);
    let run = starplan()
        .arg("solve")
        .arg(tiny_input())
        .args(["-q", "-o"])
        .arg(&fifo)
        .timeout(std::time::Duration::from_secs(20))
        .output()
        .unwrap();
    let fifo_kept = std::os::unix::fs::FileTypeExt::is_fifo(
        &std::fs::symlink_metadata(&fifo).unwrap().file_type(),
    );
    assert_eq!(run.status.code(), Some(0), "{run:?}");
    assert!(fifo_kept, "the FIFO was replaced by a regular file");
    let mut got = Vec::new();
    std::io::Read::read_to_end(reader.0.stdout.as_mut().unwrap(), &mut got).unwrap();
    assert!(is_plan(&got), "the reader of the FIFO got the plan");
    let copy = work.path().join("from-fifo.json");
    std::fs::write(&copy, &got).unwrap();
    common::checked(&tiny_input(), &copy);
}

#[test]
fn new_files_follow_the_umask_and_replaced_files_keep_their_mode() {
    use std::os::unix::fs::PermissionsExt;
    let work = tempfile::tempdir().unwrap();
    let kept = work.path().join("kept.json");
    std::fs::write(&kept, "old").unwrap();
    std::fs::set_permissions(&kept, std::fs::Permissions::from_mode(0o640)).unwrap();
    let bin = assert_cmd::cargo::cargo_bin("starplan");
    std::fs::write(
        work.path().join("sc.json"),
        r#"{"schema_version": 1, "name": "same"}"#,
    )
    .unwrap();
    let script = format!(
        "umask 022; '{b}' solve '{i}' -q -o new.json && '{b}' solve '{i}' -q -o kept.json \
         && '{b}' whatif '{i}' sc.json -d wi --format json > /dev/null",
        b = bin.display(),
        i = tiny_input().display(),
    );
    let ok = std::process::Command::new("sh")
        .arg("-c")
        .arg(&script)
        .current_dir(work.path())
        .status()
        .unwrap();
    assert!(ok.success());
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&work.path().join("new.json")), 0o644);
    assert_eq!(mode(&kept), 0o640);
    assert_eq!(mode(&work.path().join("wi")), 0o755);
    assert_eq!(mode(&work.path().join("wi/same.plan.json")), 0o644);
    for plan in ["new.json", "kept.json", "wi/same.plan.json"] {
        common::checked(&tiny_input(), &work.path().join(plan));
    }
}

fn whatif_in(work: &Path, scenario: &str) -> assert_cmd::assert::Assert {
    std::fs::write(work.join("sc.json"), scenario).unwrap();
    starplan()
        .current_dir(work)
        .arg("whatif")
        .arg(tiny_input())
        .args(["sc.json", "-d", "out", "--format", "json"])
        .assert()
}

#[test]
fn a_whatif_that_cannot_write_every_file_leaves_none() {
    let work = tempfile::tempdir().unwrap();
    // A folder where the last run's plan must go: that rename fails after the others.
    std::fs::create_dir_all(work.path().join("out/m2-leaves.plan.json")).unwrap();
    let scenario = r#"{"schema_version": 1, "name": "m2-leaves", "unavailable_managers": ["M2"]}"#;
    whatif_in(work.path(), scenario).code(73);
    assert_eq!(
        tree(&work.path().join("out")),
        vec![PathBuf::from("m2-leaves.plan.json")],
        "files were left behind"
    );
}

#[test]
fn scenario_names_with_control_characters_or_300_characters_are_e063() {
    for name in ["a\u{0}b".to_string(), "x".repeat(300), "tab\there".into()] {
        let work = tempfile::tempdir().unwrap();
        let scenario = serde_json::json!({ "schema_version": 1, "name": name }).to_string();
        whatif_in(work.path(), &scenario)
            .code(65)
            .stderr(predicates::str::contains("E063"));
        assert!(!work.path().join("out").exists());
    }
}
