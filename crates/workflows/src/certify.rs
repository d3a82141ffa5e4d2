//! Certification: proposed stars from assessments (one level per cycle, quotas), and the input for the targeted re-solve.

use super::staffing::staffing;
use starplan_engine::convert::to_instance;
use starplan_format::certify::*;
use starplan_format::staffing::StaffingFile;
use starplan_format::{GroupIn, InputFile, ManagerIn};
use std::collections::{BTreeMap, HashMap};

/// Proposed grades, counts, and the input for the targeted re-solve: the new stars, re-graded
/// managers unfrozen, every group pinned except the freed ones (listed).
pub struct Certified {
    pub report: CertificationFile,
    pub input: InputFile,
    pub freed: Vec<String>,
}

fn rule(rules: &GradeRules, star: i64) -> GradeRule {
    match star {
        1 => rules.one,
        2 => rules.two,
        _ => rules.three,
    }
}

/// Why an assessed manager keeps its grade: what it met and what it missed.
fn kept_reason(x: &Assessment, star: i64, keep: Option<f64>, up: Option<GradeRule>) -> String {
    let mut why = vec![match keep {
        Some(k) => format!("score {} ≥ {k} keeps {star}★", x.score),
        None => format!("score {}", x.score),
    }];
    if let Some(r) = up {
        let mut missed = Vec::new();
        if let Some(p) = r.promote_min_score.filter(|&p| x.score < p) {
            missed.push(format!("score below {p}"));
        }
        if x.months_in_grade < r.promote_min_months {
            missed.push(format!(
                "{} months < {} in grade",
                x.months_in_grade, r.promote_min_months
            ));
        }
        if let Some(c) = r.promote_max_complaints.filter(|&c| x.complaints > c) {
            missed.push(format!("{} complaints > {c}", x.complaints));
        }
        why.push(format!(
            "not promoted to {}★: {}",
            star + 1,
            missed.join(", ")
        ));
    }
    why.join("; ")
}

pub fn certify(input: &InputFile, a: &AssessmentsFile) -> Certified {
    let mut managers: Vec<&ManagerIn> = input.managers.iter().collect();
    managers.sort_by(|x, y| x.id.cmp(&y.id));
    let (mut decisions, candidates) = first_pass(&managers, a);
    let est = staffing(&to_instance(input));
    let quota = |region: &str, star: u8| quota(a, &est, region, star);
    let mut count: BTreeMap<(String, u8), u32> = BTreeMap::new();
    for (d, m) in decisions.iter().zip(&managers) {
        if m.available {
            *count.entry((d.region.clone(), d.star_after)).or_default() += 1;
        }
    }
    promote(&mut decisions, candidates, &mut count, &quota);
    let counts = est
        .rows
        .iter()
        .map(|l| {
            let before = managers
                .iter()
                .filter(|m| m.available && m.region == l.region && m.star as u8 == l.star)
                .count();
            GradeCount {
                region: l.region.clone(),
                star: l.star,
                before,
                after: count.get(&(l.region.clone(), l.star)).copied().unwrap_or(0) as usize,
                quota: quota(&l.region, l.star),
                required: l.required,
            }
        })
        .collect();
    let (next, freed) = resolve_input(input, &decisions);
    Certified {
        report: CertificationFile {
            schema_version: starplan_format::SCHEMA_VERSION,
            decisions,
            counts,
            resolve: None,
        },
        input: next,
        freed,
    }
}

/// Demotions, kept grades and promotion candidates (at their current star, with scores).
fn first_pass(managers: &[&ManagerIn], a: &AssessmentsFile) -> (Vec<Decision>, Vec<(usize, f64)>) {
    let assessed: HashMap<&str, &Assessment> = a
        .assessments
        .iter()
        .map(|x| (x.manager.as_str(), x))
        .collect();
    let mut decisions: Vec<Decision> = Vec::new();
    let mut candidates: Vec<(usize, f64)> = Vec::new();
    for m in managers {
        let mut d = Decision {
            manager: m.id.clone(),
            region: m.region.clone(),
            star_before: m.star as u8,
            star_after: m.star as u8,
            verdict: Verdict::Kept,
            reason: String::new(),
        };
        match assessed.get(m.id.as_str()) {
            _ if !m.available => d.reason = "unavailable: not re-graded".into(),
            None => d.reason = "not assessed".into(),
            Some(x) => {
                if judge(&mut d, x, m.star, &a.rules) {
                    candidates.push((decisions.len(), x.score));
                }
            }
        }
        decisions.push(d);
    }
    (decisions, candidates)
}

/// Demotes, keeps or marks for promotion one assessed manager; true = a promotion candidate.
fn judge(d: &mut Decision, x: &Assessment, star: i64, rules: &GradeRules) -> bool {
    let keep = rule(rules, star).keep_min_score;
    let up = (star < 3).then(|| rule(rules, star + 1));
    if let Some(k) = keep.filter(|&k| x.score < k) {
        d.star_after -= 1;
        d.verdict = Verdict::Demoted;
        d.reason = format!("score {} < {k} needed to keep {star}★", x.score);
        return false;
    }
    if let Some(r) = up.filter(|r| {
        r.promote_min_score.is_some_and(|p| x.score >= p)
            && x.months_in_grade >= r.promote_min_months
            && r.promote_max_complaints.is_none_or(|c| x.complaints <= c)
    }) {
        d.reason = format!(
            "score {} ≥ {} and {} months ≥ {} in grade",
            x.score,
            r.promote_min_score.unwrap_or(0.0),
            x.months_in_grade,
            r.promote_min_months
        );
        return true;
    }
    d.reason = kept_reason(x, star, keep, up);
    false
}

