//! The checker's own reading of which manager each group may end with (C2–C5, C12), and of the id order the repair and the diagnoses count in.

use super::view::RegionView;

impl RegionView<'_> {
    /// Whether group `g` may end with manager `m` under the hard rules that restrict pairs:
    /// C4 (available), C3 (a frozen book stays, a frozen manager takes nothing new), C2
    /// (a pinned group stays), C5 (an allowed star×class pair) and C12 (a recently moved
    /// group stays unless it is forced to move).
    pub fn allowed(&self, g: usize, m: usize) -> bool {
        let (grp, mgr) = (self.groups[g], self.managers[m]);
        let current = self.current(grp);
        let stays = current == Some(m);
        let frozen_book = current.is_some_and(|c| self.managers[c].frozen);
        mgr.available
            && (if frozen_book { stays } else { !mgr.frozen })
            && (!grp.pinned || stays)
            && self.penalty(grp, mgr).is_some()
            && (!self.recent(grp) || current.is_none() || self.forced(grp) || stays)
    }

    /// Group positions in id order (the input may list them in any order).
    pub fn by_id_groups(&self) -> Vec<usize> {
        let mut v: Vec<usize> = (0..self.groups.len()).collect();
        v.sort_by(|&a, &b| self.groups[a].id.cmp(&self.groups[b].id));
        v
    }

    /// Manager positions in id order.
    pub fn by_id_managers(&self) -> Vec<usize> {
        let mut v: Vec<usize> = (0..self.managers.len()).collect();
        v.sort_by(|&a, &b| self.managers[a].id.cmp(&self.managers[b].id));
        v
    }
}
