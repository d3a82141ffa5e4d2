//! Reads and validates a management-model criteria file.

use crate::choice::{CriteriaFile, Model};
use crate::errors::{Code, InputError};
use crate::parse::typed_file;
use std::collections::HashSet;

pub fn load_criteria(text: &str) -> Result<CriteriaFile, Vec<InputError>> {
    let file: CriteriaFile = typed_file(text)?;
    let mut errs = Vec::new();
    if file.variables.is_empty() {
        errs.push(InputError::new(
            Code::E092,
            "$.variables",
            "no decision variables",
        ));
    }
    let mut ids = HashSet::new();
    for (i, v) in file.variables.iter().enumerate() {
        let at = format!("$.variables[{i}]");
        if v.id.is_empty() || !ids.insert(v.id.as_str()) {
            errs.push(InputError::new(
                Code::E092,
                format!("{at}.id"),
                format!("id `{}` is empty or repeated", v.id),
            ));
        }
        if v.weight < 0.0 {
            errs.push(InputError::new(
                Code::E090,
                format!("{at}.weight"),
                format!("weight {} is negative", v.weight),
            ));
        }
        for m in Model::ALL {
            let s = v.scores.of(m);
            if !(0.0..=10.0).contains(&s) {
                let name = serde_json::to_value(m).expect("model serialises");
                errs.push(InputError::new(
                    Code::E091,
                    format!("{at}.scores.{}", name.as_str().unwrap_or("?")),
                    format!("score {s} is outside 0–10"),
                ));
            }
        }
    }
    if !file.variables.is_empty() && file.variables.iter().all(|v| v.weight <= 0.0) {
        errs.push(InputError::new(
            Code::E090,
            "$.variables",
            "every weight is 0",
        ));
    }
    if errs.is_empty() {
        Ok(file)
    } else {
        Err(errs)
    }
}
