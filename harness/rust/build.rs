//! build.rs: BC_SDK_VERSION = the binance-sdk version pinned in Cargo.lock,
//! so the adapter's `hello` reports what was really built.
fn main() {
    println!("cargo:rerun-if-changed=Cargo.lock");
    let lock = std::fs::read_to_string("Cargo.lock").unwrap_or_default();
    let mut version = "unknown".to_string();
    let mut it = lock.lines();
    while let Some(l) = it.next() {
        if l.trim() == "name = \"binance-sdk\"" {
            if let Some(v) = it.next().and_then(|v| v.trim().strip_prefix("version = \"")) {
                version = v.trim_end_matches('"').to_string();
            }
        }
    }
    println!("cargo:rustc-env=BC_SDK_VERSION={version}");
}
