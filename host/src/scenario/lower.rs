//! Scenario stage, lowering: the parsed file becomes the kernel's validated parameters and the
//! host's run plan (solver, events, switching), every check located at its key's line.

use larmor::drive::DriveSpec;
use larmor::geometry::disc_area;
use larmor::integrate::Direction;
use larmor::mtj::MtjSpec;
use larmor::params::{
    CubicSpec, CurrentSpec, FieldDrive, InertiaSpec, MacrospinSpec, Shape, SotSpec, SttSpec,
    ThermalSpec, UniaxialSpec, Validated,
};
use larmor::units::GAMMA_E;

use crate::error::Result;
use crate::output::csv::num;
use crate::scenario::locate::Source;
use crate::scenario::plan::{Event, RunPlan, Solver, Switching};
use crate::scenario::schema::{
    Component, DirectionToml, Method, ScenarioFile, ShapeToml, SolverToml,
};

impl ScenarioFile {
    /// Builds and validates the kernel parameters and the run plan.
    pub fn lower(&self, src: &Source<'_>) -> Result<(Validated, RunPlan)> {
        let m = &self.magnet;
        let shape = match m.shape {
            ShapeToml::Volume(v) => Shape::Volume(v),
            ShapeToml::Disc {
                diameter,
                thickness,
            } => Shape::Disc {
                diameter,
                thickness,
            },
            ShapeToml::Cylinder { diameter, length } => Shape::Disc {
                diameter,
                thickness: length,
            },
            ShapeToml::Ellipsoid { a, b, c } => Shape::Ellipsoid { a, b, c },
            ShapeToml::Prism { x, y, z } => Shape::Prism { x, y, z },
        };
        let mut spec = MacrospinSpec::new(m.ms, m.alpha, shape);
        spec.gamma = m.gamma.unwrap_or(GAMMA_E);
        spec.demag = m.demag;
        spec.m0 = m.m0;
        spec.uniaxial = self.anisotropy.uniaxial.as_ref().map(|u| UniaxialSpec {
            ku: u.ku,
            k2: u.k2,
            axis: u.axis,
        });
        spec.cubic = self.anisotropy.cubic.as_ref().map(|c| CubicSpec {
            k1: c.k1,
            k2: c.k2,
            axis1: c.axis1,
            axis2: c.axis2,
        });
        spec.applied = self.field.applied;
        for (i, d) in self.field.drive.iter().enumerate() {
            let n = (d.axis[0] * d.axis[0] + d.axis[1] * d.axis[1] + d.axis[2] * d.axis[2]).sqrt();
            if !(n.is_finite() && n > 0.0) {
                return Err(src.at_key(
                    "field.drive.axis",
                    format!("field.drive[{i}].axis must be a finite, non-zero vector"),
                ));
            }
            let fd = FieldDrive {
                amplitude: d.axis.map(|c| c / n),
                waveform: d.waveform.to_spec("field.drive")?,
            };
            spec.drives.push(fd).map_err(|_| {
                src.at_key("field.drive", "field.drive: at most 4 drives are allowed")
            })?;
        }
        if let Some(th) = &self.thermal {
            spec.thermal = Some(ThermalSpec {
                temperature: th.temperature.to_spec("thermal.temperature")?,
            });
        }
        if let Some(stt) = &self.stt {
            let current = match (&stt.current_density, &stt.voltage, &stt.mtj) {
                (Some(j), None, _) => CurrentSpec::Density(j.to_spec("stt.current_density")?),
                (None, Some(v), Some(mtj)) => {
                    let area = match (mtj.area, &m.shape) {
                        (Some(a), _) => a,
                        (None, ShapeToml::Disc { diameter, .. }) => disc_area(*diameter),
                        _ => {
                            return Err(src.at_key("stt.mtj", "stt.mtj.area is required unless the shape is a disc"))
                        }
                    };
                    CurrentSpec::Voltage {
                        volts: v.to_spec("stt.voltage")?,
                        mtj: MtjSpec { r_p: mtj.r_p, tmr0: mtj.tmr0, v_half: mtj.v_half, area },
                    }
                }
                (None, Some(_), None) => {
                    return Err(src.at_key("stt.voltage", "stt.voltage needs an [stt.mtj] table (r_p, tmr0, v_half)"))
                }
                _ => {
                    return Err(src.at_key(
                        "stt",
                        "[stt] needs exactly one of current_density (A/m^2) or voltage (V, with [stt.mtj])",
                    ))
                }
            };
            spec.stt = Some(SttSpec {
                polarizer: stt.polarizer,
                polarization: stt.polarization,
                lambda: stt.lambda,
                field_like: stt.field_like,
                current,
                thickness: stt.thickness,
            });
        }
        if let Some(sot) = &self.sot {
            spec.sot = Some(SotSpec {
                spin_polarization: sot.sigma,
                spin_hall_angle: sot.spin_hall_angle,
                field_like: sot.field_like,
                current_density: sot.current_density.to_spec("sot.current_density")?,
                thickness: sot.thickness,
            });
        }
        spec.inertia = self.inertia.as_ref().map(|i| InertiaSpec { tau: i.tau });
        let valid = spec.validate().map_err(|e| src.kernel_error(&e))?;
        self.check_solver(src)?;
        self.check_times(src, valid.spec())?;
        Ok((valid, self.plan()))
    }

