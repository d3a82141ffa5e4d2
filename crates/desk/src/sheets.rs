//! Sheets as plain rows, and their two writers: an XLSX workbook (rust_xlsxwriter) and CSV for Excel (UTF-8 with a byte-order mark, formula-like text neutralised).

use rust_xlsxwriter::{Format, Workbook};

/// One value to write.
#[derive(Debug, Clone, PartialEq)]
pub enum Out {
    Empty,
    Text(String),
    Int(i64),
    Num(f64),
}

impl From<&str> for Out {
    fn from(s: &str) -> Out {
        Out::Text(s.to_string())
    }
}
impl From<String> for Out {
    fn from(s: String) -> Out {
        Out::Text(s)
    }
}
impl From<usize> for Out {
    fn from(n: usize) -> Out {
        Out::Int(n as i64)
    }
}
impl From<u64> for Out {
    fn from(n: u64) -> Out {
        Out::Int(n as i64)
    }
}
impl From<f64> for Out {
    fn from(x: f64) -> Out {
        Out::Num(x)
    }
}
impl<T: Into<Out>> From<Option<T>> for Out {
    fn from(o: Option<T>) -> Out {
        o.map_or(Out::Empty, Into::into)
    }
}

/// A sheet: `key` names its CSV file (`plan.moves.csv`), `title` its tab.
#[derive(Debug, Clone)]
pub struct Sheet {
    pub key: &'static str,
    pub title: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<Out>>,
}

/// The workbook's bytes: a bold, frozen header row and columns wide enough for their text.
pub fn to_xlsx(sheets: &[Sheet]) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    for s in sheets {
        let ws = book.add_worksheet();
        ws.set_name(&s.title)?;
        for (c, h) in s.header.iter().enumerate() {
            ws.write_string_with_format(0, c as u16, h, &bold)?;
        }
        for (r, row) in s.rows.iter().enumerate() {
            let r = r as u32 + 1;
            for (c, v) in row.iter().enumerate() {
                let c = c as u16;
                match v {
                    Out::Empty => {}
                    Out::Text(t) => {
                        ws.write_string(r, c, t)?;
                    }
                    Out::Int(n) => {
                        ws.write_number(r, c, *n as f64)?;
                    }
                    Out::Num(x) => {
                        ws.write_number(r, c, *x)?;
                    }
                }
            }
        }
        ws.set_freeze_panes(1, 0)?;
        for (c, h) in s.header.iter().enumerate() {
            let widest = s
                .rows
                .iter()
                .filter_map(|row| match row.get(c) {
                    Some(Out::Text(t)) => Some(display_width(t)),
                    Some(Out::Int(_) | Out::Num(_)) => Some(10),
                    _ => None,
                })
                .chain([display_width(h)])
                .max()
                .unwrap_or(8);
            ws.set_column_width(c as u16, (widest.min(60) + 2) as f64)?;
        }
    }
    book.save_to_buffer()
}

/// Columns a text takes in a fixed-width view: CJK characters take two.
fn display_width(t: &str) -> usize {
    t.chars()
        .map(|c| if (c as u32) >= 0x1100 { 2 } else { 1 })
        .sum()
}

/// Text that a spreadsheet would read as a formula (= + - @, tab, CR) gets a leading `'`.
pub fn neutral(t: &str) -> String {
    match t.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{t}"),
        _ => t.to_string(),
    }
}

/// CSV for Excel: UTF-8 with a byte-order mark, so Excel reads Chinese text; text cells
/// that start like a formula are neutralised (numbers are written as numbers).
pub fn to_csv(s: &Sheet) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new().from_writer(b"\xEF\xBB\xBF".to_vec());
    let _ = w.write_record(s.header.iter().map(|h| neutral(h)));
    for row in &s.rows {
        let _ = w.write_record(row.iter().map(|v| match v {
            Out::Empty => String::new(),
            Out::Text(t) => neutral(t),
            Out::Int(n) => n.to_string(),
            Out::Num(x) => x.to_string(),
        }));
    }
    w.into_inner().unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_has_a_bom_and_no_formulas() {
        let s = Sheet {
            key: "t",
            title: "t".into(),
            header: vec!["名称".into(), "n".into()],
            rows: vec![
                vec![Out::from("=HYPERLINK(\"x\")"), Out::Int(-5)],
                vec![Out::from("@SUM"), Out::Empty],
            ],
        };
        let text = String::from_utf8(to_csv(&s)).unwrap();
        assert!(text.starts_with('\u{feff}'));
        assert!(text.contains("\"'=HYPERLINK(\"\"x\"\")\",-5"), "{text}");
        assert!(text.contains("'@SUM,"), "{text}");
    }
}
