//! Property tests: no input makes validation panic, and random provinces always give plans the checker accepts.

mod common;

use common::{quick, read, solve_checked};
use proptest::prelude::*;
use serde_json::Value;
use starplan::validate::load_input;

fn scalar() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("JSON has no NaN or infinity", |f| f.is_finite())
            .prop_map(Value::from),
        "[a-zA-Z0-9 ]{0,8}".prop_map(Value::from),
        Just(Value::Array(vec![])),
        Just(serde_json::json!({})),
    ]
}

/// Replaces the value at a pseudo-random place in the document.
fn mutate(v: &mut Value, mut pick: usize, with: Value) -> bool {
    match v {
        Value::Object(map) => {
            let keys: Vec<String> = map.keys().cloned().collect();
            if keys.is_empty() {
                return false;
            }
            let k = &keys[pick % keys.len()];
            pick /= keys.len().max(1);
            if pick % 3 == 0 || !mutate(map.get_mut(k).unwrap(), pick, with.clone()) {
                map.insert(k.clone(), with);
            }
            true
        }
        Value::Array(items) if !items.is_empty() => {
            let n = items.len();
            let i = pick % n;
            if pick % 3 == 0 || !mutate(&mut items[i], pick / n, with.clone()) {
                items[i] = with;
            }
            true
        }
        _ => false,
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(s in ".{0,200}") {
        let _ = load_input(&s);
    }

    #[test]
    fn mutated_inputs_are_accepted_or_rejected_with_codes(pick in any::<usize>(), with in scalar()) {
        let mut doc: Value = serde_json::from_str(&read("checker-base.json")).unwrap();
        mutate(&mut doc, pick, with);
        if let Err(errors) = load_input(&doc.to_string()) {
            prop_assert!(!errors.is_empty());
            for e in errors {
                prop_assert!(e.path.starts_with('$'));
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn random_provinces_give_checked_plans(seed in 0u64..10_000, regions in 1usize..3, groups in 20usize..160) {
        let file = starplan::generate::province(seed, regions, groups.max(regions), None);
        let plan = solve_checked(&file, &quick());
        prop_assert_eq!(plan.regions.len(), regions);
        for r in &plan.regions {
            if let (Some(o), Some(b)) = (r.objective, r.bound) {
                prop_assert!(b <= o + 1e-6);
            }
        }
    }
}
