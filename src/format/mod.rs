//! The JSON formats: serde types for input and plan, the default policy, parsing with coded errors, and conversion to domain types.

pub mod certify;
pub mod choice;
pub mod convert;
pub mod input;
pub mod output;
pub mod overrides;
pub mod parse;
pub mod policy;
pub mod scenario;
pub mod staffing;
pub mod whatif;

pub use input::{ClassIn, GroupIn, InputFile, ManagerIn, RegionIn};
pub use output::PlanFile;
pub use policy::PolicyIn;

/// The one input schema version this build reads and the plan version it writes.
pub const SCHEMA_VERSION: u32 = 1;