    /// The run plan of a checked file.
    fn plan(&self) -> RunPlan {
        let s = &self.solver;
        RunPlan {
            solver: Solver {
                method: self.method(),
                dt: s.dt,
                duration: s.duration,
                atol: s.atol.unwrap_or(Solver::DEFAULT_TOL),
                rtol: s.rtol.unwrap_or(Solver::DEFAULT_TOL),
                max_steps: Solver::max_steps_for(self.method(), s.max_steps),
            },
            events: self
                .events
                .iter()
                .enumerate()
                .map(|(i, e)| Event {
                    name: e.name.clone().unwrap_or_else(|| format!("event{i}")),
                    component: match e.component {
                        Component::X => 0,
                        Component::Y => 1,
                        Component::Z => 2,
                    },
                    threshold: e.threshold,
                    direction: match e.direction {
                        DirectionToml::Rising => Direction::Rising,
                        DirectionToml::Falling => Direction::Falling,
                        DirectionToml::Either => Direction::Either,
                    },
                })
                .collect(),
            switching: self
                .switching
                .as_ref()
                .map(|sw| Switching::new(self.magnet.m0, sw.read_time)),
        }
    }

    /// The integration method: the one given, else Heun with a temperature, else RK4.
    fn method(&self) -> Method {
        self.solver.method.unwrap_or(if self.thermal.is_some() {
            Method::Heun
        } else {
            Method::Rk4
        })
    }

    /// Checks that every drive starts inside the run and the read time is inside it.
    fn check_times(&self, src: &Source<'_>, spec: &MacrospinSpec) -> Result<()> {
        let dur = self.solver.duration;
        let mut drives: Vec<(&str, &DriveSpec)> = Vec::new();
        if let Some(stt) = &spec.stt {
            match &stt.current {
                CurrentSpec::Density(d) => drives.push(("stt.current_density", d)),
                CurrentSpec::Voltage { volts, .. } => drives.push(("stt.voltage", volts)),
            }
        }
        if let Some(sot) = &spec.sot {
            drives.push(("sot.current_density", &sot.current_density));
        }
        if let Some(th) = &spec.thermal {
            drives.push(("thermal.temperature", &th.temperature));
        }
        for d in &spec.drives {
            drives.push(("field.drive", &d.waveform));
        }
        for (key, d) in drives {
            let start = d.start_time();
            if !matches!(d, DriveSpec::Constant(_)) && start >= dur {
                return Err(src.at_key(
                    key,
                    format!(
                        "{key} starts at {start:e} s, outside the run: allowed start < solver.duration ({dur:e} s)"
                    ),
                ));
            }
        }
        if let Some(sw) = &self.switching {
            if let Some(init) = sw.initial {
                check_same_direction(src, self.magnet.m0, init)?;
            }
            if !(sw.read_time.is_finite() && sw.read_time > 0.0 && sw.read_time <= dur) {
                return Err(src.at_key(
                    "switching.read_time",
                    format!(
                        "switching.read_time = {} is out of range: allowed (0, solver.duration = {dur:e} s]",
                        sw.read_time
                    ),
                ));
            }
        }
        Ok(())
    }

