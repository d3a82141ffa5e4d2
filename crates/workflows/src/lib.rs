//! The planner's workflows on top of the engine: staffing estimates, half-yearly certification, the management-model choice, and the comparison of plans (diff, what-if).

pub mod certify;
pub mod choice;
pub mod compare;
pub mod reuse;
pub mod staffing;
pub mod staffing_exact;