/// A region's quota of a star: given in the assessments, or staffing's required maximum.
fn quota(a: &AssessmentsFile, est: &StaffingFile, region: &str, star: u8) -> Option<u32> {
    let q = a.quotas.as_ref()?;
    q.limits
        .get(region)
        .and_then(|s| s.get(&star.to_string()).copied())
        .or_else(|| {
            q.from_staffing
                .then(|| {
                    est.rows
                        .iter()
                        .find(|l| l.region == region && l.star == star)
                        .map(|l| l.required.max as u32)
                })
                .flatten()
        })
}

/// Quotas hold back promotions only, best scores first, 3 stars before 2 (a 2-star
/// promoted to 3 frees a 2-star seat).
fn promote(
    decisions: &mut [Decision],
    mut candidates: Vec<(usize, f64)>,
    count: &mut BTreeMap<(String, u8), u32>,
    quota: &dyn Fn(&str, u8) -> Option<u32>,
) {
    candidates.sort_by(|x, y| y.1.total_cmp(&x.1).then(x.0.cmp(&y.0)));
    for target in [3u8, 2] {
        let into: Vec<usize> = candidates
            .iter()
            .map(|c| c.0)
            .filter(|&i| decisions[i].star_before + 1 == target)
            .collect();
        for i in into {
            let d = &mut decisions[i];
            let have = count.get(&(d.region.clone(), target)).copied().unwrap_or(0);
            match quota(&d.region, target) {
                Some(q) if have >= q => {
                    d.verdict = Verdict::HeldBack;
                    d.reason = format!(
                        "{}, but region {} has {have} of its quota of {q} {target}★",
                        d.reason, d.region
                    );
                }
                _ => {
                    d.verdict = Verdict::Promoted;
                    d.star_after = target;
                    d.reason = format!("{}: promoted to {target}★", d.reason);
                    *count.entry((d.region.clone(), target)).or_default() += 1;
                    *count.entry((d.region.clone(), target - 1)).or_default() -= 1;
                }
            }
        }
    }
}

/// The input of the targeted re-solve: the new stars (re-graded managers unfrozen), every
/// group pinned except the freed ones. A group is freed when it has no available manager,
/// when its own manager's new star fits its class worse, when a re-graded manager of its
/// region now offers it a better pair than the one it has (so a promotion can take the
/// groups it was promoted for), or when its manager belongs to a grade pool that a
/// re-graded manager left or joined (that pool's workloads must even out again, C8). Move
/// costs (C9) still keep every freed group where it is unless moving pays.
fn resolve_input(input: &InputFile, decisions: &[Decision]) -> (InputFile, Vec<String>) {
    let new_star: HashMap<&str, i64> = decisions
        .iter()
        .map(|d| (d.manager.as_str(), i64::from(d.star_after)))
        .collect();
    let mut next = input.clone();
    for m in next.managers.iter_mut() {
        let s = new_star[m.id.as_str()];
        if s != m.star {
            m.star = s;
            m.frozen = false;
        }
    }
    let by_id: HashMap<&str, &ManagerIn> =
        input.managers.iter().map(|m| (m.id.as_str(), m)).collect();
    let pen = |g: &GroupIn, star: i64| input.policy.penalty(g.class, star);
    // Per region, the new stars of the managers whose star changed.
    let mut regraded: HashMap<&str, Vec<i64>> = HashMap::new();
    let mut touched: std::collections::HashSet<(&str, i64)> = std::collections::HashSet::new();
    for m in input
        .managers
        .iter()
        .filter(|m| m.available && new_star[m.id.as_str()] != m.star)
    {
        regraded
            .entry(m.region.as_str())
            .or_default()
            .push(new_star[m.id.as_str()]);
        touched.insert((m.region.as_str(), m.star));
        touched.insert((m.region.as_str(), new_star[m.id.as_str()]));
    }
    let mut freed = Vec::new();
    for g in next.groups.iter_mut() {
        let cur = g
            .current_manager
            .as_deref()
            .and_then(|c| by_id.get(c))
            .filter(|m| m.available);
        let free = match cur {
            None => true,
            Some(m) => {
                let (old, new) = (pen(g, m.star), pen(g, new_star[m.id.as_str()]));
                let worse = new.is_none() || old.zip(new).is_some_and(|(o, n)| n > o);
                let better_elsewhere = regraded.get(g.region.as_str()).is_some_and(|stars| {
                    stars
                        .iter()
                        .any(|&s| pen(g, s).zip(new).is_some_and(|(b, n)| b < n))
                });
                let pool = touched.contains(&(m.region.as_str(), new_star[m.id.as_str()]));
                worse || better_elsewhere || pool
            }
        };
        g.pinned = !free;
        if free {
            freed.push(g.id.clone());
        }
    }
    freed.sort();
    (next, freed)
}
