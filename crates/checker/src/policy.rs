//! The one way a plan's policy is found (V1): the input's policy with the overrides the plan recorded, then any `check --set`; the CLI's `check`, `merge`'s re-check and the service's POST /v1/check all call [`checked_input`].

use super::{Code, Violation};
use starplan_format::codes::Check;
use starplan_format::errors::InputError;
use starplan_format::input::InputFile;
use starplan_format::output::PlanFile;

/// The input a plan is checked against, what was said about it, and V1's findings.
#[derive(Debug)]
pub struct CheckedInput {
    pub input: InputFile,
    /// Which policy was used and why, for a person.
    pub notes: Vec<String>,
    /// V1: a recorded policy that is not the input's with the recorded overrides.
    pub violations: Vec<Violation>,
}

fn v1(message: String) -> Violation {
    Violation {
        code: Code::Check(Check::V1),
        region: None,
        message,
    }
}

/// Applies `sets` (`key=value`) to `input`'s policy and validates the result.
fn with_sets(input: &InputFile, sets: &[String]) -> Result<InputFile, Vec<InputError>> {
    if sets.is_empty() {
        return Ok(input.clone());
    }
    let mut v = serde_json::to_value(input).expect("format types serialise");
    let errors: Vec<InputError> = sets
        .iter()
        .filter_map(|s| starplan_format::overrides::apply_set(&mut v, s).err())
        .collect();
    if !errors.is_empty() {
        return Err(errors);
    }
    starplan_format::validate::load_value(v)
}

/// The input's policy with the plan's recorded overrides (V1 when the plan's recorded
/// policy is not exactly that), then `extra` (`check --set`, the caller's own question: an
/// error in it is the caller's). A published layout the plan recorded (`--baseline`)
/// replaces the input's current managers.
pub fn checked_input(
    raw: &InputFile,
    plan: &PlanFile,
    extra: &[String],
) -> Result<CheckedInput, Vec<InputError>> {
    let mut notes = Vec::new();
    let mut violations = Vec::new();
    let mut file = raw.clone();
    if let Some(prov) = plan.provenance.as_ref() {
        match with_sets(raw, &prov.overrides) {
            Ok(made) => file = made,
            Err(e) => violations.push(v1(format!(
                "the recorded overrides do not apply to the input's policy: {}",
                e.iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; ")
            ))),
        }
        let want = serde_json::to_value(&file.policy).expect("policies serialise");
        let have = serde_json::to_value(&prov.policy).expect("policies serialise");
        if want != have {
            let keys = starplan_format::overrides::changed_keys(&file.policy, &prov.policy);
            violations.push(v1(format!(
                "the policy recorded in the plan differs from the input's with the recorded overrides in {}",
                keys.join(", ")
            )));
        }
        notes.push(if prov.overrides.is_empty() {
            "policy: the input's (the plan records no overrides)".to_string()
        } else {
            format!(
                "policy: the input's with the plan's overrides {}",
                prov.overrides.join(", ")
            )
        });
        if starplan_format::hash::input_hash(raw) != prov.input_hash {
            notes.push(
                "note: the plan was made from a different input (its input_hash differs)".into(),
            );
        }
        if !prov.layout.is_empty() {
            notes.push(format!(
                "current layout: {} groups as the published plan had them (--baseline)",
                prov.layout.len()
            ));
            file = starplan_format::baseline::apply_layout(&file, &prov.layout)?;
        }
    } else {
        notes.push("policy: the input's (the plan has no provenance)".into());
    }
    if !extra.is_empty() {
        notes.push(format!("and --set {}", extra.join(", ")));
        file = with_sets(&file, extra)?;
    }
    Ok(CheckedInput {
        input: file,
        notes,
        violations,
    })
}
