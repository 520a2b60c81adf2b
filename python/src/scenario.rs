//! `larmor.Scenario`: a scenario's TOML text and name, validated by the host's own parser when
//! made, whatever it came from (a dict, a TOML text or a file).

use std::path::PathBuf;

use larmor_host::error::Result as HostResult;
use larmor_host::scenario::{lattice, locate, stack, Scenario as HostScenario};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyString};

use crate::convert;
use crate::py_err;

/// What a scenario describes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// One macrospin (the `[magnet]`, `[llg]`, ... tables).
    Macrospin,
    /// An atomistic `[lattice]`.
    Lattice,
    /// Coupled `[[layer]]`s.
    Stack,
}

impl Kind {
    /// Its name, as `Scenario.kind` gives it.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Macrospin => "macrospin",
            Kind::Lattice => "lattice",
            Kind::Stack => "stack",
        }
    }
}

/// A validated scenario: the keys, units and checks of a TOML scenario file.
///
/// `Scenario(d)` takes a dict with the keys of a scenario file (tables as nested dicts, arrays
/// of tables as lists of dicts), a path (str or os.PathLike) or another Scenario;
/// `Scenario.from_toml(text)` a TOML text. A bad key or value raises ValueError naming the
/// key, the value and the allowed range.
#[pyclass(frozen, module = "larmor", name = "Scenario")]
#[derive(Clone, Debug)]
pub struct Scenario {
    name: String,
    text: String,
    kind: Kind,
}

impl Scenario {
    /// A scenario from its text, validated.
    fn new(name: String, text: String) -> PyResult<Self> {
        let kind = if stack::is_stack(&text) {
            Kind::Stack
        } else if lattice::is_lattice(&text) {
            Kind::Lattice
        } else {
            Kind::Macrospin
        };
        let s = Self { name, text, kind };
        s.validate().map_err(py_err)?;
        Ok(s)
    }

    fn validate(&self) -> HostResult<()> {
        match self.kind {
            Kind::Stack => stack::from_text(&self.name, &self.text).map(drop),
            Kind::Lattice => lattice::from_text(&self.name, &self.text).map(drop),
            Kind::Macrospin => HostScenario::from_text(&self.name, &self.text).map(drop),
        }
    }

    /// The scenario of a Python argument: a Scenario, a dict or a path.
    pub fn of(obj: &Bound<'_, PyAny>) -> PyResult<Self> {
        if let Ok(s) = obj.cast::<Scenario>() {
            return Ok(s.get().clone());
        }
        if let Ok(d) = obj.cast::<PyDict>() {
            let t = convert::table("", d)?;
            let text = toml::to_string(&t).map_err(|e| {
                pyo3::exceptions::PyValueError::new_err(format!("this dict is not a scenario: {e}"))
            })?;
            return Self::new("<dict>".into(), text);
        }
        if obj.is_instance_of::<PyString>() || obj.hasattr("__fspath__")? {
            let path: PathBuf = obj.extract()?;
            return Self::load(path);
        }
        Err(PyTypeError::new_err(format!(
            "scenario: a dict, a path or a larmor.Scenario, not {}",
            obj.get_type().name()?
        )))
    }

    /// Name in messages (the file, `<dict>` or the name given to `from_toml`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// TOML text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// What it describes.
    pub fn kind(&self) -> Kind {
        self.kind
    }

    /// The host's macrospin scenario.
    pub fn macrospin(&self) -> HostResult<HostScenario> {
        HostScenario::from_text(&self.name, &self.text)
    }
}

#[pymethods]
impl Scenario {
    #[new]
    fn py_new(spec: &Bound<'_, PyAny>) -> PyResult<Self> {
        Self::of(spec)
    }

    /// A scenario file (TOML).
    #[staticmethod]
    fn load(path: PathBuf) -> PyResult<Self> {
        let text = locate::read_text(&path).map_err(py_err)?;
        Self::new(path.display().to_string(), text)
    }

    /// A scenario from TOML text; `name` appears in error messages.
    #[staticmethod]
    #[pyo3(signature = (text, name = "<string>"))]
    fn from_toml(text: String, name: &str) -> PyResult<Self> {
        Self::new(name.to_string(), text)
    }

    /// The scenario as TOML text (what `larmor` on the command line reads).
    #[getter]
    fn toml(&self) -> &str {
        &self.text
    }

    /// Name in messages.
    #[getter(name)]
    fn py_name(&self) -> &str {
        &self.name
    }

    /// "macrospin", "lattice" or "stack".
    #[getter(kind)]
    fn py_kind(&self) -> &'static str {
        self.kind.name()
    }

    /// The scenario as a dict (the keys of the TOML file).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let v: toml::Value = toml::from_str(&self.text)
            .map_err(|e| pyo3::exceptions::PyValueError::new_err(format!("{}: {e}", self.name)))?;
        convert::to_py(py, &v)
    }

    /// Writes the TOML text to `path` (refusing to overwrite an existing file unless
    /// `overwrite`).
    #[pyo3(signature = (path, *, overwrite = false))]
    fn save(&self, path: PathBuf, overwrite: bool) -> PyResult<()> {
        if path.exists() && !overwrite {
            return Err(pyo3::exceptions::PyFileExistsError::new_err(format!(
                "{} exists: pass overwrite=True to replace it",
                path.display()
            )));
        }
        std::fs::write(&path, &self.text).map_err(|e| {
            pyo3::exceptions::PyOSError::new_err(format!("writing {}: {e}", path.display()))
        })
    }

    fn __repr__(&self) -> String {
        format!(
            "larmor.Scenario({:?}, kind={:?})",
            self.name,
            self.kind.name()
        )
    }
}
