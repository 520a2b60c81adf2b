//! Helpers shared by the command-line test files.
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::Command;

/// A fresh, empty temporary directory for one test (`prefix` names the test file).
pub fn tmpdir(prefix: &str, name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("larmor-{prefix}-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Runs the `larmor` binary: (exit code, stdout, stderr).
pub fn larmor(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_larmor"))
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A CSV: header names and rows of numbers.
pub fn csv(path: &std::path::Path) -> (Vec<String>, Vec<Vec<f64>>) {
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap().split(',').map(String::from).collect();
    let rows = lines
        .map(|l| l.split(',').map(|x| x.parse().unwrap()).collect())
        .collect();
    (header, rows)
}

/// Runs `larmor` with `args` (the subcommand and any paths, each kept whole) followed by
/// `flags`, options and values separated by white space: `larmor_with(&["ensemble", sc],
/// "--trials 4 --seed 1")`.
pub fn larmor_with(args: &[&str], flags: &str) -> (i32, String, String) {
    let mut all = args.to_vec();
    all.extend(flags.split_whitespace());
    larmor(&all)
}

/// A path as a command-line argument.
pub fn arg(p: &std::path::Path) -> &str {
    p.to_str().unwrap()
}

/// Asserts that `larmor` refused its input: exit code 2 and one `error:` line on stderr that
/// contains every needle, no panic. `what` names the case in a failure.
pub fn assert_refused(what: &str, code: i32, err: &str, needles: &[&str]) {
    assert_eq!(code, 2, "{what}: exit code {code}, stderr: {err}");
    let lines: Vec<&str> = err.trim().lines().collect();
    assert_eq!(lines.len(), 1, "{what}: expected one line, got: {err}");
    assert!(lines[0].starts_with("error: "), "{what}: {err}");
    assert!(!err.contains("panicked"), "{what}: {err}");
    for n in needles {
        assert!(err.contains(n), "{what}: `{n}` not in: {err}");
    }
}
