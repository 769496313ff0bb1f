//! binance-conform-rust: the binance-conform adapter (harness/PROTOCOL.md)
//! and the end-to-end flow for Binance's official Rust SDK, crate
//! `binance-sdk` (feature `spot`). proto.rs owns the stdin/stdout protocol
//! loop, rest.rs and ws.rs the SDK calls, adapter.rs the op dispatch, flow.rs
//! and mock.rs the end-to-end flow against a binance-mock it starts.
pub mod adapter;
pub mod flow;
pub mod mock;
pub mod proto;
pub mod rest;
pub mod ws;
