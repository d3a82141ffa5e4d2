//! A sheet of a workbook or a CSV file read into rows of cells; every cell can name its place (`[book.xlsx]groups!D17`, `managers.csv:12:star`).

use calamine::{Data, Reader};
use starplan_format::errors::{Code, InputError};
use std::io::Cursor;

/// One cell's value as the file holds it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
    Bool(bool),
    /// A date cell, as YYYY-MM-DD.
    Date(String),
}

/// A table: a header row and the rows under it, with their row numbers in the file.
#[derive(Debug, Clone)]
pub struct Table {
    /// The file as the user named it.
    pub file: String,
    /// The sheet of a workbook; `None` for a CSV file.
    pub sheet: Option<String>,
    pub header: Vec<String>,
    /// First column's index in the sheet (0 = A).
    pub first_col: usize,
    /// (1-based row number, cells in header order).
    pub rows: Vec<(usize, Vec<Cell>)>,
    pub header_row: usize,
    /// Every row of the sheet or file as read, blank ones included: where the header is
    /// searched for (title rows above it, several header rows for one table).
    pub lines: Vec<(usize, Vec<Cell>)>,
}

/// Excel's column name of a 0-based index: 0 → A, 25 → Z, 26 → AA.
pub fn column_name(mut col: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).expect("ASCII")
}

impl Table {
    /// Where the file or sheet is: `[book.xlsx]groups` or `managers.csv`.
    pub fn whole(&self) -> String {
        match &self.sheet {
            Some(s) => format!("[{}]{s}", self.file),
            None => self.file.clone(),
        }
    }

    /// A cell: `[book.xlsx]groups!D17` or `managers.csv:12:star`.
    pub fn at(&self, row: usize, col: usize) -> String {
        match &self.sheet {
            Some(_) => format!(
                "{}!{}{row}",
                self.whole(),
                column_name(self.first_col + col)
            ),
            None => match self.header.get(col).filter(|h| !h.trim().is_empty()) {
                Some(h) => format!("{}:{row}:{h}", self.file),
                None => format!("{}:{row}:{}", self.file, column_name(col)),
            },
        }
    }

    /// The same table with another header: `header_rows` (the last one the header's) and
    /// the non-blank rows below them.
    pub fn with_header(&self, header_rows: &[usize], header: Vec<String>) -> Table {
        let last = header_rows.last().copied().unwrap_or(0);
        Table {
            header,
            header_row: last,
            rows: self
                .lines
                .iter()
                .filter(|(r, cells)| *r > last && !blank(cells))
                .cloned()
                .collect(),
            ..self.clone()
        }
    }

    /// Rows below the header with no value in any cell.
    pub fn blank_rows(&self) -> Vec<usize> {
        self.lines
            .iter()
            .filter(|(r, cells)| *r > self.header_row && blank(cells))
            .map(|(r, _)| *r)
            .collect()
    }

    /// A whole row: `[book.xlsx]groups!17:17` or `managers.csv:12`.
    pub fn row_at(&self, row: usize) -> String {
        match &self.sheet {
            Some(_) => format!("{}!{row}:{row}", self.whole()),
            None => format!("{}:{row}", self.file),
        }
    }
}

/// The text of a CSV file: UTF-8 (a byte-order mark is dropped), else GB18030 (which
/// reads GBK and GB2312), as Excel writes it on a Chinese Windows. Anything that is
/// neither is E006 at the line of the first byte UTF-8 cannot read.
pub fn decode(file: &str, bytes: &[u8]) -> Result<String, InputError> {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(body) {
        Ok(s) => Ok(s.to_string()),
        Err(e) => {
            let (text, _, bad) = encoding_rs::GB18030.decode(body);
            if !bad {
                return Ok(text.into_owned());
            }
            let line = body[..e.valid_up_to()]
                .iter()
                .filter(|&&b| b == b'\n')
                .count()
                + 1;
            Err(InputError::new(
                Code::E006,
                format!("{file}:{line}"),
                "the text is neither UTF-8 nor GBK/GB18030",
            ))
        }
    }
}

/// Reads a CSV file (comma-separated, or tab-separated when the header has tabs and no
/// commas). The first non-empty line is the header.
pub fn read_csv(file: &str, bytes: &[u8]) -> Result<Table, InputError> {
    let text = decode(file, bytes)?;
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let delim = if first.contains('\t') && !first.contains(',') {
        b'\t'
    } else {
        b','
    };
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delim)
        .from_reader(text.as_bytes());
    let mut lines = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| {
            let line = e
                .position()
                .map_or(0, |p| line_of(text.as_bytes(), p.byte() as usize));
            InputError::new(Code::E122, format!("{file}:{line}"), e.to_string())
        })?;
        // The line from the byte offset: the reader's own line count lags after CRLF.
        let byte = rec.position().map_or(0, |p| p.byte() as usize);
        let line = line_of(text.as_bytes(), byte);
        let cells: Vec<Cell> = rec.iter().map(text_cell).collect();
        lines.push((line, cells));
    }
    Ok(into_table(file.to_string(), None, 0, lines))
}

