//! Execution stage: one atomistic lattice trajectory (`larmor run` of a `[lattice]` scenario).
//! The kernel's model, `Llg` over `Atomistic` (on-site anisotropy and field, exchange, DMI),
//! integrated by the stepper of the plan's solver (`exec::solver`), stochastic with Brown's
//! field drawn once per step (`Integrator::thermal`) when the temperature is above zero. The
//! state has one of two capacities (1024 or 8192 sites) and runs on its own thread with a
//! stack large enough for the stepper's scratch.

use std::io::Write;
use std::path::Path;

use larmor::drive::Drive;
use larmor::field::FieldTerm;
use larmor::integrate::{Control, Integrator, RunStats};
use larmor::lattice::{Atomistic, Dmi, Exchange, OnSite, Site};
use larmor::llg::Llg;
use larmor::random::{uniform_f64, Philox};
use larmor::stepper::Stepper;
use larmor::thermal::Thermal;
use larmor::units::KB;
use larmor::Vec3;

use crate::error::{HostError, Result};
use crate::exec::campaign::TrialResult;
use crate::exec::mc::AnyLattice;
use crate::exec::solver::{run_error, with_stepper, StepGuard, StepperTask, TracedRun};
use crate::output::AtomicFile;
use crate::scenario::lattice::{Initial, LatticePlan};

/// What a lattice run produced.
#[derive(Debug)]
pub struct LatticeOutcome {
    /// Accepted steps.
    pub steps: u64,
    /// Time reached (s).
    pub t_end_s: f64,
    /// Final average magnetisation.
    pub m: [f64; 3],
    /// Final energy (J).
    pub energy: f64,
    /// Rows written.
    pub rows: u64,
    /// Stopped by Ctrl-C.
    pub interrupted: bool,
    /// `(t ns, mx, my, mz, |m|)` of every row, for the plot.
    pub samples: Vec<[f64; 5]>,
    /// A failure after which the trace up to then is kept.
    pub failure: Option<String>,
    /// The CSV header.
    pub header: String,
}

/// Runs `plan` with thermal seed `seed`, writing every `every`-th step (and the last) to `out`.
///
/// # Errors
/// A lattice the kernel refuses (named by key), an I/O failure.
pub fn run(plan: &LatticePlan, seed: u64, every: u64, out: &Path) -> Result<LatticeOutcome> {
    let lat = AnyLattice::build(plan.spec, plan.sites)
        .map_err(|e| HostError::input(format!("{}: lattice.size: {}", plan.file, e.message)))?;
    std::thread::scope(|s| {
        std::thread::Builder::new()
            .stack_size(512 << 20)
            .spawn_scoped(s, || {
                if plan.sites <= 1024 {
                    run_n::<1024>(plan, &lat, seed, every, out)
                } else {
                    run_n::<8192>(plan, &lat, seed, every, out)
                }
            })
            .map_err(|e| HostError::runtime(format!("lattice run thread: {e}")))?
            .join()
            .map_err(|_| HostError::runtime("the lattice run failed"))?
    })
}

/// The initial state of `plan` on `lat`.
fn initial<const N: usize>(
    plan: &LatticePlan,
    lat: &AnyLattice,
    seed: u64,
) -> heapless::Vec<Vec3<f64>, N> {
    // the initial state's own stream, apart from the noise's (seed, 0)
    let mut rng = Philox::new(seed, 1 << 63);
    (0..plan.sites)
        .map(|i| match plan.initial {
            Initial::Uniform(d) => Vec3::from_f64(d),
            Initial::Random => {
                let z = 2.0 * uniform_f64(&mut rng) - 1.0;
                let phi = std::f64::consts::TAU * uniform_f64(&mut rng);
                let s = (1.0 - z * z).max(0.0).sqrt();
                Vec3::new(s * phi.cos(), s * phi.sin(), z)
            }
            Initial::Spiral { k, axis, cone } => {
                let r = lat.position(i).unwrap_or([0.0; 3]);
                let a = Vec3::from_f64(axis);
                let t = if axis[0].abs() < 0.9 {
                    Vec3::X
                } else {
                    Vec3::Y
                };
                let e1 = (t - a.scale(t.dot(a))).normalized();
                let e2 = a.cross(e1);
                let p = k[0] * r[0] + k[1] * r[1] + k[2] * r[2];
                (a.scale(cone.cos()) + (e1.scale(p.cos()) + e2.scale(p.sin())).scale(cone.sin()))
                    .normalized()
            }
        })
        .collect()
}

