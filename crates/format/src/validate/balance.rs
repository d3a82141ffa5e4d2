//! Validation of the balance term (C8) and the hours figures (C13, staffing): pieces, weights across grades, overtime and target utilisation.

use crate::errors::{Code, InputError};
use crate::policy::PolicyIn;

/// E058 and E059.
pub fn check(p: &PolicyIn, errs: &mut Vec<InputError>) {
    let pieces = &p.balance.pieces;
    let last = pieces.len().saturating_sub(1);
    let ok_piece = |i: usize| {
        let x = pieces[i];
        let width_ok = match x.up_to {
            None => i == last,
            Some(u) => i < last && u.is_finite() && u > 0.0,
        };
        let rising = i == 0
            || (x.slope >= pieces[i - 1].slope
                && pieces[i - 1]
                    .up_to
                    .is_some_and(|prev| x.up_to.is_none_or(|u| u > prev)));
        width_ok && rising && x.slope.is_finite() && x.slope >= 0.0
    };
    if pieces.is_empty() {
        errs.push(InputError::new(
            Code::E058,
            "$.policy.balance.pieces",
            "the balance term needs at least one piece",
        ));
    }
    for i in (0..pieces.len()).filter(|&i| !ok_piece(i)) {
        errs.push(InputError::new(
            Code::E058,
            format!("$.policy.balance.pieces[{i}]"),
            format!("piece {:?} breaks the order of widths or slopes", pieces[i]),
        ));
    }
    let across = p.balance.across_grades;
    if !(across.is_finite() && across >= 0.0) {
        errs.push(InputError::new(
            Code::E058,
            "$.policy.balance.across_grades",
            format!("{across} is not 0 or more"),
        ));
    }
    let t = p.target_utilisation;
    if !(t > 0.0 && t <= 1.0) {
        errs.push(InputError::new(
            Code::E059,
            "$.policy.target_utilisation",
            format!("{t} is not above 0 and at most 1"),
        ));
    }
    let o = p.overtime_allowance;
    if !(0.0..=1.0).contains(&o) {
        errs.push(InputError::new(
            Code::E059,
            "$.policy.overtime_allowance",
            format!("{o} is not from 0 to 1"),
        ));
    }
}
