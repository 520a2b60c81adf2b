//! Stage 1, scenario: a scenario file (TOML, SI units) is read, parsed against the [`schema`]
//! with errors located at their key's line ([`locate`]), and lowered ([`lower`]) into the
//! kernel's validated spec plus the host's typed [`RunPlan`]. After [`Scenario::load`], no
//! command reads raw TOML.

pub mod lattice;
pub mod llb;
pub mod locate;
pub mod lower;
pub mod mc;
pub mod mram;
pub mod plan;
pub mod schema;
pub mod stack;
pub mod waveform;

use std::path::Path;

use larmor::params::{Macrospin, Validated};
use larmor::Real;

use crate::error::{HostError, Result};
use crate::exec::shard::fnv1a;
pub use plan::{Event, Method, RunPlan, Solver};

/// A loaded, validated scenario.
#[derive(Debug)]
pub struct Scenario {
    /// File name (for messages).
    pub file: String,
    /// FNV-1a hash of the file's bytes (campaign fingerprints for resumption).
    pub hash: u64,
    /// The file's text (to locate errors found after lowering, at compile).
    text: String,
    /// Solver, events and switching, validated.
    pub plan: RunPlan,
    /// The kernel's parameters, validated once (read only).
    pub spec: Validated,
}

impl Scenario {
    /// Loads, parses and validates a scenario file.
    pub fn load(path: &Path) -> Result<Self> {
        let text = locate::read_text(path)?;
        Self::from_text(&path.display().to_string(), &text)
    }

    /// Compiles `spec` (this scenario's, or one a sweep derived from it) for scalar `S`; an
    /// error (a value the scalar cannot hold) is located at its key's line like lowering's.
    pub fn compile<S: Real>(&self, spec: &Validated) -> Result<Macrospin<S>> {
        spec.compile()
            .map_err(|e| locate::Source::new(&self.file, &self.text).kernel_error(&e))
    }

    /// A kernel error about this scenario's parameters, located at the line of the key it
    /// names (as [`Scenario::compile`] does).
    pub fn kernel_error(&self, e: &larmor::Error) -> HostError {
        locate::Source::new(&self.file, &self.text).kernel_error(e)
    }

    /// An input error located at the line of `key` (a dotted path such as `inertia.tau`).
    pub fn at_key(&self, key: &str, message: impl std::fmt::Display) -> HostError {
        locate::Source::new(&self.file, &self.text).at_key(key, message)
    }

    /// Parses and validates the text of a scenario file named `file` (for messages).
    pub fn from_text(file: &str, text: &str) -> Result<Self> {
        let src = locate::Source::new(file, text);
        let raw: schema::ScenarioFile = locate::parse_toml(&src)?;
        let (spec, plan) = raw.lower(&src)?;
        Ok(Self {
            hash: fnv1a(text.as_bytes()),
            text: text.to_string(),
            file: file.to_string(),
            plan,
            spec,
        })
    }
}
