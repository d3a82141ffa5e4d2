//! Bad input to the batch paths the deploy scripts use (`solve --shard auto/N --out-dir`, `merge`): a missing volume, an unwritable out-dir, a shard index out of range, files from two inputs. Each gets its exit code and a message naming the cause, before anything is solved, and no finished region is lost.

mod batch_common;

use batch_common::{merged_and_checked, region_files, small_province, starplan};
use predicates::str::contains;
use std::path::Path;
use std::process::Command;

/// `solve` as the deploy scripts run it: a shard of 2 from SLURM_ARRAY_TASK_ID.
fn shard(input: &Path, out: &Path, index: &str) -> assert_cmd::assert::Assert {
    starplan()
        .arg("solve")
        .arg(input)
        .args(["--shard", "auto/2", "--log-format", "json", "--out-dir"])
        .arg(out)
        .env("SLURM_ARRAY_TASK_ID", index)
        .env_remove("JOB_COMPLETION_INDEX")
        .assert()
}

#[test]
fn a_missing_volume_or_shard_index_out_of_range_is_refused_before_solving() {
    let dir = tempfile::tempdir().unwrap();
    let input = small_province(dir.path());
    let out = dir.path().join("out");
    // The volume is not mounted: the input is not there.
    shard(&dir.path().join("data/input.json"), &out, "0")
        .code(66)
        .stderr(contains("cannot read"));
    assert!(!out.exists());
    // The array is larger than the shard count of the command.
    shard(&input, &out, "2").code(2).stderr(contains(
        "shard index 2 (from SLURM_ARRAY_TASK_ID) must be below 2",
    ));
    shard(&input, &out, "x")
        .code(2)
        .stderr(contains("not a whole number"));
    assert!(!out.exists());
    // merge over a folder that is not there.
    starplan()
        .arg("merge")
        .arg(&out)
        .arg("--input")
        .arg(&input)
        .arg("-o")
        .arg(dir.path().join("plan.json"))
        .assert()
        .code(66)
        .stderr(contains("cannot read"));
}

/// Makes `dir` refuse new files even to root (chattr +i), or to this user (chmod); false
/// when neither works here (then that part is skipped, with a message).
fn read_only(dir: &Path, on: bool) -> bool {
    let flag = if on { "+i" } else { "-i" };
    let chattr = Command::new("chattr").arg(flag).arg(dir).output();
    if chattr.is_ok_and(|o| o.status.success()) {
        return true;
    }
    use std::os::unix::fs::PermissionsExt;
    let mode = if on { 0o555 } else { 0o755 };
    std::fs::set_permissions(dir, std::fs::Permissions::from_mode(mode)).unwrap();
    let probe = dir.join(".w");
    let writable = std::fs::write(&probe, b"").is_ok();
    let _ = std::fs::remove_file(&probe);
    !on || !writable
}

#[test]
fn an_unwritable_out_dir_is_refused_before_solving_and_keeps_its_regions() {
    let dir = tempfile::tempdir().unwrap();
    let input = small_province(dir.path());
    // A path through a file: the folder cannot even be made.
    let file = dir.path().join("file");
    std::fs::write(&file, b"").unwrap();
    shard(&input, &file.join("out"), "0")
        .code(73)
        .stderr(contains("cannot write"));
    // A folder with shard 0's regions that has become read-only: shard 1 stops before it
    // solves anything, and shard 0's files are untouched.
    let out = dir.path().join("out");
    shard(&input, &out, "0").code(0);
    let before: Vec<Vec<u8>> = region_files(&out)
        .iter()
        .map(|n| std::fs::read(out.join(n)).unwrap())
        .collect();
    if !read_only(&out, true) {
        eprintln!("skipped the read-only part: neither chattr nor chmod can make it so here");
        return;
    }
    let a = shard(&input, &out, "1")
        .code(73)
        .stderr(contains("cannot write"));
    read_only(&out, false);
    let err = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
    assert!(!err.contains("region_started"), "it solved: {err}");
    let after: Vec<Vec<u8>> = region_files(&out)
        .iter()
        .map(|n| std::fs::read(out.join(n)).unwrap())
        .collect();
    assert!(before == after, "shard 0's region files changed");
    // Writable again: shard 1 runs and the merge accepts both shards.
    shard(&input, &out, "1").code(0);
    merged_and_checked(&out, &input, &dir.path().join("plan.json"));
}

#[test]
fn a_merge_over_files_of_two_inputs_names_each_region_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let a_input = small_province(dir.path());
    let a = a_input.clone();
    let b = dir.path().join("b.json");
    starplan()
        .args([
            "generate",
            "--seed",
            "9",
            "--regions",
            "2",
            "--groups",
            "80",
            "-o",
        ])
        .arg(&b)
        .assert()
        .success();
    // Shard 0 of A and shard 1 of B write into one folder.
    let out = dir.path().join("out");
    shard(&a, &out, "0").code(0);
    shard(&b, &out, "1").code(0);
    let plan = dir.path().join("plan.json");
    let a = starplan()
        .arg("merge")
        .arg(&out)
        .arg("--input")
        .arg(&a)
        .arg("-o")
        .arg(&plan)
        .assert()
        .code(3)
        .stderr(contains("nothing was written"));
    let err = String::from_utf8_lossy(&a.get_output().stderr).into_owned();
    assert!(
        err.contains("solved from another input") || err.contains("not a region of the input"),
        "{err}"
    );
    assert!(err.contains("no plan file"), "{err}");
    assert!(!plan.exists());
    // A's own shards, in a folder of their own, merge into a plan the checker accepts: the
    // refusal was the mix of inputs, not the shards.
    let own = dir.path().join("own");
    shard(&a_input, &own, "0").code(0);
    shard(&a_input, &own, "1").code(0);
    merged_and_checked(&own, &a_input, &plan);
}
