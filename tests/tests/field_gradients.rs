//! Every field term against a central finite-difference gradient of its own energy:
//! `h = -de/dm`, component by component, at random points (including off the unit sphere, where
//! the energy expressions are still the ones the code uses).

use larmor::drive::DriveSpec;
use larmor::field::{Cubic, Demag, FieldTerm, Uniaxial, Zeeman};
use larmor::units::Units;
use larmor::Vec3;
use larmor_tests::fd_gradient;
use larmor_tests::strategies::unit_vec;
use proptest::prelude::*;

fn check<F: FieldTerm<f64>>(name: &str, term: &F, t: f64, m: Vec3<f64>) -> f64 {
    let mut h = [Vec3::ZERO];
    term.add_field(t, &[m], &mut h);
    let g = fd_gradient(term, t, m, 1e-6);
    let err = (h[0] + g).max_abs();
    let scale = 1.0 + h[0].max_abs();
    assert!(
        err < 1e-8 * scale,
        "{name}: field {:?} vs -grad {:?}",
        h[0],
        -g
    );
    err
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn uniaxial_field_is_minus_gradient(m in unit_vec(), axis in unit_vec(), k1 in -2.0..2.0f64, k2 in -1.0..1.0f64) {
        check("uniaxial", &Uniaxial::new(k1, k2, axis), 0.0, m);
    }

    #[test]
    fn cubic_field_is_minus_gradient(m in unit_vec(), a in unit_vec(), b in unit_vec(), k1 in -2.0..2.0f64, k2 in -1.0..1.0f64) {
        // orthonormalise b against a
        let b2 = (b - a.scale(a.dot(b))).normalized();
        prop_assume!(b2.norm() > 0.5);
        check("cubic", &Cubic::new(k1, k2, a, b2), 0.0, m);
    }

    #[test]
    fn demag_field_is_minus_gradient(m in unit_vec(), nx in 0.0..1.0f64, f in 0.0..1.0f64) {
        let ny = (1.0 - nx) * f;
        check("demag", &Demag::new(Vec3::new(nx, ny, 1.0 - nx - ny)), 0.0, m);
    }

    #[test]
    fn zeeman_field_is_minus_gradient(m in unit_vec(), h in unit_vec(), t in 0.0..100.0f64) {
        let u = Units::new(1.0 / larmor::units::MU0, 1.0).unwrap();
        let drive = DriveSpec::Sine { amplitude: 0.5, frequency: 0.1, phase: 0.3, start: 1.0, offset: 0.0 };
        let z = Zeeman::constant(h).with_drive(Vec3::new(0.1, 0.2, 0.3), drive.compile(&u)).unwrap();
        check("zeeman", &z, t, m);
    }

    #[test]
    fn composed_terms_are_minus_gradient(m in unit_vec(), axis in unit_vec(), h in unit_vec()) {
        let terms = (
            Zeeman::constant(h.scale(0.3)),
            Some(Uniaxial::new(0.7, 0.2, axis)),
            None::<Cubic<f64>>,
            Some(Demag::new(Vec3::new(0.1, 0.1, 0.8))),
        );
        check("composed", &terms, 0.0, m);
    }
}

#[test]
fn energies_of_named_terms_add_up() {
    let terms = (
        Zeeman::constant(Vec3::new(0.0, 0.0, 0.5)),
        Uniaxial::new(0.7, 0.0, Vec3::Z),
        Demag::new(Vec3::new(0.0, 0.0, 1.0)),
    );
    let m = [Vec3::new(0.6, 0.0, 0.8)];
    let mut names = Vec::new();
    let mut sum = 0.0f64;
    terms.visit_energies(0.0, &m, &mut |n, e| {
        names.push(n);
        sum += e;
    });
    assert_eq!(names, ["zeeman", "uniaxial", "demag"]);
    assert!((sum - terms.energy(0.0, &m)).abs() < 1e-15);
    // by hand: -0.4 + 0.7 * 0.36 + 0.5 * 0.64
    assert!((sum - (-0.4 + 0.7 * 0.36 + 0.32)).abs() < 1e-15);
}