/// The run with a state of capacity `N`.
fn run_n<const N: usize>(
    plan: &LatticePlan,
    lat: &AnyLattice,
    seed: u64,
    every: u64,
    out: &Path,
) -> Result<LatticeOutcome> {
    let llg = model::<N>(plan, lat)?;
    let u = plan.units;
    let task = Task {
        plan,
        llg,
        state: initial::<N>(plan, lat, seed),
        seed,
        every,
        out,
        dt: u.time_to_reduced(plan.solver.dt),
        t_end: u.time_to_reduced(plan.solver.duration),
    };
    let (dt, t_end) = (task.dt, task.t_end);
    with_stepper(&plan.solver, dt, t_end, task)?
}

/// The kernel's model of `plan` on `lat` for a state of capacity `N`: LLG over the atomistic
/// terms (on-site anisotropy and field with `mu = 1`, exchange, DMI).
fn model<'a, const N: usize>(
    plan: &LatticePlan,
    lat: &'a AnyLattice,
) -> Result<Llg<f64, Terms<'a, N>>> {
    let file = plan.file.as_str();
    let key =
        |k: &'static str| move |e: larmor::Error| HostError::input(format!("{file}: {k}: {e}"));
    let nb = lat.neighbours();
    let ex = Exchange::<f64>::new(nb, &plan.j).map_err(key("lattice.j"))?;
    let dmi = match &plan.dmi {
        None => None,
        Some((d, Some(n))) => Some(Dmi::<f64>::interfacial(nb, d, *n).map_err(key("lattice.dmi"))?),
        Some((d, None)) => Some(Dmi::<f64>::bulk(nb, d).map_err(key("lattice.dmi"))?),
    };
    let site = Site {
        mu: 1.0,
        k: plan.anisotropy.0,
        axis: plan.anisotropy.1,
        b: plan.field,
    };
    let onsite = OnSite::<f64, N>::uniform(plan.sites, &site).map_err(key("lattice"))?;
    Ok(Llg::new(plan.alpha, Atomistic::new(onsite, (ex, dmi))))
}

/// The field terms of a lattice model.
type Terms<'a, const N: usize> = Atomistic<f64, (Exchange<'a, f64>, Option<Dmi<'a, f64>>), N>;

/// Brown's field of spins of moment `mu_ref = mu_s` at the plan's temperature: in atomistic
/// units the variance per component is `2 alpha (kB T / J_ref) / dtau` (Brown 1963; Evans et
/// al., J. Phys.: Condens. Matter 26, 103202 (2014)).
fn thermal<const N: usize>(plan: &LatticePlan) -> Thermal<f64, N> {
    Thermal::<f64, N>::new(
        plan.alpha * KB / plan.units.j_ref,
        Drive::constant(plan.temperature),
    )
}

/// Integrates `state` from reduced time 0 to `t_end` with step `dt` (the first, for dopri45):
/// stochastic LLG drawing from `rng` when the plan has a temperature, else deterministic.
#[allow(clippy::too_many_arguments)]
fn integrate<F: FieldTerm<f64>, St: Stepper<f64, N>, const N: usize>(
    plan: &LatticePlan,
    llg: Llg<f64, F>,
    stepper: St,
    dt: f64,
    rng: Philox,
    state: &mut heapless::Vec<Vec3<f64>, N>,
    t_end: f64,
    obs: &mut impl FnMut(u64, f64, &[Vec3<f64>]) -> Control,
) -> std::result::Result<RunStats, larmor::Error> {
    let init = state.clone();
    if plan.temperature > 0.0 {
        Integrator::thermal(llg, stepper, init, dt, thermal::<N>(plan), rng)
            .and_then(|r| r.run_span(state, (0.0, t_end), &mut [], obs))
    } else {
        Integrator::new(llg, stepper, init, dt)
            .and_then(|r| r.run_span(state, (0.0, t_end), &mut [], obs))
    }
}

