//! Reads and validates an assessments file against the input it grades.

use crate::certify::{AssessmentsFile, GradeRule};
use crate::errors::{Code, InputError};
use crate::parse::typed_file;
use crate::InputFile;
use std::collections::HashSet;

/// Reads an assessments file and checks it against the input: assessed managers (E080,
/// E081), values (E082), grade rules (E083) and quotas (E084).
pub fn load_assessments(text: &str, input: &InputFile) -> Result<AssessmentsFile, Vec<InputError>> {
    let file: AssessmentsFile = typed_file(text)?;
    let mut errs = Vec::new();
    check_assessments(&file, input, &mut errs);
    check_rules(&file, &mut errs);
    check_quotas(&file, input, &mut errs);
    if errs.is_empty() {
        Ok(file)
    } else {
        Err(errs)
    }
}

fn check_assessments(file: &AssessmentsFile, input: &InputFile, errs: &mut Vec<InputError>) {
    let managers: HashSet<&str> = input.managers.iter().map(|m| m.id.as_str()).collect();
    let mut seen = HashSet::new();
    for (i, a) in file.assessments.iter().enumerate() {
        let at = format!("$.assessments[{i}]");
        if !managers.contains(a.manager.as_str()) {
            errs.push(InputError::new(
                Code::E080,
                format!("{at}.manager"),
                format!("manager `{}` is not in the input", a.manager),
            ));
        }
        if !seen.insert(a.manager.as_str()) {
            errs.push(InputError::new(
                Code::E081,
                format!("{at}.manager"),
                format!("manager `{}` is assessed twice", a.manager),
            ));
        }
        if !(0.0..=100.0).contains(&a.score) {
            errs.push(InputError::new(
                Code::E082,
                format!("{at}.score"),
                format!("score {} is outside 0–100", a.score),
            ));
        }
        if a.months_in_grade < 0.0 {
            errs.push(InputError::new(
                Code::E082,
                format!("{at}.months_in_grade"),
                format!("{} is negative", a.months_in_grade),
            ));
        }
    }
}

fn check_rules(file: &AssessmentsFile, errs: &mut Vec<InputError>) {
    let rules: [(&str, GradeRule); 3] = [
        ("1", file.rules.one),
        ("2", file.rules.two),
        ("3", file.rules.three),
    ];
    for (star, r) in rules {
        let at = format!("$.rules.{star}");
        let bad = match (star, r.promote_min_score, r.keep_min_score) {
            ("1", None, None) => None,
            ("1", _, _) => {
                Some("1 star has neither promote_min_score nor keep_min_score".to_string())
            }
            (_, Some(p), Some(k))
                if k <= p && (0.0..=100.0).contains(&p) && (0.0..=100.0).contains(&k) =>
            {
                None
            }
            (_, Some(p), Some(k)) => Some(format!(
                "keep_min_score {k} and promote_min_score {p} need 0 <= keep <= promote <= 100"
            )),
            _ => Some(format!(
                "{star} stars need promote_min_score and keep_min_score"
            )),
        };
        if let Some(msg) = bad.or_else(|| {
            (r.promote_min_months < 0.0).then(|| "promote_min_months is negative".to_string())
        }) {
            errs.push(InputError::new(Code::E083, at, msg));
        }
    }
}

fn check_quotas(file: &AssessmentsFile, input: &InputFile, errs: &mut Vec<InputError>) {
    let Some(q) = &file.quotas else {
        return;
    };
    let regions: HashSet<&str> = input.regions.iter().map(|r| r.id.as_str()).collect();
    for (region, stars) in &q.limits {
        if !regions.contains(region.as_str()) {
            errs.push(InputError::new(
                Code::E084,
                format!("$.quotas.limits.{region}"),
                format!("region `{region}` is not in the input"),
            ));
        }
        for star in stars
            .keys()
            .filter(|s| !["1", "2", "3"].contains(&s.as_str()))
        {
            errs.push(InputError::new(
                Code::E084,
                format!("$.quotas.limits.{region}.{star}"),
                format!("`{star}` is not a star"),
            ));
        }
    }
}
