//! The few HiGHS C calls the `highs` crate does not wrap: the objective offset, a solve watched by a callback (deadline, cancellation, progress), and writing the model.

use super::work::Meter;
use std::cell::Cell;
use std::os::raw::{c_char, c_int, c_void};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

/// Adds a constant to HiGHS's objective, so that its relative gap is the plan's gap.
pub fn set_objective_offset(model: &mut highs::Model, offset: f64) -> Result<(), String> {
    // SAFETY: `model` owns a live Highs instance; the call only sets a double on it.
    let status = unsafe { highs_sys::Highs_changeObjectiveOffset(model.as_mut_ptr(), offset) };
    if status == highs_sys::kHighsStatusOk {
        Ok(())
    } else {
        Err("HiGHS rejected the objective offset".into())
    }
}

/// When a solve must stop: the region's deadline, or a cancellation from outside (a
/// signal, a cancelled job).
#[derive(Debug, Clone, Copy)]
pub struct Stop<'a> {
    pub deadline: Instant,
    pub cancel: Option<&'a AtomicBool>,
    /// Work mode: the region's meter and the mark on it at which to stop. The deadline is
    /// then the safety stop, and the meter records when it fires.
    pub work: Option<(&'a Meter, f64)>,
}

impl Stop<'_> {
    /// The deadline has passed or the run was cancelled.
    pub fn now(&self) -> bool {
        if self.cancel.is_some_and(|c| c.load(Ordering::Relaxed)) {
            return true;
        }
        let late = Instant::now() >= self.deadline;
        if let (true, Some((m, _))) = (late, self.work) {
            m.fire();
        }
        late
    }

    /// Work mode: `done` more units (counted by this solve so far) reach the mark.
    fn spent(&self, done: f64) -> bool {
        self.work.is_some_and(|(m, mark)| m.used() + done >= mark)
    }
}

/// What one solve's iterations and nodes cost (model::work), from the model's size.
#[derive(Debug, Clone, Copy)]
struct Rates {
    iteration: f64,
    node: f64,
}

impl Rates {
    fn of(model: &mut highs::Model) -> Rates {
        // SAFETY: `model` owns a live Highs instance; the calls only read its size.
        let (rows, cols) = unsafe {
            (
                highs_sys::Highs_getNumRow(model.as_mut_ptr()),
                highs_sys::Highs_getNumCol(model.as_mut_ptr()),
            )
        };
        let (rows, cols) = (rows.max(0) as usize, cols.max(0) as usize);
        Rates {
            iteration: super::work::per_iteration(rows, cols),
            node: super::work::per_node(rows, cols),
        }
    }

    /// `mip`: a MIP's iterations cost more, with its cuts and heuristics between them.
    fn cost(&self, iterations: i64, nodes: i64, mip: bool) -> f64 {
        let factor = if mip { super::work::MIP_FACTOR } else { 1.0 };
        super::work::PER_SOLVE
            + iterations.max(0) as f64 * self.iteration * factor
            + nodes.max(0) as f64 * self.node
    }
}

/// Seconds (since the region's clock) at which HiGHS first had a plan and first proved a 1 % gap.
#[derive(Debug, Clone, Copy, Default)]
pub struct Progress {
    pub first_plan: Option<f64>,
    pub one_pct: Option<f64>,
}

/// What the callback reads and records. It lives on `solve_watched`'s stack for exactly
/// the duration of the solve.
struct Watch<'a> {
    clock: Instant,
    stop: Stop<'a>,
    /// A bound valid for the problem the plan belongs to, when it is not this model's own
    /// (priced candidates): the gap is measured against it.
    outer_bound: Option<f64>,
    first_plan: Cell<Option<f64>>,
    one_pct: Cell<Option<f64>>,
    rates: Rates,
}

const INTERRUPTS: [c_int; 3] = [
    highs_sys::kHighsCallbackSimplexInterrupt,
    highs_sys::kHighsCallbackIpmInterrupt,
    highs_sys::kHighsCallbackMipInterrupt,
];

/// The callback: records MIP progress and asks HiGHS to stop once it must.
unsafe extern "C" fn watch(
    kind: c_int,
    _message: *const c_char,
    out: *const highs_sys::HighsCallbackDataOut,
    data_in: *mut highs_sys::HighsCallbackDataIn,
    user: *mut c_void,
) {
    // SAFETY: `user` is the `Watch` that `solve_watched` installed and keeps alive until the
    // callback is removed; HiGHS calls back on the solving thread only.
    let w = unsafe { &*(user as *const Watch) };
    // SAFETY: `out` is HiGHS's output block for this call, or null.
    if let Some(o) = unsafe { out.as_ref() } {
        let now = w.clock.elapsed().as_secs_f64();
        // Only MIP callbacks carry a primal bound and a gap: simplex and IPM ones pass -1.
        if kind == highs_sys::kHighsCallbackMipImprovingSolution && w.first_plan.get().is_none() {
            w.first_plan.set(Some(now));
        }
        let mip = kind == highs_sys::kHighsCallbackMipInterrupt
            || kind == highs_sys::kHighsCallbackMipImprovingSolution;
        let plan = o.mip_primal_bound.is_finite() && o.mip_primal_bound.abs() < 1e30;
        let gap = match w.outer_bound {
            Some(b) => (o.mip_primal_bound - b) / o.mip_primal_bound.abs().max(1.0),
            None => o.mip_gap,
        };
        if mip && plan && (0.0..=0.01).contains(&gap) && w.one_pct.get().is_none() {
            w.one_pct.set(Some(now));
        }
    }
    // SAFETY: as above.
    let done = unsafe { out.as_ref() }.map_or(0.0, |o| {
        if kind == highs_sys::kHighsCallbackSimplexInterrupt {
            w.rates.cost(i64::from(o.simplex_iteration_count), 0, false)
        } else if kind == highs_sys::kHighsCallbackIpmInterrupt {
            // An interior-point iteration costs about what many simplex ones do.
            w.rates
                .cost(i64::from(o.ipm_iteration_count) * 50, 0, false)
        } else {
            w.rates
                .cost(o.mip_total_lp_iterations, o.mip_node_count, true)
        }
    });
    if INTERRUPTS.contains(&kind) && (w.stop.spent(done) || w.stop.now()) {
        // SAFETY: `data_in` is HiGHS's input block for an interrupt callback, or null.
        if let Some(i) = unsafe { data_in.as_mut() } {
            i.user_interrupt = 1;
        }
    }
}

