//! Plain domain types: regions, managers, groups and the effective policy, with no I/O or solver code.

use starplan_format::codes::Rule;

/// Manager grade. Index 0..3 is used for per-star tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Star {
    One,
    Two,
    Three,
}

impl Star {
    pub const ALL: [Star; 3] = [Star::One, Star::Two, Star::Three];
    pub fn idx(self) -> usize {
        self as usize
    }
    pub fn number(self) -> u8 {
        self as u8 + 1
    }
    pub fn from_number(n: i64) -> Option<Star> {
        match n {
            1 => Some(Star::One),
            2 => Some(Star::Two),
            3 => Some(Star::Three),
            _ => None,
        }
    }
    /// The class this grade is meant to serve (3★→A, 2★→B, 1★→C).
    pub fn home_class(self) -> Class {
        match self {
            Star::Three => Class::A,
            Star::Two => Class::B,
            Star::One => Class::C,
        }
    }
}

/// Group importance, A highest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Class {
    A,
    B,
    C,
}

impl Class {
    pub const ALL: [Class; 3] = [Class::A, Class::B, Class::C];
    pub fn idx(self) -> usize {
        self as usize
    }
    pub fn letter(self) -> &'static str {
        ["A", "B", "C"][self.idx()]
    }
    /// The grade meant to serve this class.
    pub fn home_star(self) -> Star {
        match self {
            Class::A => Star::Three,
            Class::B => Star::Two,
            Class::C => Star::One,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Region {
    pub id: String,
    pub name: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Manager {
    pub id: String,
    /// Index into `Instance::regions`.
    pub region: usize,
    pub star: Star,
    pub capacity: f64,
    pub available: bool,
    pub frozen: bool,
}

#[derive(Debug, Clone)]
pub struct Group {
    pub id: String,
    /// Index into `Instance::regions`.
    pub region: usize,
    pub class: Class,
    pub members: u32,
    /// Index into `Instance::managers`.
    pub current: Option<usize>,
    pub pinned: bool,
    /// Moved fewer than `min_days_between_moves` days before the planning date (C12).
    pub recent: bool,
}

/// Service standard of one class (the article's 表2, in hours per month).
#[derive(Debug, Clone, Copy)]
pub struct Service {
    pub visits_per_month: f64,
    pub hours_per_visit: f64,
    pub hours_per_member: f64,
}

/// One row of the staffing table (the article's 表3).
#[derive(Debug, Clone, Copy)]
pub struct StaffingRow {
    /// Upper end of the band of average members per group; `None` = no upper end.
    pub max_avg_members: Option<f64>,
    pub groups_min: f64,
    pub groups_max: f64,
}

/// Weights of the objective terms C5, C7, C8, C9.
#[derive(Debug, Clone, Copy)]
pub struct Weights {
    pub eligibility: f64,
    pub span: f64,
    pub balance: f64,
    pub moves: f64,
}

#[derive(Debug, Clone, Copy)]
pub struct MoveCost {
    pub fixed: f64,
    pub per_member: f64,
}

/// How the objective terms combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Weighted,
    Priority,
}

/// An objective term as a goal; `idx` is its place in the term order C5, C7, C8, C9.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Goal {
    Eligibility,
    Span,
    Balance,
    Moves,
}

impl Goal {
    pub const ALL: [Goal; 4] = [Goal::Eligibility, Goal::Span, Goal::Balance, Goal::Moves];
    pub fn idx(self) -> usize {
        self as usize
    }
    /// The rule whose term this goal is (the name is the rule's: models/assignment.md).
    pub fn rule(self) -> Rule {
        Rule::TERMS[self.idx()]
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Stage {
    pub goal: Goal,
    pub tolerance: f64,
}

/// The balance term's shape (C8): pieces of rising slope, each up to a share of the
/// region's level (`f64::INFINITY` for the last), and the weight across grades.
#[derive(Debug, Clone)]
pub struct Balance {
    pub pieces: Vec<(f64, f64)>,
    pub across_grades: f64,
    /// Every pool's level is the region's level (no free levels, no term across grades).
    pub region_level: bool,
}

/// Change control (C10, C11); `None` = no limit. C12 is resolved into `Group::recent`.
#[derive(Debug, Clone, Copy, Default)]
pub struct ChangeControl {
    pub max_moved_groups: Option<f64>,
    pub max_moved_members: Option<f64>,
    pub max_book_change: Option<f64>,
}

#[derive(Debug, Clone, Copy)]
pub struct SolverLimits {
    pub time_limit_seconds: f64,
    pub relative_gap: f64,
    pub seed: u32,
    /// Work mode: counted work per region (`model::work`); the time limit is a safety stop.
    pub work_limit: Option<f64>,
}

/// The effective policy, every default filled in.
#[derive(Debug, Clone)]
pub struct Policy {
    /// `penalty[class][star]`: `None` = forbidden pair (C5).
    pub penalty: [[Option<f64>; 3]; 3],
    pub service: [Service; 3],
    pub monthly_hours: f64,
    pub span_target: [f64; 3],
    pub span_max: [f64; 3],
    pub max_groups: [f64; 3],
    pub balance: Balance,
    /// C13: share of monthly hours a manager may work beyond them.
    pub overtime_allowance: f64,
    /// The utilisation staffing plans for.
    pub target_utilisation: f64,
    pub staffing_table: Vec<StaffingRow>,
    pub weights: Weights,
    pub move_cost: [MoveCost; 3],
    pub mode: Mode,
    pub priority: Vec<Stage>,
    pub change: ChangeControl,
    pub relaxation_penalty: f64,
    pub solver: SolverLimits,
}

impl Policy {
    pub fn penalty(&self, star: Star, class: Class) -> Option<f64> {
        self.penalty[class.idx()][star.idx()]
    }
    /// Monthly service hours one group of this class and size needs.
    pub fn workload(&self, class: Class, members: u32) -> f64 {
        let s = self.service[class.idx()];
        s.visits_per_month * s.hours_per_visit + f64::from(members) * s.hours_per_member
    }
    pub fn move_cost(&self, class: Class, members: u32) -> f64 {
        let c = self.move_cost[class.idx()];
        c.fixed + c.per_member * f64::from(members)
    }
}

#[derive(Debug, Clone)]
pub struct Instance {
    pub regions: Vec<Region>,
    pub managers: Vec<Manager>,
    pub groups: Vec<Group>,
    pub policy: Policy,
}
