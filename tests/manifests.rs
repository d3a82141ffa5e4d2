//! deploy/ against what runs it: every Kubernetes manifest validated offline against the pinned API schemas (scripts/with-k8s-validate) of the oldest release the manifests need and the newest shipped; the image they name is the one the Dockerfile and README build; their pod failure policy and the Slurm scripts handle the exit codes src/cli defines.

mod batch_common;

use batch_common::repo;
use starplan::cli::exit;
use std::path::Path;
use std::process::Command;

/// The oldest Kubernetes the manifests need (README, "Cluster"): backoffLimitPerIndex and
/// the FailIndex action are on by default from 1.29.
const OLDEST: &str = "1.29.0";
/// The newest release whose schemas the pinned validator ships.
const NEWEST: &str = "1.37.0";

fn read(rel: &str) -> String {
    std::fs::read_to_string(repo(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn manifests() -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(repo("deploy/k8s"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".yaml"))
        .map(|n| format!("deploy/k8s/{n}"))
        .collect();
    v.sort();
    assert!(v.len() >= 3, "{v:?}");
    v
}

/// The validator's program, or None (skip) outside CI.
fn validator() -> Option<String> {
    if let Ok(p) = std::env::var("STARPLAN_K8S_VALIDATE") {
        return Some(p);
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "CI is set but STARPLAN_K8S_VALIDATE is not: run this test under scripts/with-k8s-validate"
    );
    eprintln!("skipped: no Kubernetes schemas (run under scripts/with-k8s-validate)");
    None
}

/// Validates one file strictly (unknown fields rejected): success and the output.
fn validate(program: &str, version: &str, file: &Path) -> (bool, String) {
    let out = Command::new(program)
        .args(["--strict", "--no-warn", "-k", version])
        .arg(file)
        .output()
        .unwrap_or_else(|e| panic!("{program}: {e}"));
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    (out.status.success(), text)
}

#[test]
fn every_manifest_validates_against_the_kubernetes_api_schemas() {
    let Some(program) = validator() else {
        return;
    };
    for rel in manifests() {
        let kinds = read(&rel)
            .lines()
            .filter(|l| l.starts_with("kind: "))
            .count();
        for version in [OLDEST, NEWEST] {
            let (ok, text) = validate(&program, version, &repo(&rel));
            assert!(ok, "{rel} against {version}: {text}");
            assert_eq!(
                text.matches(" passed for resource ").count(),
                kinds,
                "{text}"
            );
        }
    }
    // The checks bite: a field below its release, a misspelled field, a wrong type.
    let solve = repo("deploy/k8s/solve-job.yaml");
    let (ok, text) = validate(&program, "1.27.0", &solve);
    assert!(
        !ok,
        "solve-job.yaml should not validate against 1.27: {text}"
    );
    let dir = tempfile::tempdir().unwrap();
    let text = read("deploy/k8s/solve-job.yaml");
    for (from, to) in [
        ("backoffLimitPerIndex:", "backoffLimitPerIndx:"),
        ("completions: 4", "completions: four"),
        (
            "type: DisruptionTarget, status: \"True\"",
            "type: DisruptionTarget",
        ),
    ] {
        assert!(text.contains(from), "{from}");
        let bad = dir.path().join("bad.yaml");
        std::fs::write(&bad, text.replacen(from, to, 1)).unwrap();
        let (ok, out) = validate(&program, OLDEST, &bad);
        assert!(!ok, "{from} -> {to} passed: {out}");
    }
}

#[test]
fn the_manifests_name_the_image_the_dockerfile_and_readme_build() {
    let version = env!("CARGO_PKG_VERSION");
    let image = format!("registry.example.com/starplan:{version}");
    for rel in manifests() {
        let text = read(&rel);
        let images: Vec<&str> = text
            .lines()
            .filter_map(|l| l.trim().strip_prefix("image: "))
            .collect();
        assert!(!images.is_empty(), "{rel}");
        for i in images {
            assert_eq!(i, image, "{rel}");
        }
        // The image's user, so the volume (fsGroup) is writable for it.
        assert!(
            text.contains("runAsUser: 10001") && text.contains("fsGroup: 10001"),
            "{rel}"
        );
    }
    let docker = read("Dockerfile");
    assert_eq!(
        docker.matches(&format!("ARG VERSION={version}\n")).count(),
        2
    );
    assert!(docker.contains("org.opencontainers.image.version=\"${VERSION}\""));
    assert!(docker.contains("USER 10001:10001") && docker.contains("ENTRYPOINT [\"starplan\"]"));
    assert!(docker.contains("scripts/image-build /out"));
    let readme = read("README.md");
    for engine in ["podman", "docker"] {
        let line = format!("{engine} build -t {image} .");
        assert!(readme.contains(&line), "README lacks `{line}`");
    }
}

/// The exit codes an `onExitCodes` rule of `action` lists.
fn rule_codes(policy: &str, action: &str) -> Vec<i32> {
    let lines: Vec<&str> = policy.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.trim() == format!("- action: {action}"))
        .unwrap_or_else(|| panic!("no {action} rule"));
    let values = lines[at + 1]
        .split_once("values: [")
        .and_then(|(_, v)| v.split_once(']'))
        .unwrap_or_else(|| panic!("{action}: {}", lines[at + 1]))
        .0;
    values
        .split(',')
        .map(|v| v.trim().parse().unwrap())
        .collect()
}

#[test]
fn failure_policy_and_slurm_scripts_handle_the_cli_exit_codes() {
    let solve = read("deploy/k8s/solve-job.yaml");
    assert_eq!(
        rule_codes(&solve, "FailJob"),
        [
            exit::USAGE,
            exit::INVALID_INPUT,
            exit::NO_INPUT,
            exit::CANT_WRITE
        ]
    );
    assert_eq!(
        rule_codes(&solve, "FailIndex"),
        [exit::NO_SOLUTION, exit::RELAXED, exit::GAP_ABOVE_MAX]
    );
    assert_eq!(rule_codes(&solve, "Ignore"), [exit::INTERRUPTED]);
    // FailIndex needs per-index retries; the gap is judged by the merge alone.
    assert!(solve.contains("backoffLimitPerIndex:") && !solve.contains("  backoffLimit:"));
    let command = |text: &str| -> String {
        text.lines()
            .find_map(|l| l.trim().strip_prefix("command: "))
            .unwrap()
            .to_string()
    };
    assert!(!command(&solve).contains("--max-gap"));
    assert!(command(&read("deploy/k8s/merge-job.yaml")).contains("\"--max-gap\""));
    // Slurm: the solve task requeues itself on 75 and takes no gap; the merge does.
    let code = |text: &str| -> String {
        text.lines()
            .filter(|l| !l.trim_start().starts_with('#'))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let sbatch = code(&read("deploy/slurm/solve.sbatch"));
    let requeue = format!("\"$code\" -eq {}", exit::INTERRUPTED);
    assert!(sbatch.contains(&requeue) && sbatch.contains("scontrol requeue"));
    assert!(!sbatch.contains("MAX_GAP"));
    assert!(code(&read("deploy/slurm/merge.sbatch")).contains("--max-gap \"$MAX_GAP\""));
}
