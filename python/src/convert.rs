//! Python values to TOML and back: a scenario dict is written as the TOML text the host parses,
//! so it has the keys, units and errors of a scenario file.

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString};

/// `value` (at dotted key `key`, for messages) as a TOML value: bool, int, float, str, a dict
/// (table) or any other iterable (array: lists, tuples, NumPy arrays); NumPy scalars convert
/// through `__index__` or `__float__`.
pub fn to_toml(key: &str, value: &Bound<'_, PyAny>) -> PyResult<toml::Value> {
    if value.is_none() {
        return Err(PyValueError::new_err(format!(
            "scenario key {key}: None is not a value (leave the key out for its default)"
        )));
    }
    if let Ok(b) = value.cast::<PyBool>() {
        return Ok(toml::Value::Boolean(b.is_true()));
    }
    if value.is_instance_of::<PyInt>() {
        return value
            .extract::<i64>()
            .map(toml::Value::Integer)
            .map_err(|_| {
                PyValueError::new_err(format!(
                    "scenario key {key}: the integer {value} does not fit in 64 bits"
                ))
            });
    }
    if value.is_instance_of::<PyFloat>() {
        return Ok(toml::Value::Float(value.extract::<f64>()?));
    }
    if let Ok(s) = value.cast::<PyString>() {
        return Ok(toml::Value::String(s.to_string()));
    }
    if let Ok(d) = value.cast::<PyDict>() {
        return table(key, d).map(toml::Value::Table);
    }
    // NumPy scalars and 0-d arrays
    if value.hasattr("__index__")? {
        if let Ok(i) = value.extract::<i64>() {
            return Ok(toml::Value::Integer(i));
        }
    }
    if let Ok(iter) = value.try_iter() {
        let mut items = Vec::new();
        for (i, item) in iter.enumerate() {
            items.push(to_toml(&format!("{key}[{i}]"), &item?)?);
        }
        return Ok(toml::Value::Array(items));
    }
    if value.hasattr("__float__")? {
        return Ok(toml::Value::Float(value.extract::<f64>()?));
    }
    Err(PyTypeError::new_err(format!(
        "scenario key {key}: a value of type {} is not allowed (allowed: bool, int, float, str, \
         dict, list)",
        value.get_type().name()?
    )))
}

/// A dict of string keys as a TOML table (`prefix`: the dotted key of the dict itself).
pub fn table(prefix: &str, d: &Bound<'_, PyDict>) -> PyResult<toml::Table> {
    let mut t = toml::Table::new();
    for (k, v) in d.iter() {
        let Ok(k) = k.cast::<PyString>() else {
            return Err(PyTypeError::new_err(format!(
                "scenario key {}{}: keys must be strings, not {}",
                prefix,
                if prefix.is_empty() { "" } else { "." },
                k.repr()?
            )));
        };
        let k = k.to_string();
        let dotted = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        t.insert(k, to_toml(&dotted, &v)?);
    }
    Ok(t)
}

/// A TOML value as a Python object (tables as dicts, datetimes as strings).
pub fn to_py<'py>(py: Python<'py>, v: &toml::Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match v {
        toml::Value::String(s) => s.into_pyobject(py)?.into_any(),
        toml::Value::Integer(i) => i.into_pyobject(py)?.into_any(),
        toml::Value::Float(f) => f.into_pyobject(py)?.into_any(),
        toml::Value::Boolean(b) => b.into_pyobject(py)?.to_owned().into_any(),
        toml::Value::Datetime(d) => d.to_string().into_pyobject(py)?.into_any(),
        toml::Value::Array(a) => {
            let l = PyList::empty(py);
            for x in a {
                l.append(to_py(py, x)?)?;
            }
            l.into_any()
        }
        toml::Value::Table(t) => {
            let d = PyDict::new(py);
            for (k, x) in t {
                d.set_item(k, to_py(py, x)?)?;
            }
            d.into_any()
        }
    })
}

/// A JSON value as a Python object (null as None).
pub fn json_to_py<'py>(py: Python<'py>, v: &serde_json::Value) -> PyResult<Bound<'py, PyAny>> {
    use serde_json::Value as J;
    Ok(match v {
        J::Null => py.None().into_bound(py),
        J::Bool(b) => b.into_pyobject(py)?.to_owned().into_any(),
        J::Number(n) => match n.as_i64() {
            Some(i) => i.into_pyobject(py)?.into_any(),
            None => n.as_f64().unwrap_or(f64::NAN).into_pyobject(py)?.into_any(),
        },
        J::String(s) => s.into_pyobject(py)?.into_any(),
        J::Array(a) => {
            let l = PyList::empty(py);
            for x in a {
                l.append(json_to_py(py, x)?)?;
            }
            l.into_any()
        }
        J::Object(o) => {
            let d = PyDict::new(py);
            for (k, x) in o {
                d.set_item(k, json_to_py(py, x)?)?;
            }
            d.into_any()
        }
    })
}
