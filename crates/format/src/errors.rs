//! Input error codes (E…): the one table of every problem validation can report, with its hint.

use serde::Serialize;
use std::fmt;

macro_rules! codes {
    ($($code:ident => $title:literal, $hint:literal;)*) => {
        /// Every input error code. The same table is in README.md ("Input error codes").
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
        pub enum Code { $($code),* }

        impl Code {
            pub const ALL: &'static [Code] = &[$(Code::$code),*];
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$code => stringify!($code)),* }
            }
            pub fn title(self) -> &'static str {
                match self { $(Code::$code => $title),* }
            }
            pub fn hint(self) -> &'static str {
                match self { $(Code::$code => $hint),* }
            }
        }
    };
}

codes! {
    E001 => "malformed JSON", "fix the JSON syntax at the given line and column";
    E002 => "wrong type", "give the value the type the schema names (`starplan schema input`)";
    E003 => "unknown field", "remove the field or correct its spelling; `starplan schema input` lists the fields";
    E004 => "unsupported schema_version", "set \"schema_version\": 1";
    E005 => "missing field", "add the required field";
    E006 => "text is not UTF-8", "save the file as UTF-8 (JSON), or import a spreadsheet with `starplan import`";
    E007 => "duplicate key", "give each key once per object: JSON readers disagree on which copy wins";
    E008 => "number too small", "write 0, or a number above 1e-300: this one would silently read as 0";
    E010 => "duplicate region id", "give every region a unique id";
    E011 => "duplicate manager id", "give every manager a unique id";
    E012 => "duplicate group id", "give every group a unique id";
    E013 => "empty id", "ids must be non-empty strings";
    E020 => "unknown region", "use the id of a region listed in $.regions";
    E021 => "unknown current manager", "use the id of a manager listed in $.managers, or null for a new group";
    E022 => "current manager in another region", "a group's current manager must belong to the group's region";
    E030 => "invalid member count", "members must be a whole number from 0 to 4294967295";
    E031 => "invalid class", "class must be \"A\", \"B\" or \"C\"";
    E032 => "invalid star", "star must be 1, 2 or 3";
    E033 => "invalid capacity", "capacity is a share of a full-time workload: a number above 0 and at most 1e6 (1.0 = full time)";
    E034 => "policy value too large", "keep weights at most 1e6, per-member figures 1e3, other costs and hours 1e6, relaxation_penalty 1e9, limits and budgets 1e12 (models/policy.md, Bounds)";
    E040 => "pinned group without current manager", "set current_manager or drop \"pinned\"";
    E041 => "pinned group on an unavailable manager", "unpin the group or make the manager available";
    E042 => "frozen manager is unavailable", "a manager cannot both keep its book and leave: drop one of the flags";
    E043 => "pinned or frozen pair is forbidden", "allow the star×class pair in policy.eligibility, or unpin / unfreeze";
    E050 => "negative policy value", "weights, penalties, costs, service standards and hours must be 0 or more";
    E051 => "relative gap outside [0, 1]", "policy.solver.relative_gap is a fraction, e.g. 0.005 for 0.5 %";
    E052 => "span maximum below target", "policy.member_span.max must be at least policy.member_span.target for each star";
    E053 => "invalid solver limit", "policy.solver.time_limit_seconds (and work_limit, when given) must be above 0 and at most 1e7, and policy.solver.seed at most 2147483647";
    E054 => "invalid staffing table", "rows sorted by max_avg_members ascending, only the last row open (null), 0 < groups_min <= groups_max";
    E055 => "class with no allowed star", "policy.eligibility must allow at least one star for each class";
    E056 => "non-positive capacity limit", "policy.monthly_hours, policy.max_groups and policy.member_span values must be above 0";
    E058 => "invalid balance pieces", "policy.balance.pieces: up_to shares ascending above 0, only the last open (null), slopes ascending from 0; across_grades 0 or more";
    E059 => "invalid utilisation share", "policy.target_utilisation is above 0 and at most 1, and policy.overtime_allowance is from 0 to 1";
    E100 => "invalid date", "dates are YYYY-MM-DD, e.g. 2026-06-30";
    E101 => "planning date missing", "set policy.change_control.as_of when min_days_between_moves is set and groups have last_moved";
    E102 => "invalid priority list", "in priority mode give each goal (eligibility, span, balance, moves) at most once, at least one";
    E103 => "book change share outside [0, 1]", "policy.change_control.max_book_change is a share, e.g. 0.3 for 30 %";
    E060 => "unknown manager in scenario", "name a manager of the base input";
    E061 => "unknown group in scenario", "name a group of the base input";
    E062 => "added id already exists", "an added manager or group needs an id the base input does not use";
    E063 => "invalid scenario name", "a non-empty name of at most 100 characters, unique among the scenarios, not \"base\", without control characters, / or \\ and not starting with .";
    E064 => "assigned manager in another region", "assign a group to a manager of its own region";
    E080 => "unknown manager in assessments", "assess managers of the input only";
    E081 => "duplicate assessment", "assess each manager at most once";
    E082 => "invalid assessment value", "score from 0 to 100, months_in_grade 0 or more";
    E083 => "invalid grade rule", "1 star has no promote_min_score and no keep_min_score; 2 and 3 stars need both, with keep_min_score <= promote_min_score";
    E084 => "unknown region in quotas", "quota regions must be regions of the input, stars \"1\", \"2\" or \"3\"";
    E090 => "invalid criteria weight", "weights are 0 or more and at least one is above 0";
    E091 => "invalid criteria score", "scores are from 0 to 10";
    E092 => "invalid criteria variables", "at least one variable, each with a unique, non-empty id";
    E110 => "not a starplan plan", "give a plan written by `starplan solve` (see `starplan schema output`)";
    E111 => "recorded layout does not fit the input", "the plan's provenance.layout names a group or manager the input lacks, or a manager of another region: check the plan against the input it was made from";
    E120 => "sheet missing", "name the sheets groups and managers (or 集团 and 客户经理), or give their sheet names in a mapping file (--map)";
    E121 => "two columns for one field", "keep one of the two columns, or map one of them to another field (--map)";
    E122 => "unreadable spreadsheet", "save the workbook as .xlsx, or the list as CSV (UTF-8 or GBK)";
    E123 => "edit does not fit the input", "an edited assignment names a group of the plan and a manager of the group's region";
    E124 => "row neither data nor skippable", "give the row an id, or delete it: only blank, totals (合计, 小计, 总计, Total) and repeated header rows are skipped";
    E125 => "unread column looks like a field", "map the column to the field it holds, or to \"ignore\", in a mapping file (--map; --suggest-map writes one)";
    E126 => "no group has a current manager", "map the column that holds the current managers (--map), or pass --all-new when every group is new";
    E070 => "malformed --set", "write --set key=value, e.g. --set member_span.target.3=1100";
    E071 => "unknown policy key in --set", "use a dotted path of the policy, e.g. weights.moves or member_span.target (see models/policy.md)";
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One problem found in the input.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct InputError {
    pub code: Code,
    /// JSON path, e.g. `$.groups[17].members`.
    pub path: String,
    pub message: String,
    pub hint: &'static str,
}

impl InputError {
    pub fn new(code: Code, path: impl Into<String>, message: impl Into<String>) -> Self {
        InputError {
            code,
            path: path.into(),
            message: message.into(),
            hint: code.hint(),
        }
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}: {} (hint: {})",
            self.code, self.path, self.message, self.hint
        )
    }
}
