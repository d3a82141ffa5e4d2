//! Per-manager loads of the plan, recomputed (L1).

use super::close;
use super::view::{Layout, RegionView};
use super::whole::Whole;
use starplan_format::output::ManagerLoad;
use std::collections::HashMap;

/// Compares the plan's per-manager loads with recomputed ones.
pub fn same_loads(
    view: &RegionView,
    after: &Layout,
    loads: &HashMap<&str, &ManagerLoad>,
    report: &mut dyn FnMut(String),
) {
    for (m, mgr) in view.managers.iter().enumerate() {
        let Some(l) = loads.get(mgr.id.as_str()) else {
            report(format!("manager {} has no load entry", mgr.id));
            continue;
        };
        let util = after.hours[m] / view.monthly(mgr);
        if l.region != mgr.region
            || i64::from(l.star) != mgr.star
            || l.groups != after.count[m]
            || l.members != after.members[m]
            || !close(l.workload, after.hours[m])
            || !close(l.utilisation, util)
        {
            report(format!(
                "manager {}: claims {} groups, {} members, {} h, util {}; recomputed {}, {}, {}, {}",
                mgr.id, l.groups, l.members, l.workload, l.utilisation, after.count[m], after.members[m], after.hours[m], util
            ));
        }
    }
}

/// A region without a plan lists no manager loads (every manager's load is checked, whatever
/// the status).
pub fn none_listed(view: &RegionView, whole: &Whole, report: &mut dyn FnMut(String)) {
    // A load entry counts for the region it names or the region of the manager it names.
    let listed = view
        .managers
        .iter()
        .filter(|m| whole.loads.contains_key(m.id.as_str()))
        .count();
    if listed > 0 {
        report(format!(
            "{listed} manager loads listed for a region without a plan"
        ));
    }
}
