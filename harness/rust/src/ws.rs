//! ws.rs: the SDK's WebSocket clients behind the protocol's WS ops (§2.1):
//! the WS API (`SpotWsApi::from_config(...).connect()`: `session_logon`, the
//! generic `send_signed_message` / `send_message` for `wsCall`, `disconnect`),
//! its user data subscriptions (`user_data_stream_subscribe[_signature]` and
//! the `WebsocketStream` they return), and market streams
//! (`SpotWsStreams::from_config(...).connect_with_config(streams)`, then the
//! typed stream method for each stream name). Events are buffered per handle
//! in arrival order (an unbounded channel fed by the SDK's `on_message`
//! callback) and read back by `streamNext`.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::Duration;

use binance_sdk::config::{ConfigurationWebsocketApi, ConfigurationWebsocketStreams, PrivateKey};
use binance_sdk::models::WebsocketStreamsConnectConfig;
use binance_sdk::spot::websocket_api::{
    self as wsapi, UserDataStreamSubscribeParams, UserDataStreamSubscribeSignatureParams,
};
use binance_sdk::spot::websocket_api::UserDataStreamEventsResponse;
use binance_sdk::spot::websocket_streams as wss;
use binance_sdk::spot::{SpotWsApi, SpotWsStreams};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};
use tokio::sync::mpsc;

use crate::proto::Answer;
use crate::rest::{Key, error_of};

/// What a handle owns, so `streamClose` / the next `configure` can end it.
enum Owner {
    Market(wss::WebsocketStreams),
    User(Arc<binance_sdk::common::websocket::WebsocketStream<UserDataStreamEventsResponse>>),
}

struct Handle {
    rx: mpsc::UnboundedReceiver<Value>,
    owner: Owner,
}

/// The WS side of one configured client.
pub struct Ws {
    key: Key,
    api_url: String,
    stream_base: String,
    timeout_ms: u64,
    conn: Option<wsapi::WebsocketApi>,
    logged_on: bool,
    handles: HashMap<String, Handle>,
    next: u32,
}

/// ws://HOST:PORT/ws -> ws://HOST:PORT: the SDK appends `/stream?streams=`.
fn stream_base_of(stream_url: &str) -> String {
    stream_url.strip_suffix("/ws").unwrap_or(stream_url).trim_end_matches('/').to_string()
}

impl Ws {
    pub fn new(p: &Value, key: Key, timeout_ms: u64) -> Ws {
        let s = |k: &str| p.get(k).and_then(Value::as_str).unwrap_or("").to_string();
        Ws {
            key,
            api_url: s("wsApiUrl"),
            stream_base: stream_base_of(&s("streamUrl")),
            timeout_ms,
            conn: None,
            logged_on: false,
            handles: HashMap::new(),
            next: 0,
        }
    }

    fn api_config(&self) -> anyhow::Result<ConfigurationWebsocketApi> {
        let mut b = ConfigurationWebsocketApi::builder()
            .api_key(self.key.api_key.clone())
            .ws_url(self.api_url.clone())
            .timeout(self.timeout_ms);
        if let Some(secret) = &self.key.secret {
            b = b.api_secret(secret.clone());
        }
        if let Some(pem) = &self.key.pem {
            b = b.private_key(PrivateKey::Raw(pem.clone().into_bytes()));
        }
        Ok(b.build()?)
    }

    /// The WS API connection, opened on first use (as a user's `connect()`).
    async fn conn(&mut self) -> anyhow::Result<wsapi::WebsocketApi> {
        if self.conn.is_none() {
            let c = SpotWsApi::from_config(self.api_config()?).connect().await?;
            self.conn = Some(c);
            self.logged_on = false;
        }
        Ok(self.conn.clone().expect("connected"))
    }

