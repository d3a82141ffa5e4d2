//! starplan: plans how a telecom operator's account managers serve its group customers, region by region, as MIPs on HiGHS.
//!
//! Layers point one way: `domain` ← `format` ← `validate` ← `model` ← `engine` ← `cli`;
//! `checker` sees only `format`.

pub mod checker;
pub mod cli;
pub mod domain;
pub mod engine;
pub mod errors;
pub mod format;
pub mod generate;
pub mod model;
pub mod validate;
