//! The host side of host-versus-firmware parity: every self-test scenario of
//! `larmor-scenarios` run on the host, and the writers of the generated files
//! `firmware/scenarios/src/golden.rs` and `reduced.rs` (`cargo run -p larmor-tests --bin
//! regenerate -- golden|reduced`). The checks themselves are in `tests/tests/parity.rs`.

use std::collections::BTreeMap;
use std::path::PathBuf;

use larmor::random::Gaussian;
use larmor::{Real, Vec3};
use larmor_scenarios::{
    run_method, run_method_thermal, selftest_steps, standard_model, Method, Reduced,
    StandardReduced, Q26,
};

/// (method name, scalar name, steps) -> bits of the final m (as f64).
pub type Results = BTreeMap<(String, String, u32), [u64; 3]>;

pub fn bits<S: Real>(m: Vec3<S>) -> [u64; 3] {
    m.to_f64().map(f64::to_bits)
}

pub fn float_results<S: Real + Gaussian>(out: &mut Results) {
    let (mut model, dt) = standard_model::<S>().unwrap();
    for method in Method::ALL {
        let steps = selftest_steps(method);
        let m = run_method_thermal(&mut model, dt, method, steps).unwrap();
        out.insert((method.name().into(), S::NAME.into(), steps), bits(m));
    }
}

pub fn fixed_results(out: &mut Results) {
    let (mut model, dt) = standard_model::<Q26>().unwrap();
    for method in Method::ALL {
        if method == Method::HeunThermal {
            continue;
        }
        let steps = selftest_steps(method);
        let m = run_method(&mut model, dt, method, steps).unwrap();
        out.insert((method.name().into(), Q26::NAME.into(), steps), bits(m));
    }
}

/// Every self-test scenario on the host, in every scalar.
pub fn host_results() -> &'static Results {
    static CELL: std::sync::OnceLock<Results> = std::sync::OnceLock::new();
    CELL.get_or_init(|| {
        let mut out = Results::new();
        float_results::<f32>(&mut out);
        float_results::<f64>(&mut out);
        fixed_results(&mut out);
        out
    })
}

pub fn method_by_name(name: &str) -> Method {
    Method::ALL
        .into_iter()
        .find(|m| m.name() == name)
        .unwrap_or_else(|| panic!("unknown method {name}"))
}

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// A scalar literal as Rust source for `firmware/scenarios/src/reduced.rs` (exact bits).
pub trait Literal: StandardReduced {
    /// Rust source that rebuilds exactly this value.
    fn literal(self) -> String;
}
impl Literal for f32 {
    fn literal(self) -> String {
        format!("f32::from_bits(0x{:08x})", self.to_bits())
    }
}
impl Literal for f64 {
    fn literal(self) -> String {
        format!("f64::from_bits(0x{:016x})", self.to_bits())
    }
}
impl Literal for Q26 {
    fn literal(self) -> String {
        format!("Q26::from_bits({})", self.to_bits())
    }
}

/// The standard model's reduced constants as the host compiles them now.
pub fn compiled_reduced<S: Real>() -> Reduced<S> {
    let (model, dt) = standard_model::<S>().unwrap();
    Reduced::of(&model, dt).expect("the standard model specialises")
}

/// Every constant of a [`Reduced`] as exact f64 bits, in field order.
pub fn reduced_bits<S: Real>(r: &Reduced<S>) -> Vec<u64> {
    let mut v = vec![r.alpha];
    for x in [r.h0, r.demag] {
        v.extend([x.x, x.y, x.z]);
    }
    v.push(r.k1);
    for x in [r.axis, r.m0] {
        v.extend([x.x, x.y, x.z]);
    }
    v.push(r.dt);
    v.into_iter().map(|x| x.to_f64().to_bits()).collect()
}

pub fn reduced_source_of<S: Literal>(name: &str, ty: &str) -> String {
    let r = compiled_reduced::<S>();
    let v = |x: Vec3<S>| {
        format!(
            "Vec3::new({}, {}, {})",
            x.x.literal(),
            x.y.literal(),
            x.z.literal()
        )
    };
    format!(
        "/// The standard macrospin in reduced units, {scalar}.\n\
         pub const {name}: Reduced<{ty}> = Reduced {{\n\
         alpha: {},\nh0: {},\ndemag: {},\nk1: {},\naxis: {},\nm0: {},\ndt: {},\n}};\n",
        r.alpha.literal(),
        v(r.h0),
        v(r.demag),
        r.k1.literal(),
        v(r.axis),
        v(r.m0),
        r.dt.literal(),
        scalar = S::NAME,
    )
}

/// Writes `firmware/scenarios/src/golden.rs` from a fresh host run (after a deliberate change
/// of the physics).
pub fn write_golden() {
    let mut s = String::from(
        "//! Golden results of the scenarios, generated on the host by\n\
         //! `cargo run -p larmor-tests --bin regenerate -- golden`\n\
         //! (the parity test fails if these differ from a fresh host run by a single bit).\n\
         //! Deterministic methods: f64 (the reference every scalar is checked against);\n\
         //! thermal runs: every float scalar (checked bit for bit in the same scalar).\n\n\
         use crate::Method;\n\n\
         /// (method, scalar name, steps, final m as f64 (exact for every scalar)).\n\
         pub const GOLDEN: &[(Method, &str, u32, [f64; 3])] = &[\n",
    );
    for ((method, scalar, steps), b) in host_results() {
        let method = method_by_name(method);
        if scalar != "f64" && method != Method::HeunThermal {
            continue;
        }
        let v = b.map(f64::from_bits);
        s += &format!(
            "    (\n        Method::{method:?},\n        \"{scalar}\",\n        {steps},\n        [{:?}, {:?}, {:?}],\n    ),\n",
            v[0], v[1], v[2]
        );
    }
    s += "];\n";
    write_source("firmware/scenarios/src/golden.rs", &s);
}

/// Writes generated Rust source to `rel` (below the repository root) in rustfmt's layout, so
/// `cargo fmt --check` stays clean (best effort: rustfmt may be absent).
fn write_source(rel: &str, source: &str) {
    let path = root().join(rel);
    std::fs::write(&path, source).unwrap();
    let _ = std::process::Command::new("rustfmt")
        .args(["--edition", "2021"])
        .arg(&path)
        .status();
    eprintln!("wrote {}", path.display());
}

/// Writes `firmware/scenarios/src/reduced.rs` from a fresh compile of the standard spec.
pub fn write_reduced() {
    let mut s = String::from(
        "//! The standard macrospin (`standard_spec`) in reduced units, as exact bit patterns of\n\
         //! each scalar: what `MacrospinSpec::compile::<S>()` and `standard_model` produce, so a\n\
         //! firmware builds the model without soft-float f64 set-up code. Generated on the host by\n\
         //! `cargo run -p larmor-tests --bin regenerate -- reduced`; the parity\n\
         //! test fails if they differ from a fresh compile by a single bit.\n\n\
         use crate::{Reduced, Q26};\nuse larmor::Vec3;\n\n",
    );
    s += &reduced_source_of::<f32>("F32", "f32");
    s += "\n";
    s += &reduced_source_of::<f64>("F64", "f64");
    s += "\n";
    s += &reduced_source_of::<Q26>("I6F26", "Q26");
    write_source("firmware/scenarios/src/reduced.rs", &s);
}
