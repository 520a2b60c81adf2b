//! Golden results of the scenarios, generated on the host by
//! `cargo test -p larmor-tests --test parity -- --ignored regenerate_golden`
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
            0.08519348980521652,
            -8.530258970239053e-5,
            0.9963644222965193,
        ],
    ),
    (
        Method::Heun,
        "f64",
        20000,
        [0.0665157913619098, -0.07360408289707003, 0.995066876385894],
    ),
    (
        Method::HeunThermal,
        "f32",
        20000,
        [
            -0.043181538581848145,
            0.024259066209197044,
            0.9987726807594299,
        ],
    ),
    (
        Method::HeunThermal,
        "f64",
        20000,
        [
            0.024358798938152456,
            -0.08697929671579065,
            0.9959122706629924,
        ],
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
            0.08520305729864817,
            -1.5810383935872003e-5,
            0.9963636077140691,
        ],
    ),
];
