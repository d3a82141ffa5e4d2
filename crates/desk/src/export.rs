//! A plan's sheets: summary, moves, assignments, manager loads, diagnoses and staffing.

use crate::headers::List;
use crate::sheets::{Out, Sheet};
use crate::view::View;
use crate::words::{self, Lang};
use starplan_format::staffing::StaffingFile;

pub use crate::template::input_sheets;

/// A header in the chosen language: the field name, or its first Chinese alias.
pub(crate) fn head(l: Lang, list: List, field: &str) -> String {
    match l {
        Lang::En => field.to_string(),
        Lang::Zh => list
            .fields()
            .iter()
            .find(|(f, _)| *f == field)
            .map_or(field.to_string(), |(_, a)| a[0].to_string()),
    }
}

pub(crate) fn heads(l: Lang, list: List, fields: &[&str]) -> Vec<String> {
    fields.iter().map(|f| head(l, list, f)).collect()
}

fn pct(x: Option<f64>) -> Out {
    x.map_or(Out::Empty, |x| Out::Num((x * 10000.0).round() / 100.0))
}

fn summary(v: &View, l: Lang) -> Sheet {
    let header = [
        ("region", "区域"),
        ("status", "状态"),
        ("meaning", "说明"),
        ("gap %", "差距%"),
        ("proof", "证明"),
        ("certified gap %", "已核证差距%"),
        ("groups", "集团数"),
        ("managers", "客户经理数"),
        ("moved", "调整数"),
        ("mismatched before", "星级错配(前)"),
        ("mismatched after", "星级错配(后)"),
        ("unserved before", "无人服务(前)"),
        ("unserved after", "无人服务(后)"),
        ("over span target before", "超成员目标(前)"),
        ("over span target after", "超成员目标(后)"),
        ("utilisation spread before", "利用率极差(前)"),
        ("utilisation spread after", "利用率极差(后)"),
        ("objective", "目标值"),
    ];
    let mism = |k: &starplan_format::output::KpiSet| {
        k.mismatched.forbidden + k.mismatched.under_grade + k.mismatched.over_grade
    };
    let rows = v
        .regions
        .iter()
        .map(|r| {
            let (b, a) = (&r.plan.kpis.before, r.plan.kpis.after.as_ref());
            vec![
                v.region_name(&r.plan.id).into(),
                words::status(l, r.plan.status).into(),
                words::meaning(l, r.plan).into(),
                pct(r.plan.gap),
                words::proof(l, r.plan).into(),
                pct(r.plan.proof.certified_gap),
                r.plan.groups.into(),
                r.plan.managers.into(),
                a.map(|k| k.groups_moved).into(),
                mism(b).into(),
                a.map(mism).into(),
                b.unserved_groups.into(),
                a.map(|k| k.unserved_groups).into(),
                b.managers_over_span_target.into(),
                a.map(|k| k.managers_over_span_target).into(),
                b.utilisation.spread.into(),
                a.map(|k| k.utilisation.spread).into(),
                r.plan.objective.into(),
            ]
        })
        .collect();
    Sheet {
        key: "summary",
        title: l.pick("summary", "汇总").into(),
        header: header
            .iter()
            .map(|(e, z)| l.pick(e, z).to_string())
            .collect(),
        rows,
    }
}

fn assignment_sheet(v: &View, l: Lang, moves_only: bool) -> Sheet {
    let header = [
        ("region", "区域"),
        ("group", "集团编号"),
        ("group name", "集团名称"),
        ("class", "集团等级"),
        ("members", "成员数"),
        ("old manager", "原客户经理"),
        ("new manager", "新客户经理"),
        ("moved", "是否调整"),
        ("reasons", "原因"),
    ];
    let mut list: Vec<_> = v
        .plan
        .assignments
        .iter()
        .filter(|a| a.moved || !moves_only)
        .collect();
    if moves_only {
        list.sort_by(|a, b| {
            (&a.region, &a.previous_manager, &a.group).cmp(&(
                &b.region,
                &b.previous_manager,
                &b.group,
            ))
        });
    }
    let rows = list
        .iter()
        .map(|a| {
            let g = v.groups.get(a.group.as_str());
            vec![
                v.region_name(&a.region).into(),
                a.group.as_str().into(),
                g.and_then(|g| g.name.clone()).into(),
                g.map(|g| g.class.letter()).into(),
                g.map(|g| g.members as u64).into(),
                a.previous_manager.as_deref().map(|m| v.who(m)).into(),
                v.who(&a.manager).into(),
                words::yes_no(l, a.moved).into(),
                words::reasons(l, v, a).into(),
            ]
        })
        .collect();
    Sheet {
        key: if moves_only { "moves" } else { "assignments" },
        title: if moves_only {
            l.pick("moves", "调整清单")
        } else {
            l.pick("assignments", "分配")
        }
        .into(),
        header: header
            .iter()
            .map(|(e, z)| l.pick(e, z).to_string())
            .collect(),
        rows,
    }
}

