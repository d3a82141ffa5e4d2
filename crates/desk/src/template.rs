//! An input as a workbook: the sheets `import` reads back (groups, managers, regions, policy), a template a planner fills in.

use crate::export::heads;
use crate::headers::List;
use crate::sheets::{Out, Sheet};
use crate::words::{self, Lang};
use starplan_format::input::InputFile;

/// The input as sheets groups, managers, regions and policy (only values that differ from
/// the default policy, one dotted key per row, as `--set` takes them).
pub fn input_sheets(input: &InputFile, l: Lang) -> Vec<Sheet> {
    let mut sheets = vec![groups(input, l), managers(input, l), regions(input, l)];
    let rows = policy_rows(input);
    if !rows.is_empty() {
        sheets.push(Sheet {
            key: "policy",
            title: l.pick("policy", "策略").into(),
            header: vec![l.pick("key", "参数").into(), l.pick("value", "取值").into()],
            rows,
        });
    }
    sheets
}

fn groups(input: &InputFile, l: Lang) -> Sheet {
    let yn = |b: bool| Out::from(words::yes_no(l, b));
    let mut list: Vec<_> = input.groups.iter().collect();
    list.sort_by(|a, b| a.id.cmp(&b.id));
    let fields = [
        "id",
        "name",
        "region",
        "class",
        "members",
        "current_manager",
        "pinned",
        "last_moved",
    ];
    Sheet {
        key: "groups",
        title: l.pick("groups", "集团").into(),
        header: heads(l, List::Groups, &fields),
        rows: list
            .iter()
            .map(|x| {
                vec![
                    x.id.as_str().into(),
                    x.name.clone().into(),
                    x.region.as_str().into(),
                    x.class.letter().into(),
                    Out::Int(x.members),
                    x.current_manager.clone().into(),
                    yn(x.pinned),
                    x.last_moved.clone().into(),
                ]
            })
            .collect(),
    }
}

fn managers(input: &InputFile, l: Lang) -> Sheet {
    let yn = |b: bool| Out::from(words::yes_no(l, b));
    let mut list: Vec<_> = input.managers.iter().collect();
    list.sort_by(|a, b| a.id.cmp(&b.id));
    let fields = [
        "id",
        "name",
        "region",
        "star",
        "capacity",
        "available",
        "frozen",
    ];
    Sheet {
        key: "managers",
        title: l.pick("managers", "客户经理").into(),
        header: heads(l, List::Managers, &fields),
        rows: list
            .iter()
            .map(|x| {
                vec![
                    x.id.as_str().into(),
                    x.name.clone().into(),
                    x.region.as_str().into(),
                    Out::Int(x.star),
                    x.capacity.into(),
                    yn(x.available),
                    yn(x.frozen),
                ]
            })
            .collect(),
    }
}

fn regions(input: &InputFile, l: Lang) -> Sheet {
    Sheet {
        key: "regions",
        title: l.pick("regions", "区域").into(),
        header: heads(l, List::Regions, &["id", "name"]),
        rows: input
            .regions
            .iter()
            .map(|r| vec![r.id.as_str().into(), r.name.clone().into()])
            .collect(),
    }
}

/// Policy values that differ from the default, as `key | JSON value` rows.
fn policy_rows(input: &InputFile) -> Vec<Vec<Out>> {
    let default = starplan_format::policy::default_policy();
    let value = serde_json::to_value(&input.policy).unwrap_or_default();
    starplan_format::overrides::changed_keys(&default, &input.policy)
        .into_iter()
        .map(|k| {
            let v = k.split('.').fold(&value, |v, part| &v[part]);
            vec![k.as_str().into(), v.to_string().into()]
        })
        .collect()
}
