//! Where a table starts and which of its rows are data: the header under title rows (or two header rows over one table), and blank, totals and repeated-header rows skipped with their reason.

use crate::headers::{normal, score, List, Mapping};
use crate::table::{blank, cell_text, Cell, Table};
use starplan_format::errors::{Code, InputError};

/// How many non-blank rows from the top may hold the header (title and export-time rows
/// of CRM exports sit above it).
pub const SCAN: usize = 30;

/// A table cut at its header.
pub struct Located {
    /// The rows under the header, with the header's texts (two rows joined into one).
    pub table: Table,
    /// The rows the header was read from (one, or two for a two-row header).
    pub header_rows: Vec<usize>,
    /// Non-blank rows above the header (titles, export times): skipped.
    pub title_rows: Vec<usize>,
    /// Whether the header gives every required field; when not, the table is cut at the
    /// row that gives the most, so that the E005 errors name it.
    pub complete: bool,
}

/// The header: the first row, of the first [`SCAN`] non-blank ones, whose headers give every
/// required field of the list. A row just under it that only continues it (the lower half
/// of a two-row header, under merged group headers) is joined to it, as is a row just above
/// it when only the two together give the required fields.
pub fn locate(t: &Table, list: List, map: &Mapping) -> Located {
    let lines: Vec<&(usize, Vec<Cell>)> = t
        .lines
        .iter()
        .filter(|(_, c)| !blank(c))
        .take(SCAN)
        .collect();
    let need = list.required().len();
    let text = |k: usize| -> Vec<String> { lines[k].1.iter().map(cell_text).collect() };
    let mut best: Option<(usize, (usize, usize))> = None;
    for k in 0..lines.len() {
        let single = text(k);
        let s = score(&single, list, map);
        if s.0 == need {
            // A data row has an id: a row under the header without one, of text only, is
            // the lower half of a two-row header (its id cell merged into the one above).
            let id_col = single.iter().position(|h| map.field(list, h) == Some("id"));
            if let (Some(next), Some(id_col)) = (lines.get(k + 1), id_col) {
                let joined = join(&single, &text(k + 1), list, map);
                let no_id = next.1.get(id_col).is_none_or(|c| *c == Cell::Empty);
                if no_id && continues(&next.1) && score(&joined, list, map).1 >= s.1 {
                    return cut(t, &lines, k, 2, joined, true);
                }
            }
            return cut(t, &lines, k, 1, single, true);
        }
        if k > 0 {
            let joined = join(&text(k - 1), &single, list, map);
            if score(&joined, list, map).0 == need {
                return cut(t, &lines, k - 1, 2, joined, true);
            }
        }
        if best.is_none_or(|(_, b)| s > b) {
            best = Some((k, s));
        }
    }
    match best {
        Some((k, _)) => cut(t, &lines, k, 1, text(k), false),
        None => Located {
            table: t.clone(),
            header_rows: vec![t.header_row],
            title_rows: Vec::new(),
            complete: false,
        },
    }
}

fn cut(
    t: &Table,
    lines: &[&(usize, Vec<Cell>)],
    k: usize,
    n: usize,
    header: Vec<String>,
    complete: bool,
) -> Located {
    let header_rows: Vec<usize> = lines[k..k + n].iter().map(|(r, _)| *r).collect();
    Located {
        table: t.with_header(&header_rows, header),
        header_rows,
        title_rows: lines[..k].iter().map(|(r, _)| *r).collect(),
        complete,
    }
}

/// A row that can be the lower half of a header: text only, nothing number-like, and
/// some cells empty (those under headers merged down over both rows).
fn continues(cells: &[Cell]) -> bool {
    let texts: Vec<&Cell> = cells.iter().filter(|c| **c != Cell::Empty).collect();
    texts.len() < cells.len()
        && texts.iter().all(|c| match c {
            Cell::Text(s) => s.trim().parse::<f64>().is_err(),
            _ => false,
        })
}

/// Two header rows as one: under an empty upper cell the upper text of the merged cell to
/// its left is carried on. Each column takes the first of `upper+lower`, `lower`, `upper`
/// that names a field, else the joined text (`客户经理` over `工号` is `客户经理工号`).
pub fn join(upper: &[String], lower: &[String], list: List, map: &Mapping) -> Vec<String> {
    let mut carried = String::new();
    (0..upper.len().max(lower.len()))
        .map(|c| {
            let u = upper.get(c).map_or("", |s| s.trim());
            let l = lower.get(c).map_or("", |s| s.trim());
            if !u.is_empty() {
                carried = u.to_string();
            }
            if l.is_empty() {
                return u.to_string();
            }
            let both = format!("{carried}{l}");
            let named = [both.as_str(), l, u]
                .into_iter()
                .find(|h| !h.is_empty() && map.field(list, h).is_some())
                .map(str::to_string);
            named.unwrap_or(both)
        })
        .collect()
}

