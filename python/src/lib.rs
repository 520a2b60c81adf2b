//! `larmor._larmor`: the Python binding of the Larmor host library (PyO3, rust-numpy, abi3).
//!
//! A thin layer with no physics of its own: a scenario (a dict with the keys of the TOML
//! scenario files, a TOML text, or a file) goes through the host's own parser and validator
//! ([`larmor_host::scenario`]), the work through the host's own execution stage (trajectories,
//! ensembles, sweeps, Stoner-Wohlfarth loops, Neel-Brown rates), and the results come back as
//! NumPy arrays. The same streams as the command line, so the numbers equal the CLI's bit for bit.
//!
//! Long calls release the GIL and run on a worker thread while the calling thread watches for
//! Python's signals: Ctrl-C asks the host to stop cleanly ([`larmor_host::exec::interrupt`]),
//! and the call raises `larmor.Interrupted` (a `KeyboardInterrupt`) carrying the results so far
//! in its `partial` attribute.

mod convert;
mod scenario;
mod tools;

use std::sync::mpsc;
use std::time::Duration;

use larmor_host::commands::ensemble::{prepare, Prepared};
use larmor_host::commands::run::{trajectory, Row};
use larmor_host::commands::sweep as host_sweep;
use larmor_host::commands::sweep::Vary;
use larmor_host::commands::Precision;
use larmor_host::error::HostError;
use larmor_host::exec::campaign::TrialResult;
use larmor_host::exec::interrupt;
use larmor_host::exec::stats::Summary;
use larmor_host::exec::trials::run_trials;
use numpy::{PyArray1, PyArrayMethods};
use pyo3::exceptions::{PyKeyboardInterrupt, PyNotImplementedError, PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::scenario::{Kind, Scenario};

pyo3::create_exception!(
    larmor,
    Interrupted,
    PyKeyboardInterrupt,
    "Ctrl-C stopped a run cleanly; `partial` holds the results so far (as the command line \
     keeps them)."
);
pyo3::create_exception!(
    larmor,
    RunFailed,
    PyRuntimeError,
    "The integration failed (a non-finite state, a step-size underflow); `partial` holds the \
     trajectory up to that point."
);

/// A host error as the Python exception of its kind: bad input `ValueError`, an interrupt
/// `Interrupted`, anything else `RuntimeError`.
pub(crate) fn py_err(e: HostError) -> PyErr {
    let message = dict_message(e.message);
    match e.code {
        2 => PyValueError::new_err(message),
        130 => Interrupted::new_err(message),
        _ => PyRuntimeError::new_err(message),
    }
}

/// [`py_err`] with the command line's option names in the message replaced by the Python
/// arguments that set them (`names`: `(option, argument)` pairs, longer options first where one
/// is a prefix of another).
pub(crate) fn py_err_named(mut e: HostError, names: &[(&str, &str)]) -> PyErr {
    for (opt, arg) in names {
        e.message = e.message.replace(opt, arg);
    }
    py_err(e)
}

/// A stop of a long call by a pending signal: Ctrl-C as `Interrupted` with `message`, any
/// other signal's exception as it is; either carries the results so far in `partial`.
fn stopped(py: Python<'_>, signal: PyErr, message: String, partial: Bound<'_, PyDict>) -> PyErr {
    let e = if signal.is_instance_of::<PyKeyboardInterrupt>(py) {
        Interrupted::new_err(message)
    } else {
        signal
    };
    with_partial(py, e, partial)
}

/// A message about a scenario given as a dict: `<dict>:LINE: ...` names a line of the TOML
/// text made from it, which the caller never saw; the key the message names is what counts.
fn dict_message(m: String) -> String {
    let Some(rest) = m.strip_prefix("<dict>:") else {
        return m;
    };
    let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
    match rest[digits..].strip_prefix(':') {
        Some(tail) if digits > 0 => format!("scenario dict:{tail}"),
        _ => format!("scenario dict: {}", rest.trim_start()),
    }
}

/// `precision = "f64" | "f32"` (the values of `--precision`).
fn precision(s: &str) -> PyResult<Precision> {
    <Precision as clap::ValueEnum>::from_str(s, false).map_err(|_| {
        PyValueError::new_err(format!(
            "precision = {s:?} is not allowed: allowed \"f64\" or \"f32\""
        ))
    })
}

/// `lanes = 8 | 1`.
fn one_by_one(lanes: u32) -> PyResult<bool> {
    match lanes {
        1 => Ok(true),
        8 => Ok(false),
        _ => Err(PyValueError::new_err(format!(
            "lanes = {lanes} is not allowed: allowed 1 (one by one) or 8 (side by side)"
        ))),
    }
}

/// The worker pool of `threads` (None: all cores).
fn pool(threads: Option<usize>) -> PyResult<rayon::ThreadPool> {
    larmor_host::exec::pool::pool(threads).map_err(|e| py_err_named(e, &[("--threads", "threads")]))
}

/// A progress bar on stderr when asked for (and stderr is a terminal), else none.
fn progress(show: bool, len: u64, what: &str) -> indicatif::ProgressBar {
    if show {
        larmor_host::exec::pool::progress(len, what)
    } else {
        indicatif::ProgressBar::hidden()
    }
}

/// Runs `work` on a worker thread with the GIL released, the calling thread watching Python's
/// signals meanwhile: a pending signal (Ctrl-C) asks the host to stop cleanly and is returned
/// beside the work's result, which then holds what was done so far.
fn detached<T: Send>(
    py: Python<'_>,
    work: impl FnOnce() -> T + Send,
) -> PyResult<(T, Option<PyErr>)> {
    interrupt::reset();
    let out = py.detach(|| {
        std::thread::scope(|s| {
            let (tx, rx) = mpsc::channel::<()>();
            let h = s.spawn(move || {
                let r = work();
                let _ = tx.send(());
                r
            });
            let mut signal = None;
            loop {
                match rx.recv_timeout(Duration::from_millis(50)) {
                    Err(mpsc::RecvTimeoutError::Timeout) if signal.is_none() => {
                        if let Err(e) = Python::attach(|py| py.check_signals()) {
                            signal = Some(e);
                            interrupt::request();
                        }
                    }
                    Err(mpsc::RecvTimeoutError::Timeout) => {}
                    _ => break,
                }
            }
            (h.join(), signal)
        })
    });
    interrupt::reset();
    match out {
        (Ok(r), signal) => Ok((r, signal)),
        (Err(_), _) => Err(PyRuntimeError::new_err(
            "larmor: internal error (a worker thread panicked); please report it",
        )),
    }
}

/// An exception with a `partial` attribute.
fn with_partial(py: Python<'_>, err: PyErr, partial: Bound<'_, PyDict>) -> PyErr {
    let _ = err.value(py).setattr("partial", partial);
    err
}

/// A trajectory's rows, gathered for NumPy.
#[derive(Default)]
struct Rows {
    t: Vec<f64>,
    m: Vec<f64>,
    energy: Vec<f64>,
    terms: Vec<Vec<f64>>,
    field: Vec<f64>,
}

impl Rows {
    fn push(&mut self, r: &Row<'_>) {
        self.t.push(r.t);
        self.m.extend_from_slice(&r.m);
        self.energy.push(r.energy);
        if self.terms.len() < r.terms.len() {
            self.terms.resize(r.terms.len(), Vec::new());
        }
        for (col, e) in self.terms.iter_mut().zip(r.terms) {
            col.push(*e);
        }
        self.field.extend_from_slice(&r.field);
    }
}

/// One deterministic trajectory (`larmor run`); see `larmor.run`.
#[pyfunction]
#[pyo3(signature = (scenario, *, precision = "f64", seed = 0, every = 1))]
fn run<'py>(
    py: Python<'py>,
    scenario: &Bound<'py, PyAny>,
    precision: &str,
    seed: u64,
    every: u64,
) -> PyResult<Bound<'py, PyDict>> {
    let sc = Scenario::of(scenario)?;
    let p = self::precision(precision)?;
    // `every` is checked by `trajectory`
    match sc.kind() {
        Kind::Macrospin => {}
        k => {
            return Err(PyNotImplementedError::new_err(format!(
                "larmor.run: {} scenarios are not in the Python package yet; `larmor run` on \
                 the command line runs them (larmor.ensemble takes them)",
                k.name()
            )))
        }
    }
    let plan = sc.macrospin().map_err(py_err)?;
    let mut names = Vec::new();
    let mut rows = Rows::default();
    let (out, signal) = detached(py, || {
        trajectory(
            &plan,
            p,
            seed,
            every,
            |n| {
                names = n.to_vec();
                Ok(())
            },
            |r| {
                rows.push(r);
                Ok(())
            },
        )
    })?;
    let out = out.map_err(py_err)?;
    let d = PyDict::new(py);
    let n = rows.t.len();
    d.set_item("t", PyArray1::from_vec(py, rows.t))?;
    d.set_item("m", PyArray1::from_vec(py, rows.m).reshape([n, 3])?)?;
    d.set_item("energy", PyArray1::from_vec(py, rows.energy))?;
    let energies = PyDict::new(py);
    rows.terms.resize(names.len(), Vec::new());
    for (name, col) in names.iter().zip(rows.terms) {
        energies.set_item(name, PyArray1::from_vec(py, col))?;
    }
    d.set_item("energies", energies)?;
    d.set_item("field", PyArray1::from_vec(py, rows.field).reshape([n, 3])?)?;
    d.set_item("terms", names)?;
    d.set_item("steps", out.steps)?;
    d.set_item("rejected", out.rejected)?;
    d.set_item("t_end", out.t_end_s)?;
    let events = PyDict::new(py);
    for (name, t) in &out.events {
        events.set_item(name, *t)?;
    }
    d.set_item("events", events)?;
    d.set_item("interrupted", out.interrupted)?;
    d.set_item("failure", out.failure.clone())?;
    if let Some(f) = out.failure {
        let e = RunFailed::new_err(format!(
            "{f} (the trajectory up to that point is in .partial)"
        ));
        return Err(with_partial(py, e, d));
    }
    if let Some(sig) = signal {
        let m = "interrupted (the trajectory so far is in .partial)".to_string();
        return Err(stopped(py, sig, m, d));
    }
    Ok(d)
}

