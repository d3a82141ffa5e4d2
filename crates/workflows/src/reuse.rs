//! Re-solving only what changed: the regions whose input differs from a base plan's, the work for each (carry the base's block over, or solve warm from it), the current layout a published base gives, and the provenance of the result.

use starplan_engine::convert::to_instance;
use starplan_engine::given::block_of;
use starplan_engine::jobs::Work;
use starplan_format::baseline::{apply_layout, published_layout};
use starplan_format::errors::InputError;
use starplan_format::hash::{plan_hash, provenance, region_hashes};
use starplan_format::output::{LayoutEntry, Origin, PlanFile, Provenance, Status};
use starplan_format::InputFile;
use std::collections::{BTreeSet, HashMap};

/// An input ready to solve against a base plan.
pub struct Prepared {
    /// The input to solve: with a published base, its layout is the current layout of the
    /// regions that are solved again.
    pub input: InputFile,
    /// Per region of `to_instance(&input)`, in its order.
    pub work: Vec<Work>,
    /// The result's provenance (its region origins already set).
    pub provenance: Provenance,
}

/// What to do with each region of `effective` (the input after `--set` and limits; `raw`
/// as read), given `base`:
/// - a region whose input hash equals the one `base` recorded, and whose base block has a
///   plan (or is proven infeasible), is carried over unchanged, unless `force`;
/// - every other region is solved, warm from the base's layout.
///
/// With `published`, the base is a plan the branches act on: the regions solved again take
/// its layout as their current layout, so moves count from it; carried regions keep the
/// layout the base recorded for them.
pub fn prepare(
    raw: &InputFile,
    effective: &InputFile,
    base: &PlanFile,
    published: bool,
    force: bool,
) -> Result<Prepared, Vec<InputError>> {
    let carried = carried_regions(effective, base, force);
    let layout = layout_for(effective, base, &carried, published);
    let input = apply_layout(effective, &layout)?;
    let hint: HashMap<String, String> = base
        .assignments
        .iter()
        .map(|a| (a.group.clone(), a.manager.clone()))
        .collect();
    let inst = to_instance(&input);
    let work = inst
        .regions
        .iter()
        .map(|r| {
            match carried
                .contains(&r.id)
                .then(|| block_of(base, &r.id))
                .flatten()
            {
                Some(b) => Work::Carry(Box::new(b)),
                None if base
                    .regions
                    .iter()
                    .any(|x| x.id == r.id && x.status.has_plan()) =>
                {
                    Work::Warm(hint.clone())
                }
                None => Work::Solve,
            }
        })
        .collect::<Vec<_>>();
    let mut prov = provenance(raw, effective);
    prov.layout = layout;
    prov.baseline_plan = published.then(|| plan_hash(base));
    for (r, w) in prov.regions.iter_mut().zip(&work) {
        r.origin = match w {
            Work::Carry(_) | Work::CarryFrom(_) => Origin::CarriedOver,
            Work::Warm(_) | Work::WarmFrom(_) => Origin::WarmStarted,
            Work::Solve => Origin::Solved,
        };
    }
    Ok(Prepared {
        input,
        work,
        provenance: prov,
    })
}

/// Regions whose input hash equals the one `base` recorded and whose base block has a plan
/// (or is proven infeasible); none with `force`.
fn carried_regions(effective: &InputFile, base: &PlanFile, force: bool) -> BTreeSet<String> {
    let now = region_hashes(effective);
    let recorded: HashMap<&str, &str> = base
        .provenance
        .iter()
        .flat_map(|p| {
            p.regions
                .iter()
                .map(|r| (r.id.as_str(), r.input_hash.as_str()))
        })
        .collect();
    let keep = |id: &str| {
        let same = recorded.get(id).copied() == now.get(id).map(String::as_str);
        let usable = base
            .regions
            .iter()
            .any(|r| r.id == id && !matches!(r.status, Status::Timeout | Status::Error));
        !force && same && usable
    };
    now.keys().filter(|id| keep(id)).cloned().collect()
}

/// The current layout the result is measured against, where it is not the input's: the
/// base's recorded layout in carried regions, and (with a published base) the base's
/// layout in the regions solved again.
fn layout_for(
    effective: &InputFile,
    base: &PlanFile,
    carried: &BTreeSet<String>,
    published: bool,
) -> Vec<LayoutEntry> {
    let region_of: HashMap<&str, &str> = effective
        .groups
        .iter()
        .map(|g| (g.id.as_str(), g.region.as_str()))
        .collect();
    let mut layout: Vec<_> = base
        .provenance
        .iter()
        .flat_map(|p| p.layout.iter())
        .filter(|e| {
            region_of
                .get(e.group.as_str())
                .is_some_and(|r| carried.contains(*r))
        })
        .cloned()
        .collect();
    if published {
        layout.extend(published_layout(effective, base, &|r| !carried.contains(r)));
    }
    layout.sort_by(|a, b| a.group.cmp(&b.group));
    layout
}

/// A scenario of a base that is solved in the same run (job `base_job`): regions whose input
/// hash equals the base input's carry the base's block; the others start from the base's
/// plan of them as soon as it is solved.
pub fn prepare_on_base(scenario: &InputFile, base: &InputFile, base_job: usize) -> Prepared {
    let (now, was) = (region_hashes(scenario), region_hashes(base));
    let work: Vec<Work> = now
        .iter()
        .map(|(id, h)| match was.get(id) == Some(h) {
            true => Work::CarryFrom(base_job),
            false => Work::WarmFrom(base_job),
        })
        .collect();
    let mut prov = provenance(scenario, scenario);
    for (r, w) in prov.regions.iter_mut().zip(&work) {
        r.origin = match w {
            Work::CarryFrom(_) => Origin::CarriedOver,
            _ => Origin::WarmStarted,
        };
    }
    Prepared {
        input: scenario.clone(),
        work,
        provenance: prov,
    }
}
