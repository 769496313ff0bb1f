//! binance-sdk-flow: the end-to-end flow of crate `binance-sdk` (Spot)
//! against a binance-mock it starts (see flow.rs for the options).
fn main() {
    std::process::exit(binance_conform_rust::flow::flow_main());
}
