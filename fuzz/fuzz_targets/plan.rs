//! Plan parsing and checking never panic: the checker re-derives every figure of any plan that parses, against the bundled checker input or an input given before the first NUL byte.
#![no_main]

use libfuzzer_sys::fuzz_target;
use starplan_format::{parse, validate};

const INPUT: &str = include_str!("../../fixtures/checker-base.json");

fuzz_target!(|data: &[u8]| {
    let (input, plan) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (INPUT.as_bytes(), data),
    };
    let (Ok(input), Ok(plan)) = (parse::text(input), parse::text(plan)) else {
        return;
    };
    let (Ok(input), Ok(plan)) = (validate::load_input(input), parse::plan_file(plan)) else {
        return;
    };
    let _ = starplan_checker::check(&input, &plan);
});