/// A callback that does nothing, left in place once a solve is over.
unsafe extern "C" fn idle(
    _kind: c_int,
    _message: *const c_char,
    _out: *const highs_sys::HighsCallbackDataOut,
    _data_in: *mut highs_sys::HighsCallbackDataIn,
    _user: *mut c_void,
) {
}

/// Solves `model`, stopping it at `stop` wherever HiGHS is (simplex, interior point or
/// branch and bound: its own time limit is only checked between some steps and was seen
/// to overrun by half on large models), and records its progress.
///
/// The callback is installed, used and removed here, and the state it reads is a local of
/// this function, so nothing it points to can be dropped while HiGHS may still call it.
pub fn solve_watched(
    mut model: highs::Model,
    clock: Instant,
    stop: Stop,
    outer_bound: Option<f64>,
) -> Result<(highs::SolvedModel, Progress), String> {
    let w = Watch {
        clock,
        stop,
        outer_bound,
        first_plan: Cell::new(None),
        one_pct: Cell::new(None),
        rates: Rates::of(&mut model),
    };
    let ptr = model.as_mut_ptr();
    let kinds = INTERRUPTS
        .iter()
        .chain(&[highs_sys::kHighsCallbackMipImprovingSolution]);
    // SAFETY: `ptr` is the live Highs instance `model` owns; `w` outlives the solve below and
    // the callback is replaced by `idle` (with no data) before `w` is dropped.
    let installed = unsafe {
        highs_sys::Highs_setCallback(ptr, Some(watch), &w as *const Watch as *mut c_void)
            == highs_sys::kHighsStatusOk
            && kinds
                .into_iter()
                .all(|&k| highs_sys::Highs_startCallback(ptr, k) == highs_sys::kHighsStatusOk)
    };
    if !installed {
        return Err("HiGHS rejected the deadline callback".into());
    }
    // On failure `try_solve` drops the Highs instance, and the callback with it.
    let mut solved = model
        .try_solve()
        .map_err(|e| format!("HiGHS failed: {e:?}"))?;
    // SAFETY: `solved` owns the same live Highs instance; `setCallback` clears every started
    // callback and the new one reads no data.
    unsafe {
        highs_sys::Highs_setCallback(solved.as_mut_ptr(), Some(idle), std::ptr::null_mut());
    }
    if let Some((m, _)) = stop.work {
        // What the solve did, as HiGHS counts it: the same on every rerun.
        // A MIP reports its nodes (0 or more); an LP none (-1).
        let nodes = node_count(&mut solved);
        let count = |k: &std::ffi::CStr| solved.int_info_value(k).unwrap_or(0);
        let iterations =
            count(c"simplex_iteration_count").max(0) + 50 * count(c"ipm_iteration_count").max(0);
        m.charge(w.rates.cost(iterations, nodes.max(0), nodes >= 0));
    }
    let progress = Progress {
        first_plan: w.first_plan.get(),
        one_pct: w.one_pct.get(),
    };
    Ok((solved, progress))
}

/// The branch-and-bound nodes a solved MIP took (-1 for an LP).
fn node_count(solved: &mut highs::SolvedModel) -> i64 {
    let mut nodes: i64 = -1;
    // SAFETY: `solved` owns a live Highs instance; the key is NUL-terminated and `nodes` an
    // int64 HiGHS writes once.
    let status = unsafe {
        highs_sys::Highs_getInt64InfoValue(
            solved.as_mut_ptr(),
            c"mip_node_count".as_ptr(),
            &mut nodes,
        )
    };
    if status == highs_sys::kHighsStatusOk {
        nodes
    } else {
        -1
    }
}

/// Writes the model as HiGHS has it (MPS when `path` ends in .mps), offset included.
pub fn write_model(model: &mut highs::Model, path: &std::path::Path) -> Result<(), String> {
    let c = std::ffi::CString::new(path.to_string_lossy().as_bytes()).map_err(|e| e.to_string())?;
    // SAFETY: `model` owns a live Highs instance and `c` is a NUL-terminated path.
    let status = unsafe { highs_sys::Highs_writeModel(model.as_mut_ptr(), c.as_ptr()) };
    // HiGHS warns when it has to invent row and column names; the file is still complete.
    if status != highs_sys::kHighsStatusError {
        Ok(())
    } else {
        Err(format!("HiGHS could not write {}", path.display()))
    }
}