/// Trials as NumPy columns.
fn trial_columns<'py>(py: Python<'py>, rows: &[TrialResult]) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    let n = rows.len();
    d.set_item(
        "trial",
        PyArray1::from_vec(py, rows.iter().map(|r| r.trial).collect()),
    )?;
    d.set_item(
        "switched",
        PyArray1::from_vec(py, rows.iter().map(|r| r.switched).collect()),
    )?;
    d.set_item(
        "t_switch",
        PyArray1::from_vec(
            py,
            rows.iter()
                .map(|r| r.t_switch.unwrap_or(f64::NAN))
                .collect(),
        ),
    )?;
    let m: Vec<f64> = rows.iter().flat_map(|r| r.m).collect();
    d.set_item("m", PyArray1::from_vec(py, m).reshape([n, 3])?)?;
    Ok(d)
}

/// A summary as a dict (the JSON of `--summary`; `None` for absent times).
fn summary_dict<'py>(py: Python<'py>, s: &Summary) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    d.set_item("trials", s.trials)?;
    d.set_item("switched", s.switched)?;
    d.set_item("p_switch", s.p_switch)?;
    d.set_item("p_low", s.p_low)?;
    d.set_item("p_high", s.p_high)?;
    d.set_item("mean_t_switch", s.mean_t_switch)?;
    d.set_item("median_t_switch", s.median_t_switch)?;
    Ok(d)
}