/// The run, waiting for its stepper.
struct Task<'a, F, const N: usize> {
    plan: &'a LatticePlan,
    llg: Llg<f64, F>,
    state: heapless::Vec<Vec3<f64>, N>,
    seed: u64,
    every: u64,
    out: &'a Path,
    dt: f64,
    t_end: f64,
}

impl<F: FieldTerm<f64> + Clone, const N: usize> StepperTask<f64, N> for Task<'_, F, N> {
    type Output = Result<LatticeOutcome>;

    fn run<St: Stepper<f64, N>>(self, stepper: St) -> Result<LatticeOutcome> {
        let Task {
            plan,
            llg,
            mut state,
            seed,
            every,
            out,
            dt,
            t_end,
        } = self;
        let u = plan.units;
        let terms = llg.terms.clone();
        let mut names = Vec::new();
        terms.visit_energies(0.0, &state, &mut |n, _| names.push(n));
        let mut header = String::from("t,mx,my,mz,m,energy");
        for n in &names {
            header.push_str(&format!(",e_{n}"));
        }
        if plan.probe.is_some() {
            header.push_str(",px,py,pz");
        }
        let mut file = AtomicFile::create(out)?;
        let io = |e: std::io::Error| HostError::runtime(format!("writing {}: {e}", out.display()));
        writeln!(file.writer(), "{header}").map_err(io)?;
        let n = state.len() as f64;
        let mut rows = 0u64;
        let mut samples = Vec::new();
        let mut line = String::with_capacity(256);
        let mut write_row =
            |t: f64, m: &[Vec3<f64>], file: &mut AtomicFile| -> std::io::Result<()> {
                use std::fmt::Write as _;
                let mut avg = [0.0; 3];
                for v in m {
                    avg[0] += v.x;
                    avg[1] += v.y;
                    avg[2] += v.z;
                }
                // + 0.0: no -0 in the file
                let avg = avg.map(|x| x / n + 0.0);
                let norm = (avg[0] * avg[0] + avg[1] * avg[1] + avg[2] * avg[2]).sqrt();
                let mut e = Vec::with_capacity(names.len());
                terms.visit_energies(0.0, m, &mut |_, x| e.push(u.energy_to_joules(x)));
                let total: f64 = e.iter().sum();
                line.clear();
                let t_s = u.time_to_si(t);
                let _ = write!(
                    line,
                    "{t_s:.9e},{:.12},{:.12},{:.12},{norm:.12},{total:.9e}",
                    avg[0], avg[1], avg[2]
                );
                for x in &e {
                    let _ = write!(line, ",{x:.9e}");
                }
                if let Some(p) = plan.probe.and_then(|p| m.get(p)) {
                    let _ = write!(
                        line,
                        ",{:.12},{:.12},{:.12}",
                        p.x + 0.0,
                        p.y + 0.0,
                        p.z + 0.0
                    );
                }
                line.push('\n');
                file.writer().write_all(line.as_bytes())?;
                samples.push([t_s * 1e9, avg[0], avg[1], avg[2], norm]);
                rows += 1;
                Ok(())
            };
        let mut traced = TracedRun::new(&plan.solver, t_end, every);
        let mut last = (0u64, 0.0f64);
        let result: std::result::Result<RunStats, larmor::Error> = {
            let mut obs = |k: u64, t: f64, m: &[Vec3<f64>]| {
                last = (k, t);
                traced.step(k, t, || write_row(t, m, &mut file).map_err(io))
            };
            integrate(
                plan,
                llg,
                stepper,
                dt,
                Philox::new(seed, 0),
                &mut state,
                t_end,
                &mut obs,
            )
        };
        let to_si = |t: f64| u.time_to_si(t);
        let (stats, failure) = traced.finish(&plan.solver, last.0, result, to_si, || {
            write_row(last.1, &state, &mut file).map_err(io)
        })?;
        file.finish()?;
        let m = samples
            .last()
            .map(|s| [s[1], s[2], s[3]])
            .unwrap_or([0.0; 3]);
        Ok(LatticeOutcome {
            steps: last.0,
            t_end_s: u.time_to_si(last.1),
            m,
            energy: u.energy_to_joules(terms.energy(0.0, &state)),
            rows,
            interrupted: stats.is_some_and(|s| s.stopped) && crate::exec::interrupt::requested(),
            samples,
            failure,
            header,
        })
    }
}

