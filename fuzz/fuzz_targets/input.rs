//! Input parsing and validation never panic, whatever the bytes; a valid input goes through the checker against an empty plan.
#![no_main]

use libfuzzer_sys::fuzz_target;
use starplan_format::{output::PlanFile, parse, validate};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = parse::text(data) else {
        return;
    };
    // `set:KEY=VALUE` on the first line is a --set override of the document that follows.
    let (set, doc) = match text.strip_prefix("set:").and_then(|t| t.split_once('\n')) {
        Some((set, doc)) => (Some(set), doc),
        None => (None, text),
    };
    let input = match set {
        None => validate::load_input(doc),
        Some(set) => parse::json_document(doc).and_then(|mut v| {
            starplan_format::overrides::apply_set(&mut v, set).map_err(|e| vec![e])?;
            validate::load_value(v)
        }),
    };
    let Ok(input) = input else {
        return;
    };
    let empty = PlanFile {
        schema_version: 1,
        regions: vec![],
        assignments: vec![],
        managers: vec![],
        provenance: None,
    };
    let _ = starplan_checker::check(&input, &empty);
});