    pub async fn handle(&mut self, op: &str, p: &Value) -> Option<Answer> {
        Some(match op {
            "wsLogon" => self.logon().await,
            "wsCall" => self.call(p).await,
            "wsClose" => {
                if let Some(c) = self.conn.take() {
                    let _ = c.disconnect().await;
                }
                self.logged_on = false;
                Answer::data(json!({}))
            }
            "streamSubscribe" => self.subscribe(p).await,
            "streamNext" => self.next_event(p).await,
            "streamClose" => {
                let h = p.get("handle").and_then(Value::as_str).unwrap_or("");
                if let Some(h) = self.handles.remove(h) {
                    close_owner(h.owner).await;
                }
                Answer::data(json!({}))
            }
            _ => return None,
        })
    }

    async fn logon(&mut self) -> Answer {
        let conn = match self.conn().await {
            Ok(c) => c,
            Err(e) => return Answer::Err(error_of(&e)),
        };
        match conn.session_logon(wsapi::SessionLogonParams::default()).await {
            Ok(mut v) if !v.is_empty() => {
                self.logged_on = true;
                let r = v.remove(0);
                ws_answer(r.raw, r.rate_limits)
            }
            Ok(_) => Answer::msg("session_logon: no response"),
            Err(e) => Answer::Err(error_of(&e)),
        }
    }

