//! The words people read, in English or Chinese: statuses and gaps, flags, reasons, headers and sheet names.

use crate::view::{Flag, View};
use starplan_format::codes::ReasonKind;
use starplan_format::output::{Assignment, RegionPlan, Status};

/// The language of headers and words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    Zh,
}

impl Lang {
    /// The English or the Chinese text.
    pub fn pick<'s>(self, en: &'s str, zh: &'s str) -> &'s str {
        match self {
            Lang::En => en,
            Lang::Zh => zh,
        }
    }
}

pub fn status(l: Lang, s: Status) -> &'static str {
    match s {
        Status::Optimal => l.pick("optimal", "最优"),
        Status::Feasible => l.pick("feasible", "可行"),
        Status::Relaxed => l.pick("relaxed", "放宽"),
        Status::Infeasible => l.pick("infeasible", "无解"),
        Status::Timeout => l.pick("timeout", "超时"),
        Status::Error => l.pick("error", "出错"),
    }
}

/// Which kind of proof stands behind a region's gap, in a few words.
pub fn proof(l: Lang, r: &RegionPlan) -> String {
    use starplan_format::output::ProofKind;
    let cert = r.proof.certified_gap.map(|g| format!("{:.2} %", g * 100.0));
    match (r.proof.kind, l) {
        (ProofKind::Certified, Lang::En) => "certified: starplan check re-derives the bound from the plan's certificate".into(),
        (ProofKind::Certified, Lang::Zh) => "已核证：starplan check 可由方案中的证书重新推出该下界".into(),
        (ProofKind::SolverReported, Lang::En) => match cert {
            Some(c) => format!("solver-reported: HiGHS's bound, which no one can re-derive; the certified gap is {c}"),
            None => "solver-reported: HiGHS's bound, which no one can re-derive; no certified bound".into(),
        },
        (ProofKind::SolverReported, Lang::Zh) => match cert {
            Some(c) => format!("求解器报告：HiGHS 给出的下界，无法独立复核；已核证差距为 {c}"),
            None => "求解器报告：HiGHS 给出的下界，无法独立复核；无已核证下界".into(),
        },
        (ProofKind::None, Lang::En) => "no bound".into(),
        (ProofKind::None, Lang::Zh) => "无下界".into(),
    }
}

/// What a region's status and gap mean, in a sentence.
pub fn meaning(l: Lang, r: &RegionPlan) -> String {
    let gap = r.gap.map(|g| format!("{:.2} %", g * 100.0));
    match (r.status, l) {
        (Status::Optimal, Lang::En) => format!("the best plan, proven to within {}", gap.unwrap_or("its target gap".into())),
        (Status::Optimal, Lang::Zh) => format!("最优方案，已证明与理论最优相差不超过 {}", gap.unwrap_or("目标差距".into())),
        (Status::Feasible, Lang::En) => match gap {
            Some(g) => format!("a plan that keeps every rule; stopped at the time limit, at most {g} from the best possible"),
            None => "a plan that keeps every rule; how far from the best is not known".into(),
        },
        (Status::Feasible, Lang::Zh) => match gap {
            Some(g) => format!("满足全部规则的方案；在时限内停止，与理论最优相差至多 {g}"),
            None => "满足全部规则的方案；与最优的差距未知".into(),
        },
        (Status::Relaxed, Lang::En) => format!("the rules cannot all hold: {} relaxed, see diagnoses", r.relaxations.len()),
        (Status::Relaxed, Lang::Zh) => format!("规则无法同时满足：放宽 {} 项，见诊断", r.relaxations.len()),
        (Status::Infeasible, Lang::En) => "no plan: a group has no manager it may end with, see diagnoses".into(),
        (Status::Infeasible, Lang::Zh) => "无方案：有集团找不到可分配的客户经理，见诊断".into(),
        (Status::Timeout, Lang::En) => "no plan found within the time limit".into(),
        (Status::Timeout, Lang::Zh) => "时限内未找到方案".into(),
        (Status::Error, Lang::En) => "the solver failed".into(),
        (Status::Error, Lang::Zh) => "求解出错".into(),
    }
}

pub fn flag(l: Lang, f: Flag) -> &'static str {
    match f {
        Flag::OverMaxGroups => l.pick("over max groups", "集团数超上限"),
        Flag::OverSpanMax => l.pick("over span max", "成员规模超上限"),
        Flag::OverSpanTarget => l.pick("over span target", "成员规模超目标"),
        Flag::FarFromLevel => l.pick(
            "over 20 % from the grade's level",
            "工作量偏离同星级水平超20%",
        ),
        Flag::OverHours => l.pick("over its hours cap", "超出工时上限"),
        Flag::UnavailableServing => l.pick("leaving, still serving", "离岗仍有集团"),
    }
}

