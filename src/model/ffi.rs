//! The few HiGHS C calls the `highs` crate does not wrap: objective offset, a wall-clock deadline with progress, writing the model.

use std::cell::Cell;
use std::os::raw::{c_char, c_int, c_void};
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

/// What the callback watches: the deadline, and when the first plan and a 1 % gap appeared
/// (seconds since the region's clock started).
pub struct Watch {
    pub clock: Instant,
    pub deadline: Instant,
    pub first_plan: Cell<Option<f64>>,
    pub one_pct: Cell<Option<f64>>,
}

/// The callback: records progress and asks HiGHS to stop once the deadline has passed.
unsafe extern "C" fn watch(
    _kind: c_int,
    _message: *const c_char,
    out: *const highs_sys::HighsCallbackDataOut,
    data_in: *mut highs_sys::HighsCallbackDataIn,
    user: *mut c_void,
) {
    // SAFETY: `user` is the `Watch` that `install_watch`'s caller keeps alive for the whole
    // solve; `out` and `data_in` are HiGHS's own blocks for this callback (either may be null).
    unsafe {
        let w = &*(user as *const Watch);
        let now = w.clock.elapsed().as_secs_f64();
        if let Some(o) = out.as_ref() {
            if o.mip_primal_bound.is_finite()
                && o.mip_primal_bound.abs() < 1e30
                && w.first_plan.get().is_none()
            {
                w.first_plan.set(Some(now));
            }
            if o.mip_gap.is_finite() && o.mip_gap <= 0.01 && w.one_pct.get().is_none() {
                w.one_pct.set(Some(now));
            }
        }
        if !data_in.is_null() && Instant::now() >= w.deadline {
            (*data_in).user_interrupt = 1;
        }
    }
}

/// Makes HiGHS stop at the watch's deadline wherever it is (simplex, interior point or branch
/// and bound): its own time limit is only checked between some steps and was seen to overrun
/// by half on large models. Also records the MIP's progress. The caller must keep `w` alive
/// until the solve returns.
pub fn install_watch(model: &mut highs::Model, w: &Watch) -> Result<(), String> {
    let ptr = model.as_mut_ptr();
    // SAFETY: `ptr` is a live Highs instance; the callback only reads `w` (through cells),
    // which outlives the solve (see above), and writes the interrupt flag HiGHS hands it.
    let ok = unsafe {
        highs_sys::Highs_setCallback(ptr, Some(watch), w as *const Watch as *mut c_void)
            == highs_sys::kHighsStatusOk
            && [
                highs_sys::kHighsCallbackSimplexInterrupt,
                highs_sys::kHighsCallbackIpmInterrupt,
                highs_sys::kHighsCallbackMipInterrupt,
                highs_sys::kHighsCallbackMipImprovingSolution,
            ]
            .iter()
            .all(|&kind| highs_sys::Highs_startCallback(ptr, kind) == highs_sys::kHighsStatusOk)
    };
    if ok {
        Ok(())
    } else {
        Err("HiGHS rejected the deadline callback".into())
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
