//! starplan: plans how a telecom operator's account managers serve its group customers, region by region, as MIPs on HiGHS.
//!
//! The work lives in the workspace's crates, each of which may use only those below it:
//! `starplan-format` (formats, code tables, validation) ← `starplan-model` (the MIP, the only
//! crate that links HiGHS) ← `starplan-engine` ← `starplan-workflows`; `starplan-checker`
//! sees only `starplan-format`. This crate is the command line on top, and re-exports the
//! crates under short names for tests and benchmarks.

pub mod cli;

pub use starplan_checker as checker;
pub use starplan_desk as desk;
pub use starplan_engine as engine;
pub use starplan_format as format;
pub use starplan_format::{errors, generate, validate};
pub use starplan_model as model;
pub use starplan_model::domain;
pub use starplan_workflows as workflows;