/// Words that open a totals or subtotal row.
const TOTALS: [&str; 9] = [
    "合计",
    "小计",
    "总计",
    "共计",
    "总合计",
    "total",
    "subtotal",
    "sub-total",
    "grandtotal",
];

fn is_total(c: &Cell) -> bool {
    let t: String = normal(&cell_text(c));
    TOTALS.iter().any(|w| t.starts_with(w))
}

/// What a row under the header is.
pub enum Row {
    Data,
    /// Skipped, with the reason the report gives.
    Skip(String),
}

/// A data row, a row to skip (totals, a header repeated on each printed page), or E124:
/// values without an id.
pub fn classify(t: &Table, row: usize, cells: &[Cell], id_col: usize) -> Result<Row, InputError> {
    let id = cells.get(id_col).unwrap_or(&Cell::Empty);
    if (*id == Cell::Empty || is_total(id)) && cells.iter().any(is_total) {
        let word = cells.iter().find(|c| is_total(c)).map(cell_text);
        return Ok(Row::Skip(format!(
            "totals row ({})",
            word.unwrap_or_default()
        )));
    }
    let same = cells
        .iter()
        .zip(&t.header)
        .filter(|(c, h)| !h.trim().is_empty() && normal(&cell_text(c)) == normal(h))
        .count();
    if same >= 2 {
        return Ok(Row::Skip("the header repeated".into()));
    }
    if *id == Cell::Empty {
        let (col, first) = cells
            .iter()
            .enumerate()
            .find(|(_, c)| **c != Cell::Empty)
            .map(|(i, c)| (i, cell_text(c)))
            .unwrap_or((id_col, String::new()));
        return Err(InputError::new(
            Code::E124,
            t.at(row, col),
            format!(
                "row {row} has values (`{first}`) but no id in column `{}`: it is neither a data row nor a blank or totals row",
                t.header.get(id_col).map_or("", |s| s.as_str())
            ),
        ));
    }
    Ok(Row::Data)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(cells: &[&str]) -> Vec<Cell> {
        let cell = |s: &&str| match s.is_empty() {
            true => Cell::Empty,
            false => Cell::Text(s.to_string()),
        };
        cells.iter().map(cell).collect()
    }

    fn table(lines: &[&[&str]]) -> Table {
        let lines: Vec<(usize, Vec<Cell>)> = lines
            .iter()
            .enumerate()
            .map(|(i, l)| (i + 1, row(l)))
            .collect();
        let mut t = crate::table::read_csv("t.csv", b"x\n").unwrap();
        t.lines = lines;
        t
    }

    #[test]
    fn finds_the_header_under_titles_and_joins_two_rows() {
        let map = Mapping::default();
        let t = table(&[
            &["集团清单", "", "", "", "", ""],
            &["集团编号", "区域", "集团等级", "成员数", "客户经理", ""],
            &["", "", "", "", "工号", "姓名"],
            &["G1", "HZ", "A类", "10", "M1", "张三"],
            &["合计", "", "", "10", "", ""],
        ]);
        let found = locate(&t, List::Groups, &map);
        assert!(found.complete);
        assert_eq!(found.header_rows, [2, 3]);
        assert_eq!(found.title_rows, [1]);
        assert_eq!(found.table.header[4], "客户经理工号");
        assert_eq!(found.table.header[5], "客户经理姓名");
        let rows = &found.table.rows;
        assert_eq!(rows.len(), 2);
        assert!(matches!(
            classify(&found.table, 4, &rows[0].1, 0),
            Ok(Row::Data)
        ));
        let total = classify(&found.table, 5, &rows[1].1, 0);
        assert!(matches!(total, Ok(Row::Skip(w)) if w == "totals row (合计)"));
        let no_id = row(&["", "HZ", "B", "3", "", ""]);
        let e = classify(&found.table, 6, &no_id, 0).err().unwrap();
        assert_eq!((e.code, e.path.as_str()), (Code::E124, "t.csv:6:区域"));
    }
}
