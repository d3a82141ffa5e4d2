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
    if let Some(policy) = solver_sets(input, sets) {
        return Ok(InputFile {
            policy,
            ..input.clone()
        });
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

/// The policy with `sets` applied when every one is a solver setting (time, work and gap
/// limits, seed, threads: what batch runs record), which no rule on the data reads: the
/// policy alone is set and validated, not the whole input (at a million groups the full
/// round trip is seconds). None sends the caller the whole way, errors included.
fn solver_sets(input: &InputFile, sets: &[String]) -> Option<starplan_format::policy::PolicyIn> {
    if !sets.iter().all(|s| s.trim_start().starts_with("solver.")) {
        return None;
    }
    let mut doc = serde_json::json!({
        "schema_version": input.schema_version,
        "policy": serde_json::to_value(&input.policy).ok()?,
        "regions": [],
        "managers": [],
        "groups": [],
    });
    for s in sets {
        starplan_format::overrides::apply_set(&mut doc, s).ok()?;
    }
    starplan_format::validate::load_value(doc)
        .ok()
        .map(|f| f.policy)
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
    let mut file;
    if let Some(prov) = plan.provenance.as_ref() {
        file = match with_sets(raw, &prov.overrides) {
            Ok(made) => made,
            Err(e) => {
                violations.push(v1(format!(
                    "the recorded overrides do not apply to the input's policy: {}",
                    e.iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join("; ")
                )));
                raw.clone()
            }
        };
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
        file = raw.clone();
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The policy-alone path gives what the whole round trip gives, and is taken.
    #[test]
    fn solver_sets_equal_the_whole_round_trip() {
        let input = starplan_format::generate::province(3, 2, 40, Some(6));
        let sets = vec![
            "solver.time_limit_seconds=8".to_string(),
            "solver.work_limit=2".to_string(),
        ];
        let quick = solver_sets(&input, &sets).expect("solver settings take the short path");
        let mut v = serde_json::to_value(&input).unwrap();
        for s in &sets {
            starplan_format::overrides::apply_set(&mut v, s).unwrap();
        }
        let whole = starplan_format::validate::load_value(v).unwrap();
        assert_eq!(
            serde_json::to_value(&quick).unwrap(),
            serde_json::to_value(&whole.policy).unwrap()
        );
        assert_ne!(
            serde_json::to_value(&quick).unwrap(),
            serde_json::to_value(&input.policy).unwrap()
        );
        assert!(solver_sets(&input, &["weights.moves=2".to_string()]).is_none());
    }
}
