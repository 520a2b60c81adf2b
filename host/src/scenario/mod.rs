//! Scenario stage: schema, locator and lowering.

pub mod schema;

pub use schema::*;
