//! sha256 fingerprints: of an input as read, of each region's part of it, and of a plan; and the provenance record a plan carries.

use crate::input::{GroupIn, InputFile, ManagerIn, RegionIn};
use crate::output::{Origin, PlanFile, Provenance, RegionProvenance};
use crate::policy::PolicyIn;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// Lower-case hex sha256 of the bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(Sha256::digest(bytes).as_slice())
}

fn hex(digest: &[u8]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Feeds serialised JSON straight into the digest, so a national input is hashed without
/// a second copy of it in memory.
struct Hashing(Sha256);

impl std::io::Write for Hashing {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn of<T: Serialize>(v: &T) -> String {
    let mut h = Hashing(Sha256::new());
    serde_json::to_writer(std::io::BufWriter::with_capacity(1 << 16, &mut h), v)
        .expect("format types serialise");
    hex(h.0.finalize().as_slice())
}

fn skip_default(p: &&PolicyIn) -> bool {
    crate::policy::is_default(p)
}

/// The input with every list sorted by id, so that the order of a file does not matter:
/// the same JSON as the sorted `InputFile`, by reference (no copy of a national input).
#[derive(Serialize)]
struct Sorted<'a> {
    schema_version: u32,
    #[serde(skip_serializing_if = "skip_default")]
    policy: &'a PolicyIn,
    regions: Vec<&'a RegionIn>,
    managers: Vec<&'a ManagerIn>,
    groups: Vec<&'a GroupIn>,
}

fn by_id<T>(items: &[T], id: impl Fn(&T) -> &str) -> Vec<&T> {
    let mut v: Vec<&T> = items.iter().collect();
    v.sort_by(|a, b| id(a).cmp(id(b)));
    v
}

fn sorted(input: &InputFile) -> Sorted<'_> {
    Sorted {
        schema_version: input.schema_version,
        policy: &input.policy,
        regions: by_id(&input.regions, |r| &r.id),
        managers: by_id(&input.managers, |m| &m.id),
        groups: by_id(&input.groups, |g| &g.id),
    }
}

/// The input as read (its own policy block included).
pub fn input_hash(input: &InputFile) -> String {
    of(&sorted(input))
}

/// Per region id: the hash of the region, its managers and groups (sorted by id) and the
/// policy. Two inputs whose region hashes are equal pose the same problem in that region.
/// The solver's limits (`policy.solver`: time, gap, seed) are left out: they change how long
/// a problem is worked on, not the problem, so a plan made under other limits is still a
/// plan of it (`--baseline` keeps it, `--out-dir` does not solve it again).
pub fn region_hashes(input: &InputFile) -> BTreeMap<String, String> {
    let s = sorted(input);
    let mut policy = s.policy.clone();
    policy.solver = crate::policy::default_policy().solver;
    // Each region's managers and groups, in one pass (sorted order kept).
    let mut managers: BTreeMap<&str, Vec<&ManagerIn>> = BTreeMap::new();
    for m in s.managers {
        managers.entry(m.region.as_str()).or_default().push(m);
    }
    let mut groups: BTreeMap<&str, Vec<&GroupIn>> = BTreeMap::new();
    for g in s.groups {
        groups.entry(g.region.as_str()).or_default().push(g);
    }
    let none = (Vec::new(), Vec::new());
    s.regions
        .iter()
        .map(|r| {
            let part = serde_json::json!({
                "region": r,
                "managers": managers.get(r.id.as_str()).unwrap_or(&none.0),
                "groups": groups.get(r.id.as_str()).unwrap_or(&none.1),
                "policy": policy,
            });
            (r.id.clone(), of(&part))
        })
        .collect()
}

/// A plan file's fingerprint (its JSON as written).
pub fn plan_hash(plan: &PlanFile) -> String {
    of(plan)
}

/// The provenance of a plan of `effective` (the input after `--set` and the solver
/// limits) read as `raw`; every region `Solved`, no baseline, no overrides recorded.
pub fn provenance(raw: &InputFile, effective: &InputFile) -> Provenance {
    provenance_with(raw, effective, Vec::new())
}

/// The same, recording the overrides that made `effective` from `raw` (Provenance::overrides).
/// The two hashes (each a pass over every group: 0.25 s and 0.9 s on a national input) run at once.
pub fn provenance_with(
    raw: &InputFile,
    effective: &InputFile,
    overrides: Vec<String>,
) -> Provenance {
    let (input, regions) = std::thread::scope(|s| {
        let input = s.spawn(|| input_hash(raw));
        let regions = region_hashes(effective);
        (input.join().expect("hashing does not panic"), regions)
    });
    provenance_from(input, effective.policy.clone(), overrides, regions)
}

/// The provenance from hashes already computed: `input` is [`input_hash`] of the input as
/// read, `regions` [`region_hashes`] of the input, `policy` the one the plan was made with
/// (`merge` has them all from its own checks).
pub fn provenance_from(
    input: String,
    policy: PolicyIn,
    overrides: Vec<String>,
    regions: BTreeMap<String, String>,
) -> Provenance {
    Provenance {
        overrides,
        starplan_version: env!("CARGO_PKG_VERSION").to_string(),
        input_hash: input,
        policy,
        baseline_plan: None,
        layout: Vec::new(),
        regions: regions
            .into_iter()
            .map(|(id, input_hash)| RegionProvenance {
                id,
                input_hash,
                origin: Origin::Solved,
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiny() -> InputFile {
        serde_json::from_value(serde_json::json!({
            "schema_version": 1,
            "regions": [{"id": "B"}, {"id": "A"}],
            "managers": [{"id": "m2", "region": "B", "star": 1}, {"id": "m1", "region": "A", "star": 3}],
            "groups": [{"id": "g1", "region": "A", "class": "A", "members": 5, "current_manager": "m1"}]
        }))
        .unwrap()
    }

    #[test]
    fn order_does_not_matter_and_a_change_shows_in_its_region_only() {
        let a = tiny();
        let mut b = tiny();
        b.regions.reverse();
        b.managers.reverse();
        assert_eq!(input_hash(&a), input_hash(&b));
        b.managers[1].capacity = 0.5; // m2, region B
        let (ha, hb) = (region_hashes(&a), region_hashes(&b));
        assert_eq!(ha["A"], hb["A"]);
        assert_ne!(ha["B"], hb["B"]);
        assert_ne!(input_hash(&a), input_hash(&b));
        assert_eq!(input_hash(&a).len(), 64);
    }
}
