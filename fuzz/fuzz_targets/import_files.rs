//! Spreadsheet import never panics: the first byte picks the form (even: a workbook's bytes, XLSX, XLS or ODS; odd: CSV files, the groups and the managers split at the first NUL byte), and the rest is read and imported as `starplan import` does.
#![no_main]

use libfuzzer_sys::fuzz_target;
use starplan_desk::import::workbook_sources;
use starplan_desk::table::read_csv;
use starplan_desk::{import, Book, Mapping, Sources};

fuzz_target!(|data: &[u8]| {
    let Some((&kind, rest)) = data.split_first() else {
        return;
    };
    let map = Mapping::default();
    let sources = if kind % 2 == 0 {
        let Ok(book) = Book::open("fuzz.xlsx", rest.to_vec()) else {
            return;
        };
        let Ok(sources) = workbook_sources(book, &map) else {
            return;
        };
        sources
    } else {
        let cut = rest.iter().position(|&b| b == 0).unwrap_or(rest.len());
        let (groups, managers) = (&rest[..cut], rest.get(cut + 1..).unwrap_or(&[]));
        let (Ok(groups), Ok(managers)) = (
            read_csv("groups.csv", groups),
            read_csv("managers.csv", managers),
        ) else {
            return;
        };
        Sources {
            groups,
            managers,
            regions: None,
            policy: None,
        }
    };
    let _ = import(&sources, &map);
});
