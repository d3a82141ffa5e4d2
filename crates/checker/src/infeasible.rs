//! I1: a region called `infeasible` must be provably so: some group has no manager it may end with under the rules no relaxation touches (C2 pinned, C3 frozen, C4 unavailable).
//!
//! The relaxed model may break C5–C7 and C10–C13, never C2–C4, so such a group leaves no
//! plan at all; without one the checker cannot re-derive the claim and rejects it.

use super::view::RegionView;
use super::Code;
use starplan_format::codes::Check::I1;
use starplan_format::output::{RegionPlan, Status};

/// The first group (in id order) that no manager may end with under C2–C4, and why.
pub fn proof(view: &RegionView) -> Option<String> {
    let mut order: Vec<usize> = (0..view.groups.len()).collect();
    order.sort_by(|&a, &b| view.groups[a].id.cmp(&view.groups[b].id));
    order.into_iter().find_map(|g| {
        let grp = view.groups[g];
        let current = view.current(grp);
        let frozen_book = current.is_some_and(|c| view.managers[c].frozen);
        let any = (0..view.managers.len()).any(|m| {
            let mgr = view.managers[m];
            let stays = current == Some(m);
            mgr.available && (if frozen_book { stays } else { !mgr.frozen }) && (!grp.pinned || stays)
        });
        (!any).then(|| {
            format!(
                "group {} may end with no manager: pinned {}, in a frozen book {}, and no other available, non-frozen manager it may go to",
                grp.id, grp.pinned, frozen_book
            )
        })
    })
}

/// I1 on a region whose status is `infeasible`.
pub fn check(view: &RegionView, rp: &RegionPlan, v: &mut dyn FnMut(Code, String)) {
    if rp.status == Status::Infeasible && proof(view).is_none() {
        v(
            I1.into(),
            "status infeasible, but every group has a manager it may end with under C2–C4, so a relaxed plan exists".into(),
        );
    }
}
