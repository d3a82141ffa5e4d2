//! starplan's formats: serde types of every file, the tables of stable codes, parsing with coded errors, validation and the synthetic-province generator.
//!
//! This crate knows no solver. The checker depends on it alone; the model, engine and CLI
//! build on it.

pub mod baseline;
pub mod certify;
pub mod choice;
pub mod codes;
pub mod errors;
pub mod files;
pub mod generate;
pub mod hash;
pub mod input;
pub mod json;
pub mod output;
pub mod overrides;
pub mod parse;
pub mod policy;
pub mod proof;
pub mod scenario;
pub mod schema;
pub mod staffing;
pub mod validate;
pub mod whatif;

pub use codes::{Check, DiagnosisCode, Rule};
pub use input::{ClassIn, GroupIn, InputFile, ManagerIn, RegionIn};
pub use output::PlanFile;
pub use policy::PolicyIn;

/// The one input schema version this build reads and the plan version it writes.
pub const SCHEMA_VERSION: u32 = 1;
