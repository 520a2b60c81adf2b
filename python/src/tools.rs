//! The closed-form tools: Stoner-Wohlfarth astroid and loops (`larmor sw`), Neel-Brown
//! relaxation (`larmor neel-brown`).

use std::path::PathBuf;

use larmor_host::commands::args::{OutPlot, Threads};
use larmor_host::commands::neel_brown::NeelBrownArgs;
use larmor_host::commands::sw::{self, LoopArgs, PopKind};
use numpy::PyArray1;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::convert;
use crate::{py_err, py_err_named};

/// The astroid (`larmor sw astroid`); see `larmor.sw_astroid`.
#[pyfunction]
#[pyo3(signature = (points = 361))]
fn sw_astroid(py: Python<'_>, points: usize) -> PyResult<Bound<'_, PyDict>> {
    let rows = sw::astroid_rows(points).map_err(py_err)?;
    let d = PyDict::new(py);
    for (i, name) in ["psi_deg", "h_sw", "h_par", "h_perp"].iter().enumerate() {
        d.set_item(
            name,
            PyArray1::from_vec(py, rows.iter().map(|r| r[i]).collect()),
        )?;
    }
    Ok(d)
}

/// A quasi-static Stoner-Wohlfarth loop (`larmor sw loop`); see `larmor.sw_loop`.
#[pyfunction]
#[pyo3(signature = (*, psi = None, hmax = 2.0, points = 401, population = None, particles = None, seed = None, hk_spread = None, volume_spread = None, threads = None))]
#[allow(clippy::too_many_arguments)]
fn sw_loop<'py>(
    py: Python<'py>,
    psi: Option<f64>,
    hmax: f64,
    points: usize,
    population: Option<&str>,
    particles: Option<usize>,
    seed: Option<u64>,
    hk_spread: Option<f64>,
    volume_spread: Option<f64>,
    threads: Option<usize>,
) -> PyResult<Bound<'py, PyDict>> {
    let population = match population {
        None => None,
        Some(p) => Some(
            <PopKind as clap::ValueEnum>::from_str(p, false).map_err(|_| {
                PyValueError::new_err(format!(
                    "population = {p:?} is not allowed: allowed \"random3d\", \"random2d\", \
                     \"aligned\", \"stratified3d\" or \"stratified2d\""
                ))
            })?,
        ),
    };
    let args = LoopArgs {
        psi,
        hmax,
        points,
        population,
        particles,
        seed,
        hk_spread,
        volume_spread,
        threads: Threads { threads },
        // not used: loop_report writes no files
        files: OutPlot {
            out: PathBuf::new(),
            plot: None,
        },
    };
    let (r, signal) = crate::detached(py, || sw::loop_report(&args))?;
    if let Some(sig) = signal {
        return Err(sig);
    }
    // messages name the command line's options: give them the Python names
    let r = r.map_err(|e| {
        py_err_named(
            e,
            &[
                ("--psi", "psi"),
                ("--hmax", "hmax"),
                ("--points", "points"),
                ("--population", "population"),
                ("--particles", "particles"),
                ("--seed", "seed"),
                ("--hk-spread", "hk_spread"),
                ("--volume-spread", "volume_spread"),
                ("--threads", "threads"),
                ("DEG", "=deg"),
                ("KIND", "=kind"),
            ],
        )
    })?;
    let d = PyDict::new(py);
    for (i, name) in ["h", "m_par", "m_perp"].iter().enumerate() {
        d.set_item(
            name,
            PyArray1::from_vec(py, r.rows.iter().map(|x| x[i]).collect()),
        )?;
    }
    d.set_item("remanence", r.remanence)?;
    d.set_item("remanence_se", r.remanence_se)?;
    d.set_item("coercivity", r.coercivity)?;
    d.set_item("coercivity_se", r.coercivity_se)?;
    d.set_item("switching_field", r.switching_field)?;
    d.set_item("jumps", PyArray1::from_vec(py, r.jumps))?;
    d.set_item("notes", r.notes)?;
    Ok(d)
}

/// Neel-Brown relaxation of one particle (`larmor neel-brown --json`); see `larmor.neel_brown`.
#[pyfunction]
#[pyo3(signature = (sigma, h, *, alpha = None, hk = None, psi = 0.0, f0 = None, gamma = larmor::units::GAMMA_E))]
#[allow(clippy::too_many_arguments)]
fn neel_brown<'py>(
    py: Python<'py>,
    sigma: f64,
    h: f64,
    alpha: Option<f64>,
    hk: Option<f64>,
    psi: f64,
    f0: Option<f64>,
    gamma: f64,
) -> PyResult<Bound<'py, PyAny>> {
    let args = NeelBrownArgs {
        sigma,
        h,
        alpha,
        hk,
        psi,
        f0,
        gamma,
        json: true,
    };
    let names = [
        ("--sigma", "sigma"),
        ("--alpha", "alpha"),
        ("--hk", "hk"),
        ("--h", "h"),
        ("--psi", "psi"),
        ("--f0", "f0"),
        ("--gamma", "gamma"),
    ];
    let v = larmor_host::commands::neel_brown::json(&args).map_err(|e| py_err_named(e, &names))?;
    convert::json_to_py(py, &v)
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(sw_astroid, m)?)?;
    m.add_function(wrap_pyfunction!(sw_loop, m)?)?;
    m.add_function(wrap_pyfunction!(neel_brown, m)?)?;
    Ok(())
}
