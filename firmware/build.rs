//! Board selection: exactly one board feature; its `boards/<board>/memory.x` is copied to
//! OUT_DIR (on the linker search path, where cortex-m-rt's `link.x` INCLUDEs it), and the
//! binaries get an absolute symbol `_larmor_board_<board>` that `runner.sh` reads to decide
//! between QEMU and probe-rs.

use std::{env, fs, path::PathBuf, process};

/// (cargo feature, rustc target, CPU) for every board.
const BOARDS: &[(&str, &str, &str)] = &[
    ("qemu-m4", "thumbv7em-none-eabihf", "Cortex-M4F"),
    ("qemu-m0", "thumbv6m-none-eabi", "Cortex-M0"),
    ("nrf52840dk", "thumbv7em-none-eabihf", "Cortex-M4F"),
    ("nucleo-f401re", "thumbv7em-none-eabihf", "Cortex-M4F"),
    ("rp2040", "thumbv6m-none-eabi", "Cortex-M0+"),
];

fn fail(msg: &str) -> ! {
    eprintln!("\nerror: {msg}\n");
    process::exit(1);
}

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let target = env::var("TARGET").unwrap_or_default();
    let enabled = |feature: &str| {
        let var = format!("CARGO_FEATURE_{}", feature.to_uppercase().replace('-', "_"));
        env::var_os(var).is_some()
    };
    let selected: Vec<_> = BOARDS.iter().filter(|(f, _, _)| enabled(f)).collect();
    let names: Vec<_> = BOARDS
        .iter()
        .map(|(f, t, _)| format!("{f} ({t})"))
        .collect();
    let (board, want_target, _cpu) = match selected.as_slice() {
        [one] => **one,
        [] => fail(&format!(
            "larmor-firmware needs exactly one board feature, e.g. \
             `--target thumbv7em-none-eabihf --features qemu-m4`; boards: {}",
            names.join(", ")
        )),
        many => fail(&format!(
            "larmor-firmware: more than one board feature enabled: {}",
            many.iter().map(|b| b.0).collect::<Vec<_>>().join(", ")
        )),
    };
    if target != want_target {
        fail(&format!(
            "board `{board}` is built for `--target {want_target}`, not `{target}`"
        ));
    }

    let src = PathBuf::from(format!("boards/{board}/memory.x"));
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    fs::copy(&src, out.join("memory.x"))
        .unwrap_or_else(|e| fail(&format!("cannot copy {}: {e}", src.display())));
    println!("cargo:rerun-if-changed={}", src.display());
    println!("cargo:rustc-link-search={}", out.display());
    println!(
        "cargo:rustc-link-arg-bins=--defsym=_larmor_board_{}=0",
        board.replace('-', "_")
    );
}