    /// `wsCall`: `signed` and `session` go through `send_signed_message`
    /// (the SDK adds apiKey + timestamp + signature, or only the timestamp
    /// once `session_logon` succeeded: auto_session_relogon, the default);
    /// neither through `send_message` with the params as given.
    async fn call(&mut self, p: &Value) -> Answer {
        let conn = match self.conn().await {
            Ok(c) => c,
            Err(e) => return Answer::Err(error_of(&e)),
        };
        let method = p.get("method").and_then(Value::as_str).unwrap_or("").to_string();
        let mut payload: BTreeMap<String, Value> = BTreeMap::new();
        if let Some(o) = p.get("params").and_then(Value::as_object) {
            payload.extend(o.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
        if let Some(id) = p.get("id").filter(|v| v.is_string()) {
            payload.insert("id".into(), id.clone()); // used only if 32 hex digits
        }
        let signed = p.get("signed").and_then(Value::as_bool).unwrap_or(false);
        let session = p.get("session").and_then(Value::as_bool).unwrap_or(false);
        if session && !self.logged_on {
            return Answer::msg("wsCall session: no session.logon on this connection");
        }
        let r = if signed || session {
            conn.send_signed_message::<Value>(&method, payload).await
        } else {
            conn.send_message::<Value>(&method, payload).await
        };
        match r {
            Ok(r) => ws_answer(r.raw, r.rate_limits),
            Err(e) => Answer::Err(Value::Object(crate::rest::ws_error_of(&e))),
        }
    }

    async fn subscribe(&mut self, p: &Value) -> Answer {
        let (tx, rx) = mpsc::unbounded_channel::<Value>();
        let owner = match p.get("kind").and_then(Value::as_str) {
            Some("userData") => match self.subscribe_user(tx).await {
                Ok(o) => o,
                Err(e) => return Answer::Err(error_of(&e)),
            },
            Some("market") => {
                let names: Vec<String> = p
                    .get("streams")
                    .and_then(Value::as_array)
                    .map(|a| a.iter().filter_map(Value::as_str).map(str::to_string).collect())
                    .unwrap_or_default();
                match self.subscribe_market(names, tx).await {
                    Ok(Some(o)) => o,
                    Ok(None) => return Answer::Unsupported,
                    Err(e) => return Answer::Err(error_of(&e)),
                }
            }
            _ => return Answer::Unsupported,
        };
        self.next += 1;
        let h = format!("h{}", self.next);
        self.handles.insert(h.clone(), Handle { rx, owner });
        Answer::data(json!({ "handle": h }))
    }

    /// userDataStream.subscribe on a logged-on session, else
    /// userDataStream.subscribe.signature; events are the SDK's typed
    /// `UserDataStreamEventsResponse`, turned back into Binance's event.
    async fn subscribe_user(&mut self, tx: mpsc::UnboundedSender<Value>) -> anyhow::Result<Owner> {
        let conn = self.conn().await?;
        let (_resp, stream) = if self.logged_on {
            conn.user_data_stream_subscribe(UserDataStreamSubscribeParams::default()).await?
        } else {
            conn.user_data_stream_subscribe_signature(UserDataStreamSubscribeSignatureParams::default())
                .await?
        };
        let s = stream.clone();
        tokio::task::spawn_blocking(move || {
            s.on_message(move |ev: UserDataStreamEventsResponse| {
                let _ = tx.send(user_event_json(&ev));
            })
        })
        .await?;
        Ok(Owner::User(stream))
    }

    /// One streams connection for the given names (in the URL, as the SDK's
    /// `connect_with_config` puts them), then the typed method per name.
    /// None when a name has no typed method here.
    async fn subscribe_market(
        &mut self,
        names: Vec<String>,
        tx: mpsc::UnboundedSender<Value>,
    ) -> anyhow::Result<Option<Owner>> {
        let cfg = ConfigurationWebsocketStreams::builder().ws_url(self.stream_base.clone()).build()?;
        let conn = SpotWsStreams::from_config(cfg)
            .connect_with_config(WebsocketStreamsConnectConfig { streams: names.clone(), mode: None })
            .await?;
        for name in &names {
            if !market_on(&conn, name, tx.clone()).await? {
                let _ = conn.disconnect().await;
                return Ok(None);
            }
        }
        Ok(Some(Owner::Market(conn)))
    }

    async fn next_event(&mut self, p: &Value) -> Answer {
        let h = p.get("handle").and_then(Value::as_str).unwrap_or("");
        let Some(handle) = self.handles.get_mut(h) else {
            return Answer::msg(format!("unknown handle {h}"));
        };
        let wait = p.get("timeoutMs").and_then(Value::as_u64).unwrap_or(3000);
        let want = p.get("match").and_then(Value::as_object).cloned().unwrap_or_default();
        let deadline = tokio::time::Instant::now() + Duration::from_millis(wait);
        loop {
            match tokio::time::timeout_at(deadline, handle.rx.recv()).await {
                Ok(Some(ev)) if matches(&ev, &want) => return Answer::data(ev),
                Ok(Some(_)) => continue,
                Ok(None) => return Answer::msg("stream closed"),
                Err(_) => return Answer::msg("timeout"),
            }
        }
    }

    /// Close every connection for good (the next `configure` or shutdown).
    pub async fn close(&mut self) {
        for (_, h) in self.handles.drain() {
            close_owner(h.owner).await;
        }
        if let Some(c) = self.conn.take() {
            let _ = c.disconnect().await;
        }
    }
}

async fn close_owner(owner: Owner) {
    match owner {
        Owner::Market(c) => {
            let _ = c.disconnect().await;
        }
        Owner::User(s) => s.unsubscribe().await,
    }
}

fn matches(ev: &Value, want: &Map<String, Value>) -> bool {
    want.iter().all(|(k, v)| ev.get(k) == Some(v))
}

fn ws_answer(raw: Value, rate_limits: Option<Vec<binance_sdk::models::WebsocketApiRateLimit>>) -> Answer {
    let mut extra = Map::new();
    if let Some(rl) = rate_limits {
        extra.insert("rateLimits".into(), serde_json::to_value(rl).unwrap_or(Value::Null));
    }
    Answer::Ok(raw, extra)
}

/// The SDK's typed user data event back to Binance's event object: the SDK
/// parses the event by its `e` into an enum variant whose model has no `e`
/// field (and the enum serializes externally tagged), so the inner model is
/// serialized and `e` put back from the variant.
pub fn user_event_json(ev: &UserDataStreamEventsResponse) -> Value {
    use UserDataStreamEventsResponse as U;
    let (e, v) = match ev {
        U::BalanceUpdate(x) => ("balanceUpdate", serde_json::to_value(x)),
        U::EventStreamTerminated(x) => ("eventStreamTerminated", serde_json::to_value(x)),
        U::ExecutionReport(x) => ("executionReport", serde_json::to_value(x)),
        U::ExternalLockUpdate(x) => ("externalLockUpdate", serde_json::to_value(x)),
        U::ListStatus(x) => ("listStatus", serde_json::to_value(x)),
        U::OutboundAccountPosition(x) => ("outboundAccountPosition", serde_json::to_value(x)),
        U::Other(x) => return x.clone(),
    };
    let mut v = v.unwrap_or(Value::Null);
    if let Some(o) = v.as_object_mut() {
        o.insert("e".into(), json!(e));
    }
    v
}

/// Register `tx` on the typed stream method for `name` (Binance's stream
/// names: `<sym>@depth[@100ms]`, `<sym>@depth<5|10|20>[@100ms]`,
/// `<sym>@kline_<i>`, `<sym>@trade`, `<sym>@aggTrade`, `<sym>@bookTicker`).
/// Events come back as the SDK's models, serialized with Binance's names,
/// plus `_stream`.
async fn market_on(
    conn: &wss::WebsocketStreams,
    name: &str,
    tx: mpsc::UnboundedSender<Value>,
) -> anyhow::Result<bool> {
    let (sym, kind) = name.split_once('@').unwrap_or((name, ""));
    let (kind, speed) = match kind.split_once('@') {
        Some((k, s)) => (k, Some(s)),
        None => (kind, None),
    };
    let mut q = json!({ "symbol": sym });
    if let Some(s) = speed {
        q["updateSpeed"] = json!(s);
    }
    let n = name.to_string();
    if kind == "depth" {
        let s = conn.diff_book_depth(serde_json::from_value(q)?).await?;
        on_typed::<wss::DiffBookDepthResponse>(s, n, tx).await?;
    } else if let Some(levels) = kind.strip_prefix("depth") {
        q["levels"] = json!(levels);
        let s = conn.partial_book_depth(serde_json::from_value(q)?).await?;
        on_typed::<wss::PartialBookDepthResponse>(s, n, tx).await?;
    } else if let Some(interval) = kind.strip_prefix("kline_") {
        q["interval"] = json!(interval);
        let s = conn.kline(serde_json::from_value(q)?).await?;
        on_typed::<wss::KlineResponse>(s, n, tx).await?;
    } else if kind == "trade" {
        let s = conn.trade(serde_json::from_value(q)?).await?;
        on_typed::<wss::TradeResponse>(s, n, tx).await?;
    } else if kind == "aggTrade" {
        let s = conn.agg_trade(serde_json::from_value(q)?).await?;
        on_typed::<wss::AggTradeResponse>(s, n, tx).await?;
    } else if kind == "bookTicker" {
        let s = conn.book_ticker(serde_json::from_value(q)?).await?;
        on_typed::<wss::BookTickerResponse>(s, n, tx).await?;
    } else {
        return Ok(false);
    }
    Ok(true)
}

async fn on_typed<T>(
    s: Arc<binance_sdk::common::websocket::WebsocketStream<T>>,
    name: String,
    tx: mpsc::UnboundedSender<Value>,
) -> anyhow::Result<()>
where
    T: DeserializeOwned + Serialize + Send + Sync + 'static,
{
    // on_message blocks its thread while it registers (its own runtime)
    tokio::task::spawn_blocking(move || {
        s.on_message(move |ev: T| {
            let mut v = serde_json::to_value(&ev).unwrap_or(Value::Null);
            if let Some(o) = v.as_object_mut() {
                o.insert("_stream".into(), json!(name));
            }
            let _ = tx.send(v);
        })
    })
    .await?;
    Ok(())
}
