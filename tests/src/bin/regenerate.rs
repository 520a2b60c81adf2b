//! Rewrites the generated files of the firmware scenarios from a fresh host run:
//! `cargo run -p larmor-tests --bin regenerate -- golden` after a deliberate change of the
//! physics (`firmware/scenarios/src/golden.rs`), `... -- reduced` after a change of the
//! standard spec (`firmware/scenarios/src/reduced.rs`). The parity test then checks them.

fn main() {
    let what: Vec<String> = std::env::args().skip(1).collect();
    if what.is_empty() || what.iter().any(|w| w != "golden" && w != "reduced") {
        eprintln!("usage: regenerate golden|reduced [golden|reduced]");
        std::process::exit(2);
    }
    for w in &what {
        match w.as_str() {
            "golden" => larmor_tests::parity::write_golden(),
            _ => larmor_tests::parity::write_reduced(),
        }
    }
}
