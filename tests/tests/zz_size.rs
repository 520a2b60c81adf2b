#[test]
fn sizes() {
    use larmor::params::Macrospin;
    println!(
        "Drive<f32> {}",
        std::mem::size_of::<larmor::drive::Drive<f32>>()
    );
    println!(
        "Drive<f64> {}",
        std::mem::size_of::<larmor::drive::Drive<f64>>()
    );
    println!("Macrospin<f32> {}", std::mem::size_of::<Macrospin<f32>>());
    println!("Macrospin<f64> {}", std::mem::size_of::<Macrospin<f64>>());
    println!(
        "Zeeman<f32> {}",
        std::mem::size_of::<larmor::field::Zeeman<f32>>()
    );
    println!(
        "Spec {}",
        std::mem::size_of::<larmor::params::MacrospinSpec>()
    );
}
