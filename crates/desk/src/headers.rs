//! Column headers: the field names of the input format, their Chinese aliases, and a mapping file for any other headers.

use serde::Deserialize;
use starplan_format::errors::{Code, InputError};
use std::collections::BTreeMap;

/// The three lists of an input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum List {
    Groups,
    Managers,
    Regions,
}

impl List {
    pub const ALL: [List; 3] = [List::Groups, List::Managers, List::Regions];

    /// The list's key in the input format.
    pub fn key(self) -> &'static str {
        match self {
            List::Groups => "groups",
            List::Managers => "managers",
            List::Regions => "regions",
        }
    }

    /// Sheet names that hold this list (compared after `normal`).
    pub fn sheet_names(self) -> &'static [&'static str] {
        match self {
            List::Groups => &["groups", "集团", "集团客户", "集团清单"],
            List::Managers => &["managers", "客户经理", "经理"],
            List::Regions => &["regions", "区域", "地市"],
        }
    }

    /// Each field with its headers: the field name first, then the Chinese aliases. The
    /// first Chinese alias is the header `export --lang zh` writes.
    pub fn fields(self) -> &'static [(&'static str, &'static [&'static str])] {
        match self {
            List::Groups => &[
                ("id", &["集团编号", "客户编号", "集团id"]),
                ("name", &["集团名称", "客户名称"]),
                ("region", &["区域", "地市", "分公司"]),
                ("class", &["集团等级", "客户等级", "级别"]),
                ("members", &["成员数", "成员规模"]),
                (
                    "current_manager",
                    &["现客户经理", "客户经理编号", "现客户经理编号"],
                ),
                ("pinned", &["锁定"]),
                ("last_moved", &["上次调整日期"]),
            ],
            List::Managers => &[
                ("id", &["客户经理编号", "工号"]),
                ("name", &["姓名"]),
                ("region", &["区域", "地市", "分公司"]),
                ("star", &["星级"]),
                ("capacity", &["人力系数", "产能"]),
                ("available", &["在岗"]),
                ("frozen", &["冻结"]),
            ],
            List::Regions => &[("id", &["区域编号"]), ("name", &["区域名称"])],
        }
    }

    /// Fields every row must have.
    pub fn required(self) -> &'static [&'static str] {
        match self {
            List::Groups => &["id", "region", "class", "members"],
            List::Managers => &["id", "region", "star"],
            List::Regions => &["id"],
        }
    }
}

/// A header or sheet name as compared: trimmed, lower case, without spaces, `*` marks or a
/// trailing unit in brackets (`成员数（人）` → `成员数`).
pub fn normal(h: &str) -> String {
    let mut s: String = h
        .trim()
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '*')
        .collect::<String>()
        .to_lowercase();
    for (open, close) in [('(', ')'), ('（', '）')] {
        if s.ends_with(close) {
            if let Some(i) = s.rfind(open) {
                s.truncate(i);
            }
        }
    }
    s
}

/// Headers and sheet names a workbook or CSV set uses beyond the built-in ones.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    #[serde(default)]
    pub schema_version: Option<u32>,
    /// Header → field name, per list.
    #[serde(default)]
    pub groups: BTreeMap<String, String>,
    #[serde(default)]
    pub managers: BTreeMap<String, String>,
    #[serde(default)]
    pub regions: BTreeMap<String, String>,
    /// List (`groups`, `managers`, `regions`, `policy`) → sheet name.
    #[serde(default)]
    pub sheets: BTreeMap<String, String>,
    /// Every group is new (a first plan): no current manager anywhere is then not an error.
    #[serde(default)]
    pub all_new: bool,
}

/// The field name a mapping gives a column it leaves out on purpose.
pub const IGNORE: &str = "ignore";