/// A switching campaign of a lattice (`larmor ensemble` of a `[lattice]` scenario with
/// `[switching]`): every trial starts from the uniform state `m0` and integrates stochastic
/// atomistic LLG with its own stream `(seed, k)` to the read time; it switched if the
/// average magnetisation's component along the largest component of `m0` changed sign, at the
/// first such crossing (linearly interpolated between steps).
pub struct LatticeCampaign {
    plan: LatticePlan,
    lat: AnyLattice,
    component: usize,
    sign: f64,
    t_read: f64,
}

impl LatticeCampaign {
    /// The campaign of `plan` read at `read_time` (s).
    ///
    /// # Errors
    /// A lattice the kernel refuses; an initial state that is not uniform.
    pub fn new(plan: &LatticePlan, read_time: f64) -> Result<Self> {
        let Initial::Uniform(m0) = plan.initial else {
            return Err(HostError::input(format!(
                "{}: lattice.initial: an ensemble starts every trial from the uniform state lattice.m0 (initial = \"uniform\")",
                plan.file
            )));
        };
        let lat = AnyLattice::build(plan.spec, plan.sites)
            .map_err(|e| HostError::input(format!("{}: lattice.size: {}", plan.file, e.message)))?;
        let component = (0..3)
            .max_by(|&a, &b| m0[a].abs().total_cmp(&m0[b].abs()))
            .unwrap_or(2);
        Ok(Self {
            plan: plan.clone(),
            lat,
            component,
            sign: m0[component].signum(),
            t_read: plan.units.time_to_reduced(read_time),
        })
    }

    fn trial_n<const N: usize>(&self, seed: u64, stream: u64, trial: u64) -> Result<TrialResult> {
        let plan = &self.plan;
        let llg = model::<N>(plan, &self.lat)?;
        let dt = plan.units.time_to_reduced(plan.solver.dt);
        let task = TrialTask::<'_, _, N> {
            camp: self,
            llg,
            state: initial::<N>(plan, &self.lat, seed),
            seed,
            stream,
            trial,
            dt,
        };
        with_stepper(&plan.solver, dt, self.t_read, task)?
    }
}

impl crate::exec::trials::Trials for LatticeCampaign {
    fn trial(&self, seed: u64, stream: u64, trial: u64) -> Result<TrialResult> {
        if self.plan.sites <= 1024 {
            self.trial_n::<1024>(seed, stream, trial)
        } else {
            self.trial_n::<8192>(seed, stream, trial)
        }
    }
}

/// One lattice trial, waiting for its stepper.
struct TrialTask<'a, F, const N: usize> {
    camp: &'a LatticeCampaign,
    llg: Llg<f64, F>,
    state: heapless::Vec<Vec3<f64>, N>,
    seed: u64,
    stream: u64,
    trial: u64,
    dt: f64,
}

impl<F: FieldTerm<f64> + Clone, const N: usize> StepperTask<f64, N> for TrialTask<'_, F, N> {
    type Output = Result<TrialResult>;

    fn run<St: Stepper<f64, N>>(self, stepper: St) -> Result<TrialResult> {
        let TrialTask {
            camp,
            llg,
            mut state,
            seed,
            stream,
            trial,
            dt,
        } = self;
        let plan = &camp.plan;
        let (c, sign, t_read) = (camp.component, camp.sign, camp.t_read);
        let n = state.len() as f64;
        let along = |m: &[Vec3<f64>]| m.iter().map(|v| v.to_f64()[c]).sum::<f64>() / n * sign;
        let mut prev = (0.0, along(&state));
        let mut t_switch: Option<f64> = None;
        let mut guard = StepGuard::new(&plan.solver, t_read);
        let mut obs = |k: u64, t: f64, m: &[Vec3<f64>]| {
            let a = along(m);
            if t_switch.is_none() && a <= 0.0 && prev.1 > 0.0 {
                t_switch = Some(prev.0 + (t - prev.0) * prev.1 / (prev.1 - a));
            }
            prev = (t, a);
            guard.check(k, t)
        };
        let r = integrate(
            plan,
            llg,
            stepper,
            dt,
            Philox::new(seed, stream),
            &mut state,
            t_read,
            &mut obs,
        );
        let u = plan.units;
        let to_si = |t: f64| u.time_to_si(t);
        let fail = |e: String| HostError::runtime(format!("trial {trial}: {e}"));
        r.map_err(|e| fail(run_error(&plan.solver, &e, to_si)))?;
        if let Some(e) = guard.error(&plan.solver, to_si) {
            return Err(fail(e));
        }
        let mut avg = [0.0; 3];
        for v in state.iter() {
            let v = v.to_f64();
            for k in 0..3 {
                avg[k] += v[k] / n;
            }
        }
        Ok(TrialResult {
            trial,
            switched: along(&state) < 0.0,
            t_switch: t_switch.map(to_si),
            m: avg.map(|x| x + 0.0),
        })
    }
}

