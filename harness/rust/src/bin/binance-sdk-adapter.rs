//! binance-sdk-adapter: the binance-conform adapter for crate `binance-sdk`
//! (Spot). `binance-conform --adapter harness/rust/target/harness/binance-sdk-adapter`.
fn main() {
    binance_conform_rust::proto::proto_serve(binance_conform_rust::adapter::SdkAdapter::default());
}
