//! Fuzz of the scenario stage on stable Rust, without cargo-fuzz: the example scenarios
//! (`examples/*.toml` and the lattice files `examples/lattice/*.toml`, `larmor mc` scans and
//! `[lattice]` scenarios, the coupled stacks `examples/stack/*.toml`; the device configurations
//! in `examples/devices/` are not scenarios)
//! mutated at random (byte flips, deleted, duplicated and swapped lines,
//! numbers replaced by extremes, NaN strings, huge arrays, unknown keys, cut files) and run
//! through parsing, lowering, compiling (f64 and f32) and campaign set-up. Every case must end
//! in `Ok` or in a one-line error that is located (`FILE:LINE:`) or names its key; no panic.
//!
//! Deterministic: case `k` of seed `s` is always the same text. `LARMOR_FUZZ_CASES` (default
//! 20000, a few seconds), `LARMOR_FUZZ_SEED` (default 1) and `LARMOR_FUZZ_SECONDS` (stop after
//! that long) choose the run; the README gives the command of the 10-minute run.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use larmor_host::exec::campaign::Campaign;
use larmor_host::scenario::{lattice, mc, stack, Scenario};

thread_local! {
    /// Where the last caught panic happened.
    static LAST_PANIC: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
    /// Set while the scenario stage runs (its panics are collected, others printed).
    static IN_STAGE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// The file name every mutated case is reported under.
const FILE: &str = "fuzz.toml";

/// A seed with every table the examples leave out (drives, waveforms of every kind, STT through
/// an MTJ, SOT, events, a temperature ramp), so that their lowering is fuzzed too.
const EVERY_TABLE: &str = r#"[magnet]
ms = 1.0e6
alpha = 0.02
gamma = 1.76e11
shape = { ellipsoid = { a = 20e-9, b = 20e-9, c = 1e-9 } }
m0 = [0.0, 0.1, -1.0]

[anisotropy]
uniaxial = { ku = 8e5, k2 = 1e4, axis = [0, 0, 1] }
cubic = { k1 = 1e3, k2 = 0.0, axis1 = [1, 0, 0], axis2 = [0, 1, 0] }

[field]
applied = [0.01, 0.0, 0.0]

[[field.drive]]
axis = [1, 0, 0]
sine = { amplitude = 0.001, frequency = 1e9, phase = 0.5, start = 0.0, offset = 0.0 }

[[field.drive]]
axis = [0, 1, 0]
pulse = { amplitude = 0.002, start = 0.1e-9, duration = 0.5e-9, rise = 0.1e-9, fall = 0.1e-9 }

[thermal]
temperature = { ramp = { from = 300.0, to = 350.0, start = 0.0, duration = 1e-9 } }

[stt]
polarizer = [0.0, 0.0, 1.0]
polarization = 0.6
lambda = 1.2
field_like = 0.1
voltage = { piecewise = { times = [0.0, 1e-9], values = [0.0, 0.5] } }

[stt.mtj]
r_p = 1000.0
tmr0 = 1.5
v_half = 0.5
area = 1.2e-15

[sot]
sigma = [0.0, 1.0, 0.0]
spin_hall_angle = 0.3
field_like = 0.2
current_density = 1e11
thickness = 2e-9

[switching]
initial = [0.0, 0.1, -1.0]
read_time = 1e-9

[[events]]
name = "cross"
component = "z"
threshold = 0.0
direction = "either"

[solver]
method = "heun"
dt = 1e-13
duration = 2e-9
"#;

/// SplitMix64: small, deterministic, good enough to pick mutations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
}

/// Values that stress validation: zeros, signs, extremes, non-numbers, wrong types.
const EXTREMES: &[&str] = &[
    "0",
    "-0.0",
    "-1",
    "1",
    "1e308",
    "-1e308",
    "1e-308",
    "5e-324",
    "1.7976931348623157e308",
    "nan",
    "-nan",
    "inf",
    "-inf",
    "\"NaN\"",
    "\"1e3\"",
    "18446744073709551616",
    "-9223372036854775808",
    "9223372036854775807",
    "true",
    "[]",
    "{}",
    "[0, 0, 0]",
    "[1e308, 1e308, 1e308]",
    "[nan, 0, 1]",
    "[1, 2]",
    "[1, 2, 3, 4]",
    "{ pulse = { amplitude = 1e308, start = 0, duration = 1e-300 } }",
    "{ sine = { amplitude = 1, frequency = 1e300 } }",
    "{ volume = 0 }",
    "{ prism = { x = 1, y = 1e-30, z = 1e30 } }",
    "{ ellipsoid = { a = -1, b = 1, c = 1 } }",
];