fn manager_sheet(v: &View, l: Lang) -> Sheet {
    let header = [
        ("region", "区域"),
        ("manager", "客户经理编号"),
        ("name", "姓名"),
        ("star", "星级"),
        ("capacity", "人力系数"),
        ("available", "在岗"),
        ("groups before", "集团数(前)"),
        ("groups after", "集团数(后)"),
        ("members before", "成员数(前)"),
        ("members after", "成员数(后)"),
        ("utilisation before", "利用率(前)"),
        ("utilisation after", "利用率(后)"),
        ("flags before", "提示(前)"),
        ("flags after", "提示(后)"),
    ];
    let rows = v
        .regions
        .iter()
        .flat_map(|r| r.managers.iter().map(move |m| (r, m)))
        .map(|(r, m)| {
            vec![
                v.region_name(&r.plan.id).into(),
                m.m.id.as_str().into(),
                m.m.name.clone().into(),
                Out::Int(m.m.star),
                m.m.capacity.into(),
                words::yes_no(l, m.m.available).into(),
                m.groups.0.into(),
                m.groups.1.into(),
                m.members.0.into(),
                m.members.1.into(),
                pct(Some(m.utilisation.0)),
                pct(m.utilisation.1),
                words::flags(l, &m.flags.0).into(),
                words::flags(l, &m.flags.1).into(),
            ]
        })
        .collect();
    Sheet {
        key: "managers",
        title: l.pick("managers", "客户经理负荷").into(),
        header: header
            .iter()
            .map(|(e, z)| l.pick(e, z).to_string())
            .collect(),
        rows,
    }
}

fn diagnosis_sheet(v: &View, l: Lang) -> Sheet {
    let mut rows = Vec::new();
    for r in &v.regions {
        for d in &r.plan.diagnoses {
            rows.push(vec![
                v.region_name(&r.plan.id).into(),
                d.code.code().into(),
                d.rule.map(|x| x.code()).into(),
                d.message.as_str().into(),
                d.action.as_str().into(),
            ]);
        }
        for x in &r.plan.relaxations {
            let unit = format!("{:?}", x.unit).to_lowercase();
            let what = format!(
                "{} {} {}: {} {unit}",
                l.pick("relaxed", "放宽"),
                x.rule.code(),
                x.subject.as_deref().unwrap_or("-"),
                x.amount
            );
            rows.push(vec![
                v.region_name(&r.plan.id).into(),
                l.pick("relaxed", "放宽").into(),
                x.rule.code().into(),
                what.into(),
                Out::Empty,
            ]);
        }
    }
    Sheet {
        key: "diagnoses",
        title: l.pick("diagnoses", "诊断").into(),
        header: [
            ("region", "区域"),
            ("code", "代码"),
            ("rule", "规则"),
            ("finding", "问题"),
            ("action", "建议"),
        ]
        .iter()
        .map(|(e, z)| l.pick(e, z).to_string())
        .collect(),
        rows,
    }
}

fn staffing_sheet(s: &StaffingFile, l: Lang) -> Sheet {
    let header = [
        ("region", "区域"),
        ("star", "星级"),
        ("class", "集团等级"),
        ("groups", "集团数"),
        ("members", "成员数"),
        ("required min", "需要(最少)"),
        ("required max", "需要(最多)"),
        ("binding rule", "约束规则"),
        ("current", "现有"),
        ("shortfall", "缺口"),
        ("surplus", "富余"),
    ];
    let rows = s
        .rows
        .iter()
        .chain(&s.totals)
        .map(|x| {
            vec![
                x.region.as_str().into(),
                Out::Int(i64::from(x.star)),
                x.class.as_str().into(),
                x.groups.into(),
                x.members.into(),
                x.required.min.into(),
                x.required.max.into(),
                x.binding.as_str().into(),
                x.current.into(),
                x.shortfall.into(),
                x.surplus.into(),
            ]
        })
        .collect();
    Sheet {
        key: "staffing",
        title: l.pick("staffing", "人员配置").into(),
        header: header
            .iter()
            .map(|(e, z)| l.pick(e, z).to_string())
            .collect(),
        rows,
    }
}

/// A plan's sheets, in the order a planner reads them.
pub fn plan_sheets(v: &View, staffing: Option<&StaffingFile>, l: Lang) -> Vec<Sheet> {
    let mut out = vec![
        summary(v, l),
        assignment_sheet(v, l, true),
        assignment_sheet(v, l, false),
        manager_sheet(v, l),
        diagnosis_sheet(v, l),
    ];
    out.extend(staffing.map(|s| staffing_sheet(s, l)));
    out
}