impl Mapping {
    /// Reads a mapping file; a field name that no list has is E003 at its path.
    pub fn load(text: &str) -> Result<Mapping, Vec<InputError>> {
        let m: Mapping = starplan_format::parse::typed_file(text)?;
        let mut errors = Vec::new();
        for list in List::ALL {
            for (header, field) in m.extra(list) {
                if field != IGNORE && !list.fields().iter().any(|(f, _)| f == field) {
                    errors.push(InputError::new(
                        Code::E003,
                        format!("$.{}.{header}", list.key()),
                        format!(
                            "`{field}` is not a field of {} (nor `{IGNORE}`)",
                            list.key()
                        ),
                    ));
                }
            }
        }
        for key in m.sheets.keys() {
            if !["groups", "managers", "regions", "policy"].contains(&key.as_str()) {
                errors.push(InputError::new(
                    Code::E003,
                    format!("$.sheets.{key}"),
                    "sheets are named for groups, managers, regions or policy",
                ));
            }
        }
        if errors.is_empty() {
            Ok(m)
        } else {
            Err(errors)
        }
    }

    /// The mapping leaves this column out on purpose (`"header": "ignore"`).
    pub fn ignores(&self, list: List, header: &str) -> bool {
        let h = normal(header);
        self.extra(list)
            .iter()
            .any(|(k, f)| normal(k) == h && f == IGNORE)
    }

    fn extra(&self, list: List) -> &BTreeMap<String, String> {
        match list {
            List::Groups => &self.groups,
            List::Managers => &self.managers,
            List::Regions => &self.regions,
        }
    }

    /// The field a header names in a list, if any.
    pub fn field(&self, list: List, header: &str) -> Option<&'static str> {
        let h = normal(header);
        if let Some((_, f)) = self.extra(list).iter().find(|(k, _)| normal(k) == h) {
            // An ignored header gives None here, whatever its built-in meaning.
            return list.fields().iter().map(|(n, _)| *n).find(|n| n == f);
        }
        list.fields()
            .iter()
            .find(|(name, aliases)| *name == h || aliases.iter().any(|a| normal(a) == h))
            .map(|(name, _)| *name)
    }
}

/// Which column holds each field: field → column index. Two columns for one field are
/// E121; a required field without a column is E005 at the header row.
pub struct Columns {
    pub of: BTreeMap<&'static str, usize>,
    /// Columns whose headers name no field (index, header), the mapping's ignored ones
    /// included.
    pub ignored: Vec<(usize, String)>,
}

/// How many of a list's required fields a header row gives, and how many fields in all.
pub fn score(header: &[String], list: List, map: &Mapping) -> (usize, usize) {
    let fields: std::collections::BTreeSet<&str> =
        header.iter().filter_map(|h| map.field(list, h)).collect();
    let required = list.required().iter().filter(|f| fields.contains(*f));
    (required.count(), fields.len())
}

pub fn columns(
    t: &crate::table::Table,
    list: List,
    map: &Mapping,
) -> Result<Columns, Vec<InputError>> {
    let mut of = BTreeMap::new();
    let (mut ignored, mut errors) = (Vec::new(), Vec::new());
    for (i, h) in t.header.iter().enumerate() {
        if h.trim().is_empty() {
            continue;
        }
        match map.field(list, h) {
            None => ignored.push((i, h.clone())),
            Some(f) => {
                if let Some(&j) = of.get(f) {
                    errors.push(InputError::new(
                        Code::E121,
                        t.at(t.header_row, i),
                        format!("`{h}` and `{}` both give {f}", t.header[j]),
                    ));
                } else {
                    of.insert(f, i);
                }
            }
        }
    }
    for f in list.required() {
        if !of.contains_key(f) {
            let aliases = list
                .fields()
                .iter()
                .find(|(n, _)| n == f)
                .map_or(String::new(), |(_, a)| a.join(", "));
            errors.push(InputError::new(
                Code::E005,
                t.row_at(t.header_row),
                format!("no column for `{f}` (headers {f} or {aliases}, or a mapping file)"),
            ));
        }
    }
    if errors.is_empty() {
        Ok(Columns { of, ignored })
    } else {
        Err(errors)
    }
}
