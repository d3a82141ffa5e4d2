//! The import report: per list, where the header was and what each column became, how many rows were taken and which were skipped and why; then coverage (groups with a current manager, pinned, new). Printed after import and written by `import --report FILE` (JSON).

use serde::Serialize;
use starplan_format::InputFile;

/// What one import did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    pub lists: Vec<ListReport>,
    pub coverage: Coverage,
}

/// One list's sheet or file.
#[derive(Debug, Clone, Serialize)]
pub struct ListReport {
    pub list: &'static str,
    /// `[book.xlsx]集团` or `groups.csv`.
    pub source: String,
    /// The row or rows the header was read from.
    pub header_rows: Vec<usize>,
    /// Rows above the header (titles, export times), skipped.
    pub title_rows: Vec<usize>,
    pub columns: Vec<ColumnReport>,
    pub rows_taken: usize,
    pub skipped: Vec<Skipped>,
}

/// One column: its header cell, and the field it gives (none: not read).
#[derive(Debug, Clone, Serialize)]
pub struct ColumnReport {
    pub at: String,
    pub header: String,
    pub field: Option<&'static str>,
    /// Left out on purpose by the mapping (`"header": "ignore"`).
    pub ignored_by_map: bool,
}

/// A row under the header that is not data.
#[derive(Debug, Clone, Serialize)]
pub struct Skipped {
    pub row: usize,
    pub why: String,
}

/// How much of the current layout came in.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Coverage {
    pub groups: usize,
    pub with_current_manager: usize,
    pub pinned: usize,
    /// Groups without a current manager: planned as new.
    pub new: usize,
    pub managers: usize,
}

impl Coverage {
    pub fn of(input: &InputFile) -> Coverage {
        let with = input
            .groups
            .iter()
            .filter(|g| g.current_manager.is_some())
            .count();
        Coverage {
            groups: input.groups.len(),
            with_current_manager: with,
            pinned: input.groups.iter().filter(|g| g.pinned).count(),
            new: input.groups.len() - with,
            managers: input.managers.len(),
        }
    }
}

fn percent(n: usize, of: usize) -> String {
    if of == 0 {
        return "-".into();
    }
    format!("{:.1} %", 100.0 * n as f64 / of as f64)
}

fn rows(rs: &[usize]) -> String {
    let s: Vec<String> = rs.iter().map(|r| r.to_string()).collect();
    s.join(", ")
}

impl ListReport {
    /// A few lines for stderr; at most five skipped rows are named one by one.
    pub fn text(&self) -> String {
        let mut out = format!(
            "{}: {}, header on row {}",
            self.list,
            self.source,
            rows(&self.header_rows)
        );
        if !self.title_rows.is_empty() {
            out += &format!(" (above it, skipped: row {})", rows(&self.title_rows));
        }
        out += &format!(
            "; {} rows taken, {} skipped\n",
            self.rows_taken,
            self.skipped.len()
        );
        for s in self.skipped.iter().take(5) {
            out += &format!("  skipped row {}: {}\n", s.row, s.why);
        }
        if self.skipped.len() > 5 {
            out += &format!("  … and {} more skipped rows\n", self.skipped.len() - 5);
        }
        let cols: Vec<String> = self
            .columns
            .iter()
            .map(|c| match (c.field, c.ignored_by_map) {
                (Some(f), _) => format!("{} → {f}", c.header),
                (None, true) => format!("{} → ignored (mapping)", c.header),
                (None, false) => format!("{} → not read", c.header),
            })
            .collect();
        out += &format!("  columns: {}\n", cols.join(", "));
        out
    }
}

impl Report {
    /// The report as the lines `import` prints.
    pub fn text(&self) -> String {
        let mut out: String = self.lists.iter().map(ListReport::text).collect();
        let c = &self.coverage;
        out += &format!(
            "coverage: {} groups: {} with a current manager ({}), {} pinned, {} new\n",
            c.groups,
            c.with_current_manager,
            percent(c.with_current_manager, c.groups),
            c.pinned,
            c.new
        );
        out
    }
}