/// The summary `larmor ensemble --summary` writes: from the rows as its CSV rounds them (so
/// that a merge of shards gives the same numbers).
fn cli_summary(rows: &[TrialResult]) -> Summary {
    let rounded: Vec<TrialResult> = rows
        .iter()
        .map(|r| TrialResult::parse(&r.csv_row()).unwrap_or(*r))
        .collect();
    Summary::of(&rounded)
}

/// Stochastic trials (`larmor ensemble`); see `larmor.ensemble`.
#[pyfunction]
#[pyo3(signature = (scenario, trials, *, seed = 0, precision = "f64", threads = None, lanes = 8, progress = false))]
#[allow(clippy::too_many_arguments)]
fn ensemble<'py>(
    py: Python<'py>,
    scenario: &Bound<'py, PyAny>,
    trials: u64,
    seed: u64,
    precision: &str,
    threads: Option<usize>,
    lanes: u32,
    progress: bool,
) -> PyResult<Bound<'py, PyDict>> {
    let sc = Scenario::of(scenario)?;
    let p = self::precision(precision)?;
    let one_by_one = self::one_by_one(lanes)?;
    if trials == 0 {
        return Err(PyValueError::new_err(
            "trials = 0 is out of range: allowed >= 1",
        ));
    }
    let (camp, _src): (Prepared, _) =
        prepare(sc.name(), sc.text(), p, one_by_one).map_err(py_err)?;
    let pool = pool(threads)?;
    let pb = self::progress(progress, trials, "trials");
    let mut rows: Vec<TrialResult> = Vec::new();
    let (done, signal) = detached(py, || {
        run_trials(&camp, seed, 0, 0..trials, &pool, &pb, |r| {
            rows.extend_from_slice(r);
            Ok(())
        })
    })?;
    pb.finish_and_clear();
    let complete = done.map_err(py_err)?;
    let d = trial_columns(py, &rows)?;
    d.set_item("summary", summary_dict(py, &cli_summary(&rows))?)?;
    d.set_item("interrupted", !complete)?;
    if let Some(sig) = signal {
        let m = format!(
            "interrupted: {} of {trials} trials done (in .partial)",
            rows.len()
        );
        return Err(stopped(py, sig, m, d));
    }
    Ok(d)
}