/// Lines that add unknown or duplicated keys and tables.
const INSERTS: &[&str] = &[
    "bogus = 1",
    "[magnet]",
    "[solver]",
    "[switching]\nread_time = 1e-9",
    "[thermal]\ntemperature = 300",
    "[inertia]\ntau = 1e-12",
    "[stt]\npolarizer = [0, 0, 1]\npolarization = 0.5\ncurrent_density = 1e11",
    "[stt.mtj]\nr_p = 0\ntmr0 = 1\nv_half = 0.5",
    "[[events]]\ncomponent = \"z\"\nthreshold = 2",
    "[sot]\nsigma = [0, 1, 0]\nspin_hall_angle = 0.3\ncurrent_density = 1e12",
    "method = \"dopri45\"",
    "method = \"dop853\"",
    "max_steps = 1",
    "atol = 1e-300",
    "m0 = [0, 0, 1]",
    "initial = [1, 0, 0]",
    "a = \"\u{0}\"",
    "x = '''",
];

/// A huge array, built once per use (the parser must not choke on it either).
fn huge_array(rng: &mut Rng) -> String {
    let n = 1 + rng.below(20_000);
    format!("[{}]", vec!["1.0"; n].join(", "))
}

/// The byte ranges of the number tokens of `text` (digits with sign, dot and exponent).
fn numbers(text: &[u8]) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < text.len() {
        let starts = text[i].is_ascii_digit()
            && (i == 0 || !(text[i - 1].is_ascii_alphanumeric() || text[i - 1] == b'_'));
        if starts {
            let a = if i > 0 && text[i - 1] == b'-' {
                i - 1
            } else {
                i
            };
            let mut j = i;
            while j < text.len() && (text[j].is_ascii_alphanumeric() || b".+-_".contains(&text[j]))
            {
                j += 1;
            }
            out.push((a, j));
            i = j;
        } else {
            i += 1;
        }
    }
    out
}

/// One random mutation of `text`.
fn mutate(rng: &mut Rng, text: &mut Vec<u8>) {
    let lines =
        |t: &[u8]| -> Vec<Vec<u8>> { t.split(|&b| b == b'\n').map(<[u8]>::to_vec).collect() };
    match rng.below(9) {
        0 if !text.is_empty() => {
            let i = rng.below(text.len());
            text[i] = match rng.below(3) {
                0 => rng.next() as u8,
                1 => {
                    let special = b"=[]{}\",.#\n -0e'";
                    special[rng.below(special.len())]
                }
                _ => text[i] ^ (1 << rng.below(8)),
            };
        }
        1 | 2 => {
            let nums = numbers(text);
            if !nums.is_empty() {
                let (a, b) = nums[rng.below(nums.len())];
                let v = if rng.below(40) == 0 {
                    huge_array(rng)
                } else {
                    rng.pick(EXTREMES).to_string()
                };
                text.splice(a..b, v.into_bytes());
            }
        }
        3 => {
            let mut ls = lines(text);
            if !ls.is_empty() {
                ls.remove(rng.below(ls.len()));
            }
            *text = ls.join(&b'\n');
        }
        4 => {
            let mut ls = lines(text);
            let i = rng.below(ls.len());
            let l = ls[i].clone();
            ls.insert(rng.below(ls.len() + 1), l);
            *text = ls.join(&b'\n');
        }
        5 => {
            let mut ls = lines(text);
            let (i, j) = (rng.below(ls.len()), rng.below(ls.len()));
            ls.swap(i, j);
            *text = ls.join(&b'\n');
        }
        6 => {
            let mut ls = lines(text);
            let at = rng.below(ls.len() + 1);
            ls.insert(at, rng.pick(INSERTS).as_bytes().to_vec());
            *text = ls.join(&b'\n');
        }
        7 => {
            let n = text.len();
            text.truncate(rng.below(n + 1));
        }
        _ => {
            // a key's value replaced whole (tables, strings, arrays too)
            let mut ls = lines(text);
            let i = rng.below(ls.len());
            if let Some(eq) = ls[i].iter().position(|&b| b == b'=') {
                let mut l = ls[i][..=eq].to_vec();
                l.push(b' ');
                l.extend_from_slice(rng.pick(EXTREMES).as_bytes());
                ls[i] = l;
            }
            *text = ls.join(&b'\n');
        }
    }
}

/// The scenario stage on one text: parse, lower, compile for both float types, set up a
/// campaign when there is `[switching]`. `Err` holds the first error message.
fn stage(text: &str) -> Result<(), String> {
    // the lattice configurations: `larmor mc` scans and `[lattice]` scenarios
    if toml_edit::ImDocument::parse(text).is_ok_and(|d| d.contains_key("mc")) {
        return mc::from_text(FILE, text).map(|_| ()).map_err(|e| e.message);
    }
    // coupled stacks: `[[layer]]` / `[[sublattice]]` scenarios, with their campaign
    if stack::is_stack(text) {
        let plan = stack::from_text(FILE, text).map_err(|e| e.message)?;
        if plan.switching.is_some() {
            larmor_host::exec::stack::StackCampaign::new(&plan).map_err(|e| e.message)?;
        }
        return Ok(());
    }
    if lattice::is_lattice(text) {
        return lattice::from_text(FILE, text)
            .map(|_| ())
            .map_err(|e| e.message);
    }
    let sc = Scenario::from_text(FILE, text).map_err(|e| e.message)?;
    sc.compile::<f64>(&sc.spec).map_err(|e| e.message)?;
    sc.compile::<f32>(&sc.spec).map_err(|e| e.message)?;
    if sc.plan.switching.is_some() {
        if let Err(e) = Campaign::<f64>::new(&sc) {
            return Err(e.message);
        }
    }
    Ok(())
}