/// The 1-based line of a record the reader says starts at a byte offset. After a CRLF
/// line that offset is the LF's (and the reader's own line count lags), so line breaks
/// there belong before the record.
fn line_of(text: &[u8], byte: usize) -> usize {
    let mut at = byte.min(text.len());
    while matches!(text.get(at), Some(b'\r' | b'\n')) {
        at += 1;
    }
    text[..at].iter().filter(|&&b| b == b'\n').count() + 1
}

fn text_cell(s: &str) -> Cell {
    let t = s.trim();
    if t.is_empty() {
        Cell::Empty
    } else {
        Cell::Text(t.to_string())
    }
}

/// A row with no value in any cell.
pub fn blank(cells: &[Cell]) -> bool {
    cells.iter().all(|c| *c == Cell::Empty)
}

/// Splits header and body, dropping empty rows; header cells become text. The first
/// non-empty row is the header here; import looks for the real one (`crate::locate`).
fn into_table(
    file: String,
    sheet: Option<String>,
    first_col: usize,
    lines: Vec<(usize, Vec<Cell>)>,
) -> Table {
    let mut kept = lines.iter().filter(|(_, cells)| !blank(cells)).cloned();
    let (header_row, header) = kept.next().unwrap_or((1, Vec::new()));
    let header = header.iter().map(cell_text).collect();
    Table {
        file,
        sheet,
        header,
        first_col,
        rows: kept.collect(),
        header_row,
        lines,
    }
}

/// A cell as text (ids, names, headers): whole numbers without a decimal point.
pub fn cell_text(c: &Cell) -> String {
    match c {
        Cell::Empty => String::new(),
        Cell::Text(s) | Cell::Date(s) => s.clone(),
        Cell::Number(x) if x.fract() == 0.0 && x.abs() < 1e15 => format!("{}", *x as i64),
        Cell::Number(x) => format!("{x}"),
        Cell::Bool(b) => b.to_string(),
    }
}

/// An open workbook: its sheets by name.
pub struct Book {
    pub file: String,
    sheets: calamine::Sheets<Cursor<Vec<u8>>>,
}

impl Book {
    /// Opens XLSX, XLSM, XLS or ODS bytes; anything else is E122.
    pub fn open(file: &str, bytes: Vec<u8>) -> Result<Book, InputError> {
        calamine::open_workbook_auto_from_rs(Cursor::new(bytes))
            .map(|sheets| Book {
                file: file.to_string(),
                sheets,
            })
            .map_err(|e| {
                InputError::new(Code::E122, file, format!("cannot read the workbook: {e}"))
            })
    }

    pub fn sheet_names(&self) -> Vec<String> {
        self.sheets.sheet_names()
    }

    /// Sheets the workbook hides (lookup lists, old copies): never taken by their content.
    pub fn hidden_sheets(&self) -> Vec<String> {
        self.sheets
            .sheets_metadata()
            .iter()
            .filter(|s| s.visible != calamine::SheetVisible::Visible)
            .map(|s| s.name.clone())
            .collect()
    }

    /// Reads one sheet into a table.
    pub fn table(&mut self, sheet: &str) -> Result<Table, InputError> {
        let range = self.sheets.worksheet_range(sheet).map_err(|e| {
            InputError::new(Code::E122, format!("[{}]{sheet}", self.file), e.to_string())
        })?;
        let (row0, col0) = range.start().unwrap_or((0, 0));
        let lines = range
            .rows()
            .enumerate()
            .map(|(i, row)| (row0 as usize + i + 1, row.iter().map(data_cell).collect()))
            .collect();
        Ok(into_table(
            self.file.clone(),
            Some(sheet.to_string()),
            col0 as usize,
            lines,
        ))
    }
}

fn data_cell(d: &Data) -> Cell {
    match d {
        Data::Empty | Data::Error(_) => Cell::Empty,
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => text_cell(s),
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(x) => Cell::Number(*x),
        Data::Bool(b) => Cell::Bool(*b),
        Data::DateTime(dt) => match dt.as_datetime() {
            Some(t) => Cell::Date(t.date().format("%Y-%m-%d").to_string()),
            None => Cell::Number(dt.as_f64()),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_names_and_encodings() {
        assert_eq!(column_name(0), "A");
        assert_eq!(column_name(25), "Z");
        assert_eq!(column_name(26), "AA");
        assert_eq!(column_name(27 * 26), "AAA");
        let (gbk, _, _) = encoding_rs::GBK.encode("编号,姓名\n1,张三\n");
        assert_eq!(decode("x.csv", &gbk).unwrap(), "编号,姓名\n1,张三\n");
        assert_eq!(decode("x.csv", b"\xEF\xBB\xBFid\n").unwrap(), "id\n");
        assert_eq!(cell_text(&Cell::Number(7.0)), "7");
        assert_eq!(cell_text(&Cell::Number(0.5)), "0.5");
        for text in ["T,,\r\nX,,\r\nid,r\r\n1,2\r\n", "T,,\nX,,\nid,r\n1,2\n"] {
            let t = read_csv("x.csv", text.as_bytes()).unwrap();
            let rows: Vec<usize> = t.lines.iter().map(|(r, _)| *r).collect();
            assert_eq!(rows, [1, 2, 3, 4], "{text:?}");
        }
    }
}