/// Switching probability and write-error rate against a parameter (`larmor sweep`); see
/// `larmor.sweep`.
#[pyfunction]
#[pyo3(signature = (scenario, vary, values, trials, *, seed = 0, threads = None, lanes = 8, progress = false))]
#[allow(clippy::too_many_arguments)]
fn sweep<'py>(
    py: Python<'py>,
    scenario: &Bound<'py, PyAny>,
    vary: &str,
    values: Vec<f64>,
    trials: u64,
    seed: u64,
    threads: Option<usize>,
    lanes: u32,
    progress: bool,
) -> PyResult<Bound<'py, PyDict>> {
    let sc = Scenario::of(scenario)?;
    let Ok(v) = <Vary as clap::ValueEnum>::from_str(vary, false) else {
        return Err(PyValueError::new_err(format!(
            "vary = {vary:?} is not allowed: allowed \"current\", \"voltage\", \"width\" or \
             \"temperature\""
        )));
    };
    if values.is_empty() {
        return Err(PyValueError::new_err(
            "values is empty: give at least one value (larmor.grid makes the CLI's grids)",
        ));
    }
    if sc.kind() != Kind::Macrospin {
        return Err(PyValueError::new_err(format!(
            "{}: a sweep takes a macrospin scenario, not a {} one",
            sc.name(),
            sc.kind().name()
        )));
    }
    let plan = sc.macrospin().map_err(py_err)?;
    let camps = host_sweep::campaigns(&plan, v, &values, trials, one_by_one(lanes)?)
        .map_err(|e| py_err_named(e, &[("--trials", "trials")]))?;
    let pool = pool(threads)?;
    let pb = self::progress(progress, values.len() as u64 * trials, "trials");
    let mut summaries: Vec<Summary> = Vec::new();
    let (done, signal) = detached(py, || -> larmor_host::error::Result<()> {
        for (p, camp) in camps.iter().enumerate() {
            match host_sweep::point(camp, p, seed, trials, &pool, &pb)? {
                Some(s) => summaries.push(s),
                None => break,
            }
        }
        Ok(())
    })?;
    pb.finish_and_clear();
    done.map_err(py_err)?;
    let d = PyDict::new(py);
    let k = summaries.len();
    let col = |f: &dyn Fn(&Summary) -> f64| summaries.iter().map(f).collect::<Vec<f64>>();
    d.set_item("value", PyArray1::from_vec(py, values[..k].to_vec()))?;
    d.set_item(
        "trials",
        PyArray1::from_vec(py, summaries.iter().map(|s| s.trials).collect()),
    )?;
    d.set_item(
        "switched",
        PyArray1::from_vec(py, summaries.iter().map(|s| s.switched).collect()),
    )?;
    d.set_item("p_switch", PyArray1::from_vec(py, col(&|s| s.p_switch)))?;
    d.set_item("p_low", PyArray1::from_vec(py, col(&|s| s.p_low)))?;
    d.set_item("p_high", PyArray1::from_vec(py, col(&|s| s.p_high)))?;
    d.set_item("wer", PyArray1::from_vec(py, col(&|s| 1.0 - s.p_switch)))?;
    let nan = |x: Option<f64>| x.unwrap_or(f64::NAN);
    d.set_item(
        "mean_t_switch",
        PyArray1::from_vec(py, col(&|s| nan(s.mean_t_switch))),
    )?;
    d.set_item(
        "median_t_switch",
        PyArray1::from_vec(py, col(&|s| nan(s.median_t_switch))),
    )?;
    d.set_item("interrupted", k < values.len())?;
    if let Some(sig) = signal {
        let m = format!(
            "interrupted: {k} of {} points done (in .partial)",
            values.len()
        );
        return Err(stopped(py, sig, m, d));
    }
    Ok(d)
}

/// The grid of `larmor sweep --from A --to B --points N [--log]`, bit for bit.
#[pyfunction]
#[pyo3(signature = (start, stop, points, *, log = false))]
fn grid<'py>(
    py: Python<'py>,
    start: f64,
    stop: f64,
    points: usize,
    log: bool,
) -> PyResult<Bound<'py, PyArray1<f64>>> {
    let names = [
        ("--points", "points"),
        ("--from", "start"),
        ("--to", "stop"),
        ("--log", "log"),
    ];
    let v =
        host_sweep::grid_values(start, stop, points, log).map_err(|e| py_err_named(e, &names))?;
    Ok(PyArray1::from_vec(py, v))
}

#[pymodule]
fn _larmor(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add_class::<Scenario>()?;
    m.add_function(wrap_pyfunction!(run, m)?)?;
    m.add_function(wrap_pyfunction!(ensemble, m)?)?;
    m.add_function(wrap_pyfunction!(sweep, m)?)?;
    m.add_function(wrap_pyfunction!(grid, m)?)?;
    tools::register(m)?;
    m.add("Interrupted", py.get_type::<Interrupted>())?;
    m.add("RunFailed", py.get_type::<RunFailed>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