/// Whether an error message is acceptable: one line, bounded, located or naming a key.
fn good_message(msg: &str) -> bool {
    const TABLES: &[&str] = &[
        "magnet",
        "anisotropy",
        "field",
        "solver",
        "events",
        "thermal",
        "stt",
        "sot",
        "inertia",
        "switching",
        "mc",
        "lattice",
        "layer",
        "coupling",
        "stack",
        "sublattice",
        "antiferromagnet",
    ];
    let located = msg
        .strip_prefix(FILE)
        .and_then(|r| r.strip_prefix(':'))
        .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit()));
    let keyed = TABLES
        .iter()
        .any(|t| msg.contains(&format!("{t}.")) || msg.contains(&format!("[{t}")));
    !msg.contains('\n') && msg.len() <= 600 && msg.starts_with(FILE) && (located || keyed)
}

#[test]
fn mutated_examples_never_panic_and_errors_name_their_key() {
    let cases: u64 = std::env::var("LARMOR_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000);
    let seed: u64 = std::env::var("LARMOR_FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1);
    let seconds: Option<f64> = std::env::var("LARMOR_FUZZ_SECONDS")
        .ok()
        .and_then(|v| v.parse().ok());
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples");
    let mut seeds: Vec<(String, String)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .map(|p| {
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, std::fs::read_to_string(&p).unwrap())
        })
        .collect();
    // the lattice examples (`larmor mc` scans, `[lattice]` scenarios)
    for e in std::fs::read_dir(dir.join("lattice")).unwrap() {
        let p = e.unwrap().path();
        let name = format!("lattice/{}", p.file_name().unwrap().to_string_lossy());
        seeds.push((name, std::fs::read_to_string(&p).unwrap()));
    }
    // the coupled-stack examples
    for e in std::fs::read_dir(dir.join("stack")).unwrap() {
        let p = e.unwrap().path();
        let name = format!("stack/{}", p.file_name().unwrap().to_string_lossy());
        seeds.push((name, std::fs::read_to_string(&p).unwrap()));
    }
    seeds.sort();
    seeds.push((
        "every_table (in fuzz_scenario.rs)".into(),
        EVERY_TABLE.into(),
    ));
    assert!(seeds.len() >= 6, "examples not found in {}", dir.display());
    for (name, text) in &seeds {
        assert_eq!(stage(text), Ok(()), "example {name} must load");
    }
    // panics are collected with their location, not printed one by one
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if IN_STAGE.with(|f| f.get()) {
            let loc = info.location().map(|l| l.to_string()).unwrap_or_default();
            LAST_PANIC.with(|p| *p.borrow_mut() = loc);
        } else {
            default_hook(info);
        }
    }));
    let mut rng = Rng(seed);
    let (mut ok, mut refused) = (0u64, 0u64);
    let mut failures: Vec<String> = Vec::new();
    let t0 = std::time::Instant::now();
    for case in 0..cases {
        let (name, base) = &seeds[rng.below(seeds.len())];
        let mut bytes = base.clone().into_bytes();
        for _ in 0..1 + rng.below(3) {
            mutate(&mut rng, &mut bytes);
        }
        let text = String::from_utf8_lossy(&bytes).into_owned();
        IN_STAGE.with(|f| f.set(true));
        let result = catch_unwind(AssertUnwindSafe(|| stage(&text)));
        IN_STAGE.with(|f| f.set(false));
        match result {
            Ok(Ok(())) => ok += 1,
            Ok(Err(msg)) if good_message(&msg) => refused += 1,
            Ok(Err(msg)) => failures.push(format!(
                "case {case} (from {name}): unlocated or malformed message `{msg}` for:\n{text}"
            )),
            Err(p) => {
                let what = p
                    .downcast_ref::<String>()
                    .cloned()
                    .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                    .unwrap_or_default();
                let at = LAST_PANIC.with(|p| p.borrow().clone());
                failures.push(format!(
                    "case {case} (from {name}): PANIC `{what}` at {at} for:\n{text}"
                ));
            }
        }
        let out_of_time = seconds.is_some_and(|s| t0.elapsed().as_secs_f64() > s);
        if failures.len() >= 5 || out_of_time {
            break;
        }
    }
    let _ = std::panic::take_hook();
    eprintln!(
        "fuzz seed {seed}: {} cases in {:.1} s: {ok} accepted, {refused} refused with a located message",
        ok + refused + failures.len() as u64,
        t0.elapsed().as_secs_f64()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}