    fn check_solver(&self, src: &Source<'_>) -> Result<()> {
        let s = &self.solver;
        let method = self.method();
        let thermal = ThermalRun {
            on: self.thermal.is_some(),
            what: "a thermal run",
            default: "[thermal]",
        };
        check_method_and_dt(src, method, s.dt, thermal, Quote::PLAIN)?;
        if let Some(i) = &self.inertia {
            if method == Method::Midpoint {
                return Err(src.at_key(
                    "solver.method",
                    "solver.method = \"midpoint\" rotates unit vectors and cannot integrate the inertial state (m, dm/dt): allowed \"rk4\", \"heun\", \"dopri45\" or \"dop853\" with [inertia]",
                ));
            }
            // the nutation turns at about 1/(alpha tau): resolve it with at least 4 steps per radian
            let limit = self.magnet.alpha * i.tau / 4.0;
            if !method.adaptive() && s.dt > limit {
                return Err(src.at_key(
                    "solver.dt",
                    format!(
                        "solver.dt = {:e} s does not resolve the nutation (angular frequency about 1/(alpha tau) = {:e} rad/s): allowed <= alpha tau / 4 = {limit:e} s",
                        s.dt,
                        1.0 / (self.magnet.alpha * i.tau)
                    ),
                ));
            }
        }
        check_duration(src, method, s.dt, s.duration, Quote::PLAIN)?;
        for (key, v) in [("solver.atol", s.atol), ("solver.rtol", s.rtol)] {
            if let Some(v) = v {
                if !(v.is_finite() && v > 0.0) {
                    return Err(
                        src.at_key(key, format!("{key} = {v:e} is out of range: allowed > 0"))
                    );
                }
                if !method.adaptive() {
                    return Err(src.at_key(
                        key,
                        format!("{key} applies only to method = \"dopri45\" or \"dop853\""),
                    ));
                }
            }
        }
        if let Some(n) = s.max_steps {
            if !(1..=Solver::MAX_MAX_STEPS).contains(&n) {
                return Err(src.at_key(
                    "solver.max_steps",
                    format!("solver.max_steps = {n} is out of range: allowed 1 to 1e12"),
                ));
            }
            if !method.adaptive() {
                return Err(src.at_key(
                    "solver.max_steps",
                    "solver.max_steps applies only to method = \"dopri45\" or \"dop853\" (fixed steps take solver.duration / solver.dt)",
                ));
            }
        }
        for (i, e) in self.events.iter().enumerate() {
            if !(e.threshold.is_finite() && (-1.0..=1.0).contains(&e.threshold)) {
                return Err(src.at_key(
                    "events.threshold",
                    format!(
                        "events[{i}].threshold = {} is out of range: allowed [-1, 1]",
                        e.threshold
                    ),
                ));
            }
        }
        Ok(())
    }
}

/// Whether a run is thermal (its method must then hold noise over a step), and how the message
/// names such a run and the key that makes heun the default.
#[derive(Clone, Copy)]
pub(crate) struct ThermalRun<'a> {
    /// The run has a temperature.
    pub on: bool,
    /// The run, as the message names it (`a thermal run`).
    pub what: &'a str,
    /// What makes heun the default (`[thermal]`).
    pub default: &'a str,
}

/// How a `[solver]` message writes the values it quotes: the step, and the duration and
/// tolerances.
#[derive(Clone, Copy)]
pub(crate) struct Quote {
    dt: fn(f64) -> String,
    rest: fn(f64) -> String,
}

impl Quote {
    /// The step as Rust prints it, the rest in scientific notation (macrospin, lattice).
    pub const PLAIN: Self = Self {
        dt: |x| format!("{x}"),
        rest: |x| format!("{x:e}"),
    };
    /// Every value in [`num`] format (stack).
    pub const NUM: Self = Self { dt: num, rest: num };
}

/// The method against the temperature, and the step: the first checks of every `[solver]`.
pub(crate) fn check_method_and_dt(
    src: &Source<'_>,
    method: Method,
    dt: f64,
    thermal: ThermalRun<'_>,
    quote: Quote,
) -> Result<()> {
    if thermal.on && matches!(method, Method::Rk4 | Method::Dopri45 | Method::Dop853) {
        return Err(src.at_key(
            "solver.method",
            format!(
                "solver.method = \"{}\" cannot integrate {} (noise must be held over a step, Stratonovich): allowed \"heun\" (default with {}) or \"midpoint\"",
                method.name(),
                thermal.what,
                thermal.default
            ),
        ));
    }
    if !(dt.is_finite() && dt > 0.0) {
        return Err(src.at_key(
            "solver.dt",
            format!(
                "solver.dt = {} is out of range: allowed > 0 s",
                (quote.dt)(dt)
            ),
        ));
    }
    Ok(())
}

