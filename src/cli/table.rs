//! Terminal tables aligned by display width (a CJK character takes two columns), text columns left, figures right.

use unicode_width::UnicodeWidthStr;

/// Display columns a text takes.
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// `s` cut to at most `w` columns (with … when cut).
pub fn fit(s: &str, w: usize) -> String {
    if width(s) <= w {
        return s.to_string();
    }
    let mut out = String::new();
    for c in s.chars() {
        if width(&out) + width(c.encode_utf8(&mut [0; 4])) + 1 > w {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

/// A table: a header, rows, and an optional separator line before the totals.
pub struct Table {
    header: Vec<String>,
    rows: Vec<Option<Vec<String>>>,
    /// How many leading columns hold text (left-aligned).
    text: usize,
}

impl Table {
    pub fn new(header: &[&str]) -> Table {
        Table {
            header: header.iter().map(|s| s.to_string()).collect(),
            rows: Vec::new(),
            text: 1,
        }
    }

    /// The first `n` columns are text.
    pub fn text_columns(mut self, n: usize) -> Table {
        self.text = n;
        self
    }

    pub fn row(&mut self, cells: Vec<String>) {
        self.rows.push(Some(cells));
    }

    /// A line of dashes (before a totals row).
    pub fn rule(&mut self) {
        self.rows.push(None);
    }

    pub fn render(&self) -> String {
        let n = self.header.len();
        let widths: Vec<usize> = (0..n)
            .map(|c| {
                self.rows
                    .iter()
                    .flatten()
                    .filter_map(|r| r.get(c))
                    .chain([&self.header[c]])
                    .map(|s| width(s))
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        let line = |cells: &[String]| {
            let mut s = String::new();
            for (c, w) in widths.iter().enumerate() {
                let cell = cells.get(c).map_or("", String::as_str);
                let pad = " ".repeat(w - width(cell).min(*w));
                if c > 0 {
                    s.push(' ');
                }
                if c < self.text {
                    s.push_str(cell);
                    s.push_str(&pad);
                } else {
                    s.push_str(&pad);
                    s.push_str(cell);
                }
            }
            s.trim_end().to_string() + "\n"
        };
        let mut out = line(&self.header);
        for r in &self.rows {
            match r {
                Some(cells) => out.push_str(&line(cells)),
                None => {
                    let total: usize = widths.iter().sum::<usize>() + n.saturating_sub(1);
                    out.push_str(&"-".repeat(total));
                    out.push('\n');
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aligns_chinese_by_display_width() {
        let mut t = Table::new(&["region", "n"]);
        t.row(vec!["HZ 杭州".into(), "12".into()]);
        t.row(vec!["WZ".into(), "3".into()]);
        let text = t.render();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(width(lines[1]), width(lines[0]));
        assert_eq!(width(lines[2]), width(lines[1]));
        assert_eq!(fit("杭州教育集团", 7), "杭州教…");
    }
}
