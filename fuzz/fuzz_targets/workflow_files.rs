//! Scenario, assessments and criteria files never panic: the first byte picks the kind (0 scenario, applied to the bundled input; 1 assessments, against the certification input; 2 criteria).
#![no_main]

use libfuzzer_sys::fuzz_target;
use starplan_format::validate::{assessments, criteria, load_input, scenario};
use std::collections::HashSet;

const BASE: &str = include_str!("../../fixtures/checker-base.json");
const CERTIFY: &str = include_str!("../../fixtures/certify/input.json");

fuzz_target!(|data: &[u8]| {
    let Some((&kind, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = starplan_format::parse::text(rest) else {
        return;
    };
    match kind % 3 {
        0 => {
            let base = load_input(BASE).expect("the bundled input is valid");
            if let Ok(sc) = scenario::load_scenario(text) {
                let _ = scenario::check_name(&sc.name, &mut HashSet::new());
                let _ = scenario::apply(&base, &sc);
            }
        }
        1 => {
            let input = load_input(CERTIFY).expect("the bundled input is valid");
            let _ = assessments::load_assessments(text, &input);
        }
        _ => {
            let _ = criteria::load_criteria(text);
        }
    }
});
