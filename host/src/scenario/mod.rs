//! Stage 1, scenario: a scenario file (TOML, SI units) is read, parsed against the [`schema`]
//! with errors located at their key's line ([`locate`]), and lowered ([`lower`]) into the
//! kernel's validated spec plus the host's typed [`RunPlan`]. After [`Scenario::load`], no
//! command reads raw TOML.

pub mod locate;
pub mod lower;
pub mod plan;
pub mod schema;
pub mod waveform;

use std::path::Path;

use larmor::params::Validated;

use crate::error::Result;
use crate::exec::shard::fnv1a;
pub use plan::{Event, Method, RunPlan, Solver};

/// A loaded, validated scenario.
#[derive(Debug)]
pub struct Scenario {
    /// File name (for messages).
    pub file: String,
    /// FNV-1a hash of the file's bytes (campaign fingerprints for resumption).
    pub hash: u64,
    /// Solver, events and switching, validated.
    pub plan: RunPlan,
    /// The kernel's parameters, validated once (read only).
    pub spec: Validated,
}

impl Scenario {
    /// Loads, parses and validates a scenario file.
    pub fn load(path: &Path) -> Result<Self> {
        let text = locate::read_text(path)?;
        let file = path.display().to_string();
        let src = locate::Source::new(&file, &text);
        let raw: schema::ScenarioFile = locate::parse_toml(&src)?;
        let (spec, plan) = raw.lower(&src)?;
        Ok(Self {
            hash: fnv1a(text.as_bytes()),
            file: file.clone(),
            plan,
            spec,
        })
    }
}
