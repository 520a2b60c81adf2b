//! Output stage: the trace CSV of `larmor run` (one row per written step: time, m, energies
//! per term, applied field).

use std::fmt::Write as _;

/// The header: `t,mx,my,mz,energy`, one `e_NAME` per field term, then `bx,by,bz`.
pub fn header(term_names: &[&str]) -> String {
    let mut header = String::from("t,mx,my,mz,energy");
    for n in term_names {
        header.push_str(&format!(",e_{n}"));
    }
    header.push_str(",bx,by,bz\n");
    header
}

/// Writes one row into `line` (cleared first): time (s), m, total energy (J), the energies per
/// term (J) and the applied field (T).
pub fn row(line: &mut String, t_s: f64, m: [f64; 3], total: f64, terms: &[f64], b: [f64; 3]) {
    line.clear();
    let _ = write!(
        line,
        "{:.9e},{:.12},{:.12},{:.12},{:.9e}",
        t_s, m[0], m[1], m[2], total
    );
    for e in terms {
        let _ = write!(line, ",{e:.9e}");
    }
    let _ = writeln!(line, ",{:.9e},{:.9e},{:.9e}", b[0], b[1], b[2]);
}
