//! adapter.rs: the binance-conform adapter for crate `binance-sdk` (Spot):
//! `hello` (what the SDK really does), `configure` (a fresh REST client and
//! WS side per case, the previous ones closed for good) and the dispatch of
//! every op to rest.rs or ws.rs.
//!
//! What the SDK has and has not (77.2.0):
//! * keys: HMAC (`api_secret`), RSA and Ed25519 (`private_key`, PKCS#8 PEM);
//! * no server-time sync: signed requests take the host clock, or a user
//!   `timestamp_provider` the SDK never feeds itself → timeSync UNSUPPORTED;
//! * no µs request timestamps (`time_unit` only asks for µs in responses);
//! * recvWindow only per call: a configured one is passed on every signed
//!   call (PROTOCOL.md §2.2 answer 4);
//! * WS API with session logon and automatic re-logon, user data on the WS
//!   API, market streams, reconnect after 5 s (`reconnect_delay`).

use serde_json::{Value, json};

use crate::proto::{Adapter, Answer};
use crate::rest::{self, Key};
use crate::ws::Ws;

pub const SDK: &str = "binance-sdk";
/// The crate version pinned in Cargo.lock (build.rs).
pub const SDK_VERSION: &str = env!("BC_SDK_VERSION");

#[derive(Default)]
pub struct SdkAdapter {
    rest: Option<binance_sdk::spot::rest_api::RestApi>,
    ws: Option<Ws>,
    recv_window: Option<Value>,
}

impl SdkAdapter {
    async fn configure(&mut self, p: Value) -> Answer {
        if let Some(mut ws) = self.ws.take() {
            ws.close().await;
        }
        self.rest = None;
        if p.get("timeSync").and_then(Value::as_bool) == Some(true)
            || p.get("microsecondTimestamps").and_then(Value::as_bool) == Some(true)
        {
            return Answer::Unsupported;
        }
        let key = Key::from_configure(&p);
        let timeout = p.get("timeoutMs").and_then(Value::as_u64).unwrap_or(14000);
        let base = p.get("baseUrl").and_then(Value::as_str).unwrap_or("");
        match rest::rest_client(base, &key, timeout) {
            Ok(c) => self.rest = Some(c),
            Err(e) => return Answer::Err(rest::error_of(&e)),
        }
        self.recv_window = p.get("recvWindow").filter(|v| !v.is_null()).cloned();
        self.ws = Some(Ws::new(&p, key, timeout));
        Answer::data(json!({}))
    }
}

impl Adapter for SdkAdapter {
    fn hello(&self) -> Value {
        json!({
            "protocol": 1,
            "library": SDK,
            "version": SDK_VERSION,
            "language": "Rust (crates.io binance-sdk, feature spot)",
            "keyTypes": ["hmac", "rsa", "ed25519"],
            "capabilities": ["rest", "perCallRecvWindow", "signedCall", "wsApi", "wsSession",
                             "wsUserData", "streams", "wsReconnect"],
        })
    }

    async fn handle(&mut self, op: String, p: Value) -> Answer {
        if op == "configure" {
            return self.configure(p).await;
        }
        if let Some(ws) = self.ws.as_mut() {
            if let Some(a) = ws.handle(&op, &p).await {
                return a;
            }
        }
        let Some(api) = self.rest.as_ref() else {
            return Answer::msg("not configured");
        };
        match rest::rest_call(api, &op, p, self.recv_window.as_ref()).await {
            Some(Ok(v)) => Answer::data(v),
            Some(Err(e)) => Answer::Err(rest::error_of(&e)),
            None => Answer::Unsupported,
        }
    }
}
