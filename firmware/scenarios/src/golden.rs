//! Golden results of the scenarios, generated on the host by
//! `cargo run -p larmor-tests --bin regenerate -- golden`
//! (the parity test fails if these differ from a fresh host run by a single bit).
//! Deterministic methods: f64 (the reference every scalar is checked against);
//! thermal runs: every float scalar (checked bit for bit in the same scalar).

use crate::Method;

/// (method, scalar name, steps, final m as f64 (exact for every scalar)).
pub const GOLDEN: &[(Method, &str, u32, [f64; 3])] = &[
    (
        Method::Dopri,
        "f64",
        2000,
        [
            0.08519348980521653,
            -8.53025897025134e-5,
            0.9963644222965192,
        ],
    ),
    (
        Method::Heun,
        "f64",
        20000,
        [0.0665157913619094, -0.07360408289707036, 0.995066876385894],
    ),
    (
        Method::HeunThermal,
        "f32",
        20000,
        [
            -0.04318169876933098,
            0.02426023781299591,
            0.9987726211547852,
        ],
    ),
    (
        Method::HeunThermal,
        "f64",
        20000,
        [
            0.024358798938148542,
            -0.08697929671578818,
            0.9959122706629925,
        ],
    ),
    (
        Method::Inertial,
        "f64",
        20000,
        [0.19723594243390613, -0.03408173293511011, 0.979763450273763],
    ),
    (
        Method::Midpoint,
        "f64",
        20000,
        [
            0.06646482353814633,
            -0.07359220502246427,
            0.9950711605668875,
        ],
    ),
    (
        Method::Rk4,
        "f64",
        100000,
        [
            0.0852030572986482,
            -1.5810383935741265e-5,
            0.996363607714069,
        ],
    ),
];