/// What a timed lattice run (`larmor bench`) reached: the run of `larmor run` without its
/// output.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BenchOutcome {
    /// Accepted steps.
    pub steps: u64,
    /// Spins.
    pub sites: usize,
    /// Final average magnetisation.
    pub m: [f64; 3],
    /// Largest `| |m_i| - 1 |` over the final spins.
    pub norm_error: f64,
}

/// Runs `plan` on the built lattice `lat` with thermal seed `seed` exactly as `larmor run`
/// does (the same model, initial state, stepper dispatch and integrator on a thread of the
/// same stack), keeping no trace: the unit of `larmor bench`'s lattice case.
///
/// # Errors
/// A model the kernel refuses; a failed step.
pub fn bench(plan: &LatticePlan, lat: &AnyLattice, seed: u64) -> Result<BenchOutcome> {
    std::thread::scope(|s| {
        std::thread::Builder::new()
            .stack_size(512 << 20)
            .spawn_scoped(s, || {
                if plan.sites <= 1024 {
                    bench_n::<1024>(plan, lat, seed)
                } else {
                    bench_n::<8192>(plan, lat, seed)
                }
            })
            .map_err(|e| HostError::runtime(format!("lattice run thread: {e}")))?
            .join()
            .map_err(|_| HostError::runtime("the lattice run failed"))?
    })
}

fn bench_n<const N: usize>(
    plan: &LatticePlan,
    lat: &AnyLattice,
    seed: u64,
) -> Result<BenchOutcome> {
    let u = plan.units;
    let task = BenchTask::<'_, _, N> {
        plan,
        llg: model::<N>(plan, lat)?,
        state: initial::<N>(plan, lat, seed),
        seed,
        dt: u.time_to_reduced(plan.solver.dt),
        t_end: u.time_to_reduced(plan.solver.duration),
    };
    let (dt, t_end) = (task.dt, task.t_end);
    with_stepper(&plan.solver, dt, t_end, task)?
}

/// A timed run, waiting for its stepper.
struct BenchTask<'a, F, const N: usize> {
    plan: &'a LatticePlan,
    llg: Llg<f64, F>,
    state: heapless::Vec<Vec3<f64>, N>,
    seed: u64,
    dt: f64,
    t_end: f64,
}

impl<F: FieldTerm<f64> + Clone, const N: usize> StepperTask<f64, N> for BenchTask<'_, F, N> {
    type Output = Result<BenchOutcome>;

    fn run<St: Stepper<f64, N>>(self, stepper: St) -> Result<BenchOutcome> {
        let BenchTask {
            plan,
            llg,
            mut state,
            seed,
            dt,
            t_end,
        } = self;
        let mut guard = StepGuard::new(&plan.solver, t_end);
        let mut obs = |k: u64, t: f64, _m: &[Vec3<f64>]| guard.check(k, t);
        let rng = Philox::new(seed, 0);
        let stats = integrate(plan, llg, stepper, dt, rng, &mut state, t_end, &mut obs)
            .map_err(|e| HostError::runtime(e.to_string()))?;
        let n = state.len() as f64;
        let mut avg = [0.0; 3];
        let mut norm_error = 0.0f64;
        for v in state.iter() {
            let v = v.to_f64();
            for k in 0..3 {
                avg[k] += v[k] / n;
            }
            let r = (v[0] * v[0] + v[1] * v[1] + v[2] * v[2]).sqrt();
            norm_error = norm_error.max((r - 1.0).abs());
        }
        Ok(BenchOutcome {
            steps: stats.steps,
            sites: state.len(),
            m: avg,
            norm_error,
        })
    }
}
