//! The few HiGHS C calls the `highs` crate does not wrap: objective offset, a wall-clock deadline, writing the model.

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

/// The interrupt callback: asks HiGHS to stop once the deadline has passed.
unsafe extern "C" fn stop_at_deadline(
    _kind: c_int,
    _message: *const c_char,
    _out: *const highs_sys::HighsCallbackDataOut,
    data_in: *mut highs_sys::HighsCallbackDataIn,
    user: *mut c_void,
) {
    // SAFETY: `user` is the `Instant` that `install_deadline`'s caller keeps alive for the
    // whole solve; `data_in` is HiGHS's own input block for interrupt callbacks.
    unsafe {
        let deadline = &*(user as *const Instant);
        if !data_in.is_null() && Instant::now() >= *deadline {
            (*data_in).user_interrupt = 1;
        }
    }
}

/// Makes HiGHS stop at `deadline` wherever it is (simplex, interior point or branch and
/// bound): its own time limit is only checked between some steps and was seen to overrun by
/// half on large models. The caller must keep `deadline` alive until the solve returns.
pub fn install_deadline(model: &mut highs::Model, deadline: &Instant) -> Result<(), String> {
    let ptr = model.as_mut_ptr();
    // SAFETY: `ptr` is a live Highs instance; the callback only reads `deadline`, which
    // outlives the solve (see above), and writes the interrupt flag HiGHS hands it.
    let ok = unsafe {
        highs_sys::Highs_setCallback(
            ptr,
            Some(stop_at_deadline),
            deadline as *const Instant as *mut c_void,
        ) == highs_sys::kHighsStatusOk
            && [
                highs_sys::kHighsCallbackSimplexInterrupt,
                highs_sys::kHighsCallbackIpmInterrupt,
                highs_sys::kHighsCallbackMipInterrupt,
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