/// The run length of every `[solver]`: at least one step, and at most 1e10 fixed steps.
pub(crate) fn check_duration(
    src: &Source<'_>,
    method: Method,
    dt: f64,
    duration: f64,
    quote: Quote,
) -> Result<()> {
    if !(duration.is_finite() && duration >= dt) {
        return Err(src.at_key(
            "solver.duration",
            format!(
                "solver.duration = {} is out of range: allowed >= solver.dt ({} s)",
                (quote.rest)(duration),
                (quote.rest)(dt)
            ),
        ));
    }
    let steps = duration / dt;
    if !method.adaptive() && steps > 1e10 {
        return Err(src.at_key(
            "solver.duration",
            format!("solver.duration / solver.dt = {steps:e} steps: allowed <= 1e10"),
        ));
    }
    Ok(())
}

/// The `[solver]` of a lattice or stack run: the method (default heun when thermal, else rk4),
/// step and duration checked as for a macrospin, the adaptive settings each in one message.
pub(crate) fn lower_solver(
    src: &Source<'_>,
    s: &SolverToml,
    thermal: ThermalRun<'_>,
    quote: Quote,
) -> Result<Solver> {
    let method = s.method.unwrap_or(if thermal.on {
        Method::Heun
    } else {
        Method::Rk4
    });
    check_method_and_dt(src, method, s.dt, thermal, quote)?;
    check_duration(src, method, s.dt, s.duration, quote)?;
    for (key, v) in [("solver.atol", s.atol), ("solver.rtol", s.rtol)] {
        if let Some(v) = v {
            if !(v.is_finite() && v > 0.0 && method.adaptive()) {
                return Err(src.at_key(
                    key,
                    format!(
                        "{key} = {}: allowed > 0, and only with method = \"dopri45\" or \"dop853\"",
                        (quote.rest)(v)
                    ),
                ));
            }
        }
    }
    if let Some(n) = s.max_steps {
        if !(1..=Solver::MAX_MAX_STEPS).contains(&n) || !method.adaptive() {
            return Err(src.at_key(
                "solver.max_steps",
                format!(
                    "solver.max_steps = {n}: allowed 1 to 1e12, and only with method = \"dopri45\" or \"dop853\""
                ),
            ));
        }
    }
    Ok(Solver {
        method,
        dt: s.dt,
        duration: s.duration,
        atol: s.atol.unwrap_or(Solver::DEFAULT_TOL),
        rtol: s.rtol.unwrap_or(Solver::DEFAULT_TOL),
        max_steps: Solver::max_steps_for(method, s.max_steps),
    })
}

/// `[switching] initial` (the old key) must give the direction `[magnet] m0` (the canonical key)
/// gives: a scenario never starts differently under `run` and under `ensemble`.
fn check_same_direction(src: &Source<'_>, m0: [f64; 3], init: [f64; 3]) -> Result<()> {
    let unit = |v: [f64; 3]| {
        let n = (v.iter().map(|c| c * c).sum::<f64>()).sqrt();
        (n.is_finite() && n > 0.0).then(|| v.map(|c| c / n))
    };
    let show = |v: [f64; 3]| format!("[{}, {}, {}]", num(v[0]), num(v[1]), num(v[2]));
    let Some(b) = unit(init) else {
        return Err(src.at_key(
            "switching.initial",
            "switching.initial must be a finite, non-zero vector",
        ));
    };
    let same = unit(m0).is_some_and(|a| a.iter().zip(&b).all(|(x, y)| (x - y).abs() <= 1e-9));
    if same {
        return Ok(());
    }
    Err(src.at_key(
        "switching.initial",
        format!(
            "switching.initial = {} contradicts magnet.m0 = {}: both give the initial direction; \
             give it once, as magnet.m0 (switching.initial is accepted only when it is the same \
             direction)",
            show(init),
            show(m0)
        ),
    ))
}
