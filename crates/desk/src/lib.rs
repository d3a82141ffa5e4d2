//! The planner's desk: spreadsheets in (XLSX through calamine, CSV in UTF-8 or GBK) and out (XLSX through rust_xlsxwriter, CSV for Excel), the self-contained HTML report, and rescoring of plans a planner edited by hand.
//!
//! Errors keep the input error codes (E…) and name the cell they come from
//! (`[book.xlsx]groups!D17`, `managers.csv:12:star`).

pub mod book;
pub mod cells;
pub mod headers;
pub mod import;
pub mod locate;
pub mod outcome;
pub mod resemble;
pub mod table;

pub use headers::Mapping;
pub use import::{import, Imported, PolicySource, Sources};
pub use outcome::Report;
pub use table::{Book, Table};
#[cfg(feature = "plans")]
pub mod export;
#[cfg(feature = "plans")]
pub mod report;
#[cfg(feature = "plans")]
pub mod rescore;
#[cfg(feature = "plans")]
pub mod sheets;
#[cfg(feature = "plans")]
pub mod svg;
#[cfg(feature = "plans")]
pub mod template;
#[cfg(feature = "plans")]
pub mod view;
#[cfg(feature = "plans")]
pub mod words;