pub fn flags(l: Lang, fs: &[Flag]) -> String {
    fs.iter()
        .map(|&f| flag(l, f))
        .collect::<Vec<_>>()
        .join(l.pick("; ", "；"))
}

pub fn reason_kind(l: Lang, k: ReasonKind) -> &'static str {
    match k {
        ReasonKind::New => l.pick("new group", "新集团"),
        ReasonKind::Leaving => l.pick("manager leaving", "客户经理离岗"),
        ReasonKind::Forbidden => l.pick("grade not allowed", "星级不允许"),
        ReasonKind::CrossGrade => l.pick("better grade fit", "星级更匹配"),
        ReasonKind::CrossGradeKept => l.pick("kept on a cross-grade pair", "保留跨星级服务"),
        ReasonKind::OverCapacity => l.pick("too many groups", "集团数超上限"),
        ReasonKind::OverSpanMax => l.pick("members over maximum", "成员规模超上限"),
        ReasonKind::OverSpanTarget => l.pick("members over target", "成员规模超目标"),
        ReasonKind::Balance => l.pick("evens out workloads", "均衡工作量"),
        ReasonKind::OverHours => l.pick("hours over the cap", "工时超上限"),
    }
}

/// Every reason of an assignment, in plain words.
pub fn reasons(l: Lang, v: &View, a: &Assignment) -> String {
    let old = a
        .previous_manager
        .as_deref()
        .map(|m| v.who(m))
        .unwrap_or_default();
    let new = v.who(&a.manager);
    let star = |id: &str| v.managers.get(id).map_or(0, |m| m.star);
    let class = v
        .groups
        .get(a.group.as_str())
        .map_or("?", |g| g.class.letter());
    let old_star = a.previous_manager.as_deref().map_or(0, star);
    let sep = l.pick("; ", "；");
    a.reasons
        .iter()
        .map(|r| match (r.kind, l) {
            (ReasonKind::New, Lang::En) => format!("new group, placed with {new}"),
            (ReasonKind::New, Lang::Zh) => format!("新集团，分配给{new}"),
            (ReasonKind::Leaving, Lang::En) => format!("{old} is leaving"),
            (ReasonKind::Leaving, Lang::Zh) => format!("原客户经理{old}离岗"),
            (ReasonKind::Forbidden, Lang::En) => {
                format!("a {old_star}-star manager may not serve class {class}")
            }
            (ReasonKind::Forbidden, Lang::Zh) => {
                format!("{old_star}星客户经理不得服务{class}类集团")
            }
            (ReasonKind::CrossGrade, Lang::En) => format!(
                "class {class} goes from a {old_star}-star to a {}-star manager",
                star(&a.manager)
            ),
            (ReasonKind::CrossGrade, Lang::Zh) => format!(
                "{class}类集团由{old_star}星改由{}星客户经理服务",
                star(&a.manager)
            ),
            (ReasonKind::CrossGradeKept, Lang::En) => {
                format!("stays with {new}: moving would cost more than it saves")
            }
            (ReasonKind::CrossGradeKept, Lang::Zh) => format!("保留在{new}：调整代价大于收益"),
            (ReasonKind::OverCapacity, Lang::En) => format!("{old} held more groups than allowed"),
            (ReasonKind::OverCapacity, Lang::Zh) => format!("{old}集团数超过上限"),
            (ReasonKind::OverSpanMax, Lang::En) => {
                format!("{old} covered more members than allowed")
            }
            (ReasonKind::OverSpanMax, Lang::Zh) => format!("{old}成员规模超过上限"),
            (ReasonKind::OverSpanTarget, Lang::En) => {
                format!("{old} covered more members than its target")
            }
            (ReasonKind::OverSpanTarget, Lang::Zh) => format!("{old}成员规模超过目标"),
            (ReasonKind::Balance, Lang::En) => {
                format!("evens out the workloads of {old} and {new}")
            }
            (ReasonKind::Balance, Lang::Zh) => format!("均衡{old}与{new}的工作量"),
            (ReasonKind::OverHours, Lang::En) => format!("{old} worked more hours than its cap"),
            (ReasonKind::OverHours, Lang::Zh) => format!("{old}工时超过上限"),
        })
        .collect::<Vec<_>>()
        .join(sep)
}

pub fn yes_no(l: Lang, b: bool) -> &'static str {
    match b {
        true => l.pick("yes", "是"),
        false => l.pick("no", "否"),
    }
}
